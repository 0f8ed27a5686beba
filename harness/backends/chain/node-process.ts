import { BackendNotReadyError } from '../errors.ts';
import { startManagedProcess, type ManagedProcess, type StartProcessOptions } from '../process.ts';
import { checkProductRpcs, waitForSuiNetwork } from '../readiness.ts';

/**
 * Starts a Sui node as a child process and waits until its gRPC (and faucet, when given)
 * answers; stops it and explains with its last log lines when it does not.
 */
export async function startSuiNodeProcess(
  opts: StartProcessOptions & {
    /** Name in the not-ready error, e.g. "localnet (sui start)". */
    piece: string;
    url: string;
    faucetUrl?: string;
    readyTimeoutMs: number;
    intervalMs: number;
  },
): Promise<ManagedProcess> {
  const proc = startManagedProcess(opts);
  try {
    await waitForSuiNetwork(opts.url, opts.faucetUrl, {
      timeoutMs: opts.readyTimeoutMs,
      intervalMs: opts.intervalMs,
      shouldAbort: () => {
        const r = proc.exitReason();
        return r ? `\`${opts.name}\` ${r}` : undefined;
      },
    });
    // Answering is not enough: the product needs its event RPCs (or the checkpoint fallback).
    await checkProductRpcs(opts.url);
  } catch (err) {
    await proc.stop();
    throw new BackendNotReadyError(opts.piece, (err as Error).message, proc.logs.text(30));
  }
  return proc;
}
