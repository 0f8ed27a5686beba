/**
 * Abort codes of k8s_gateway → Kubernetes Status, and extraction of a Move
 * abort from whatever a failed Sui transaction gives back: the structured
 * `ExecutionError` of @mysten/sui 2.x (`$kind: 'MoveAbort'`), a transaction
 * result or status wrapping it, or error text (the SDK's formatted message,
 * or the node's raw `MoveAbort(MoveLocation { … }, N)` string).
 */
import { ABORTS } from './aborts.generated.ts';
import { MODULE, type AbortInfo } from './types.ts';

export { ABORTS };

/** The abort table entry for a code (shape of the gateway's AbortLookup). */
export function lookupAbort(code: number): AbortInfo | undefined {
  return Object.prototype.hasOwnProperty.call(ABORTS, code) ? ABORTS[code] : undefined;
}

export function abortByName(name: string): AbortInfo | undefined {
  return Object.values(ABORTS).find((a) => a.name === name);
}

/** A Kubernetes `Status` object (meta/v1) for a failure. */
export interface KubernetesStatus {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure';
  message: string;
  reason: string;
  code: number;
  details?: { causes: { reason: string; message: string }[] };
}

/** Kubernetes Status for an abort code of k8s_gateway; unknown codes become 500 InternalError. */
export function abortToStatus(code: number, detail?: string): KubernetesStatus {
  const info = lookupAbort(code);
  const suffix = detail ? `: ${detail}` : '';
  if (!info) {
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: `the contract aborted with unknown code ${code}${suffix}`,
      reason: 'InternalError',
      code: 500,
    };
  }
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: `${info.message}${suffix}`,
    reason: info.reason,
    code: info.httpStatus,
    details: { causes: [{ reason: info.name, message: info.message }] },
  };
}

/** A Move abort as found in a failed transaction. */
export interface MoveAbortLocation {
  code: number;
  /** Package address (0x…), when known. */
  package?: string;
  module?: string;
  functionName?: string;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

function toCode(v: unknown): number | undefined {
  const n =
    typeof v === 'string' && /^\d+$/.test(v)
      ? Number(v)
      : typeof v === 'number' || typeof v === 'bigint'
        ? Number(v)
        : NaN;
  return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

// "MoveAbort in 1st command, abort code: 6, in '0xabc::k8s_gateway::execute_kubectl_command_with_id' (instruction 12)"
const SDK_MESSAGE = /MoveAbort\b[^]*?abort code: (\d+)(?:, in '(0x[0-9a-fA-F]+)::(\w+)(?:::(\w+))?')?/;
// "MoveAbort(MoveLocation { module: ModuleId { address: 0abc…, name: Identifier(\"k8s_gateway\") }, function: 12, instruction: 45, function_name: Some(\"claim_request\") }, 16) in command 0"
const NODE_MESSAGE =
  /MoveAbort\(MoveLocation \{ module: ModuleId \{ address: (?:0x)?([0-9a-fA-F]+), name: Identifier\("(\w+)"\) \}, function: \d+, instruction: \d+, function_name: (?:Some\("(\w+)"\)|None) \}, (\d+)\)/;

function fromText(text: string): MoveAbortLocation | undefined {
  const node = NODE_MESSAGE.exec(text);
  if (node?.[1] && node[2] && node[4]) {
    const code = toCode(node[4]);
    if (code === undefined) return undefined;
    return {
      code,
      package: `0x${node[1].toLowerCase()}`,
      module: node[2],
      ...(node[3] ? { functionName: node[3] } : {}),
    };
  }
  const sdk = SDK_MESSAGE.exec(text);
  if (sdk?.[1]) {
    const code = toCode(sdk[1]);
    if (code === undefined) return undefined;
    return {
      code,
      ...(sdk[2] ? { package: sdk[2].toLowerCase() } : {}),
      ...(sdk[3] ? { module: sdk[3] } : {}),
      ...(sdk[4] ? { functionName: sdk[4] } : {}),
    };
  }
  return undefined;
}

/**
 * Find a Move abort in a failed transaction's error. Accepts an
 * `ExecutionError`, an `ExecutionStatus`, a transaction result
 * (`{ $kind: 'FailedTransaction', FailedTransaction: { status } }`), an
 * `Error` (a SimulationError's `executionError`, then message, then cause)
 * or plain text. Returns undefined when the
 * failure is not a Move abort.
 */
export function parseMoveAbort(error: unknown, depth = 0): MoveAbortLocation | undefined {
  if (depth > 5 || error === null || error === undefined) return undefined;
  if (typeof error === 'string') return fromText(error);
  if (error instanceof Error) {
    // SimulationError (dry run) carries the structured ExecutionError; prefer it over the text.
    const structured = parseMoveAbort((error as { executionError?: unknown }).executionError, depth + 1);
    return (
      structured ?? fromText(error.message) ?? parseMoveAbort((error as { cause?: unknown }).cause, depth + 1)
    );
  }
  if (!isRecord(error)) return undefined;
  const abort = error.MoveAbort;
  if (isRecord(abort)) {
    const code = toCode(abort.abortCode);
    if (code !== undefined) {
      const loc = isRecord(abort.location) ? abort.location : {};
      return {
        code,
        ...(typeof loc.package === 'string' ? { package: loc.package } : {}),
        ...(typeof loc.module === 'string' ? { module: loc.module } : {}),
        ...(typeof loc.functionName === 'string' ? { functionName: loc.functionName } : {}),
      };
    }
  }
  for (const key of ['FailedTransaction', 'Transaction', 'status', 'error', 'executionError', 'effects']) {
    const found = parseMoveAbort(error[key], depth + 1);
    if (found) return found;
  }
  return typeof error.message === 'string' ? fromText(error.message) : undefined;
}

/**
 * The abort table entry when the failure is an abort of our module (any
 * package, or only `packageId` when given); undefined otherwise.
 */
export function contractAbort(
  error: unknown,
  options: { packageId?: string; module?: string } = {},
): (AbortInfo & { functionName?: string }) | undefined {
  const abort = parseMoveAbort(error);
  if (!abort) return undefined;
  if (abort.module !== undefined && abort.module !== (options.module ?? MODULE)) return undefined;
  if (options.packageId && abort.package && normalize(abort.package) !== normalize(options.packageId))
    return undefined;
  const info = lookupAbort(abort.code);
  return info ? { ...info, ...(abort.functionName ? { functionName: abort.functionName } : {}) } : undefined;
}

function normalize(address: string): string {
  return address.toLowerCase().replace(/^0x/, '').padStart(64, '0');
}
