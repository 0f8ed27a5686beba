/** Type tags: BCS encoding (as Sui hashes them) and parsing from strings. */
import { MoveCallError } from './errors.ts';
import type { Linker } from './loader.ts';
import { BcsWriter } from './bcs.ts';
import {
  TK,
  T_ADDRESS,
  T_BOOL,
  T_SIGNER,
  T_U128,
  T_U16,
  T_U256,
  T_U32,
  T_U64,
  T_U8,
  normalizeAddress,
  vectorOf,
  type Type,
} from './types.ts';

/** BCS of `TypeTag` (enum: bool=0 u8=1 u64=2 u128=3 address=4 signer=5 vector=6 struct=7 u16=8 u32=9 u256=10). */
export function writeTypeTag(w: BcsWriter, t: Type): void {
  switch (t.k) {
    case TK.Bool:
      return w.u8(0);
    case TK.U8:
      return w.u8(1);
    case TK.U64:
      return w.u8(2);
    case TK.U128:
      return w.u8(3);
    case TK.Address:
      return w.u8(4);
    case TK.Signer:
      return w.u8(5);
    case TK.Vector:
      w.u8(6);
      return writeTypeTag(w, t.e);
    case TK.Datatype: {
      w.u8(7);
      w.hex(t.d.module.address);
      const enc = new TextEncoder();
      const mod = enc.encode(t.d.module.name);
      w.uleb(mod.length);
      w.bytes(mod);
      const name = enc.encode(t.d.name);
      w.uleb(name.length);
      w.bytes(name);
      w.uleb(t.args.length);
      for (const a of t.args) writeTypeTag(w, a);
      return;
    }
    case TK.U16:
      return w.u8(8);
    case TK.U32:
      return w.u8(9);
    case TK.U256:
      return w.u8(10);
    default:
      throw new Error('references and type parameters have no type tag');
  }
}

export function typeTagBcs(t: Type): Uint8Array {
  const w = new BcsWriter();
  writeTypeTag(w, t);
  return w.finish();
}

const PRIMS: Record<string, Type> = {
  bool: T_BOOL,
  u8: T_U8,
  u16: T_U16,
  u32: T_U32,
  u64: T_U64,
  u128: T_U128,
  u256: T_U256,
  address: T_ADDRESS,
  signer: T_SIGNER,
};

/** Parse `u64`, `vector<u8>`, `0x2::coin::Coin<0x2::sui::SUI>` into a runtime type. */
export function parseTypeTag(s: string, linker: Linker): Type {
  let pos = 0;
  const src = s.replace(/\s+/g, '');
  const fail = (why: string): never => {
    throw new MoveCallError(`invalid type tag '${s}': ${why}`);
  };
  const ident = (): string => {
    const m = /^[A-Za-z0-9_]+/.exec(src.slice(pos));
    if (!m) fail(`expected a name at position ${pos}`);
    pos += m![0].length;
    return m![0];
  };
  const parse = (): Type => {
    const first = ident();
    const prim = PRIMS[first];
    if (first === 'vector') {
      if (src[pos] !== '<') fail("expected '<' after vector");
      pos++;
      const e = parse();
      if (src[pos] !== '>') fail("expected '>'");
      pos++;
      return vectorOf(e);
    }
    if (prim && src[pos] !== ':') return prim;
    if (src.slice(pos, pos + 2) !== '::') fail(`expected '::' after ${first}`);
    pos += 2;
    const mod = ident();
    if (src.slice(pos, pos + 2) !== '::') fail(`expected '::' after ${mod}`);
    pos += 2;
    const name = ident();
    const args: Type[] = [];
    if (src[pos] === '<') {
      pos++;
      for (;;) {
        args.push(parse());
        if (src[pos] === ',') pos++;
        else if (src[pos] === '>') {
          pos++;
          break;
        } else fail(`expected ',' or '>' at position ${pos}`);
      }
    }
    let addr: string;
    try {
      addr = normalizeAddress(first);
    } catch {
      return fail(`'${first}' is not an address`);
    }
    const m = linker.getModule(addr, mod);
    if (!m) return fail(`module ${addr}::${mod} is not loaded`);
    const d = m.datatypes.get(name);
    if (!d) return fail(`${m.id} has no struct or enum '${name}'`);
    if (d.typeParams.length !== args.length)
      fail(`${m.id}::${name} takes ${d.typeParams.length} type argument(s), got ${args.length}`);
    return { k: TK.Datatype, d, args };
  };
  const t = parse();
  if (pos !== src.length) fail(`unexpected '${src.slice(pos)}'`);
  return t;
}
