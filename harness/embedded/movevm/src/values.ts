/**
 * Value model.
 *
 * - bool → boolean; u8/u16/u32 → number; u64/u128/u256 → bigint
 * - address / signer → lowercase `0x` + 64 hex digits string
 * - vector<T> and struct → JS array (struct fields in declaration order)
 * - enum value → Variant (tag + fields array)
 * - reference → Ref: a (container, index) pair. Containers are locals arrays,
 *   struct/variant field arrays and vectors, so a reference aliases exactly
 *   one slot and writes through it are seen by every other path to the slot.
 */
export type Value = boolean | number | bigint | string | Value[] | Variant | Ref;

export class Variant {
  constructor(
    public readonly tag: number,
    public readonly fields: Value[],
  ) {}
}

export class Ref {
  constructor(
    public readonly c: Value[],
    public readonly i: number,
  ) {}
  read(): Value {
    return this.c[this.i] as Value;
  }
  write(v: Value): void {
    this.c[this.i] = v;
  }
}

/** Deep copy, as the Move `copy` of a value with the copy ability. */
export function copyValue(v: Value): Value {
  if (typeof v !== 'object') return v;
  if (Array.isArray(v)) {
    // Structs are arrays too, with mixed field kinds: every element must be checked.
    const out = v.slice();
    for (let i = 0; i < out.length; i++) {
      const e = out[i]!;
      if (typeof e === 'object') out[i] = copyValue(e);
    }
    return out;
  }
  if (v instanceof Variant) return new Variant(v.tag, copyValue(v.fields) as Value[]);
  return v; // references are immutable handles
}

/** Structural equality (Move `==`); references compare what they point to. */
export function valuesEqual(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object') return false;
  if (a instanceof Ref) return valuesEqual(a.read(), (b as Ref).read());
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!valuesEqual(a[i] as Value, b[i] as Value)) return false;
    return true;
  }
  if (a instanceof Variant) {
    const bv = b as Variant;
    return a.tag === bv.tag && valuesEqual(a.fields, bv.fields);
  }
  return false;
}

const HEX_PAIRS = Array.from({ length: 256 }, (_, i) => (i < 16 ? '0' : '') + i.toString(16));
/** hex digit char code → value (lowercase and uppercase) */
export const HEX_VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < 16; i++) {
  HEX_VALUE['0123456789abcdef'.charCodeAt(i)] = i;
  HEX_VALUE['0123456789ABCDEF'.charCodeAt(i)] = i;
}

export function bytesToHex(b: ArrayLike<number>): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += HEX_PAIRS[b[i]!]!;
  return s;
}

export function hexToBytes(h: string): Uint8Array {
  const s = h.startsWith('0x') ? h.slice(2) : h;
  const out = new Uint8Array(s.length >> 1);
  for (let i = 0; i < out.length; i++)
    out[i] = (HEX_VALUE[s.charCodeAt(i * 2)]! << 4) | HEX_VALUE[s.charCodeAt(i * 2 + 1)]!;
  return out;
}

export function addressToBytes(a: string): Uint8Array {
  return hexToBytes(a.slice(2).padStart(64, '0'));
}

export function bytesToAddress(b: ArrayLike<number>): string {
  return '0x' + bytesToHex(b);
}

/** vector<u8> value ⇄ bytes */
export function toBytes(v: Value): Uint8Array {
  return Uint8Array.from(v as number[]);
}
export function fromBytes(b: ArrayLike<number>): number[] {
  return Array.from(b);
}
