/**
 * The Nautilus listener: turns K8sAPIRequest events into Kubernetes calls
 * and stores the answers on chain.
 *
 * Sources of work: backfill (ListEvents from the persisted cursor), live
 * tail (SubscribeEvents; a stalled stream — no frame within `stallMs` — is
 * dropped and re-opened with a fresh backfill), and a periodic reconcile of
 * requests still open (claimed by a listener that died, answered by nobody).
 *
 * Exactly once: writes are claimed on chain before they run; a local journal
 * records "executing" before and the answer after the Kubernetes call, so a
 * restart stores the recorded answer rather than executing again. Reads
 * (get/list/discovery) take a fast path: execute, then claim+store in one
 * transaction (a lost race costs nothing but a wasted read).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SuiGrpcClient } from '@mysten/sui/grpc';
import {
  ClusterBcs,
  K8S_REQUEST_EVENT,
  K8sAPIRequestBcs,
  RequestBcs,
  RequestClaimedBcs,
  RequestState,
  claimRequest,
  appendResponseChunks,
  storeK8sResponse,
  planResponseUpload,
  decodeBody,
  answerIntentBytes,
  READ_VERBS as CONTRACT_READ_VERBS,
  type AnsweredRequest,
  type RequestObject,
} from '../contract/index.ts';
import type { AnswerSigner } from './answer-signer.ts';
import { ensureExecutor } from './executor-registration.ts';
import type { Logger } from '../shared/logger.ts';
import type { K8sRequestFields } from '../shared/k8s-request.ts';
import { RequestRefused } from '../shared/k8s-request.ts';
import { failureStatus } from '../shared/k8s-status.ts';
import { discoveryPath, isDiscoveryFields } from '../shared/discovery-fields.ts';
import { mediaHeaders, watchAccept } from '../shared/media.ts';
import { listEventsAfter, structName, subscribeEvents, type EventFrame } from '../shared/sui-events.ts';
import { Semaphore } from '../shared/keyed-mutex.ts';
import { TraceStore, type TraceRecord, hopDurations } from '../shared/trace.ts';
import { backoffDelay } from '../shared/retry.ts';
import type { TxRunner } from '../shared/tx-runner.ts';
import { describeFailure } from '../shared/tx-runner.ts';
import { rebuildUrl } from './url-rebuilder.ts';
import { TxBatcher } from './tx-batcher.ts';
import type { Transaction } from '@mysten/sui/transactions';
import { fromBase58 } from '@mysten/sui/utils';
import type { K8sAnswer, K8sExecutor } from './k8s-executor.ts';
import type { StateStore } from './state-store.ts';
import { ListenerMetrics } from './metrics.ts';

export interface ListenerOptions {
  client: SuiGrpcClient;
  packageId: string;
  clusterId: string;
  runner: TxRunner;
  k8s: K8sExecutor;
  state: StateStore;
  logger: Logger;
  concurrency?: number;
  /**
   * Watches: each request answers with the events of one window (ms; default
   * DEFAULT_WATCH_WINDOW), and `concurrency` of them run beside the other requests so that open
   * watches never hold up gets and writes (default 8).
   */
  watch?: { maxMs?: number; settleMs?: number; concurrency?: number };
  /** Re-open the event stream when no frame arrived for this long (ms). Default 15 s. */
  stallMs?: number;
  /** Re-check open requests this often (ms). Default 3 s. */
  reconcileMs?: number;
  /** The ed25519 key answers are signed with (registered with the Executor object). */
  answerSigner: AnswerSigner;
  /** Register as executor with this stake (MIST) at start if not registered yet (needs an admission). */
  registerStake?: bigint;
  /** Use the SubscribeEvents tail (default true); false = backfill polling only. */
  useSubscription?: boolean;
  /** Backfill polling interval when the subscription is off (ms). Default 500. */
  pollMs?: number;
  /** Host/port of the health + metrics endpoint; port undefined = no endpoint. */
  health?: { host?: string; port: number };
  /**
   * Work sharing among n listeners: this one takes requests whose object id
   * hashes to `index` at once and leaves the others to their owner, picking
   * them up only if they are still open at the next reconcile (owner dead or slow).
   */
  shard?: { index: number; count: number };
  /** Test hook: called at named points; throwing simulates a crash there. */
  faultHook?: (
    point: 'after-claim' | 'after-execute' | 'before-store',
    requestObjectId: string,
  ) => void | Promise<void>;
}

interface Work {
  objectId: string;
  fields?: RequestFields;
  /** chain timestamp of the request (ms), for the event-seen hop */
  chainTimestampMs?: number;
  source: 'stream' | 'backfill' | 'reconcile';
}

interface RequestFields extends K8sRequestFields {
  requestId: string;
  requester: string;
  contentType: string;
  accept: string;
  contentEncoding: string;
  payload?: Uint8Array;
  payloadDigest: Uint8Array;
  /** the request as an answer intent binds it */
  intent: AnsweredRequest;
  /** the request's chain time (ms): answers are signed no earlier */
  createdAtMs: number;
}

/**
 * How far behind local time an answer's signing time is put: the contract
 * refuses a time after its Clock, which trails wall time on a real network.
 */
const SIGNING_TIME_MARGIN_MS = 5_000;

/** Reads run before the claim (claimed and stored in one transaction); running one twice is harmless. */
const READ_VERBS: ReadonlySet<string> = new Set(CONTRACT_READ_VERBS);

/** A watch window's defaults: see K8sExecutor.watch. */
export const DEFAULT_WATCH_WINDOW = { maxMs: 10_000, settleMs: 250 };

/** Fee coins: merge once the executor holds this many coins, this many per transaction. */
const MERGE_COINS_AT = 100;
const MERGE_COINS_PER_TX = 200;

export class NautilusListener {
  readonly metrics = new ListenerMetrics();
  readonly traces = new TraceStore();
  private readonly sem: Semaphore;
  private readonly watchSem: Semaphore;
  private readonly batcher: TxBatcher;
  private readonly abort = new AbortController();
  private readonly seen = new Set<string>();
  private readonly seenOrder: string[] = [];
  /** Requests seen but not answered → the transaction that emitted their K8sAPIRequest, when known. */
  private readonly open = new Map<string, string | undefined>();
  private readonly active = new Set<string>();
  private maxResponseBytes = 240_000;
  private lastFrameAt = Date.now();
  private streamUp = false;
  private tasks: Promise<unknown>[] = [];
  private health?: Server;
  private kick?: () => void;
  /** Last balance seen: an executor without gas keeps seeing requests but can answer none. */
  private gasBalance?: bigint;
  /** This account's Executor object (set by start). */
  private executorId = '';

  constructor(private readonly opts: ListenerOptions) {
    this.sem = new Semaphore(opts.concurrency ?? 8);
    this.watchSem = new Semaphore(opts.watch?.concurrency ?? 8);
    this.batcher = new TxBatcher(opts.runner);
  }

  get address(): string {
    return this.opts.runner.address;
  }

  async start(): Promise<{ healthUrl?: string }> {
    await this.opts.state.init();
    for (const [id, digest] of this.opts.state.openRequests) this.open.set(id, digest);
    for (const id of await this.opts.state.journalIds()) if (!this.open.has(id)) this.open.set(id, undefined);
    await this.refreshConfig();
    const executor = await ensureExecutor(
      this.opts.client,
      this.opts.runner,
      {
        packageId: this.opts.packageId,
        clusterId: this.opts.clusterId,
        account: this.address,
        signingKey: this.opts.answerSigner.publicKey,
      },
      this.opts.registerStake,
    );
    this.executorId = executor.objectId;
    if (executor.registeredNow) this.opts.logger.info({ executorObjectId: this.executorId }, 'registered as executor');
    await this.checkGas();
    let healthUrl: string | undefined;
    if (this.opts.health) healthUrl = await this.startHealth(this.opts.health);
    this.tasks.push(this.eventLoop(), this.reconcileLoop());
    this.opts.logger.info(
      {
        executor: this.address,
        executorObjectId: this.executorId,
        cluster: this.opts.clusterId,
        k8s: this.opts.k8s.serverUrl,
        open: this.open.size,
      },
      'nautilus listener started',
    );
    return healthUrl ? { healthUrl } : {};
  }

  async stop(): Promise<void> {
    this.abort.abort();
    this.kick?.();
    await Promise.allSettled(this.tasks);
    await this.opts.state.flush().catch(() => undefined);
    if (this.health) {
      this.health.closeAllConnections();
      await new Promise<void>((r) => this.health!.close(() => r()));
    }
  }

  // ---- setup ----

  private async refreshConfig(): Promise<void> {
    const { object } = await this.opts.client.getObject({
      objectId: this.opts.clusterId,
      include: { content: true },
    });
    const cluster = ClusterBcs.parse(object.content);
    this.maxResponseBytes = Number(cluster.config.max_response_bytes);
  }

  /** This listener's Executor object id (after start). */
  get executorObjectId(): string {
    return this.executorId;
  }

  // ---- event sources ----

  private async eventLoop(): Promise<void> {
    const type = K8S_REQUEST_EVENT(this.opts.packageId);
    let failures = 0;
    while (!this.abort.signal.aborted) {
      const attempt = new AbortController();
      const onStop = () => attempt.abort();
      this.abort.signal.addEventListener('abort', onStop, { once: true });
      try {
        if (this.opts.useSubscription === false) {
          await this.backfill(type, attempt.signal);
          await this.sleep(this.opts.pollMs ?? 500);
          continue;
        }
        // Subscribe first, then backfill: anything emitted in between is seen by one of them (duplicates are dropped).
        const tail = this.tail(type, attempt.signal);
        tail.catch(() => undefined); // observed below; avoid an unhandled rejection while backfill runs
        await this.backfill(type, attempt.signal);
        await tail;
        failures = 0;
      } catch (e) {
        if (this.abort.signal.aborted) break;
        const cause = (e as Error).name === 'StallError' ? 'stall' : 'error';
        this.metrics.reconnects.labels(cause).inc();
        if (cause === 'error') this.metrics.failures.labels('stream').inc();
        this.opts.logger.warn(
          { err: (e as Error).message, cause },
          'event stream interrupted; reconnecting with backfill',
        );
        await this.sleep(backoffDelay(failures++, 200, 5_000) + 50);
      } finally {
        attempt.abort();
        this.abort.signal.removeEventListener('abort', onStop);
        this.streamUp = false;
      }
    }
  }

  private async backfill(type: string, signal: AbortSignal): Promise<void> {
    for await (const frame of listEventsAfter(this.opts.client, type, this.opts.state.cursorBytes, {
      signal,
    })) {
      await this.onFrame(frame, 'backfill');
    }
  }

  private async tail(type: string, signal: AbortSignal): Promise<void> {
    const stall = this.opts.stallMs ?? 15_000;
    this.lastFrameAt = Date.now();
    const watchdog = setInterval(
      () => {
        if (Date.now() - this.lastFrameAt > stall) stalled.abort();
      },
      Math.min(1_000, stall / 2),
    );
    const stalled = new AbortController();
    const both = AbortSignal.any([signal, stalled.signal]);
    const stallError = () =>
      Object.assign(new Error(`no event-stream progress for ${stall} ms`), { name: 'StallError' });
    // A stalled transport may ignore the abort; racing it guarantees we move on.
    const gaveUp = new Promise<never>((_, reject) => {
      const fail = () =>
        reject(stalled.signal.aborted && !signal.aborted ? stallError() : new Error('event stream stopped'));
      if (both.aborted) fail();
      else both.addEventListener('abort', fail, { once: true });
    });
    gaveUp.catch(() => undefined);
    const consume = (async () => {
      for await (const frame of subscribeEvents(this.opts.client, type, both)) {
        if (both.aborted) break;
        this.streamUp = true;
        this.lastFrameAt = Date.now();
        await this.onFrame(frame, 'stream');
      }
    })();
    consume.catch(() => undefined);
    try {
      await Promise.race([consume, gaveUp]);
    } catch (e) {
      if (stalled.signal.aborted && !signal.aborted) throw stallError();
      throw e;
    } finally {
      clearInterval(watchdog);
    }
    if (stalled.signal.aborted && !signal.aborted)
      throw Object.assign(new Error(`no event-stream progress for ${stall} ms`), { name: 'StallError' });
    if (!signal.aborted) throw new Error('event stream ended');
  }

  private async onFrame(frame: EventFrame, source: 'stream' | 'backfill'): Promise<void> {
    if (frame.event) {
      let ev;
      try {
        ev = K8sAPIRequestBcs.parse(frame.event.bcs);
      } catch {
        this.metrics.failures.labels('decode').inc();
        return;
      }
      if (ev.cluster_id === this.opts.clusterId && this.markSeen(ev.request_object_id)) {
        this.metrics.events.labels(source).inc();
        this.open.set(ev.request_object_id, frame.event.txDigest || undefined);
        if (!this.ownsShard(ev.request_object_id)) {
          this.deferred.set(ev.request_object_id, Date.now());
          return;
        }
        this.dispatch({
          objectId: ev.request_object_id,
          source,
          chainTimestampMs: Number(ev.timestamp_ms),
          fields: requestFieldsOf(ev),
        });
      }
    }
    if (frame.cursor) await this.opts.state.saveCursor(frame.cursor, frame.checkpoint, this.open);
  }

  /** requests of other shards: object id → when first seen */
  private readonly deferred = new Map<string, number>();

  private ownsShard(id: string): boolean {
    const sh = this.opts.shard;
    if (!sh || sh.count <= 1) return true;
    return Number(BigInt(id) % BigInt(sh.count)) === sh.index;
  }

  private markSeen(id: string): boolean {
    if (this.seen.has(id)) return false;
    this.seen.add(id);
    this.seenOrder.push(id);
    while (this.seenOrder.length > 20_000) this.seen.delete(this.seenOrder.shift()!);
    return true;
  }

  private async reconcileLoop(): Promise<void> {
    const every = this.opts.reconcileMs ?? 3_000;
    while (!this.abort.signal.aborted) {
      await this.sleep(every);
      if (this.abort.signal.aborted) break;
      this.metrics.open.set(this.open.size);
      for (const id of [...this.open.keys()]) {
        if (this.active.has(id)) continue;
        const deferredAt = this.deferred.get(id);
        // Another shard's request: give its owner one reconcile period before stepping in.
        if (deferredAt !== undefined && Date.now() - deferredAt < every) continue;
        this.deferred.delete(id);
        this.dispatch({ objectId: id, source: 'reconcile' });
      }
      await this.opts.state.saveOpen(this.open).catch(() => undefined);
      await this.checkGas();
      await this.mergeFeeCoins();
    }
  }

  /**
   * Every answered request's fee arrives as a Coin<SUI> of its own; left alone, an executor
   * collects one object per request. Past MERGE_COINS_AT coins, the smallest (Sui lists coins
   * largest first; the first, the gas coin, stays) are merged into the gas coin, at most
   * MERGE_COINS_PER_TX per transaction. A failure (a coin spent meanwhile) is retried next period.
   */
  private async mergeFeeCoins(): Promise<void> {
    if (this.gasProblem()) return; // the merge needs gas too; /healthz already says what to do
    let coins: string[];
    try {
      const page = await this.opts.client.core.listCoins({
        owner: this.address,
        limit: MERGE_COINS_PER_TX + 1,
      });
      if (page.objects.length < MERGE_COINS_AT) return;
      coins = page.objects.slice(1).map((c) => c.objectId);
    } catch {
      return; // the chain is unreachable: the stream and transaction errors already say so
    }
    try {
      const r = await this.opts.runner.run((tx) =>
        tx.mergeCoins(
          tx.gas,
          coins.map((id) => tx.object(id)),
        ),
      );
      if (!r.success) throw new Error(r.error ?? 'merge transaction failed');
      this.metrics.coinsMerged.inc(coins.length);
      this.opts.logger.info(
        { coins: coins.length, txDigest: r.digest },
        'merged fee coins into the gas coin',
      );
    } catch (e) {
      this.opts.logger.warn({ err: (e as Error).message }, 'could not merge fee coins; will retry');
    }
  }

  /** Reads the executor's SUI balance; says so loudly when it drops below one transaction's budget. */
  private async checkGas(): Promise<void> {
    let balance: bigint;
    try {
      const r = await this.opts.client.core.getBalance({ owner: this.address });
      balance = BigInt(r.balance.balance);
    } catch {
      return; // the chain is unreachable: the stream and transaction errors already say so
    }
    const wasLow = this.gasProblem() !== undefined;
    this.gasBalance = balance;
    this.metrics.gasBalance.set(Number(balance));
    const low = this.gasProblem();
    if (low && !wasLow) this.opts.logger.error({ balance: balance.toString() }, low);
    else if (!low && wasLow) this.opts.logger.info({ balance: balance.toString() }, 'executor has gas again');
  }

  private gasProblem(): string | undefined {
    const budget = this.opts.runner.gasBudget;
    if (this.gasBalance === undefined || this.gasBalance >= budget) return undefined;
    return `executor ${this.address} is out of gas: balance ${this.gasBalance} MIST is below the ${budget} MIST gas budget of one transaction, so no request can be claimed or answered; send SUI to ${this.address}`;
  }

  private dispatch(work: Work): void {
    if (this.active.has(work.objectId) || this.abort.signal.aborted) return;
    this.active.add(work.objectId);
    const task = (work.fields?.verb === 'watch' ? this.watchSem : this.sem)
      .run(async () => {
        this.metrics.inFlight.inc();
        try {
          await this.process(work);
        } finally {
          this.metrics.inFlight.dec();
        }
      })
      .catch((e: unknown) => {
        this.metrics.failures.labels('process').inc();
        this.opts.logger.error(
          { requestObjectId: work.objectId, err: (e as Error).message },
          'request processing failed; the reconciler will retry',
        );
      })
      .finally(() => {
        this.active.delete(work.objectId);
        this.tasks = this.tasks.filter((t) => t !== task);
      });
    this.tasks.push(task);
  }

  // ---- per request ----

  private async readRequest(id: string): Promise<RequestObject | undefined> {
    try {
      const { object } = await this.opts.client.getObject({ objectId: id, include: { content: true } });
      return RequestBcs.parse(object.content);
    } catch {
      return undefined; // deleted (closed) or not yet visible
    }
  }

  private done(id: string): void {
    this.open.delete(id);
    this.deferred.delete(id);
    void this.opts.state.forget(id);
  }

  private async process(work: Work): Promise<void> {
    const id = work.objectId;
    const log = this.opts.logger.child({ requestObjectId: id });
    const trace: TraceRecord = { requestId: work.fields?.requestId ?? id, marks: {} };
    if (work.chainTimestampMs) trace.marks.tx_executed = work.chainTimestampMs;
    trace.marks.listener_saw_event = Date.now();
    const journal = await this.opts.state.journal(id);
    let fields = work.fields;

    if (journal?.phase === 'stored') return this.done(id);
    if (!fields || journal || work.source === 'reconcile') {
      const obj = await this.readRequest(id);
      if (!obj) {
        if (work.source === 'reconcile') this.done(id);
        return;
      }
      if (obj.state === RequestState.Answered) {
        this.metrics.skipped.labels('answered').inc();
        return this.done(id);
      }
      const mine = obj.claimant === this.executorId;
      if (obj.state === RequestState.Claimed && !mine && Number(obj.lease_expires_at_ms) > Date.now()) {
        this.metrics.skipped.labels('lease_held').inc();
        return; // stays open; re-checked after the lease
      }
      if (!fields) {
        if (BigInt(obj.payload_size) > 0n) {
          // The payload lives only in the event; without it we cannot run the request faithfully.
          fields = await this.findEventFields(id);
          if (!fields) return;
        } else fields = fieldsFromObject(obj);
      }
    }
    trace.requestId = fields.requestId;

    // Recorded answer from before a crash: store it, never execute again.
    if (journal?.phase === 'executed' && journal.response) {
      log.info('storing the answer recorded before a restart');
      const answer = {
        statusCode: journal.response.statusCode,
        contentType: journal.response.contentType,
        body: Buffer.from(journal.response.bodyBase64, 'base64'),
      };
      await this.claimIfNeeded(id);
      await this.store(id, fields, answer, trace, false);
      return;
    }
    if (journal?.phase === 'executing' && !READ_VERBS.has(fields.verb) && !isDiscoveryFields(fields)) {
      // Crashed during a write: it may or may not have run. Never run it twice.
      const answer = statusAnswer(
        500,
        `the executor restarted while running this ${fields.verb}; it ran at most once — check the cluster state before retrying (request ${fields.requestId})`,
      );
      await this.claimIfNeeded(id);
      await this.store(id, fields, answer, trace, false);
      return;
    }

    const isRead = READ_VERBS.has(fields.verb) || isDiscoveryFields(fields);
    if (isRead) {
      const answer = await this.executeK8s(fields, log);
      trace.marks.k8s_answered = Date.now();
      await this.store(id, fields, answer, trace, true);
      return;
    }

    const claim = await this.claimIfNeeded(id);
    if (!claim) return;
    if (claim === 'took-over') {
      // The previous executor's lease lapsed mid-request: it may have died (or hung) after
      // running this write. Running it again could apply it twice, so answer instead.
      this.metrics.skipped.labels('takeover_write').inc();
      log.warn(
        { requestId: fields.requestId },
        'took over a lapsed lease on a write: answering, not executing',
      );
      const answer = statusAnswer(
        500,
        `the executor that claimed this ${fields.verb} stopped answering before storing a result; it ran at most once — check the cluster state before retrying (request ${fields.requestId})`,
      );
      await this.store(id, fields, answer, trace, false);
      return;
    }
    await this.opts.faultHook?.('after-claim', id);
    await this.opts.state.record({
      requestObjectId: id,
      requestId: fields.requestId,
      phase: 'executing',
      at: Date.now(),
    });
    const answer = await this.executeK8s(fields, log);
    trace.marks.k8s_answered = Date.now();
    await this.opts.state.record({
      requestObjectId: id,
      requestId: fields.requestId,
      phase: 'executed',
      at: Date.now(),
      response: {
        statusCode: answer.statusCode,
        contentType: answer.contentType,
        bodyBase64: answer.body.toString('base64'),
      },
    });
    await this.opts.faultHook?.('after-execute', id);
    await this.store(id, fields, answer, trace, false);
  }

  /**
   * Claim unless we already hold a valid lease. False = someone else owns it (or it is
   * answered); 'took-over' = another executor held it and its lease lapsed (the contract's
   * RequestClaimed.takeover), so that executor may have run it already.
   */
  private async claimIfNeeded(id: string): Promise<false | 'claimed' | 'took-over'> {
    const o = await this.opts.runner.run((tx) =>
      claimRequest(tx, this.opts.packageId, this.claimArgs(id)),
    );
    if (o.success) {
      const claimed = o.events.find((e) => structName(e.eventType) === 'RequestClaimed');
      return claimed && RequestClaimedBcs.parse(claimed.bcs).takeover ? 'took-over' : 'claimed';
    }
    if (o.abort?.name === 'ELeaseHeld') {
      const obj = await this.readRequest(id);
      if (obj?.claimant === this.executorId) return 'claimed';
      this.metrics.skipped.labels('lease_held').inc();
      return false;
    }
    if (o.abort?.name === 'ERequestAnswered') {
      this.metrics.skipped.labels('answered').inc();
      this.done(id);
      return false;
    }
    this.metrics.failures.labels('claim').inc();
    throw new Error(`claim failed: ${describeFailure(o)}`);
  }

  private async findEventFields(id: string): Promise<RequestFields | undefined> {
    const digest = this.open.get(id);
    if (digest) {
      const fields = await this.fieldsFromTransaction(id, digest).catch(() => undefined);
      if (fields) return fields;
    }
    // Not recorded (state from an older version, or lost): scan the package's request events.
    this.metrics.eventScans.inc();
    for await (const frame of listEventsAfter(
      this.opts.client,
      K8S_REQUEST_EVENT(this.opts.packageId),
      undefined,
    )) {
      if (!frame.event) continue;
      const ev = K8sAPIRequestBcs.parse(frame.event.bcs);
      if (ev.request_object_id !== id) continue;
      return requestFieldsOf(ev);
    }
    return undefined;
  }

  private async fieldsFromTransaction(id: string, digest: string): Promise<RequestFields | undefined> {
    const r = await this.opts.client.core.getTransaction({ digest, include: { events: true } });
    const t = r.Transaction ?? r.FailedTransaction;
    for (const e of t?.events ?? []) {
      if (structName(e.eventType) !== 'K8sAPIRequest') continue;
      const ev = K8sAPIRequestBcs.parse(e.bcs);
      if (ev.request_object_id === id) return requestFieldsOf(ev);
    }
    return undefined;
  }

  private async executeK8s(f: RequestFields, log: Logger): Promise<K8sAnswer> {
    let method: string;
    let path: string;
    try {
      if (isDiscoveryFields(f)) {
        method = 'GET';
        path = discoveryPath(f);
      } else ({ method, path } = rebuildUrl(f));
    } catch (e) {
      if (e instanceof RequestRefused) {
        log.warn({ err: e.message }, 'refused to rebuild the request URL');
        return statusAnswer(400, `the executor refused the request: ${e.message}`);
      }
      throw e;
    }
    let body: Uint8Array | undefined;
    if (f.payload && f.payload.length > 0) {
      try {
        body = decodeBody(f.payload, f.contentEncoding, f.payloadDigest);
      } catch (e) {
        return statusAnswer(400, `request body could not be decoded: ${(e as Error).message}`);
      }
    }
    const media = mediaHeaders(f, !!body);
    try {
      const call: Parameters<K8sExecutor['execute']>[0] = {
        method,
        path,
        accept: media.accept,
        requester: f.requester,
        idempotent: READ_VERBS.has(f.verb) || isDiscoveryFields(f),
      };
      if (body) call.body = body;
      if (media.contentType) call.contentType = media.contentType;
      if (f.intent.impersonate_user)
        call.impersonate = { user: f.intent.impersonate_user, groups: f.intent.impersonate_groups };
      if (f.verb === 'watch') {
        const accept = watchAccept(call.accept);
        if (!accept)
          return statusAnswer(
            406,
            `a watch through K3s-DaaS is served as JSON, and the request's Accept (${call.accept}) does not allow application/json`,
          );
        const query = new URLSearchParams(f.query);
        return await this.opts.k8s.watch(
          { ...call, accept },
          {
            maxMs: this.opts.watch?.maxMs ?? DEFAULT_WATCH_WINDOW.maxMs,
            settleMs: this.opts.watch?.settleMs ?? DEFAULT_WATCH_WINDOW.settleMs,
            maxBytes: this.maxResponseBytes,
            closingBookmark: query.get('allowWatchBookmarks') === 'true',
            signal: this.abort.signal,
          },
        );
      }
      return await this.opts.k8s.execute(call);
    } catch (e) {
      this.metrics.failures.labels('execute').inc();
      log.error({ err: (e as Error).message, path }, 'Kubernetes API call failed');
      return statusAnswer(503, `the Kubernetes API server could not be reached: ${(e as Error).message}`);
    }
  }

  private async store(
    id: string,
    f: RequestFields,
    answer: K8sAnswer,
    trace: TraceRecord,
    claimInSameTx: boolean,
  ): Promise<void> {
    await this.opts.faultHook?.('before-store', id);
    let plan;
    try {
      plan = planResponseUpload(answer.body, { maxResponseBytes: this.maxResponseBytes });
    } catch (e) {
      answer = statusAnswer(
        413,
        `the Kubernetes response is too large to store on chain: ${(e as Error).message}; narrow the request (e.g. --chunk-size / a label selector)`,
      );
      plan = planResponseUpload(answer.body, { maxResponseBytes: this.maxResponseBytes });
    }
    const batches = plan.batches;
    const segmentTxDigests: Uint8Array[] = [];
    for (let i = 0; i < batches.length - 1; i++) {
      const o = await this.opts.runner.run((tx) => {
        if (claimInSameTx && i === 0)
          claimRequest(tx, this.opts.packageId, this.claimArgs(id));
        appendResponseChunks(tx, this.opts.packageId, { ...this.claimArgs(id), chunks: batches[i]! });
      });
      if (!o.success) return this.storeFailed(id, o);
      segmentTxDigests.push(digestBytes(o.digest));
    }
    const answerFields = {
      statusCode: answer.statusCode,
      contentType: answer.contentType,
      contentEncoding: plan.contentEncoding,
      bodySize: plan.totalSize,
      bodyDigest: plan.digest,
      signedAtMs: Math.max(f.createdAtMs, Date.now() - SIGNING_TIME_MARGIN_MS),
    };
    const signature = this.opts.answerSigner.sign(answerIntentBytes(f.intent, answerFields));
    const last = batches[batches.length - 1]!;
    const storeTx = (tx: Transaction) => {
      if (claimInSameTx && batches.length === 1)
        claimRequest(tx, this.opts.packageId, this.claimArgs(id));
      storeK8sResponse(tx, this.opts.packageId, {
        ...this.claimArgs(id),
        statusCode: answer.statusCode,
        contentType: answer.contentType,
        contentEncoding: plan.contentEncoding,
        chunks: last,
        totalSize: plan.totalSize,
        digest: plan.digest,
        segmentTxDigests,
        signedAtMs: answerFields.signedAtMs,
        signature,
      });
    };
    // Single-transaction answers share transactions with other answers ready at the same time.
    const o =
      batches.length === 1
        ? await this.batcher.submit(storeTx, plan.totalSize + 512)
        : await this.opts.runner.run(storeTx);
    if (!o.success) return this.storeFailed(id, o);
    trace.marks.response_stored = Date.now();
    trace.txDigest = o.digest;
    this.traces.put(trace);
    for (const [hop, ms] of Object.entries(hopDurations(trace.marks)))
      this.metrics.hop.labels(hop).observe(ms / 1000);
    this.metrics.executed.labels(f.verb, String(answer.statusCode)).inc();
    this.opts.logger.info(
      {
        requestId: f.requestId,
        requestObjectId: id,
        verb: f.verb,
        code: answer.statusCode,
        txDigest: o.digest,
        hops: hopDurations(trace.marks),
      },
      'response stored',
    );
    await this.opts.state.record({
      requestObjectId: id,
      requestId: f.requestId,
      phase: 'stored',
      at: Date.now(),
    });
    this.done(id);
  }

  private claimArgs(request: string): { cluster: string; executor: string; request: string } {
    return { cluster: this.opts.clusterId, executor: this.executorId, request };
  }

  private storeFailed(id: string, o: Awaited<ReturnType<TxRunner['run']>>): void {
    if (
      o.abort?.name === 'ERequestAnswered' ||
      o.abort?.name === 'ELeaseHeld' ||
      o.abort?.name === 'ENotClaimant'
    ) {
      // Another executor won the race; its answer stands.
      this.metrics.skipped.labels(o.abort.name === 'ERequestAnswered' ? 'answered' : 'lease_held').inc();
      if (o.abort.name === 'ERequestAnswered') this.done(id);
      return;
    }
    this.metrics.failures.labels('store').inc();
    throw new Error(`storing the response failed: ${describeFailure(o)}`);
  }

  // ---- health ----

  private async startHealth(h: { host?: string; port: number }): Promise<string> {
    this.health = createServer((req, res) => {
      void (async () => {
        if (req.url === '/healthz') {
          const gas = this.gasProblem();
          const problems = [...(this.abort.signal.aborted ? ['stopping'] : []), ...(gas ? [gas] : [])];
          const ok = problems.length === 0;
          res.writeHead(ok ? 200 : 503, { 'Content-Type': 'application/json' });
          res.end(
            JSON.stringify({
              ok,
              problems,
              executor: this.address,
              gasBalanceMist: this.gasBalance?.toString(),
              streaming: this.streamUp,
              lastFrameAgeMs: Date.now() - this.lastFrameAt,
              open: this.open.size,
              inFlight: this.active.size,
            }),
          );
        } else if (req.url === '/metrics') {
          res.writeHead(200, { 'Content-Type': this.metrics.registry.contentType });
          res.end(await this.metrics.registry.metrics());
        } else if (req.url?.startsWith('/traces/')) {
          const t = this.traces.get(decodeURIComponent(req.url.slice(8)));
          res.writeHead(t ? 200 : 404, { 'Content-Type': 'application/json' });
          res.end(JSON.stringify(t ? { ...t, durations: hopDurations(t.marks) } : { error: 'no trace' }));
        } else {
          res.writeHead(404).end();
        }
      })().catch(() => res.writeHead(500).end());
    });
    await new Promise<void>((r) => this.health!.listen(h.port, h.host ?? '127.0.0.1', r));
    const { port } = this.health.address() as AddressInfo;
    return `http://${h.host ?? '127.0.0.1'}:${port}`;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((r) => {
      const t = setTimeout(r, ms);
      this.kick = () => {
        clearTimeout(t);
        r();
      };
    });
  }
}

function statusAnswer(code: number, message: string): K8sAnswer {
  return {
    statusCode: code,
    contentType: 'application/json',
    body: Buffer.from(JSON.stringify(failureStatus(code, message))),
  };
}

function fieldsFromObject(o: RequestObject): RequestFields {
  return {
    requestId: o.request_id,
    requester: o.requester,
    verb: o.verb,
    apiGroup: o.api_group,
    version: o.version,
    resource: o.resource,
    subresource: o.subresource,
    namespace: o.namespace,
    name: o.name,
    query: o.query,
    contentType: o.content_type,
    accept: o.accept,
    contentEncoding: o.content_encoding,
    payloadDigest: Uint8Array.from(o.payload_digest),
    intent: { ...o, request_object_id: o.id },
    createdAtMs: Number(o.created_at_ms),
  };
}

/** A transaction digest (base58) as the 32 bytes the contract records. */
function digestBytes(digest: string): Uint8Array {
  return fromBase58(digest);
}

/** The request fields the executor needs, from a decoded `K8sAPIRequest` event. */
function requestFieldsOf(ev: ReturnType<typeof K8sAPIRequestBcs.parse>): RequestFields {
  return {
    requestId: ev.request_id,
    requester: ev.requester,
    verb: ev.verb,
    apiGroup: ev.api_group,
    version: ev.version,
    resource: ev.resource,
    subresource: ev.subresource,
    namespace: ev.namespace,
    name: ev.name,
    query: ev.query,
    contentType: ev.content_type,
    accept: ev.accept,
    contentEncoding: ev.content_encoding,
    payload: Uint8Array.from(ev.payload),
    payloadDigest: Uint8Array.from(ev.payload_digest),
    intent: ev,
    createdAtMs: Number(ev.timestamp_ms),
  };
}
