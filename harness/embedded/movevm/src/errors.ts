/** Errors raised by the VM. All carry a Move location when one exists. */

export interface MoveLocation {
  /** `0x<64 hex>::module` */
  module: string;
  function: string;
  /** bytecode offset of the failing instruction */
  offset: number;
}

function where(l: MoveLocation | undefined): string {
  return l ? ` in ${l.module}::${l.function} at offset ${l.offset}` : '';
}

/** `abort code` executed by Move code (or by a native on its behalf). */
export class MoveAbortError extends Error {
  override readonly name = 'MoveAbortError';
  constructor(
    readonly code: bigint,
    readonly location: MoveLocation,
  ) {
    super(`Move abort with code ${code}${where(location)}`);
  }
}

export type ExecutionErrorKind =
  | 'ARITHMETIC_ERROR' // overflow, underflow, division by zero, bad shift, failed cast
  | 'OUT_OF_GAS'
  | 'CALL_STACK_OVERFLOW'
  | 'VECTOR_OPERATION_ERROR' // index out of range, pop on empty, bad unpack length
  | 'MEMORY_LIMIT_EXCEEDED'
  | 'MISSING_NATIVE'
  | 'NATIVE_ERROR'
  | 'UNREACHABLE';

/** Execution failure that is not a Move abort (Sui reports these as `MovePrimitiveRuntimeError` etc.). */
export class MoveExecutionError extends Error {
  override readonly name = 'MoveExecutionError';
  constructor(
    readonly kind: ExecutionErrorKind,
    message: string,
    readonly location?: MoveLocation,
    /** Move sub-status; for VECTOR_OPERATION_ERROR: 1 index out of bounds, 2 pop on empty, 3 unpack length mismatch (also destroy_empty on a non-empty vector) */
    readonly subStatus?: number,
  ) {
    super(`${kind}: ${message}${where(location)}`);
  }
}

/** Sub-statuses of VECTOR_OPERATION_ERROR, as in move-vm-types (`NFE_VECTOR_ERROR_BASE` is 0). */
export const VECTOR_SUB_STATUS = {
  INDEX_OUT_OF_BOUNDS: 1,
  POP_EMPTY_VEC: 2,
  VEC_UNPACK_PARITY_MISMATCH: 3,
} as const;

/** Caller mistake: unknown module/function, bad visibility, argument mismatch, bad type tag. */
export class MoveCallError extends Error {
  override readonly name = 'MoveCallError';
}

/** Module bytes or linkage problems (missing dependency, unknown datatype). */
export class MoveLinkError extends Error {
  override readonly name = 'MoveLinkError';
}
