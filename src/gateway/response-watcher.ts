/**
 * Waits for stored responses. One SubscribeEvents stream on the package's
 * K8sAPIResponse type serves every pending request (matched by request id);
 * each waiter also polls its Request object as a fallback, so a dropped or
 * missing event stream only costs latency, never an answer.
 */
import type { SuiGrpcClient } from '@mysten/sui/grpc';
import {
  K8S_RESPONSE_EVENT,
  K8sAPIResponseBcs,
  RequestBcs,
  RequestState,
  type RequestObject,
} from '../contract/index.ts';
import { subscribeEvents } from '../shared/sui-events.ts';
import { backoffDelay } from '../shared/retry.ts';
import type { Logger } from '../shared/logger.ts';

export class ResponseTimeout extends Error {
  override name = 'ResponseTimeout';
}

interface Waiter {
  resolve: () => void;
}

export interface ResponseWatcherOptions {
  client: SuiGrpcClient;
  packageId: string;
  clusterId: string;
  logger: Logger;
  /** Object-polling fallback interval (ms) while the event stream is down. Default 400. */
  pollIntervalMs?: number;
  /**
   * Polling interval while the event stream is up (ms). Default 2,000: the stream delivers the
   * answer; polling only covers a stream that silently lost an event, and under load every
   * waiter polling at the short interval is a read per waiter per 400 ms the node must serve.
   */
  streamingPollIntervalMs?: number;
  /** Use the event stream (default true); false = polling only. */
  useEvents?: boolean;
}

export class ResponseWatcher {
  private readonly waiters = new Map<string, Set<Waiter>>();
  /** responses seen before anyone waited for them (request id → time), kept briefly */
  private readonly early = new Map<string, number>();
  private readonly abort = new AbortController();
  private streamUp = false;
  private loop?: Promise<void>;

  constructor(private readonly opts: ResponseWatcherOptions) {}

  get streaming(): boolean {
    return this.streamUp;
  }

  start(): void {
    if (this.opts.useEvents === false || this.loop) return;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    // A wedged transport may not honour the abort; do not let it block shutdown.
    await Promise.race([this.loop?.catch(() => undefined), new Promise((r) => setTimeout(r, 1_000).unref())]);
  }

  private async run(): Promise<void> {
    const type = K8S_RESPONSE_EVENT(this.opts.packageId);
    let failures = 0;
    while (!this.abort.signal.aborted) {
      try {
        for await (const frame of subscribeEvents(this.opts.client, type, this.abort.signal)) {
          this.streamUp = true;
          failures = 0;
          if (!frame.event) continue;
          let ev;
          try {
            ev = K8sAPIResponseBcs.parse(frame.event.bcs);
          } catch {
            continue;
          }
          if (ev.cluster_id !== this.opts.clusterId) continue;
          this.notify(ev.request_id);
        }
      } catch (e) {
        if (this.abort.signal.aborted) break;
        this.opts.logger.warn(
          { err: (e as Error).message },
          'response event stream failed; object polling covers the gap',
        );
      }
      this.streamUp = false;
      if (this.abort.signal.aborted) break;
      await new Promise((r) => setTimeout(r, backoffDelay(failures++, 200, 5_000) + 50));
    }
  }

  private notify(requestId: string): void {
    const set = this.waiters.get(requestId);
    if (set) for (const w of set) w.resolve();
    else {
      this.early.set(requestId, Date.now());
      if (this.early.size > 5_000)
        for (const [k, t] of this.early)
          if (Date.now() - t > 60_000 || this.early.size > 5_000) this.early.delete(k);
    }
  }

  /** Fetch and decode the Request object. */
  async readRequest(objectId: string): Promise<RequestObject> {
    const { object } = await this.opts.client.getObject({ objectId, include: { content: true } });
    return RequestBcs.parse(object.content);
  }

  /**
   * Resolve with the answered Request object, or throw ResponseTimeout.
   * Register with `prepare(requestId)` BEFORE submitting so no event is missed.
   */
  prepare(requestId: string): {
    wait: (objectId: string, timeoutMs: number) => Promise<RequestObject>;
    cancel: () => void;
  } {
    let signalled = this.early.delete(requestId);
    let wake: (() => void) | undefined;
    const waiter: Waiter = {
      resolve: () => {
        signalled = true;
        wake?.();
      },
    };
    let set = this.waiters.get(requestId);
    if (!set) this.waiters.set(requestId, (set = new Set()));
    set.add(waiter);
    const cancel = () => {
      set.delete(waiter);
      if (set.size === 0) this.waiters.delete(requestId);
    };
    const wait = async (objectId: string, timeoutMs: number): Promise<RequestObject> => {
      const deadline = Date.now() + timeoutMs;
      const poll = () =>
        this.streamUp
          ? Math.max(this.opts.pollIntervalMs ?? 400, this.opts.streamingPollIntervalMs ?? 2_000)
          : (this.opts.pollIntervalMs ?? 400);
      try {
        for (;;) {
          if (signalled) {
            const obj = await this.readRequest(objectId);
            if (obj.state === RequestState.Answered) return obj;
            signalled = false; // event raced ahead of our read replica; keep polling
          }
          const left = deadline - Date.now();
          if (left <= 0) throw new ResponseTimeout(`no response stored within ${timeoutMs} ms`);
          await new Promise<void>((r) => {
            const t = setTimeout(r, Math.min(poll(), left));
            wake = () => {
              clearTimeout(t);
              r();
            };
          });
          wake = undefined;
          if (!signalled) {
            // Fallback poll: the event may have been missed (stream down or lagging).
            const obj = await this.readRequest(objectId).catch(() => undefined);
            if (obj?.state === RequestState.Answered) return obj;
          }
        }
      } finally {
        cancel();
      }
    };
    return { wait, cancel };
  }
}
