/**
 * Retries with exponential backoff and full jitter. Only errors the caller
 * classifies as transient are retried; everything else surfaces at once.
 */
export interface RetryOptions {
  retries: number;
  /** first delay in ms */
  baseMs: number;
  maxMs: number;
  isRetryable: (error: unknown) => boolean;
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
  signal?: AbortSignal;
  /** injectable for tests */
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export function backoffDelay(
  attempt: number,
  baseMs: number,
  maxMs: number,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** attempt);
  return Math.floor(random() * ceiling);
}

export async function withRetry<T>(fn: (attempt: number) => Promise<T>, opts: RetryOptions): Promise<T> {
  const sleep = opts.sleep ?? defaultSleep;
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      if (attempt >= opts.retries || !opts.isRetryable(error) || opts.signal?.aborted) throw error;
      const delay = backoffDelay(attempt, opts.baseMs, opts.maxMs, opts.random);
      opts.onRetry?.(error, attempt + 1, delay);
      await sleep(delay);
    }
  }
}

/** Network-level failures worth retrying: connection refused/reset, timeouts, 5xx-ish gRPC codes. */
export function isTransientNetworkError(error: unknown): boolean {
  const e = error as { code?: unknown; name?: string; message?: string; cause?: unknown };
  const text = `${e?.name ?? ''} ${String(e?.code ?? '')} ${e?.message ?? ''}`;
  if (
    /ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|EAI_AGAIN|socket hang up|fetch failed|network|UNAVAILABLE|DEADLINE_EXCEEDED|RESOURCE_EXHAUSTED|INTERNAL|ABORTED|timed? ?out|503|502|504/i.test(
      text,
    )
  )
    return true;
  if (e?.cause && e.cause !== error) return isTransientNetworkError(e.cause);
  return false;
}
