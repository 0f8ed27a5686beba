/**
 * The Nautilus listener: turns K8sAPIRequest events into Kubernetes calls and stores the
 * answers on chain. This file only wires the parts together:
 *   event-source.ts      backfill + live tail + stall detection → frames
 *   open-requests.ts     seen / open / in-flight / other shards' requests
 *   request-processor.ts one request: journal + chain state → protocol.ts table → action
 *   responder.ts         claim, plan, sign, append, store (batched)
 *   upkeep.ts            gas check, fee-coin merging, cluster config
 *   health-server.ts     /healthz, /metrics, /traces
 * and every chain operation goes through a ListenerChain (listener-chain.ts): SuiListenerChain in
 * production, FakeListenerChain in unit tests.
 */
import type { SuiGrpcClient } from '@mysten/sui/grpc';
import { K8sAPIRequestBcs, requestFieldsOfEvent, type RequestFields } from '../contract/index.ts';
import type { Logger } from '../shared/logger.ts';
import { Semaphore } from '../shared/keyed-mutex.ts';
import type { EventFrame } from '../sui/events.ts';
import { TraceStore } from '../shared/trace.ts';
import type { TxRunner } from '../sui/tx-runner.ts';
import type { AnswerSigner } from './answer-signer.ts';
import { EventSource, type FrameSource } from './event-source.ts';
import { HealthServer } from './health-server.ts';
import type { K8sCallContext, KubernetesApi } from './k8s-call.ts';
import type { ListenerChain } from './listener-chain.ts';
import { ListenerMetrics } from './metrics.ts';
import { OpenRequests } from './open-requests.ts';
import { RequestProcessor, type FaultPoint, type Work } from './request-processor.ts';
import { Responder, type SealAnswer } from './responder.ts';
import type { StateStore } from './state-store.ts';
import { SuiListenerChain } from './sui-listener-chain.ts';
import { Upkeep } from './upkeep.ts';

export { DEFAULT_WATCH_WINDOW } from './k8s-call.ts';

/** Everything but how the chain is reached. */
export interface ListenerCoreOptions {
  clusterId: string;
  k8s: KubernetesApi;
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
  answerSigner: Pick<AnswerSigner, 'publicKey' | 'sign'>;
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
  /** Before a request is sent to Kubernetes (the RBAC mirror: see K8sCallContext.beforeSend). */
  beforeSend?: K8sCallContext['beforeSend'];
  /** Extra /healthz and /readyz content: warnings (e.g. an admin credential) and details (the RBAC mirror). */
  healthNotes?: { warnings?: () => string[]; details?: () => Record<string, unknown> };
  /** Test hook: called at named points; throwing simulates a crash there. */
  faultHook?: (point: FaultPoint, requestObjectId: string) => void | Promise<void>;
  /**
   * Confidentiality (Seal): decrypts payloads and encrypts answers as the Cluster's setting says
   * (src/confidentiality/listener-seal.ts). Absent only in unit tests of clear clusters.
   */
  confidentiality?: ListenerConfidentiality;
}

/** What the listener needs of confidentiality (ListenerSeal in production). */
export interface ListenerConfidentiality {
  /** Told once the Executor object is known (the payload policy names it). */
  setExecutor(objectId: string): void;
  openPayload(f: RequestFields, payload: Uint8Array): Promise<Uint8Array>;
  sealAnswer: SealAnswer;
}

/** The listener on a Sui network (SuiGrpcClient + TxRunner). */
export interface ListenerOptions extends ListenerCoreOptions {
  client: SuiGrpcClient;
  packageId: string;
  runner: TxRunner;
}

/** The listener on any ListenerChain (a FakeListenerChain in unit tests). */
export interface ListenerOnChainOptions extends ListenerCoreOptions {
  chain: ListenerChain;
}

export class NautilusListener {
  readonly metrics = new ListenerMetrics();
  readonly traces = new TraceStore();
  private readonly opts: ListenerCoreOptions;
  private readonly chain: ListenerChain;
  private readonly sem: Semaphore;
  private readonly watchSem: Semaphore;
  private readonly abort = new AbortController();
  private readonly work: OpenRequests;
  private readonly upkeep: Upkeep;
  private readonly events: EventSource;
  private readonly processor: RequestProcessor;
  private tasks: Promise<unknown>[] = [];
  /** scheduled re-checks of requests held by another executor, at their lease's end */
  private readonly rechecks = new Map<string, NodeJS.Timeout>();
  /** the lease end each request was last re-checked for */
  private readonly recheckedLease = new Map<string, number>();
  private health?: HealthServer;
  private wakeReconcile?: () => void;
  /** This account's Executor object (set by start). */
  private executorId = '';

  constructor(opts: ListenerOptions | ListenerOnChainOptions) {
    this.opts = opts;
    this.chain =
      'chain' in opts
        ? opts.chain
        : new SuiListenerChain(opts.client, opts.runner, {
            packageId: opts.packageId,
            clusterId: opts.clusterId,
          });
    this.sem = new Semaphore(opts.concurrency ?? 8);
    this.watchSem = new Semaphore(opts.watch?.concurrency ?? 8);
    this.work = new OpenRequests(opts.shard);
    this.upkeep = new Upkeep(this.chain, this.metrics, opts.logger);
    const eventOpts: ConstructorParameters<typeof EventSource>[0] = {
      chain: this.chain,
      cursor: () => this.opts.state.cursorBytes,
      onFrame: (frame, source) => this.onFrame(frame, source),
      metrics: this.metrics,
      logger: opts.logger,
    };
    if (opts.stallMs !== undefined) eventOpts.stallMs = opts.stallMs;
    if (opts.useSubscription !== undefined) eventOpts.useSubscription = opts.useSubscription;
    if (opts.pollMs !== undefined) eventOpts.pollMs = opts.pollMs;
    this.events = new EventSource(eventOpts);
    const deps: ConstructorParameters<typeof RequestProcessor>[0] = {
      chain: this.chain,
      responder: new Responder(
        this.chain,
        opts.answerSigner,
        this.metrics,
        Date.now,
        opts.confidentiality?.sealAnswer,
      ),
      k8s: opts.k8s,
      journal: opts.state,
      metrics: this.metrics,
      traces: this.traces,
      logger: opts.logger,
      executorId: () => this.executorId,
      maxResponseBytes: () => this.upkeep.maxResponseBytes,
      originOf: (id) => this.work.originOf(id),
      done: (id) => this.done(id),
      signal: this.abort.signal,
      recheckAt: (id, atMs) => this.recheckAt(id, atMs),
    };
    if (opts.watch) deps.watch = opts.watch;
    if (opts.faultHook) deps.faultHook = opts.faultHook;
    if (opts.beforeSend) deps.beforeSend = opts.beforeSend;
    if (opts.confidentiality) {
      const c = opts.confidentiality;
      deps.openPayload = (f, payload) => c.openPayload(f, payload);
    }
    this.processor = new RequestProcessor(deps);
  }

  get address(): string {
    return this.chain.address;
  }

  /** This listener's Executor object id (after start). */
  get executorObjectId(): string {
    return this.executorId;
  }

  async start(): Promise<{ healthUrl?: string }> {
    const { state, logger } = this.opts;
    // When each start step was done, ms after start() (logged with "started"): a restart must beat the claim lease.
    const startup: Record<string, number> = {};
    const t0 = performance.now();
    const took = (step: string) => void (startup[step] = Math.round(performance.now() - t0));
    // The start's chain reads are independent: one round trip instead of four in a row (a
    // restart inside the claim lease keeps its own claims).
    const registering = this.opts.registerStake !== undefined;
    const [, , executor] = await Promise.all([
      state.init().then(async () => {
        for (const [id, digest] of state.openRequests) this.work.add(id, digest);
        for (const id of await state.journalIds()) if (!this.work.open.has(id)) this.work.add(id, undefined);
        took('state');
      }),
      this.upkeep.refreshConfig().then(() => took('config')),
      this.chain.ensureExecutor(this.opts.answerSigner.publicKey, this.opts.registerStake).then((e) => {
        took('executor');
        return e;
      }),
      registering ? undefined : this.upkeep.checkGas().then(() => took('gas')),
    ]);
    this.executorId = executor.objectId;
    this.opts.confidentiality?.setExecutor(executor.objectId);
    if (executor.registeredNow) logger.info({ executorObjectId: this.executorId }, 'registered as executor');
    // Registering spends the stake: the gas check comes after it.
    if (registering) await this.upkeep.checkGas();
    let healthUrl: string | undefined;
    if (this.opts.health) {
      this.health = new HealthServer(this.healthView(), this.metrics, this.traces);
      healthUrl = await this.health.start(this.opts.health);
    }
    this.tasks.push(this.events.run(this.abort.signal), this.reconcileLoop());
    // Warm start: what was open before a restart (our own claims among it) is taken up at once,
    // not one reconcile period later — a restart inside the claim lease then costs no takeover.
    for (const id of this.work.due(Date.now(), 0)) this.dispatch({ objectId: id, source: 'reconcile' });
    logger.info(
      {
        executor: this.address,
        executorObjectId: this.executorId,
        cluster: this.opts.clusterId,
        k8s: this.opts.k8s.serverUrl,
        open: this.work.open.size,
        startupMs: startup,
      },
      'nautilus listener started',
    );
    return healthUrl ? { healthUrl } : {};
  }

  async stop(): Promise<void> {
    this.abort.abort();
    for (const t of this.rechecks.values()) clearTimeout(t);
    this.rechecks.clear();
    this.wakeReconcile?.();
    await Promise.allSettled(this.tasks);
    await this.opts.state.flush().catch(() => undefined);
    await this.health?.stop();
  }

  private healthView(): ConstructorParameters<typeof HealthServer>[0] {
    return {
      problems: () => {
        const gas = this.upkeep.gasProblem();
        return [...(this.abort.signal.aborted ? ['stopping'] : []), ...(gas ? [gas] : [])];
      },
      warnings: () => this.opts.healthNotes?.warnings?.() ?? [],
      details: () => ({
        ...this.opts.healthNotes?.details?.(),
        executor: this.address,
        gasBalanceMist: this.upkeep.gasBalance?.toString(),
        streaming: this.events.streamUp,
        lastFrameAgeMs: Date.now() - this.events.lastFrameAt,
        open: this.work.open.size,
        inFlight: this.work.active.size,
      }),
    };
  }

  private async onFrame(frame: EventFrame, source: FrameSource): Promise<void> {
    if (frame.event) {
      let ev;
      try {
        ev = K8sAPIRequestBcs.parse(frame.event.bcs);
      } catch {
        this.metrics.failures.labels('decode').inc();
        return;
      }
      if (ev.cluster_id === this.opts.clusterId && this.work.markSeen(ev.request_object_id)) {
        this.metrics.events.labels(source).inc();
        this.work.add(ev.request_object_id, frame.event.txDigest || undefined);
        if (!this.work.ownsShard(ev.request_object_id)) {
          this.work.defer(ev.request_object_id, Date.now());
          return;
        }
        this.dispatch({
          objectId: ev.request_object_id,
          source,
          chainTimestampMs: Number(ev.timestamp_ms),
          fields: requestFieldsOfEvent(ev),
        });
      }
    }
    if (frame.cursor) await this.opts.state.saveCursor(frame.cursor, frame.checkpoint, this.work.open);
  }

  private async reconcileLoop(): Promise<void> {
    const every = this.opts.reconcileMs ?? 3_000;
    while (!this.abort.signal.aborted) {
      await this.sleep(every);
      if (this.abort.signal.aborted) break;
      this.metrics.open.set(this.work.open.size);
      for (const id of this.work.due(Date.now(), every)) this.dispatch({ objectId: id, source: 'reconcile' });
      await this.opts.state.saveOpen(this.work.open).catch(() => undefined);
      await this.upkeep.tick();
    }
  }

  private dispatch(work: Work): void {
    if (this.work.active.has(work.objectId) || this.abort.signal.aborted) return;
    this.work.active.add(work.objectId);
    const task = (work.fields?.verb === 'watch' ? this.watchSem : this.sem)
      .run(async () => {
        this.metrics.inFlight.inc();
        try {
          await this.processor.process(work);
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
        this.work.active.delete(work.objectId);
        this.tasks = this.tasks.filter((t) => t !== task);
      });
    this.tasks.push(task);
  }

  /**
   * A takeover as soon as the other executor's lease lapses (the chain's clock decides; ours is
   * close on one machine, and a check a little early only waits again). Within one reconcile
   * period only: later lapses are the reconciler's.
   */
  private recheckAt(id: string, atMs: number): void {
    const every = this.opts.reconcileMs ?? 3_000;
    const delay = Math.max(0, atMs - Date.now()) + 50;
    if (delay > every || this.rechecks.has(id) || this.abort.signal.aborted) return;
    // Once per lease: a chain Clock behind ours would otherwise re-check (and re-claim) in a loop.
    if (this.recheckedLease.get(id) === atMs) return;
    this.recheckedLease.set(id, atMs);
    const t = setTimeout(() => {
      this.rechecks.delete(id);
      if (this.work.open.has(id)) this.dispatch({ objectId: id, source: 'reconcile' });
    }, delay);
    t.unref();
    this.rechecks.set(id, t);
  }

  private done(id: string): void {
    this.recheckedLease.delete(id);
    this.work.done(id);
    void this.opts.state.forget(id);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((r) => {
      const t = setTimeout(r, ms);
      this.wakeReconcile = () => {
        clearTimeout(t);
        r();
      };
    });
  }
}
