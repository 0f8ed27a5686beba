/** Shape check of a caller-supplied VM value against a type (for `{ value }` call arguments). */
import { datatypeFieldTypes, variantFieldTypes } from './datatype-fields.ts';
import { TK, substitute, typeTagString, type Type } from './types.ts';
import { Ref, Variant, type Value } from './values.ts';

const NUM_MAX: Partial<Record<TK, number>> = { [TK.U8]: 0xff, [TK.U16]: 0xffff, [TK.U32]: 0xffffffff };
const BIG_BITS: Partial<Record<TK, bigint>> = { [TK.U64]: 64n, [TK.U128]: 128n, [TK.U256]: 256n };

/** Returns a description of the first mismatch, or undefined when `v` fits `t`. */
export function valueMismatch(v: Value, t: Type, at = 'value'): string | undefined {
  const want = typeTagString(t, true, ', ');
  switch (t.k) {
    case TK.Bool:
      return typeof v === 'boolean' ? undefined : `${at} must be a boolean for ${want}`;
    case TK.U8:
    case TK.U16:
    case TK.U32:
      return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= NUM_MAX[t.k]!
        ? undefined
        : `${at} must be an integer number in 0..${NUM_MAX[t.k]} for ${want}`;
    case TK.U64:
    case TK.U128:
    case TK.U256:
      return typeof v === 'bigint' && v >= 0n && v < 1n << BIG_BITS[t.k]!
        ? undefined
        : `${at} must be a bigint in 0..2^${BIG_BITS[t.k]}-1 for ${want}`;
    case TK.Address:
    case TK.Signer:
      return typeof v === 'string' && /^0x[0-9a-f]{64}$/.test(v)
        ? undefined
        : `${at} must be '0x' + 64 lowercase hex digits for ${want}`;
    case TK.Vector: {
      if (!Array.isArray(v)) return `${at} must be an array for ${want}`;
      for (let i = 0; i < v.length; i++) {
        const m = valueMismatch(v[i] as Value, t.e, `${at}[${i}]`);
        if (m) return m;
      }
      return undefined;
    }
    case TK.Datatype: {
      const inst = (ft: Type) => (t.args.length ? substitute(ft, t.args) : ft);
      if (t.d.isEnum) {
        if (!(v instanceof Variant)) return `${at} must be a Variant for ${want}`;
        if (v.tag < 0 || v.tag >= (t.d.variants?.length ?? 0))
          return `${at} has variant tag ${v.tag}, out of range for ${want}`;
        const fts = variantFieldTypes(t.d, v.tag);
        if (v.fields.length !== fts.length)
          return `${at} needs ${fts.length} field(s) for variant ${t.d.variants![v.tag]!.name}`;
        for (let i = 0; i < fts.length; i++) {
          const m = valueMismatch(
            v.fields[i] as Value,
            inst(fts[i]!),
            `${at}.${t.d.variants![v.tag]!.fieldNames[i]}`,
          );
          if (m) return m;
        }
        return undefined;
      }
      const fts = datatypeFieldTypes(t.d);
      if (!Array.isArray(v) || v.length !== fts.length)
        return `${at} must be an array of ${fts.length} field(s) for ${want}`;
      for (let i = 0; i < fts.length; i++) {
        const m = valueMismatch(v[i] as Value, inst(fts[i]!), `${at}.${t.d.fieldNames[i]}`);
        if (m) return m;
      }
      return undefined;
    }
    default:
      return v instanceof Ref ? undefined : `${at}: cannot check a value of type ${want}`;
  }
}

const STD = '0x' + '0'.repeat(63) + '1';
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Sui checks string arguments when it decodes them: `std::string::String`
 * must be UTF-8 and `std::ascii::String` ASCII (also inside vectors and
 * options). Returns a description of the first bad string, if any.
 */
export function invalidStringArgument(v: Value, t: Type, at = 'value'): string | undefined {
  if (t.k === TK.Vector) {
    if (t.e.k !== TK.Vector && t.e.k !== TK.Datatype) return undefined;
    const arr = v as Value[];
    for (let i = 0; i < arr.length; i++) {
      const m = invalidStringArgument(arr[i] as Value, t.e, `${at}[${i}]`);
      if (m) return m;
    }
    return undefined;
  }
  if (t.k !== TK.Datatype || t.d.module.address !== STD) return undefined;
  const name = `${t.d.module.name}::${t.d.name}`;
  if (name === 'string::String') {
    try {
      utf8.decode(Uint8Array.from((v as Value[])[0] as number[]));
      return undefined;
    } catch {
      return `${at} is not valid UTF-8 (std::string::String)`;
    }
  }
  if (name === 'ascii::String')
    return ((v as Value[])[0] as number[]).every((b) => b < 0x80)
      ? undefined
      : `${at} is not ASCII (std::ascii::String)`;
  if (name === 'option::Option') return invalidStringArgument((v as Value[])[0] as Value, vectorOfArg(t), at);
  return undefined;
}

function vectorOfArg(t: Extract<Type, { k: TK.Datatype }>): Type {
  return { k: TK.Vector, e: t.args[0]! };
}
