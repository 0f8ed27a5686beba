/** Natives of MoveStdlib (0x1), as declared by move/shim/move-stdlib. */
import { sha256 } from '@noble/hashes/sha2.js';
import { sha3_256 } from '@noble/hashes/sha3.js';
import { serializeValue } from '../src/bcs.ts';
import { MoveExecutionError, VECTOR_SUB_STATUS } from '../src/errors.ts';
import type { LoadedFunction } from '../src/loader.ts';
import { TK, typeTagString, type Type } from '../src/types.ts';
import { Ref, type Value, toBytes, fromBytes } from '../src/values.ts';
import type { NativeTable } from './registry.ts';

const utf8 = new TextDecoder('utf-8', { fatal: true });

function vecError(fn: LoadedFunction, msg: string, sub: number): never {
  throw new MoveExecutionError(
    'VECTOR_OPERATION_ERROR',
    msg,
    { module: fn.module.id, function: fn.name, offset: 0 },
    sub,
  );
}

function vecOf(r: Value): Value[] {
  return (r as Ref).read() as Value[];
}

function index(fn: LoadedFunction, v: Value[], i: Value): number {
  const n = Number(i as bigint);
  if ((i as bigint) >= BigInt(v.length))
    vecError(
      fn,
      `index ${String(i)} out of bounds for length ${v.length}`,
      VECTOR_SUB_STATUS.INDEX_OUT_OF_BOUNDS,
    );
  return n;
}

/** `std::type_name` string: addresses as 64 hex digits without `0x`. */
export function typeNameString(t: Type): string {
  return typeTagString(t).replace(/0x([0-9a-f]{64})/g, '$1');
}

function charBoundary(b: Value[], i: number): boolean {
  if (i === 0) return true;
  if (i >= b.length) return i === b.length;
  return ((b[i] as number) & 0xc0) !== 0x80;
}

function indexOf(hay: Value[], needle: Value[]): number {
  const n = needle.length;
  outer: for (let i = 0; i + n <= hay.length; i++) {
    for (let j = 0; j < n; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  return hay.length;
}

function typeNameValue(t: Type): Value {
  // TypeName { name: ascii::String { bytes } }
  return [[fromBytes(new TextEncoder().encode(typeNameString(t)))]];
}

function definingAddress(
  s: { abort: (fn: LoadedFunction, code: number) => never },
  fn: LoadedFunction,
  t: Type,
): Value {
  if (t.k !== TK.Datatype) s.abort(fn, 0); // ENonModuleType in std::type_name
  return (t as Extract<Type, { k: TK.Datatype }>).d.module.address;
}

export const stdNatives: NativeTable = {
  // --- vector ---
  '0x1::vector::empty': () => [[]],
  '0x1::vector::length': (_s, _f, _t, [v]) => [BigInt(vecOf(v!).length)],
  '0x1::vector::borrow': (_s, f, _t, [v, i]) => {
    const vec = vecOf(v!);
    return [new Ref(vec, index(f, vec, i!))];
  },
  '0x1::vector::borrow_mut': (_s, f, _t, [v, i]) => {
    const vec = vecOf(v!);
    return [new Ref(vec, index(f, vec, i!))];
  },
  '0x1::vector::push_back': (_s, _f, _t, [v, e]) => {
    vecOf(v!).push(e!);
    return [];
  },
  '0x1::vector::pop_back': (_s, f, _t, [v]) => {
    const vec = vecOf(v!);
    if (vec.length === 0) vecError(f, 'pop_back on an empty vector', VECTOR_SUB_STATUS.POP_EMPTY_VEC);
    return [vec.pop()!];
  },
  '0x1::vector::destroy_empty': (_s, f, _t, [v]) => {
    if ((v as Value[]).length !== 0)
      vecError(f, 'destroy_empty on a non-empty vector', VECTOR_SUB_STATUS.VEC_UNPACK_PARITY_MISMATCH);
    return [];
  },
  '0x1::vector::swap': (_s, f, _t, [v, i, j]) => {
    const vec = vecOf(v!);
    const a = index(f, vec, i!);
    const b = index(f, vec, j!);
    const x = vec[a]!;
    vec[a] = vec[b]!;
    vec[b] = x;
    return [];
  },
  // --- bcs / hash ---
  '0x1::bcs::to_bytes': (s, f, [t], [v]) => {
    const bytes = serializeValue((v as Ref).read(), t!);
    s.charge(bytes.length >> 4, f);
    return [fromBytes(bytes)];
  },
  '0x1::hash::sha2_256': (s, f, _t, [v]) => {
    s.charge((v as Value[]).length >> 4, f);
    return [fromBytes(sha256(toBytes(v!)))];
  },
  '0x1::hash::sha3_256': (s, f, _t, [v]) => {
    s.charge((v as Value[]).length >> 4, f);
    return [fromBytes(sha3_256(toBytes(v!)))];
  },
  // --- string ---
  '0x1::string::internal_check_utf8': (_s, _f, _t, [v]) => {
    try {
      utf8.decode(toBytes(vecOf(v!)));
      return [true];
    } catch {
      return [false];
    }
  },
  '0x1::string::internal_is_char_boundary': (_s, _f, _t, [v, i]) => [
    charBoundary(vecOf(v!), Number(i as bigint)),
  ],
  '0x1::string::internal_sub_string': (_s, _f, _t, [v, i, j]) => [
    vecOf(v!).slice(Number(i as bigint), Number(j as bigint)),
  ],
  '0x1::string::internal_index_of': (_s, _f, _t, [v, r]) => [BigInt(indexOf(vecOf(v!), vecOf(r!)))],
  // --- type_name ---
  '0x1::type_name::with_defining_ids': (_s, _f, [t]) => [typeNameValue(t!)],
  '0x1::type_name::with_original_ids': (_s, _f, [t]) => [typeNameValue(t!)],
  '0x1::type_name::get': (_s, _f, [t]) => [typeNameValue(t!)],
  '0x1::type_name::get_with_original_ids': (_s, _f, [t]) => [typeNameValue(t!)],
  '0x1::type_name::defining_id': (s, f, [t]) => [definingAddress(s, f, t!)],
  '0x1::type_name::original_id': (s, f, [t]) => [definingAddress(s, f, t!)],
  // --- debug / unit_test ---
  '0x1::debug::print': (s, _f, [t], [v]) => {
    s.debugLog(`[debug] ${formatDebug((v as Ref).read(), t!)}`);
    return [];
  },
  '0x1::debug::print_stack_trace': () => [],
  '0x1::unit_test::poison': () => [],
  '0x1::unit_test::destroy': () => [],
};

function formatDebug(v: Value, t: Type): string {
  if (t.k === TK.Vector && t.e.k === TK.U8) return '0x' + Buffer.from(toBytes(v)).toString('hex');
  return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x));
}
