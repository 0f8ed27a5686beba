/**
 * Waits for answers. One SubscribeEvents stream on the package's
 * K8sAPIResponse type serves every pending request (matched by Request
 * object id; the event carries the body); each waiter also polls its Request
 * object as a fallback and then reads the event from the answering
 * transaction, so a dropped or missing event stream only costs latency,
 * never an answer.
 */
import type { SuiGrpcClient } from '@mysten/sui/grpc';
import {
  K8S_RESPONSE_EVENT,
  K8sAPIResponseBcs,
  RequestBcs,
  RequestState,
  type K8sAPIResponseEvent,
  type RequestObject,
} from '../contract/index.ts';
import { AnswerReader } from './answer-reader.ts';
import { subscribeEvents } from '../sui/events.ts';
import { backoffDelay } from '../shared/retry.ts';
import type { Logger } from '../shared/logger.ts';

export class ResponseTimeout extends Error {
  override name = 'ResponseTimeout';
}

interface Waiter {
  resolve: (ev: K8sAPIResponseEvent) => void;
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
  /** Reads answers from transactions (share the gateway's, for its caches). */
  answers?: AnswerReader;
  /** Use the event stream (default true); false = polling only. */
  useEvents?: boolean;
}

export class ResponseWatcher {
  /** pending requests by Request object id */
  private readonly waiters = new Map<string, Set<Waiter>>();
  /** answers seen before anyone waited for them (object id → event and arrival time), kept briefly */
  private readonly early = new Map<string, { ev: K8sAPIResponseEvent; at: number }>();
  /** Requests prepared but not yet waited on or cancelled. */
  private pending = 0;
  private readonly abort = new AbortController();
  private streamUp = false;
  private loop?: Promise<void>;

  private readonly reader: AnswerReader;

  constructor(private readonly opts: ResponseWatcherOptions) {
    this.reader = opts.answers ?? new AnswerReader(opts.client, opts.clusterId);
  }

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
          this.notify(ev);
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

  private notify(ev: K8sAPIResponseEvent): void {
    const set = this.waiters.get(ev.request_object_id);
    if (set) for (const w of set) w.resolve(ev);
    else if (this.pending > 0) {
      // The transaction that created the request may not have returned its object id yet.
      this.early.set(ev.request_object_id, { ev, at: Date.now() });
      if (this.early.size > 1_000)
        for (const [k, e] of this.early)
          if (Date.now() - e.at > 60_000 || this.early.size > 1_000) this.early.delete(k);
    }
  }

  /** Fetch and decode the Request object. */
  async readRequest(objectId: string): Promise<RequestObject> {
    const { object } = await this.opts.client.getObject({ objectId, include: { content: true } });
    return RequestBcs.parse(object.content);
  }

  /**
   * Register BEFORE submitting the request's transaction so no event is
   * missed; then `wait(objectId)` resolves with its K8sAPIResponse event or
   * throws ResponseTimeout. Always `cancel()` (a finished wait cancels itself).
   */
  prepare(): {
    wait: (objectId: string, timeoutMs: number) => Promise<K8sAPIResponseEvent>;
    cancel: () => void;
  } {
    this.pending++;
    let cancelled = false;
    let registered: { id: string; set: Set<Waiter>; waiter: Waiter } | undefined;
    const cancel = () => {
      if (cancelled) return;
      cancelled = true;
      this.pending--;
      if (registered) {
        registered.set.delete(registered.waiter);
        if (registered.set.size === 0) this.waiters.delete(registered.id);
      }
    };
    const wait = async (objectId: string, timeoutMs: number): Promise<K8sAPIResponseEvent> => {
      const deadline = Date.now() + timeoutMs;
      let answer: K8sAPIResponseEvent | undefined = this.early.get(objectId)?.ev;
      this.early.delete(objectId);
      let wake: (() => void) | undefined;
      const waiter: Waiter = {
        resolve: (ev) => {
          answer = ev;
          wake?.();
        },
      };
      let set = this.waiters.get(objectId);
      if (!set) this.waiters.set(objectId, (set = new Set()));
      set.add(waiter);
      registered = { id: objectId, set, waiter };
      const poll = () =>
        this.streamUp
          ? Math.max(this.opts.pollIntervalMs ?? 400, this.opts.streamingPollIntervalMs ?? 2_000)
          : (this.opts.pollIntervalMs ?? 400);
      try {
        for (;;) {
          if (answer) return answer;
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
          // Fallback poll: the event may have been missed (stream down or lagging).
          if (!answer) answer = await this.answerFromObject(objectId).catch(() => undefined);
        }
      } finally {
        cancel();
      }
    };
    return { wait, cancel };
  }

  /** The answer of an answered Request, read from the transaction that stored it. */
  private async answerFromObject(objectId: string): Promise<K8sAPIResponseEvent | undefined> {
    const obj = await this.readRequest(objectId);
    if (obj.state !== RequestState.Answered) return undefined;
    return this.reader.responseEventIn(AnswerReader.digestOf(obj.answer_tx_digest), objectId);
  }
}
