/**
 * An in-memory chain for the listener's unit tests. FakeChain holds what the contract holds
 * (requests with their claims, leases, hold deadlines and answers; executors with their signing
 * keys; the K8sAPIRequest events) and applies the rules of k8s_gateway.move that the listener
 * depends on: claim_request (renewal, takeover only after the lease, ELeaseHeld,
 * ERequestAnswered, EHoldTimeExceeded), assert_claimant (ENotClaimant, ELeaseExpired), the
 * answer's size/digest/time checks and its ed25519 signature (EBadAnswerSignature). A failed
 * transaction changes nothing. Each account sees it through its own FakeListenerChain.
 */
import { toBase58 } from '@mysten/sui/utils';
import {
  K8sAPIRequestBcs,
  RequestState,
  abortByName,
  bytesEqual,
  chunksDigest,
  decodeBody,
  joinChunks,
  sha256,
  verifyAnswerSignature,
  type K8sAPIRequestEvent,
  type RequestObject,
} from '../../contract/index.ts';
import { openRequestOf, requestEvent } from '../../contract/testing/request-fixtures.ts';
import type { EventFrame } from '../../sui/events.ts';
import type { ChainTx, ClaimTx, ListenerChain, RequestRef, StoreArgs } from '../listener-chain.ts';

export interface FakeAnswer {
  executor: string;
  statusCode: number;
  contentType: string;
  body: Buffer;
  txDigest: string;
}

export interface SubmitArgs {
  verb: string;
  /** kubectl --as (the contract checked it) */
  impersonateUser?: string;
  resource: string;
  apiGroup?: string;
  version?: string;
  subresource?: string;
  namespace?: string;
  name?: string;
  query?: string;
  contentType?: string;
  accept?: string;
  payload?: Uint8Array;
  requester?: string;
  requestId?: string;
}

type Op = 'claim' | 'append' | 'store' | 'merge';

interface Pending {
  chunks: Uint8Array[];
}

class Aborted extends Error {
  constructor(readonly abortName: string) {
    super(abortName);
  }
}

let counter = 0;
const addr = (tag: number, n: number) =>
  `0x${tag.toString(16).padStart(8, '0')}${n.toString(16).padStart(56, '0')}`;

export class FakeChain {
  readonly clusterId = addr(0xc1, 1);
  /** how far the chain's Clock runs ahead of wall time (ms) */
  skewMs = 0;
  claimLeaseMs = 30_000;
  maxHoldMs = 120_000;
  maxResponseBytes = 240_000;
  readonly requests = new Map<string, RequestObject>();
  readonly answers = new Map<string, FakeAnswer>();
  /** every successful claim, in order */
  readonly claims: Array<{ request: string; executor: string; takeover: boolean }> = [];
  /** every transaction that aborted: which operation, which abort */
  readonly aborts: Array<{ op: Op; request?: string; abort: string }> = [];
  /** account → Executor object id / signing key */
  readonly executors = new Map<string, { objectId: string; signingKey: Uint8Array }>();
  /** requests whose object reads fail (not visible on this node yet) */
  readonly hidden = new Set<string>();
  private readonly frames: EventFrame[] = [];
  private readonly txEvents = new Map<string, K8sAPIRequestEvent[]>();
  private readonly pending = new Map<string, Pending>();
  private readonly subscribers = new Set<(f: EventFrame) => void>();
  private readonly injected: Array<{ op: Op; abort?: string; error?: string }> = [];
  private readonly seq = ++counter;
  private n = 0;

  /** the chain's Clock (ms) */
  get nowMs(): number {
    return Date.now() + this.skewMs;
  }

  /** A Sui account's view (its own ListenerChain). */
  account(address: string, opts: { balance?: bigint; coins?: number } = {}): FakeListenerChain {
    return new FakeListenerChain(this, address, opts.balance ?? 10_000_000_000n, opts.coins ?? 1);
  }

  /** A client submits a request (`execute_kubectl_command_with_id`): object + event. */
  submit(a: SubmitArgs): { objectId: string; txDigest: string; event: K8sAPIRequestEvent } {
    const objectId = addr(0xa0 + this.seq, ++this.n);
    const payload = a.payload ?? new Uint8Array();
    const now = this.nowMs; // one Clock reading for the event and the object, as in one transaction
    const ev: K8sAPIRequestEvent = requestEvent({
      request_id: a.requestId ?? `req-${this.n}`,
      request_object_id: objectId,
      cluster_id: this.clusterId,
      verb: a.verb,
      api_group: a.apiGroup ?? '',
      version: a.version ?? 'v1',
      resource: a.resource,
      subresource: a.subresource ?? '',
      namespace: a.namespace ?? 'default',
      name: a.name ?? '',
      query: a.query ?? '',
      content_type: a.contentType ?? (payload.length ? 'application/json' : ''),
      accept: a.accept ?? 'application/json',
      content_encoding: '',
      impersonate_user: a.impersonateUser ?? '',
      impersonate_groups: [],
      payload: [...payload],
      payload_size: String(payload.length),
      payload_digest: [...sha256(payload)],
      requester: a.requester ?? addr(0xee, 1),
      token_id: addr(0xdd, 1),
      timestamp_ms: String(now),
      fee: '1000',
    });
    this.requests.set(objectId, openRequestOf(ev, { claimant: addr(0, 0) }));
    const txDigest = this.digest();
    this.txEvents.set(txDigest, [ev]);
    this.emit(ev, txDigest);
    return { objectId, txDigest, event: ev };
  }

  /** The request's object is closed (deleted): reads fail from now on. */
  close(id: string): void {
    this.requests.delete(id);
  }

  /** The next transaction of this kind fails with this abort (or transport error). */
  inject(op: Op, failure: { abort?: string; error?: string }): void {
    this.injected.push({ op, ...failure });
  }

  /** Events as the ledger lists them (after `cursor`). */
  framesAfter(cursor: Uint8Array | undefined): EventFrame[] {
    const from = cursor ? Number(Buffer.from(cursor).readBigUInt64BE()) + 1 : 0;
    return this.frames.slice(from);
  }

  subscribe(push: (f: EventFrame) => void): () => void {
    this.subscribers.add(push);
    return () => this.subscribers.delete(push);
  }

  eventsOf(digest: string): K8sAPIRequestEvent[] {
    return this.txEvents.get(digest) ?? [];
  }

  read(id: string): RequestObject | undefined {
    if (this.hidden.has(id)) return undefined;
    const r = this.requests.get(id);
    return r && structuredClone(r);
  }

  // ---- transactions (atomic: an abort rolls every change back) ----

  tx<T>(
    op: Op,
    request: string | undefined,
    body: () => T,
  ): { ok: true; value: T; digest: string } | { ok: false; tx: ChainTx } {
    const injected = this.injected.findIndex((i) => i.op === op);
    if (injected >= 0) {
      const i = this.injected.splice(injected, 1)[0]!;
      if (i.error) throw new Error(i.error);
      return { ok: false, tx: this.aborted(op, request, i.abort!) };
    }
    const snapshot = request ? structuredClone(this.requests.get(request)) : undefined;
    const pending = request ? structuredClone(this.pending.get(request)) : undefined;
    const claims = this.claims.length;
    try {
      return { ok: true, value: body(), digest: this.digest() };
    } catch (e) {
      if (!(e instanceof Aborted)) throw e;
      if (request && snapshot) this.requests.set(request, snapshot);
      if (request) {
        if (pending) this.pending.set(request, pending);
        else this.pending.delete(request);
      }
      this.claims.length = claims;
      return { ok: false, tx: this.aborted(op, request, e.abortName) };
    }
  }

  executorOf(account: string): string {
    const e = this.executors.get(account);
    if (!e) throw new Aborted('ENotExecutor');
    return e.objectId;
  }

  claimRequest(account: string, ref: RequestRef): boolean {
    const me = this.executorOf(account);
    if (me !== ref.executor) throw new Aborted('ENotExecutor');
    const r = this.mustRead(ref.request);
    if (r.state === RequestState.Answered) throw new Aborted('ERequestAnswered');
    const now = this.nowMs;
    const claimed = r.state === RequestState.Claimed;
    const mine = claimed && r.claimant === me;
    // As claim_request: a claim after a lapsed lease is a takeover whoever makes it.
    const takeover = claimed && now >= Number(r.lease_expires_at_ms);
    if (claimed && !mine && !takeover) throw new Aborted('ELeaseHeld');
    if (mine) {
      if (now >= Number(r.hold_deadline_ms)) throw new Aborted('EHoldTimeExceeded');
    } else {
      r.claimant = me;
      r.hold_deadline_ms = String(now + this.maxHoldMs);
    }
    if (takeover || !claimed) {
      r.response_size = '0';
      r.response_segments = '0';
      r.response_chunks = '0';
      this.pending.delete(ref.request);
    }
    r.state = RequestState.Claimed;
    r.lease_expires_at_ms = String(Math.min(now + this.claimLeaseMs, Number(r.hold_deadline_ms)));
    this.claims.push({ request: ref.request, executor: me, takeover });
    return takeover;
  }

  appendSegment(account: string, ref: RequestRef, chunks: Uint8Array[]): void {
    this.assertClaimant(account, ref);
    const p = this.pending.get(ref.request) ?? { chunks: [] };
    p.chunks.push(...chunks);
    this.pending.set(ref.request, p);
    const r = this.mustRead(ref.request);
    r.response_segments = String(Number(r.response_segments) + 1);
  }

  storeAnswer(account: string, ref: RequestRef, a: StoreArgs, txDigest: () => string): void {
    const r = this.assertClaimant(account, ref);
    if (a.statusCode < 100 || a.statusCode > 599) throw new Aborted('EInvalidStatusCode');
    const all = [...(this.pending.get(ref.request)?.chunks ?? []), ...a.chunks];
    const bytes = joinChunks(all);
    if (bytes.length > this.maxResponseBytes) throw new Aborted('EResponseTooLarge');
    if (bytes.length !== a.totalSize) throw new Aborted('EResponseSizeMismatch');
    if (!bytesEqual(chunksDigest(all), a.digest)) throw new Aborted('EResponseDigestMismatch');
    if (a.signedAtMs < Number(r.created_at_ms) || a.signedAtMs > this.nowMs)
      throw new Aborted('EInvalidAnswerTime');
    const executor = [...this.executors.values()].find((e) => e.objectId === ref.executor)!;
    const intent = { ...r, request_object_id: r.id };
    const answer = {
      statusCode: a.statusCode,
      contentType: a.contentType,
      contentEncoding: a.contentEncoding,
      bodySize: a.totalSize,
      bodyDigest: a.digest,
      signedAtMs: a.signedAtMs,
    };
    if (!verifyAnswerSignature(intent, answer, a.signature, executor.signingKey))
      throw new Aborted('EBadAnswerSignature');
    r.state = RequestState.Answered;
    r.status_code = a.statusCode;
    r.response_size = String(a.totalSize);
    this.pending.delete(ref.request);
    this.answers.set(ref.request, {
      executor: ref.executor,
      statusCode: a.statusCode,
      contentType: a.contentType,
      body: Buffer.from(decodeBody(bytes, a.contentEncoding)),
      txDigest: txDigest(),
    });
  }

  private assertClaimant(account: string, ref: RequestRef): RequestObject {
    const me = this.executorOf(account);
    const r = this.mustRead(ref.request);
    if (r.state === RequestState.Answered) throw new Aborted('ERequestAnswered');
    if (r.state !== RequestState.Claimed || r.claimant !== me || me !== ref.executor)
      throw new Aborted('ENotClaimant');
    if (this.nowMs >= Number(r.lease_expires_at_ms)) throw new Aborted('ELeaseExpired');
    return r;
  }

  private mustRead(id: string): RequestObject {
    const r = this.requests.get(id);
    if (!r) throw new Aborted('EWrongCluster');
    return r;
  }

  private aborted(op: Op, request: string | undefined, name: string): ChainTx {
    this.aborts.push({ op, ...(request ? { request } : {}), abort: name });
    const info = abortByName(name);
    const tx: ChainTx = { success: false, digest: this.digest(), error: `MoveAbort ${name}` };
    if (info) tx.abort = info;
    return tx;
  }

  digest(): string {
    const b = new Uint8Array(32);
    b.set(Buffer.from(`${this.seq}:${++this.n}`));
    return toBase58(b);
  }

  private emit(ev: K8sAPIRequestEvent, txDigest: string): void {
    const cursor = Buffer.alloc(8);
    cursor.writeBigUInt64BE(BigInt(this.frames.length));
    const frame: EventFrame = {
      event: {
        eventType: `0xfeed::k8s_gateway::K8sAPIRequest`,
        bcs: K8sAPIRequestBcs.serialize(ev).toBytes(),
        txDigest,
      },
      cursor: Uint8Array.from(cursor),
      checkpoint: BigInt(this.frames.length + 1),
    };
    this.frames.push(frame);
    for (const s of this.subscribers) s(frame);
  }
}

/** One account's ListenerChain on a FakeChain. */
export class FakeListenerChain implements ListenerChain {
  readonly gasBudget = 50_000_000n;
  /** the live stream delivers nothing while true (a stalled transport) */
  stalled = false;
  /** subscriptions opened so far */
  subscriptions = 0;
  /** this many next subscriptions fail at once (a transport error) */
  failSubscriptions = 0;

  constructor(
    readonly chain: FakeChain,
    readonly address: string,
    public balanceMist: bigint,
    public coinCount: number,
  ) {}

  async maxResponseBytes(): Promise<number> {
    return this.chain.maxResponseBytes;
  }

  async ensureExecutor(signingKey: Uint8Array): Promise<{ objectId: string; registeredNow: boolean }> {
    const e = this.chain.executors.get(this.address);
    if (e) {
      if (!bytesEqual(e.signingKey, signingKey))
        throw new Error(`executor ${e.objectId} of ${this.address} signs with another key`);
      return { objectId: e.objectId, registeredNow: false };
    }
    const objectId = addr(0xe0, this.chain.executors.size + 1);
    this.chain.executors.set(this.address, { objectId, signingKey: Uint8Array.from(signingKey) });
    return { objectId, registeredNow: true };
  }

  async *requestEventsAfter(cursor: Uint8Array | undefined, signal?: AbortSignal): AsyncIterable<EventFrame> {
    for (const f of this.chain.framesAfter(cursor)) {
      if (signal?.aborted) return;
      yield f;
    }
  }

  async *subscribeRequestEvents(signal: AbortSignal): AsyncIterable<EventFrame> {
    this.subscriptions++;
    if (this.failSubscriptions > 0) {
      this.failSubscriptions--;
      throw new Error('14 UNAVAILABLE: connection reset (injected)');
    }
    const queue: EventFrame[] = [];
    let wake: (() => void) | undefined;
    const unsubscribe = this.chain.subscribe((f) => {
      if (this.stalled) return;
      queue.push(f);
      wake?.();
    });
    const onAbort = () => wake?.();
    signal.addEventListener('abort', onAbort);
    try {
      while (!signal.aborted) {
        const f = queue.shift();
        if (f) {
          yield f;
          continue;
        }
        await new Promise<void>((r) => (wake = r));
        wake = undefined;
      }
    } finally {
      unsubscribe();
      signal.removeEventListener('abort', onAbort);
    }
  }

  async requestEventsOfTransaction(digest: string): Promise<K8sAPIRequestEvent[]> {
    return this.chain.eventsOf(digest);
  }

  async readRequest(id: string): Promise<RequestObject | undefined> {
    return this.chain.read(id);
  }

  async claim(ref: RequestRef): Promise<ClaimTx> {
    const r = this.chain.tx('claim', ref.request, () => this.chain.claimRequest(this.address, ref));
    return r.ok ? { success: true, digest: r.digest, takeover: r.value } : r.tx;
  }

  async appendChunks(ref: RequestRef, chunks: Uint8Array[], claimFirst: boolean): Promise<ChainTx> {
    const r = this.chain.tx('append', ref.request, () => {
      if (claimFirst) this.chain.claimRequest(this.address, ref);
      this.chain.appendSegment(this.address, ref, chunks);
    });
    return r.ok ? { success: true, digest: r.digest } : r.tx;
  }

  async storeResponse(ref: RequestRef, a: StoreArgs, opts: { claimFirst: boolean }): Promise<ChainTx> {
    let digest = '';
    const r = this.chain.tx('store', ref.request, () => {
      if (opts.claimFirst) this.chain.claimRequest(this.address, ref);
      this.chain.storeAnswer(this.address, ref, a, () => (digest = this.chain.digest()));
    });
    return r.ok ? { success: true, digest } : r.tx;
  }

  async balance(): Promise<bigint> {
    return this.balanceMist;
  }

  async coins(limit: number): Promise<string[]> {
    return Array.from({ length: Math.min(limit, this.coinCount) }, (_, i) => addr(0xc0, i + 1));
  }

  async mergeCoins(coinIds: string[]): Promise<ChainTx> {
    const r = this.chain.tx('merge', undefined, () => {
      this.coinCount -= coinIds.length;
    });
    return r.ok ? { success: true, digest: r.digest } : r.tx;
  }
}
