/**
 * Where request events come from: a live tail (SubscribeEvents) plus a backfill (ListEvents from
 * the persisted cursor), re-opened with a fresh backfill whenever the stream errors, ends or
 * stalls (no frame within `stallMs`). Without the subscription it polls the backfill.
 */
import type { Logger } from '../shared/logger.ts';
import { backoffDelay } from '../shared/retry.ts';
import type { EventFrame } from '../sui/events.ts';
import type { ListenerChain } from './listener-chain.ts';
import type { ListenerMetrics } from './metrics.ts';

export type FrameSource = 'stream' | 'backfill';

export interface EventSourceOptions {
  chain: Pick<ListenerChain, 'requestEventsAfter' | 'subscribeRequestEvents'>;
  /** the cursor to backfill from, read at every (re)connect */
  cursor: () => Uint8Array | undefined;
  onFrame: (frame: EventFrame, source: FrameSource) => Promise<void>;
  metrics: Pick<ListenerMetrics, 'reconnects' | 'failures'>;
  logger: Logger;
  /** Re-open the stream when no frame arrived for this long (ms). Default 15 s. */
  stallMs?: number;
  /** false = poll the backfill only. Default true. */
  useSubscription?: boolean;
  /** Backfill polling interval without the subscription (ms). Default 500. */
  pollMs?: number;
}

class StallError extends Error {
  override name = 'StallError';
}

export class EventSource {
  /** wall time of the last live frame (or of the last (re)connect) */
  lastFrameAt = Date.now();
  /** a live frame arrived on the current stream */
  streamUp = false;
  private wake?: () => void;

  constructor(private readonly o: EventSourceOptions) {}

  /** Runs until `signal` aborts. */
  async run(signal: AbortSignal): Promise<void> {
    const onStop = () => this.wake?.();
    signal.addEventListener('abort', onStop, { once: true });
    let failures = 0;
    try {
      while (!signal.aborted) {
        const attempt = new AbortController();
        const stopAttempt = () => attempt.abort();
        signal.addEventListener('abort', stopAttempt, { once: true });
        try {
          if (this.o.useSubscription === false) {
            await this.backfill(attempt.signal);
            await this.sleep(this.o.pollMs ?? 500, signal);
            continue;
          }
          // Subscribe first, then backfill: anything emitted in between is seen by one of them (duplicates are dropped).
          const tail = this.tail(attempt.signal);
          tail.catch(() => undefined); // observed below; avoid an unhandled rejection while backfill runs
          await this.backfill(attempt.signal);
          await tail;
          failures = 0;
        } catch (e) {
          if (signal.aborted) break;
          const cause = e instanceof StallError ? 'stall' : 'error';
          this.o.metrics.reconnects.labels(cause).inc();
          if (cause === 'error') this.o.metrics.failures.labels('stream').inc();
          this.o.logger.warn(
            { err: (e as Error).message, cause },
            'event stream interrupted; reconnecting with backfill',
          );
          await this.sleep(backoffDelay(failures++, 200, 5_000) + 50, signal);
        } finally {
          attempt.abort();
          signal.removeEventListener('abort', stopAttempt);
          this.streamUp = false;
        }
      }
    } finally {
      signal.removeEventListener('abort', onStop);
    }
  }

  private async backfill(signal: AbortSignal): Promise<void> {
    for await (const frame of this.o.chain.requestEventsAfter(this.o.cursor(), signal)) {
      await this.o.onFrame(frame, 'backfill');
    }
  }

  private async tail(signal: AbortSignal): Promise<void> {
    const stall = this.o.stallMs ?? 15_000;
    this.lastFrameAt = Date.now();
    const stalled = new AbortController();
    const watchdog = setInterval(
      () => {
        if (Date.now() - this.lastFrameAt > stall) stalled.abort();
      },
      Math.min(1_000, stall / 2),
    );
    const both = AbortSignal.any([signal, stalled.signal]);
    const stallError = () => new StallError(`no event-stream progress for ${stall} ms`);
    const isStall = () => stalled.signal.aborted && !signal.aborted;
    // A stalled transport may ignore the abort; racing it guarantees we move on.
    const gaveUp = new Promise<never>((_, reject) => {
      const fail = () => reject(isStall() ? stallError() : new Error('event stream stopped'));
      if (both.aborted) fail();
      else both.addEventListener('abort', fail, { once: true });
    });
    gaveUp.catch(() => undefined);
    const consume = (async () => {
      for await (const frame of this.o.chain.subscribeRequestEvents(both)) {
        if (both.aborted) break;
        this.streamUp = true;
        this.lastFrameAt = Date.now();
        await this.o.onFrame(frame, 'stream');
      }
    })();
    consume.catch(() => undefined);
    try {
      await Promise.race([consume, gaveUp]);
    } catch (e) {
      if (isStall()) throw stallError();
      throw e;
    } finally {
      clearInterval(watchdog);
    }
    if (isStall()) throw stallError();
    if (!signal.aborted) throw new Error('event stream ended');
  }

  private sleep(ms: number, signal: AbortSignal): Promise<void> {
    if (signal.aborted) return Promise.resolve();
    return new Promise((r) => {
      const t = setTimeout(r, ms);
      this.wake = () => {
        clearTimeout(t);
        r();
      };
    });
  }
}
