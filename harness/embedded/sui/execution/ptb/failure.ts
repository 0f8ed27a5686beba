/** Maps VM and limit errors to Sui execution failures (kind, abort location, size details). */
import { type ErrorDetails, ExecutionErrorKind, ExecutionFailure, MoveAbort } from '../errors.ts';
import { MoveAbortError, MoveCallError, MoveExecutionError, MoveLinkError } from '../../../movevm/index.ts';
import { LimitError } from '../limits.ts';

export function linkError(message: string): ExecutionFailure {
  return new ExecutionFailure(ExecutionErrorKind.VM_VERIFICATION_OR_DESERIALIZATION_ERROR, message);
}

export function toFailure(
  error: unknown,
  fallback = ExecutionErrorKind.VM_INVARIANT_VIOLATION,
): ExecutionFailure {
  if (error instanceof ExecutionFailure) return error;
  if (error instanceof MoveAbort) {
    return abortFailure(
      error.code,
      error.location.package,
      error.location.module,
      error.location.functionName ?? '',
      error.location.function,
      error.location.instruction,
    );
  }
  if (error instanceof MoveAbortError) {
    const [pkg, mod] = splitModuleId(error.location.module);
    return abortFailure(error.code, pkg, mod, error.location.function, -1, error.location.offset);
  }
  if (error instanceof MoveExecutionError) {
    const kind =
      error.kind === 'OUT_OF_GAS'
        ? ExecutionErrorKind.INSUFFICIENT_GAS
        : ExecutionErrorKind.MOVE_PRIMITIVE_RUNTIME_ERROR;
    const loc = error.location;
    const details: ErrorDetails = loc
      ? { oneofKind: 'abort', abort: { location: locationOf(loc.module, loc.function, -1, loc.offset) } }
      : { oneofKind: undefined };
    return new ExecutionFailure(
      kind,
      error.message,
      kind === ExecutionErrorKind.INSUFFICIENT_GAS ? { oneofKind: undefined } : details,
    );
  }
  if (error instanceof MoveCallError)
    return new ExecutionFailure(ExecutionErrorKind.FUNCTION_NOT_FOUND, error.message);
  if (error instanceof MoveLinkError)
    return new ExecutionFailure(ExecutionErrorKind.VM_VERIFICATION_OR_DESERIALIZATION_ERROR, error.message);
  if (error instanceof LimitError) {
    const kind =
      error.limit === 'max_move_object_size'
        ? ExecutionErrorKind.OBJECT_TOO_BIG
        : ExecutionErrorKind.EFFECTS_TOO_LARGE;
    return new ExecutionFailure(kind, error.message, {
      oneofKind: 'sizeError',
      sizeError: { size: BigInt(error.size), maxSize: BigInt(error.max) },
    });
  }
  return new ExecutionFailure(fallback, (error as Error)?.message ?? String(error));
}

function splitModuleId(moduleId: string): [string, string] {
  const i = moduleId.lastIndexOf('::');
  return [moduleId.slice(0, i), moduleId.slice(i + 2)];
}

/** Function index is looked up by the executor (it knows the modules); -1 = unknown here. */
function locationOf(moduleId: string, functionName: string, fn: number, instruction: number) {
  const [pkg, mod] = splitModuleId(moduleId);
  return { package: pkg, module: mod, functionName, function: fn < 0 ? undefined : fn, instruction };
}

function abortFailure(
  code: bigint,
  pkg: string,
  mod: string,
  functionName: string,
  fn: number,
  instruction: number,
): ExecutionFailure {
  const where = `${pkg}::${mod}::${functionName}`;
  return new ExecutionFailure(
    ExecutionErrorKind.MOVE_ABORT,
    `Move abort ${code} in ${where} (instruction ${instruction})`,
    {
      oneofKind: 'abort',
      abort: {
        abortCode: code,
        location: { package: pkg, module: mod, functionName, function: fn < 0 ? undefined : fn, instruction },
      },
    },
  );
}
