/** Native function table: `0x1::hash::sha2_256` → implementation. */
import type { LoadedFunction } from '../src/loader.ts';
import type { Session } from '../src/session.ts';
import type { Type } from '../src/types.ts';
import { shortAddress } from '../src/types.ts';
import type { Value } from '../src/values.ts';

/**
 * A native receives the call session (gas, object runtime, events,
 * dynamic-field cache), the function being called (for abort locations),
 * the concrete type arguments and the arguments (references are `Ref`s).
 * It returns the function's results in order.
 */
export type NativeFunction = (s: Session, fn: LoadedFunction, ty: readonly Type[], args: Value[]) => Value[];

export type NativeTable = Record<string, NativeFunction>;

export function nativeKey(fn: LoadedFunction): string {
  return `${shortAddress(fn.module.address)}::${fn.module.name}::${fn.name}`;
}
