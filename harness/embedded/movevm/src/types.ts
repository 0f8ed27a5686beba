/**
 * Runtime types of the VM. Primitive types are singletons so that type
 * comparisons on the hot path are pointer comparisons.
 */
import type { LoadedDatatype } from './loader.ts';

export const enum TK {
  Bool,
  U8,
  U16,
  U32,
  U64,
  U128,
  U256,
  Address,
  Signer,
  Vector,
  Datatype,
  Ref,
  MutRef,
  Param,
}

export type Type =
  | { readonly k: TK.Bool | TK.U8 | TK.U16 | TK.U32 | TK.U64 | TK.U128 | TK.U256 | TK.Address | TK.Signer }
  | { readonly k: TK.Vector; readonly e: Type }
  | { readonly k: TK.Datatype; readonly d: LoadedDatatype; readonly args: readonly Type[] }
  | { readonly k: TK.Ref | TK.MutRef; readonly t: Type }
  | { readonly k: TK.Param; readonly i: number };

export type VectorType = Extract<Type, { k: TK.Vector }>;
export type DatatypeType = Extract<Type, { k: TK.Datatype }>;
export type RefType = Extract<Type, { k: TK.Ref | TK.MutRef }>;

export const T_BOOL: Type = { k: TK.Bool };
export const T_U8: Type = { k: TK.U8 };
export const T_U16: Type = { k: TK.U16 };
export const T_U32: Type = { k: TK.U32 };
export const T_U64: Type = { k: TK.U64 };
export const T_U128: Type = { k: TK.U128 };
export const T_U256: Type = { k: TK.U256 };
export const T_ADDRESS: Type = { k: TK.Address };
export const T_SIGNER: Type = { k: TK.Signer };
export const T_VEC_U8: Type = { k: TK.Vector, e: T_U8 };

export function vectorOf(e: Type): Type {
  return e === T_U8 ? T_VEC_U8 : { k: TK.Vector, e };
}

/** Replace type parameters by the given type arguments. */
export function substitute(t: Type, args: readonly Type[]): Type {
  switch (t.k) {
    case TK.Param: {
      const a = args[t.i];
      if (a === undefined) throw new Error(`type parameter #${t.i} has no argument`);
      return a;
    }
    case TK.Vector:
      return hasParams(t.e) ? vectorOf(substitute(t.e, args)) : t;
    case TK.Datatype:
      return t.args.length === 0 || !t.args.some(hasParams)
        ? t
        : { k: TK.Datatype, d: t.d, args: t.args.map((a) => substitute(a, args)) };
    case TK.Ref:
    case TK.MutRef:
      return hasParams(t.t) ? { k: t.k, t: substitute(t.t, args) } : t;
    default:
      return t;
  }
}

export function hasParams(t: Type): boolean {
  switch (t.k) {
    case TK.Param:
      return true;
    case TK.Vector:
      return hasParams(t.e);
    case TK.Datatype:
      return t.args.some(hasParams);
    case TK.Ref:
    case TK.MutRef:
      return hasParams(t.t);
    default:
      return false;
  }
}

export function typesEqual(a: Type, b: Type): boolean {
  if (a === b) return true;
  if (a.k !== b.k) return false;
  switch (a.k) {
    case TK.Vector:
      return typesEqual(a.e, (b as VectorType).e);
    case TK.Datatype: {
      const bd = b as DatatypeType;
      if (a.d !== bd.d || a.args.length !== bd.args.length) return false;
      for (let i = 0; i < a.args.length; i++) if (!typesEqual(a.args[i]!, bd.args[i]!)) return false;
      return true;
    }
    case TK.Ref:
    case TK.MutRef:
      return typesEqual(a.t, (b as RefType).t);
    case TK.Param:
      return a.i === (b as { i: number }).i;
    default:
      return true;
  }
}

/** Canonical 0x-prefixed 64-hex-digit address. */
export function normalizeAddress(a: string): string {
  let h = a.toLowerCase();
  if (h.startsWith('0x')) h = h.slice(2);
  if (!/^[0-9a-f]{1,64}$/.test(h)) throw new Error(`invalid address '${a}': expected up to 64 hex digits`);
  return '0x' + h.padStart(64, '0');
}

/**
 * Type tag in Sui's canonical form (`TypeTag::to_canonical_string(true)`):
 * `0x<64 hex>::module::Name<u64,vector<u8>>` — full addresses, `,` between
 * type arguments. With `short`, addresses lose leading zeros and `sep` can
 * be `', '` for Sui's Display form (`0x2::coin::Coin<0x2::sui::SUI>`).
 */
const canonicalTags = new WeakMap<Type, string>();

export function typeTagString(t: Type, short = false, sep = ','): string {
  // The canonical form is asked for over and over by natives (events, dynamic fields): memoize per type object.
  if (!short && sep === ',' && (t.k === TK.Datatype || t.k === TK.Vector)) {
    let tag = canonicalTags.get(t);
    if (tag === undefined) {
      tag = typeTagUncached(t, short, sep);
      canonicalTags.set(t, tag);
    }
    return tag;
  }
  return typeTagUncached(t, short, sep);
}

function typeTagUncached(t: Type, short: boolean, sep: string): string {
  switch (t.k) {
    case TK.Bool:
      return 'bool';
    case TK.U8:
      return 'u8';
    case TK.U16:
      return 'u16';
    case TK.U32:
      return 'u32';
    case TK.U64:
      return 'u64';
    case TK.U128:
      return 'u128';
    case TK.U256:
      return 'u256';
    case TK.Address:
      return 'address';
    case TK.Signer:
      return 'signer';
    case TK.Vector:
      return `vector<${typeTagString(t.e, short, sep)}>`;
    case TK.Datatype: {
      const addr = short ? shortAddress(t.d.module.address) : t.d.module.address;
      const base = `${addr}::${t.d.module.name}::${t.d.name}`;
      return t.args.length === 0
        ? base
        : `${base}<${t.args.map((a) => typeTagString(a, short, sep)).join(sep)}>`;
    }
    case TK.Ref:
      return `&${typeTagString(t.t, short, sep)}`;
    case TK.MutRef:
      return `&mut ${typeTagString(t.t, short, sep)}`;
    case TK.Param:
      return `T${t.i}`;
  }
}

export function shortAddress(a: string): string {
  const h = a.slice(2).replace(/^0+/, '');
  return '0x' + (h === '' ? '0' : h);
}
