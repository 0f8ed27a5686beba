/**
 * Handles one request: reads what the journal and the chain say, asks the protocol table
 * (protocol.ts) what to do, and does it — Kubernetes through runK8sRequest, the chain through
 * the Responder, the write-ahead journal through the StateStore.
 */
import {
  K8sAPIRequestBcs,
  requestFieldsOfEvent,
  requestFieldsOfObject,
  type RequestFields,
  type RequestObject,
} from '../contract/index.ts';
import { RequestState } from '../contract/types.ts';
import type { Logger } from '../shared/logger.ts';
import { hopDurations, type TraceRecord, type TraceStore } from '../shared/trace.ts';
import type { K8sAnswer } from './k8s-executor.ts';
import {
  provenOutcome,
  runK8sRequest,
  statusAnswer,
  type K8sCallContext,
  type KubernetesApi,
} from './k8s-call.ts';
import type { ListenerChain, RequestRef } from './listener-chain.ts';
import type { ListenerMetrics } from './metrics.ts';
import {
  afterRecoveryClaim,
  afterWriteClaim,
  decide,
  journalView,
  mayHaveRunMessage,
  requestView,
  verbClassOf,
  type Action,
  type MayHaveRunCause,
  type VerbClass,
} from './protocol.ts';
import type { Responder } from './responder.ts';
import type { JournalEntry, StateStore } from './state-store.ts';
import { namedCreate } from './write-tag.ts';

export type FaultPoint = 'after-claim' | 'after-execute' | 'before-store';

export interface Work {
  objectId: string;
  fields?: RequestFields;
  /** chain timestamp of the request (ms), for the event-seen hop */
  chainTimestampMs?: number;
  source: 'stream' | 'backfill' | 'reconcile';
}

export interface ProcessorDeps {
  chain: Pick<ListenerChain, 'readRequest' | 'requestEventsOfTransaction' | 'requestEventsAfter'>;
  responder: Responder;
  k8s: KubernetesApi;
  journal: Pick<StateStore, 'journal' | 'record'>;
  metrics: ListenerMetrics;
  traces: TraceStore;
  logger: Logger;
  watch?: { maxMs?: number; settleMs?: number };
  /** see K8sCallContext.beforeSend (the RBAC mirror) */
  beforeSend?: K8sCallContext['beforeSend'];
  /** this listener's Executor object id */
  executorId: () => string;
  maxResponseBytes: () => number;
  /** the transaction that emitted the request's event, when known */
  originOf: (id: string) => string | undefined;
  /** nothing more to do for this request: forget it locally */
  done: (id: string) => void;
  signal: AbortSignal;
  faultHook?: (point: FaultPoint, requestObjectId: string) => void | Promise<void>;
  now?: () => number;
  /** look at the request again at this chain time (ms): when another executor's lease lapses */
  recheckAt?: (id: string, atMs: number) => void;
  /** Seal: the payload's plaintext (see K8sCallContext.openPayload). */
  openPayload?: (f: RequestFields, payload: Uint8Array) => Promise<Uint8Array>;
}

export class RequestProcessor {
  /** Seal payloads opened, by the ciphertext's bytes object (one per request's fields) */
  private readonly opened = new WeakMap<Uint8Array, Promise<Uint8Array>>();

  constructor(private readonly d: ProcessorDeps) {}

  private now(): number {
    return (this.d.now ?? Date.now)();
  }

  async process(work: Work): Promise<void> {
    const id = work.objectId;
    const log = this.d.logger.child({ requestObjectId: id });
    const trace: TraceRecord = { requestId: work.fields?.requestId ?? id, marks: {} };
    if (work.chainTimestampMs) trace.marks.tx_executed = work.chainTimestampMs;
    trace.marks.listener_saw_event = Date.now();
    const entry = await this.d.journal.journal(id);
    const journal = journalView(entry);
    if (journal === 'stored') return this.d.done(id);

    const reconciling = work.source === 'reconcile';
    let obj: RequestObject | undefined | 'unread' = 'unread';
    if (!work.fields || reconciling) obj = await this.d.chain.readRequest(id);
    const view = () => requestView(obj, { executorId: this.d.executorId(), nowMs: this.now(), reconciling });
    const verbOf = () => {
      const v =
        work.fields ?? (obj === 'unread' ? undefined : obj && { verb: obj.verb, apiGroup: obj.api_group });
      // Without fields or object the request is gone or not visible: rows the verb does not change.
      return v ? verbClassOf(v) : 'read';
    };
    let action: Action = decide(journal, view(), verbOf());
    if (action.kind === 'read-request') {
      obj = await this.d.chain.readRequest(id);
      action = decide(journal, view(), verbOf());
    }
    if (action.kind === 'forget') {
      if (action.reason) this.d.metrics.skipped.labels(action.reason).inc();
      return this.d.done(id);
    }
    if (action.kind === 'wait') {
      if (action.reason) this.d.metrics.skipped.labels(action.reason).inc();
      // Another executor's lease: look again the moment it lapses, not at the next reconcile tick.
      if (action.reason === 'lease_held' && obj && obj !== 'unread')
        this.d.recheckAt?.(id, Number(obj.lease_expires_at_ms));
      return; // stays open; re-checked by the reconciler
    }
    if (action.kind === 'read-request') throw new Error(`request ${id}: the protocol asked for a read twice`);

    let fields = work.fields;
    if (!fields) {
      // Decided from the object, so it was read.
      const o = obj as RequestObject;
      if (BigInt(o.payload_size) > 0n) {
        // The payload lives only in the event; without it we cannot run the request faithfully.
        fields = await this.findEventFields(id);
        if (!fields) return;
      } else fields = requestFieldsOfObject(o);
    }
    trace.requestId = fields.requestId;
    const ref: RequestRef = { executor: this.d.executorId(), request: id };
    // With the payload known, a named create is its own class (re-runnable): decide with it
    // (on a Seal cluster from the plaintext; a payload that cannot be opened is a plain write,
    // whose execution then answers the refusal).
    const verb: VerbClass = verbClassOf(fields, namedCreate(await this.inClear(fields)) !== undefined);
    if (verb !== verbOf()) action = decide(journal, view(), verb);

    switch (action.kind) {
      case 'store-recorded': {
        log.info('storing the answer recorded before a restart');
        const r = (entry as JournalEntry).response!;
        const answer = {
          statusCode: r.statusCode,
          contentType: r.contentType,
          body: Buffer.from(r.bodyBase64, 'base64'),
        };
        return this.recover(ref, fields, answer, trace);
      }
      case 'answer-may-have-run': {
        // Crashed during a write: it may or may not have run. Never run it twice — and journal
        // the decision, so a failed store is retried with it, never re-decided.
        const answer = await this.settle(action.cause, fields, id);
        await this.recordAnswer(id, fields, answer);
        return this.recover(ref, fields, answer, trace);
      }
      case 'execute-then-claim-and-store': {
        const answer = await this.execute(fields, log);
        trace.marks.k8s_answered = Date.now();
        return this.store(ref, fields, answer, trace, true);
      }
      case 'claim-then-execute':
        return this.claimAndExecute(ref, fields, verb, trace, log);
      case 'forget':
      case 'wait':
      case 'read-request':
        throw new Error(`request ${id}: ${action.kind} decided after the fields were read`);
    }
  }

  /** A write never started here: claim, then run it journaled (or answer, after a takeover). */
  private async claimAndExecute(
    ref: RequestRef,
    fields: RequestFields,
    verb: VerbClass,
    trace: TraceRecord,
    log: Logger,
  ): Promise<void> {
    const id = ref.request;
    // A write that may not run twice: journal the claim before sending it, so a claim whose
    // outcome is lost (a transport error after it landed, a crash) is never taken for a fresh one.
    if (verb === 'write')
      await this.d.journal.record({
        requestObjectId: id,
        requestId: fields.requestId,
        phase: 'claimed',
        at: Date.now(),
      });
    const step = afterWriteClaim(await this.d.responder.claim(ref), verb);
    switch (step.kind) {
      case 'forget':
        this.d.metrics.skipped.labels(step.reason).inc();
        return this.d.done(id);
      case 'wait':
        this.d.metrics.skipped.labels(step.reason).inc();
        return this.recheckWhenLapsed(id);
      case 'answer-may-have-run':
        // The previous executor's lease lapsed mid-request: it may have died (or hung) after
        // running this write. Running it again could apply it twice, so answer instead.
        this.d.metrics.skipped.labels('takeover_write').inc();
        log.warn(
          { requestId: fields.requestId },
          'took over a lapsed lease on a write: answering, not executing',
        );
        {
          // Journalled before its effect (issue #16): if this store fails, the retry — which may
          // re-claim as the holder, with no takeover flag — stores this answer, never runs the write.
          const answer = await this.settle(step.cause, fields, id);
          await this.recordAnswer(id, fields, answer);
          return this.store(ref, fields, answer, trace, false);
        }
      case 'execute-journaled':
        break;
    }
    await this.d.faultHook?.('after-claim', id);
    await this.d.journal.record({
      requestObjectId: id,
      requestId: fields.requestId,
      phase: 'executing',
      at: Date.now(),
    });
    const answer = await this.execute(fields, log, id);
    trace.marks.k8s_answered = Date.now();
    await this.recordAnswer(id, fields, answer);
    await this.d.faultHook?.('after-execute', id);
    await this.store(ref, fields, answer, trace, false);
  }

  /** Store an answer decided before the claim (restart): claim unless we hold it, then store. */
  private async recover(
    ref: RequestRef,
    fields: RequestFields,
    answer: K8sAnswer,
    trace: TraceRecord,
  ): Promise<void> {
    const step = afterRecoveryClaim(await this.d.responder.claim(ref));
    if (step.kind === 'forget') {
      this.d.metrics.skipped.labels(step.reason).inc();
      return this.d.done(ref.request);
    }
    if (step.kind === 'wait') {
      this.d.metrics.skipped.labels(step.reason).inc();
      return this.recheckWhenLapsed(ref.request);
    }
    await this.store(ref, fields, answer, trace, false);
  }

  /** Held by another executor: look again when its lease lapses (one read, only when contended). */
  private async recheckWhenLapsed(id: string): Promise<void> {
    if (!this.d.recheckAt) return;
    const o = await this.d.chain.readRequest(id).catch(() => undefined);
    if (o && o.state === RequestState.Claimed) this.d.recheckAt(id, Number(o.lease_expires_at_ms));
  }

  /** Journal phase 'executed': the answer to store, whatever happens to the store. */
  private recordAnswer(id: string, fields: RequestFields, answer: K8sAnswer): Promise<void> {
    return this.d.journal.record({
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
  }

  /**
   * The answer to a write that may have run: 200 with its object when the tag proves it ran
   * (a tagged update or patch, write-tag.ts), else the 500 "ran at most once". Never runs it.
   */
  private async settle(cause: MayHaveRunCause, f: RequestFields, id: string): Promise<K8sAnswer> {
    const proven = await provenOutcome(await this.inClear(f), id, this.d.k8s);
    if (proven) this.d.metrics.skipped.labels('proven_by_tag').inc();
    return proven ?? this.mayHaveRun(cause, f);
  }

  /**
   * The payload in clear (still content-encoded): a Seal ciphertext opened once per request (the
   * pairings cost tens of ms), shared by the write-tag decisions and the execution. Fields with a
   * payload that cannot be opened come back as they are.
   */
  private async inClear(f: RequestFields): Promise<RequestFields> {
    const plain = await this.openedPayload(f)?.catch(() => undefined);
    return plain ? { ...f, payload: plain } : f;
  }

  private openedPayload(f: RequestFields): Promise<Uint8Array> | undefined {
    const open = this.d.openPayload;
    if (!open || !f.payload || f.payload.length === 0) return undefined;
    let p = this.opened.get(f.payload);
    if (!p) {
      p = open(f, f.payload);
      p.catch(() => undefined); // awaited by whoever asks; a refusal is answered there
      this.opened.set(f.payload, p);
    }
    return p;
  }

  private mayHaveRun(cause: MayHaveRunCause, f: RequestFields): K8sAnswer {
    return statusAnswer(500, mayHaveRunMessage(cause, f.verb, f.requestId));
  }

  private execute(f: RequestFields, log: Logger, requestObjectId?: string): Promise<K8sAnswer> {
    return runK8sRequest(f, {
      ...(requestObjectId ? { requestObjectId } : {}),
      k8s: this.d.k8s,
      ...(this.d.watch ? { watch: this.d.watch } : {}),
      ...(this.d.beforeSend ? { beforeSend: this.d.beforeSend } : {}),
      maxResponseBytes: this.d.maxResponseBytes(),
      signal: this.d.signal,
      metrics: this.d.metrics,
      log,
      ...(this.d.openPayload ? { openPayload: (g) => this.openedPayload(g)! } : {}),
    });
  }

  private async store(
    ref: RequestRef,
    f: RequestFields,
    answer: K8sAnswer,
    trace: TraceRecord,
    claimInSameTx: boolean,
  ): Promise<void> {
    const id = ref.request;
    await this.d.faultHook?.('before-store', id);
    const r = await this.d.responder.store(ref, f, answer, {
      claimInSameTx,
      maxResponseBytes: this.d.maxResponseBytes(),
    });
    if (r.kind === 'lost') {
      // Another executor won the race; its answer stands.
      this.d.metrics.skipped.labels(r.reason).inc();
      if (r.reason === 'answered') this.d.done(id);
      else await this.recheckWhenLapsed(id);
      return;
    }
    trace.marks.response_stored = Date.now();
    trace.txDigest = r.txDigest;
    this.d.traces.put(trace);
    for (const [hop, ms] of Object.entries(hopDurations(trace.marks)))
      this.d.metrics.hop.labels(hop).observe(ms / 1000);
    this.d.metrics.executed.labels(f.verb, String(r.statusCode)).inc();
    this.d.logger.info(
      {
        requestId: f.requestId,
        requestObjectId: id,
        verb: f.verb,
        code: r.statusCode,
        txDigest: r.txDigest,
        hops: hopDurations(trace.marks),
      },
      'response stored',
    );
    await this.d.journal.record({
      requestObjectId: id,
      requestId: f.requestId,
      phase: 'stored',
      at: Date.now(),
    });
    this.d.done(id);
  }

  /** The request's fields from its event: the origin transaction when known, else a scan. */
  private async findEventFields(id: string): Promise<RequestFields | undefined> {
    const digest = this.d.originOf(id);
    if (digest) {
      const events = await this.d.chain.requestEventsOfTransaction(digest).catch(() => []);
      const ev = events.find((e) => e.request_object_id === id);
      if (ev) return requestFieldsOfEvent(ev);
    }
    // Not recorded (state from an older version, or lost): scan the package's request events.
    this.d.metrics.eventScans.inc();
    for await (const frame of this.d.chain.requestEventsAfter(undefined)) {
      if (!frame.event) continue;
      const ev = K8sAPIRequestBcs.parse(frame.event.bcs);
      if (ev.request_object_id === id) return requestFieldsOfEvent(ev);
    }
    return undefined;
  }
}
