/**
 * Failed transaction → Kubernetes Status. Move aborts from the k8s_gateway
 * module are looked up in the contract's generated abort table; the message
 * names the failed check and carries the transaction digest so the user can
 * find it on chain.
 */
import type { SuiClientTypes } from '@mysten/sui/client';
import { failureStatus, type K8sStatus } from '../shared/k8s-status.ts';

export interface AbortInfo {
  name: string;
  httpStatus: number;
  reason: string;
  message: string;
}

export type AbortLookup = (code: number) => AbortInfo | undefined;

export interface AbortContext {
  digest: string;
  /** The module whose aborts the table describes (e.g. "k8s_gateway"). */
  module: string;
  /** Extra, request-specific detail (e.g. the structured request that was denied). */
  detail?: string;
}

export function statusForExecutionError(error: SuiClientTypes.ExecutionError, lookup: AbortLookup, ctx: AbortContext): K8sStatus {
  const tx = `(transaction ${ctx.digest})`;
  if (error.$kind === 'MoveAbort') {
    const abort = error.MoveAbort;
    const code = Number(abort.abortCode);
    const fromOurModule = !abort.location?.module || abort.location.module === ctx.module;
    const info = fromOurModule && Number.isSafeInteger(code) ? lookup(code) : undefined;
    if (info) {
      const detail = ctx.detail ? `: ${ctx.detail}` : '';
      return failureStatus(info.httpStatus, `${info.message} [${info.name}]${detail} ${tx}`, info.reason);
    }
    const where = abort.location ? `${abort.location.module ?? '?'}::${abort.location.functionName ?? abort.location.function ?? '?'}` : 'unknown location';
    return failureStatus(500, `contract aborted with code ${abort.abortCode} in ${where} ${tx}`);
  }
  if (error.$kind === 'SizeError') {
    return failureStatus(413, `transaction too large for the chain (${error.SizeError.name}: ${error.SizeError.size} > ${error.SizeError.maxSize}) ${tx}`);
  }
  return failureStatus(500, `transaction failed: ${error.message} ${tx}`);
}
