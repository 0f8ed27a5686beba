/**
 * A small BCS writer for the shapes the node encodes on every transaction (objects, effects,
 * events), and a base58 ⇄ bytes memo for digests. The generic @mysten/bcs serializer validates
 * and transforms every field (hex and base58 conversions included) and was the largest single
 * cost of a transaction after the Move VM; the bytes written here are checked against it in
 * the tests.
 */
import { fromBase58, toBase58 } from '@mysten/bcs';
import { normalizeSuiAddress } from '@mysten/sui/utils';

const DIGEST_MEMO_LIMIT = 20_000;
const digestMemo = new Map<string, Uint8Array>();

function remember(text: string, bytes: Uint8Array): void {
  // Digests are read back soon after they are made (next transaction's inputs, dependencies);
  // a bounded memo keeps that cheap without growing with the chain.
  if (digestMemo.size >= DIGEST_MEMO_LIMIT) digestMemo.clear();
  digestMemo.set(text, bytes);
}

/** Base58 of a 32-byte digest, remembered so that writing it back as bytes costs nothing. */
export function digestToBase58(bytes: Uint8Array): string {
  const text = toBase58(bytes);
  remember(text, bytes);
  return text;
}

/** Bytes of a base58 digest (memoized). Throws like fromBase58 on invalid text. */
export function digestBytes(text: string): Uint8Array {
  let bytes = digestMemo.get(text);
  if (!bytes) {
    bytes = fromBase58(text);
    remember(text, bytes);
  }
  return bytes;
}

const HEX_ADDRESS = /^0x[0-9a-f]{64}$/;

export class BcsWriter {
  private buf: Uint8Array;
  private view: DataView;
  private pos = 0;

  constructor(initial = 512) {
    this.buf = new Uint8Array(initial);
    this.view = new DataView(this.buf.buffer);
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  u8(n: number): this {
    this.ensure(1);
    this.buf[this.pos++] = n;
    return this;
  }

  u16(n: number): this {
    if (!Number.isInteger(n) || n < 0 || n > 0xffff) throw new Error(`u16 out of range: ${n}`);
    this.ensure(2);
    this.view.setUint16(this.pos, n, true);
    this.pos += 2;
    return this;
  }

  u32(n: number): this {
    if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new Error(`u32 out of range: ${n}`);
    this.ensure(4);
    this.view.setUint32(this.pos, n, true);
    this.pos += 4;
    return this;
  }

  u64(n: bigint): this {
    if (n < 0n || n >= 1n << 64n) throw new Error(`u64 out of range: ${n}`);
    this.ensure(8);
    this.view.setBigUint64(this.pos, n, true);
    this.pos += 8;
    return this;
  }

  uleb(n: number): this {
    do {
      let b = n & 0x7f;
      n = Math.floor(n / 128);
      if (n > 0) b |= 0x80;
      this.u8(b);
    } while (n > 0);
    return this;
  }

  raw(bytes: Uint8Array): this {
    this.ensure(bytes.length);
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
    return this;
  }

  /** vector<u8>: length prefix and bytes. */
  byteVector(bytes: Uint8Array): this {
    return this.uleb(bytes.length).raw(bytes);
  }

  string(s: string): this {
    return this.byteVector(Buffer.from(s, 'utf8'));
  }

  /** 32-byte address from hex (any length; normalized like the SDK does). */
  address(hex: string): this {
    const full = HEX_ADDRESS.test(hex) ? hex : normalizeSuiAddress(hex);
    if (!HEX_ADDRESS.test(full)) throw new Error(`Invalid Sui address ${hex}`);
    this.ensure(32);
    this.pos += Buffer.from(this.buf.buffer, this.buf.byteOffset + this.pos, 32).write(full.slice(2), 'hex');
    return this;
  }

  /** ObjectDigest / TransactionDigest: vector<u8> of 32 bytes from base58. */
  digest(text: string): this {
    const bytes = digestBytes(text);
    if (bytes.length !== 32) throw new Error(`digest ${text} is ${bytes.length} bytes, not 32`);
    return this.byteVector(bytes);
  }

  option<T>(value: T | null | undefined, write: (v: T) => void): this {
    if (value === null || value === undefined) return this.u8(0);
    this.u8(1);
    write(value);
    return this;
  }

  toBytes(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }
}
