/**
 * BCS encoding of VM values driven by their runtime type (the "layout").
 * Used for object storage, events, pure arguments, constants and std::bcs.
 */
import { TK, substitute, type Type } from './types.ts';
import { Variant, type Value, bytesToHex, Ref, HEX_VALUE } from './values.ts';
import { datatypeFieldTypes, variantFieldTypes } from './datatype-fields.ts';

export class BcsWriter {
  private buf = new Uint8Array(256);
  private n = 0;
  private ensure(k: number): void {
    if (this.n + k <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.n + k) cap *= 2;
    const nb = new Uint8Array(cap);
    nb.set(this.buf.subarray(0, this.n));
    this.buf = nb;
  }
  u8(v: number): void {
    this.ensure(1);
    this.buf[this.n++] = v;
  }
  uleb(v: number): void {
    this.ensure(5);
    while (v >= 0x80) {
      this.buf[this.n++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    this.buf[this.n++] = v;
  }
  /** little-endian unsigned integer of `bytes` width */
  uint(v: number | bigint, bytes: number): void {
    this.ensure(bytes);
    if (typeof v === 'number') {
      for (let i = 0; i < bytes; i++) {
        this.buf[this.n++] = v & 0xff;
        v = Math.floor(v / 256);
      }
      return;
    }
    for (let i = 0; i < bytes; i++) {
      this.buf[this.n++] = Number(v & 0xffn);
      v >>= 8n;
    }
  }
  bytes(b: ArrayLike<number>): void {
    this.ensure(b.length);
    for (let i = 0; i < b.length; i++) this.buf[this.n++] = b[i]!;
  }
  hex(h: string): void {
    // h: 0x + 64 hex digits
    this.ensure(32);
    for (let i = 2; i < 66; i += 2)
      this.buf[this.n++] = (HEX_VALUE[h.charCodeAt(i)]! << 4) | HEX_VALUE[h.charCodeAt(i + 1)]!;
  }
  finish(): Uint8Array {
    return this.buf.slice(0, this.n);
  }
}

export class BcsReader {
  pos = 0;
  constructor(private readonly b: Uint8Array) {}
  private need(k: number): void {
    if (this.pos + k > this.b.length) throw new Error(`BCS: unexpected end of input at byte ${this.pos}`);
  }
  u8(): number {
    this.need(1);
    return this.b[this.pos++]!;
  }
  uleb(): number {
    let r = 0;
    let shift = 0;
    for (;;) {
      const x = this.u8();
      r += (x & 0x7f) * 2 ** shift;
      if ((x & 0x80) === 0) break;
      shift += 7;
      if (shift > 28) throw new Error('BCS: ULEB128 length too large');
    }
    return r;
  }
  uintNum(bytes: number): number {
    this.need(bytes);
    let v = 0;
    for (let i = bytes - 1; i >= 0; i--) v = v * 256 + this.b[this.pos + i]!;
    this.pos += bytes;
    return v;
  }
  uintBig(bytes: number): bigint {
    this.need(bytes);
    let v = 0n;
    for (let i = bytes - 1; i >= 0; i--) v = (v << 8n) | BigInt(this.b[this.pos + i]!);
    this.pos += bytes;
    return v;
  }
  address(): string {
    this.need(32);
    const s = '0x' + bytesToHex(this.b.subarray(this.pos, this.pos + 32));
    this.pos += 32;
    return s;
  }
  done(): boolean {
    return this.pos === this.b.length;
  }
}

export function serializeValue(v: Value, t: Type): Uint8Array {
  const w = new BcsWriter();
  writeValue(w, v instanceof Ref ? v.read() : v, t);
  return w.finish();
}

export function writeValue(w: BcsWriter, v: Value, t: Type): void {
  switch (t.k) {
    case TK.Bool:
      w.u8(v ? 1 : 0);
      return;
    case TK.U8:
      w.u8(v as number);
      return;
    case TK.U16:
      w.uint(v as number, 2);
      return;
    case TK.U32:
      w.uint(v as number, 4);
      return;
    case TK.U64:
      w.uint(v as bigint, 8);
      return;
    case TK.U128:
      w.uint(v as bigint, 16);
      return;
    case TK.U256:
      w.uint(v as bigint, 32);
      return;
    case TK.Address:
    case TK.Signer:
      w.hex(v as string);
      return;
    case TK.Vector: {
      const arr = v as Value[];
      w.uleb(arr.length);
      if (t.e.k === TK.U8) w.bytes(arr as number[]);
      else for (const e of arr) writeValue(w, e, t.e);
      return;
    }
    case TK.Datatype: {
      if (t.d.isEnum) {
        const vv = v as Variant;
        w.uleb(vv.tag);
        const fts = variantFieldTypes(t.d, vv.tag);
        for (let i = 0; i < fts.length; i++)
          writeValue(w, vv.fields[i] as Value, instantiate(fts[i]!, t.args));
        return;
      }
      const fts = datatypeFieldTypes(t.d);
      const fs = v as Value[];
      for (let i = 0; i < fts.length; i++) writeValue(w, fs[i] as Value, instantiate(fts[i]!, t.args));
      return;
    }
    default:
      throw new Error(
        `BCS: cannot serialize a value of type kind ${t.k} (references and type parameters have no layout)`,
      );
  }
}

function instantiate(ft: Type, args: readonly Type[]): Type {
  return args.length === 0 ? ft : substitute(ft, args);
}

export function deserializeValue(bytes: Uint8Array, t: Type): Value {
  const r = new BcsReader(bytes);
  const v = readValue(r, t);
  if (!r.done()) throw new Error(`BCS: ${bytes.length - r.pos} trailing byte(s) after a value`);
  return v;
}

export function readValue(r: BcsReader, t: Type): Value {
  switch (t.k) {
    case TK.Bool: {
      const b = r.u8();
      if (b > 1) throw new Error(`BCS: invalid bool byte ${b}`);
      return b === 1;
    }
    case TK.U8:
      return r.u8();
    case TK.U16:
      return r.uintNum(2);
    case TK.U32:
      return r.uintNum(4);
    case TK.U64:
      return r.uintBig(8);
    case TK.U128:
      return r.uintBig(16);
    case TK.U256:
      return r.uintBig(32);
    case TK.Address:
    case TK.Signer:
      return r.address();
    case TK.Vector: {
      const n = r.uleb();
      const out = new Array<Value>(n);
      for (let i = 0; i < n; i++) out[i] = readValue(r, t.e);
      return out;
    }
    case TK.Datatype: {
      if (t.d.isEnum) {
        const tag = r.uleb();
        if (tag >= (t.d.variants?.length ?? 0))
          throw new Error(`BCS: variant tag ${tag} out of range for ${t.d.name}`);
        const fts = variantFieldTypes(t.d, tag);
        const fs = new Array<Value>(fts.length);
        for (let i = 0; i < fts.length; i++) fs[i] = readValue(r, instantiate(fts[i]!, t.args));
        return new Variant(tag, fs);
      }
      const fts = datatypeFieldTypes(t.d);
      const fs = new Array<Value>(fts.length);
      for (let i = 0; i < fts.length; i++) fs[i] = readValue(r, instantiate(fts[i]!, t.args));
      return fs;
    }
    default:
      throw new Error(`BCS: cannot deserialize type kind ${t.k}`);
  }
}
