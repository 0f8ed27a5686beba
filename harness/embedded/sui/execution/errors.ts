/** Errors of transaction processing: rejections (no effects) and execution failures (effects with failure status). */
import { GrpcTypes } from '@mysten/sui/grpc';
import { GrpcCode } from '../grpc-web/status.ts';

const Kind = GrpcTypes.ExecutionError_ExecutionErrorKind;
export { Kind as ExecutionErrorKind };
export const ArgErrorKind = GrpcTypes.CommandArgumentError_CommandArgumentErrorKind;

/** The transaction is refused before execution: no effects, nothing charged. */
export class TransactionRejected extends Error {
  constructor(
    message: string,
    readonly code: GrpcCode = GrpcCode.INVALID_ARGUMENT,
  ) {
    super(message);
    this.name = 'TransactionRejected';
  }
}

export type ErrorDetails = GrpcTypes.ExecutionError['errorDetails'];

/** Execution failed: effects record the failure, only gas is charged. */
export class ExecutionFailure extends Error {
  constructor(
    readonly kind: GrpcTypes.ExecutionError_ExecutionErrorKind,
    message: string,
    readonly details: ErrorDetails = { oneofKind: undefined },
    public command?: number,
  ) {
    super(message);
    this.name = 'ExecutionFailure';
  }
}

export function argError(
  kind: GrpcTypes.CommandArgumentError_CommandArgumentErrorKind,
  argument: number,
  message: string,
): ExecutionFailure {
  return new ExecutionFailure(Kind.COMMAND_ARGUMENT_ERROR, message, {
    oneofKind: 'commandArgumentError',
    commandArgumentError: { argument, kind },
  });
}

/** A Move abort raised by the VM, with its location. */
export class MoveAbort extends Error {
  constructor(
    readonly code: bigint,
    readonly location: {
      package: string;
      module: string;
      function: number;
      instruction: number;
      functionName?: string;
    },
  ) {
    super(
      `Move abort ${code} in ${location.package}::${location.module}::${location.functionName ?? location.function}`,
    );
    this.name = 'MoveAbort';
  }
}
