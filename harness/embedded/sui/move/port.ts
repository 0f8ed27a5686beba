/**
 * The boundary between the PTB executor and the Move VM. The executor hands Move calls (BCS
 * argument values in parameter order) to a `MovePort`; the VM calls back into the transaction's
 * `ObjectRuntime` (harness/embedded/movevm) for fresh ids, transfers, events, deletions and
 * dynamic-field children.
 */
import type { ObjectRuntime } from '../../movevm/index.ts';

export interface MoveValue {
  /** Canonical type tag (full-length addresses). */
  type: string;
  bytes: Uint8Array;
}

export interface MoveCallInput {
  package: string;
  module: string;
  function: string;
  typeArguments: string[];
  /** One per parameter except a trailing TxContext (the VM builds it from `runtime.tx`). */
  args: MoveValue[];
}

export interface MoveCallOutput {
  returns: MoveValue[];
  /** New bytes of arguments passed by `&mut`, by argument index. */
  mutatedRefs: { index: number; bytes: Uint8Array }[];
  /** VM gas units consumed, for the computation cost. */
  gasUsed: number;
}

export interface MovePort {
  call(input: MoveCallInput, runtime: ObjectRuntime, gasBudgetUnits: number): MoveCallOutput;
  /** Loads freshly published modules (already carrying their package id) so init and later calls link. */
  loadPublished(packageId: string, modules: Uint8Array[]): void;
}
