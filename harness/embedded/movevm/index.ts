export {
  MoveVM,
  type CallArg,
  type CallOptions,
  type CallResult,
  type MutatedArg,
  type ReturnedValue,
  type VMOptions,
} from './src/vm.ts';
export {
  MoveAbortError,
  MoveExecutionError,
  MoveCallError,
  MoveLinkError,
  type MoveLocation,
  type ExecutionErrorKind,
} from './src/errors.ts';
export {
  InMemoryObjectRuntime,
  deriveObjectId,
  deriveDynamicFieldId,
  type ObjectRuntime,
  type StoredObject,
  type Owner,
  type EmittedEvent,
  type TxContextInfo,
} from './src/object-runtime.ts';
export { serializeValue, deserializeValue } from './src/bcs.ts';
export { typeTagString, normalizeAddress, type Type } from './src/types.ts';
export { typeTagBcs, parseTypeTag } from './src/typetag.ts';
export { Ref, Variant, type Value } from './src/values.ts';
export { GAS, MAX_CALL_DEPTH } from './src/interpreter.ts';
export type { NativeFunction, NativeTable } from './natives/registry.ts';

import { MoveVM } from './src/vm.ts';
/** Convenience: a fresh VM with one package loaded. */
export function loadPackage(modules: (string | Uint8Array)[], opts: { address?: string } = {}): MoveVM {
  const vm = new MoveVM();
  vm.loadPackage(modules, opts);
  return vm;
}

/** Framework shim bytecode (std at 0x1, sui at 0x2), cached in the OS temp dir. */
export { buildFramework, type FrameworkBuild } from './testing/framework.ts';
