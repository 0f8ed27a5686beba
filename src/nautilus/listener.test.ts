/**
 * The listener against an in-memory chain (FakeChain: the contract's claim, lease and signature
 * rules) and a recording Kubernetes: crash recovery from each journal phase, takeover, forged and
 * failed stores, races, stalls and upkeep, without a Sui network.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../shared/logger.ts';
import { AnswerSigner } from './answer-signer.ts';
import type { K8sAnswer, K8sCall } from './k8s-executor.ts';
import type { KubernetesApi } from './k8s-call.ts';
import { NautilusListener, type ListenerOnChainOptions } from './listener.ts';
import { StateStore } from './state-store.ts';
import { FakeChain, type FakeListenerChain } from './testing/fake-listener-chain.ts';
import { MemoryKube } from './testing/memory-kube.ts';
import { REQUEST_ANNOTATION } from './write-tag.ts';

const ACCOUNT_A = '0x' + 'a'.repeat(64);
const ACCOUNT_B = '0x' + 'b'.repeat(64);

/** Kubernetes that records every call and answers from `reply`. */
class RecordingK8s implements KubernetesApi {
  readonly calls: K8sCall[] = [];
  readonly serverUrl = 'https://k8s.test';
  reply: (call: K8sCall) => K8sAnswer = (call) => ({
    statusCode: call.method === 'POST' ? 201 : 200,
    contentType: 'application/json',
    body: Buffer.from(JSON.stringify({ kind: 'ConfigMap', method: call.method, path: call.path })),
  });
  async execute(call: K8sCall): Promise<K8sAnswer> {
    this.calls.push(call);
    return this.reply(call);
  }
  async watch(call: K8sCall): Promise<K8sAnswer> {
    this.calls.push(call);
    return { statusCode: 200, contentType: 'application/json', body: Buffer.from('{"type":"ADDED"}\n') };
  }
  writes(): K8sCall[] {
    return this.calls.filter((c) => c.method !== 'GET');
  }
}

const dirs: string[] = [];
const running: NautilusListener[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((l) => l.stop()));
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function stateDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'listener-test-'));
  dirs.push(d);
  return d;
}

interface Setup {
  chain: FakeChain;
  account?: FakeListenerChain;
  k8s?: RecordingK8s;
  /** a Kubernetes with objects (creates refused when the name is taken) instead of the recorder */
  kube?: MemoryKube;
  dir?: string;
  signer?: ListenerOnChainOptions['answerSigner'];
  extra?: Partial<ListenerOnChainOptions>;
}

async function startListener(s: Setup) {
  const account = s.account ?? s.chain.account(ACCOUNT_A);
  const k8s = s.k8s ?? new RecordingK8s();
  const dir = s.dir ?? stateDir();
  const listener = new NautilusListener({
    chain: account,
    clusterId: s.chain.clusterId,
    k8s: s.kube ?? k8s,
    state: new StateStore(dir, 0),
    logger: createLogger('listener-test', process.env.TEST_LOG ?? 'silent'),
    answerSigner: s.signer ?? AnswerSigner.generate(),
    reconcileMs: 40,
    ...s.extra,
  });
  const { healthUrl } = await listener.start();
  running.push(listener);
  return { listener, account, k8s, dir, healthUrl };
}

async function stopListener(l: NautilusListener): Promise<void> {
  running.splice(running.indexOf(l), 1);
  await l.stop();
}

async function until(what: string, ok: () => boolean | Promise<boolean>, ms = 3_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function metric(
  l: NautilusListener,
  name: string,
  labels: Record<string, string> = {},
): Promise<number> {
  const m = await l.metrics.registry.getSingleMetric(name)?.get();
  return (m?.values ?? [])
    .filter((v) => Object.entries(labels).every(([k, x]) => v.labels[k] === x))
    .reduce((a, v) => a + v.value, 0);
}

const createConfigMap = (chain: FakeChain) =>
  chain.submit({
    verb: 'create',
    resource: 'configmaps',
    payload: new TextEncoder().encode('{"kind":"ConfigMap","metadata":{"name":"x"}}'),
  });

/** A write whose re-run would be a second effect (not a tagged named create): an update. */
const updateConfigMap = (chain: FakeChain) =>
  chain.submit({
    verb: 'update',
    resource: 'configmaps',
    name: 'x',
    payload: new TextEncoder().encode('{"kind":"ConfigMap","metadata":{"name":"x"},"data":{"a":"b"}}'),
  });

describe('listener on the in-memory chain', () => {
  it('a read runs first, then is claimed and stored in one transaction, signed by the registered key', async () => {
    const chain = new FakeChain();
    const { k8s } = await startListener({ chain });
    const { objectId } = chain.submit({ verb: 'get', resource: 'pods', name: 'nginx' });
    await until('answered', () => chain.answers.has(objectId));
    expect(k8s.calls.map((c) => [c.method, c.path])).toEqual([
      ['GET', '/api/v1/namespaces/default/pods/nginx'],
    ]);
    expect(chain.answers.get(objectId)!.statusCode).toBe(200);
    expect(chain.claims).toHaveLength(1);
    expect(chain.aborts).toEqual([]);
  });

  it('a write is claimed before it runs, runs once, and its journal is forgotten once stored', async () => {
    const chain = new FakeChain();
    const { k8s, dir } = await startListener({ chain });
    const { objectId } = createConfigMap(chain);
    await until('answered', () => chain.answers.has(objectId));
    expect(k8s.writes()).toHaveLength(1);
    expect(chain.answers.get(objectId)!.statusCode).toBe(201);
    await until('journal forgotten', () => !existsSync(join(dir, 'journal', `${objectId}.json`)));
  });

  it('crash after execute: the restarted listener stores the recorded answer and never runs the write again', async () => {
    const chain = new FakeChain();
    const account = chain.account(ACCOUNT_A);
    const signer = AnswerSigner.generate();
    const dir = stateDir();
    const k8s = new RecordingK8s();
    let crash = true;
    const first = await startListener({
      chain,
      account,
      k8s,
      dir,
      signer,
      extra: {
        faultHook: (point) => {
          // a dead process: nothing after the Kubernetes call happens
          if (crash && (point === 'after-execute' || point === 'before-store'))
            throw new Error('simulated crash after execute');
        },
      },
    });
    const { objectId } = createConfigMap(chain);
    await until('the write ran', () => k8s.writes().length === 1);
    await until(
      'the crash was counted',
      async () =>
        (await metric(first.listener, 'k3s_daas_listener_failures_total', { stage: 'process' })) >= 1,
    );
    await stopListener(first.listener);
    crash = false;
    expect(chain.answers.has(objectId)).toBe(false);
    const journal = new StateStore(dir);
    await journal.init();
    expect((await journal.journal(objectId))?.phase).toBe('executed');

    const k8sAfter = new RecordingK8s();
    await startListener({ chain, account, k8s: k8sAfter, dir, signer });
    await until('answered after restart', () => chain.answers.has(objectId));
    expect(chain.answers.get(objectId)!.statusCode).toBe(201);
    expect(JSON.parse(chain.answers.get(objectId)!.body.toString()).method).toBe('POST');
    expect(k8sAfter.calls).toEqual([]);
    expect(k8s.writes()).toHaveLength(1);
  });

  it('crash during execute (journal "executing" only): the restart answers 500 "ran at most once" without running it', async () => {
    const chain = new FakeChain();
    const account = chain.account(ACCOUNT_A);
    const signer = AnswerSigner.generate();
    const dir = stateDir();
    const { objectId, event } = updateConfigMap(chain);
    // What a crash inside the Kubernetes call leaves behind: our claim, an `executing` record.
    const { objectId: executor } = await account.ensureExecutor(signer.publicKey);
    expect((await account.claim({ executor, request: objectId })).success).toBe(true);
    const state = new StateStore(dir);
    await state.init();
    await state.record({
      requestObjectId: objectId,
      requestId: event.request_id,
      phase: 'executing',
      at: Date.now(),
    });

    const { k8s } = await startListener({ chain, account, dir, signer });
    await until('answered', () => chain.answers.has(objectId));
    const answer = chain.answers.get(objectId)!;
    expect(answer.statusCode).toBe(500);
    expect(answer.body.toString()).toContain('restarted while running this update; it ran at most once');
    // Only read: the object does not carry this request's tag, so nothing proves it ran.
    expect(k8s.writes()).toEqual([]);
    expect(k8s.calls.map((c) => `${c.method} ${c.path}`)).toEqual([
      'GET /api/v1/namespaces/default/configmaps/x',
    ]);
  });

  it('crash after claim (nothing journaled): the restart holds the claim and runs the write once', async () => {
    const chain = new FakeChain();
    const account = chain.account(ACCOUNT_A);
    const signer = AnswerSigner.generate();
    const dir = stateDir();
    const { objectId } = createConfigMap(chain);
    const { objectId: executor } = await account.ensureExecutor(signer.publicKey);
    await account.claim({ executor, request: objectId });
    const { k8s } = await startListener({ chain, account, dir, signer });
    await until('answered', () => chain.answers.has(objectId));
    expect(chain.answers.get(objectId)!.statusCode).toBe(201);
    expect(k8s.writes()).toHaveLength(1);
    expect(chain.claims.filter((c) => c.takeover)).toEqual([]);
  });

  it('takeover: a write whose holder let its lease lapse is answered 500, never executed; a read is executed', async () => {
    const chain = new FakeChain();
    chain.claimLeaseMs = 400;
    const holder = chain.account(ACCOUNT_A);
    const { objectId: holderExecutor } = await holder.ensureExecutor(AnswerSigner.generate().publicKey);
    const write = updateConfigMap(chain).objectId;
    const read = chain.submit({ verb: 'list', resource: 'pods' }).objectId;
    for (const request of [write, read]) await holder.claim({ executor: holderExecutor, request });

    // Another listener sees both while the lease is live: it does not run the write and stores
    // nothing (the read runs once from the fresh event — reads are not checked first — and its
    // claim+store loses to the lease).
    const { listener, k8s } = await startListener({ chain, account: chain.account(ACCOUNT_B) });
    await until(
      'lease seen held',
      async () => (await metric(listener, 'k3s_daas_listener_skipped_total', { reason: 'lease_held' })) >= 3,
    );
    expect(chain.answers.size).toBe(0);
    expect(k8s.writes()).toEqual([]);
    expect(k8s.calls).toHaveLength(1);

    // the holder's lease lapses (400 ms after its claim)
    await until('both answered', () => chain.answers.has(write) && chain.answers.has(read));
    expect(chain.answers.get(write)!.statusCode).toBe(500);
    expect(chain.answers.get(write)!.body.toString()).toContain('stopped answering before storing a result');
    expect(chain.answers.get(read)!.statusCode).toBe(200);
    expect(k8s.writes()).toEqual([]);
    // the read ran; the update was only looked at (GET: not tagged by it, so 500)
    expect(new Set(k8s.calls.map((c) => c.path))).toEqual(
      new Set(['/api/v1/namespaces/default/pods', '/api/v1/namespaces/default/configmaps/x']),
    );
    expect(await metric(listener, 'k3s_daas_listener_skipped_total', { reason: 'takeover_write' })).toBe(1);
    expect(
      chain.claims
        .filter((c) => c.takeover)
        .map((c) => c.request)
        .sort(),
    ).toEqual([write, read].sort());
  });

  it('issue #16: after a takeover whose store fails once, the successor never runs the write (it answers what it decided)', async () => {
    const chain = new FakeChain();
    chain.claimLeaseMs = 300;
    // Executor A claims the create (and runs it, as far as anyone knows), then stalls.
    const holder = chain.account(ACCOUNT_A);
    const { objectId: holderExecutor } = await holder.ensureExecutor(AnswerSigner.generate().publicKey);
    const write = updateConfigMap(chain).objectId;
    await holder.claim({ executor: holderExecutor, request: write });
    // B takes over after the lapse and decides "may have run"; its first store fails.
    chain.inject('store', { error: 'connection reset by peer' });
    const { k8s } = await startListener({ chain, account: chain.account(ACCOUNT_B) });
    await until('answered', () => chain.answers.has(write), 5_000);
    expect(chain.answers.get(write)!.statusCode).toBe(500);
    // The retry re-claims as the current holder (no takeover flag): it must still not execute.
    expect(k8s.writes()).toEqual([]);
  });

  it('issue #16: a named create is tagged with its request; after a crash mid-create the restart re-runs it and answers 201 with the object the first run made', async () => {
    const chain = new FakeChain();
    const account = chain.account(ACCOUNT_A);
    const signer = AnswerSigner.generate();
    const dir = stateDir();
    const kube = new MemoryKube();
    const { objectId, event } = createConfigMap(chain);
    const { objectId: executor } = await account.ensureExecutor(signer.publicKey);
    await account.claim({ executor, request: objectId });
    // The first run: journaled `executing`, the create reached Kubernetes (tagged), then a crash.
    const state = new StateStore(dir);
    await state.init();
    await state.record({
      requestObjectId: objectId,
      requestId: event.request_id,
      phase: 'executing',
      at: Date.now(),
    });
    kube.seed('/api/v1/namespaces/default/configmaps', 'x', { [REQUEST_ANNOTATION]: objectId });

    await startListener({ chain, account, dir, signer, kube });
    await until('answered', () => chain.answers.has(objectId));
    const answer = chain.answers.get(objectId)!;
    expect(answer.statusCode).toBe(201);
    expect(JSON.parse(answer.body.toString())).toMatchObject({
      metadata: { name: 'x', annotations: { [REQUEST_ANNOTATION]: objectId } },
    });
    // The re-run was refused (409 AlreadyExists), the object read back: no second effect.
    expect(kube.calls.map((c) => c.method)).toEqual(['POST', 'GET']);
    expect(kube.effects).toEqual([]);
  });

  it('issue #16 with confidentiality: the payload is a ciphertext, so the re-run decision reads it in clear (opened once)', async () => {
    const chain = new FakeChain();
    const account = chain.account(ACCOUNT_A);
    const signer = AnswerSigner.generate();
    const dir = stateDir();
    const kube = new MemoryKube();
    // A stand-in cipher (bytes reversed): not JSON, as a Seal EncryptedObject is not.
    const clear = new TextEncoder().encode('{"kind":"ConfigMap","metadata":{"name":"x"}}');
    const { objectId, event } = chain.submit({
      verb: 'create',
      resource: 'configmaps',
      payload: Uint8Array.from(clear).reverse(),
    });
    const { objectId: executor } = await account.ensureExecutor(signer.publicKey);
    await account.claim({ executor, request: objectId });
    const state = new StateStore(dir);
    await state.init();
    await state.record({
      requestObjectId: objectId,
      requestId: event.request_id,
      phase: 'executing',
      at: Date.now(),
    });
    kube.seed('/api/v1/namespaces/default/configmaps', 'x', { [REQUEST_ANNOTATION]: objectId });
    let opened = 0;
    await startListener({
      chain,
      account,
      dir,
      signer,
      kube,
      extra: {
        confidentiality: {
          setExecutor: () => {},
          openPayload: (_f, payload) => {
            opened++;
            return Promise.resolve(Uint8Array.from(payload).reverse());
          },
          sealAnswer: (_ref, _f, _a, encoded) => Promise.resolve(encoded),
        },
      },
    });
    await until('answered', () => chain.answers.has(objectId));
    expect(chain.answers.get(objectId)!.statusCode).toBe(201);
    expect(kube.calls.map((c) => c.method)).toEqual(['POST', 'GET']);
    expect(kube.effects).toEqual([]);
    expect(opened).toBe(1);
  });

  it("issue #16: a named create taken over from a lapsed holder is re-run: someone else's object of that name stays a 409, a missing one is created once", async () => {
    const chain = new FakeChain();
    chain.claimLeaseMs = 200;
    const kube = new MemoryKube();
    kube.seed('/api/v1/namespaces/default/configmaps', 'x', { [REQUEST_ANNOTATION]: '0xsomeone-else' });
    const holder = chain.account(ACCOUNT_A);
    const { objectId: holderExecutor } = await holder.ensureExecutor(AnswerSigner.generate().publicKey);
    const taken = createConfigMap(chain).objectId;
    const fresh = chain.submit({
      verb: 'create',
      resource: 'configmaps',
      payload: new TextEncoder().encode('{"kind":"ConfigMap","metadata":{"name":"y"}}'),
    }).objectId;
    for (const request of [taken, fresh]) await holder.claim({ executor: holderExecutor, request });
    await startListener({ chain, account: chain.account(ACCOUNT_B), kube });
    await until('both answered', () => chain.answers.has(taken) && chain.answers.has(fresh), 5_000);
    expect(chain.answers.get(taken)!.statusCode).toBe(409);
    expect(chain.answers.get(fresh)!.statusCode).toBe(201);
    expect(kube.effectsOf(fresh)).toHaveLength(1);
    expect(kube.effectsOf(taken)).toEqual([]);
  });

  it('a request held by another executor is looked at again when its lease lapses, not one reconcile period later', async () => {
    const chain = new FakeChain();
    chain.claimLeaseMs = 300;
    const holder = chain.account(ACCOUNT_A);
    const { objectId: holderExecutor } = await holder.ensureExecutor(AnswerSigner.generate().publicKey);
    const read = chain.submit({ verb: 'get', resource: 'pods', name: 'held' }).objectId;
    await holder.claim({ executor: holderExecutor, request: read });
    await startListener({ chain, account: chain.account(ACCOUNT_B), extra: { reconcileMs: 2_500 } });
    const t = Date.now();
    await until('taken over', () => chain.answers.has(read), 2_000);
    expect(Date.now() - t).toBeLessThan(2_000);
    expect(chain.claims.filter((c) => c.takeover).map((c) => c.request)).toEqual([read]);
  });

  it('issue #16: an update that provably ran before the crash (its object carries the tag) is answered 200 with the object, not re-run', async () => {
    const chain = new FakeChain();
    const account = chain.account(ACCOUNT_A);
    const signer = AnswerSigner.generate();
    const dir = stateDir();
    const kube = new MemoryKube();
    const { objectId, event } = updateConfigMap(chain);
    const { objectId: executor } = await account.ensureExecutor(signer.publicKey);
    await account.claim({ executor, request: objectId });
    const state = new StateStore(dir);
    await state.init();
    await state.record({
      requestObjectId: objectId,
      requestId: event.request_id,
      phase: 'executing',
      at: Date.now(),
    });
    // The first run's update landed (tagged) before the crash.
    kube.seed('/api/v1/namespaces/default/configmaps', 'x', { [REQUEST_ANNOTATION]: objectId });
    await startListener({ chain, account, dir, signer, kube });
    await until('answered', () => chain.answers.has(objectId));
    expect(chain.answers.get(objectId)!.statusCode).toBe(200);
    expect(kube.calls.map((c) => c.method)).toEqual(['GET']);
  });

  it('with the chain Clock behind ours, a lapse re-check happens once per lease, not in a loop', async () => {
    const chain = new FakeChain();
    chain.claimLeaseMs = 200;
    chain.skewMs = -1_500; // the chain's Clock trails wall time
    const holder = chain.account(ACCOUNT_A);
    const { objectId: holderExecutor } = await holder.ensureExecutor(AnswerSigner.generate().publicKey);
    const write = updateConfigMap(chain).objectId;
    await holder.claim({ executor: holderExecutor, request: write });
    await startListener({ chain, account: chain.account(ACCOUNT_B), extra: { reconcileMs: 5_000 } });
    await new Promise((r) => setTimeout(r, 1_000));
    // the first claim from the event, one re-check at the (local) lapse; without the once-per-lease
    // guard it re-claims every ~50 ms (4+ here)
    expect(chain.aborts.filter((a) => a.op === 'claim' && a.request === write).length).toBeLessThanOrEqual(2);
  });

  it("issue #16: a claim after the lapse of one's own lease is a takeover too (contract and listener agree)", async () => {
    const chain = new FakeChain();
    chain.claimLeaseMs = 100;
    const a = chain.account(ACCOUNT_A);
    const { objectId: executor } = await a.ensureExecutor(AnswerSigner.generate().publicKey);
    const write = createConfigMap(chain).objectId;
    expect((await a.claim({ executor, request: write })).takeover).toBe(false);
    expect((await a.claim({ executor, request: write })).takeover).toBe(false); // renewal within the lease
    await new Promise((r) => setTimeout(r, 150));
    expect((await a.claim({ executor, request: write })).takeover).toBe(true); // after its own lapse
  });

  it('a forged answer (signed with a key other than the registered one) is refused on chain; the request stays open and the write is not re-run', async () => {
    const chain = new FakeChain();
    const account = chain.account(ACCOUNT_A);
    const registered = AnswerSigner.generate();
    const forger = AnswerSigner.generate();
    const dir = stateDir();
    const k8s = new RecordingK8s();
    const bad = await startListener({
      chain,
      account,
      k8s,
      dir,
      signer: { publicKey: registered.publicKey, sign: (intent) => forger.sign(intent) },
    });
    const { objectId } = createConfigMap(chain);
    await until('store refused', () => chain.aborts.some((a) => a.abort === 'EBadAnswerSignature'));
    await until(
      'counted',
      async () => (await metric(bad.listener, 'k3s_daas_listener_failures_total', { stage: 'store' })) >= 1,
    );
    expect(chain.answers.has(objectId)).toBe(false);
    await stopListener(bad.listener);
    expect(k8s.writes()).toHaveLength(1);

    // The same executor with its real key stores the answer it recorded, without running it again.
    await startListener({ chain, account, k8s, dir, signer: registered });
    await until('answered', () => chain.answers.has(objectId));
    expect(chain.answers.get(objectId)!.statusCode).toBe(201);
    expect(k8s.writes()).toHaveLength(1);
  });

  it('a store that fails in transport is retried by the reconciler: the write still ran once', async () => {
    const chain = new FakeChain();
    chain.inject('store', { error: 'connection reset by peer' });
    const { listener, k8s } = await startListener({ chain });
    const { objectId } = createConfigMap(chain);
    await until('answered', () => chain.answers.has(objectId));
    expect(await metric(listener, 'k3s_daas_listener_failures_total', { stage: 'process' })).toBe(1);
    expect(chain.answers.get(objectId)!.statusCode).toBe(201);
    expect(k8s.writes()).toHaveLength(1);
  });

  it('a store that lost the race (answered meanwhile) is forgotten, not retried', async () => {
    const chain = new FakeChain();
    chain.inject('store', { abort: 'ERequestAnswered' });
    const { listener } = await startListener({ chain });
    const { objectId } = chain.submit({ verb: 'get', resource: 'pods', name: 'x' });
    await until(
      'counted',
      async () => (await metric(listener, 'k3s_daas_listener_skipped_total', { reason: 'answered' })) === 1,
    );
    await new Promise((r) => setTimeout(r, 150)); // several reconcile periods
    expect(chain.answers.has(objectId)).toBe(false);
    expect(await metric(listener, 'k3s_daas_listener_open_requests')).toBe(0);
  });

  it('a write answered before the listener gets to it is forgotten without running', async () => {
    const chain = new FakeChain();
    const { objectId } = createConfigMap(chain);
    chain.requests.get(objectId)!.state = 2; // Answered (by another executor)
    const { listener, k8s } = await startListener({ chain });
    await until(
      'counted',
      async () => (await metric(listener, 'k3s_daas_listener_skipped_total', { reason: 'answered' })) === 1,
    );
    expect(k8s.calls).toEqual([]);
    expect(chain.aborts.map((a) => a.abort)).toEqual(['ERequestAnswered']);
  });

  it('a closed request is forgotten by the reconciler', async () => {
    const chain = new FakeChain();
    const { objectId } = chain.submit({ verb: 'get', resource: 'pods', name: 'closed' });
    chain.close(objectId);
    const { listener, healthUrl } = await startListener({ chain, extra: { health: { port: 0 } } });
    // The fresh event is tried once (its claim+store fails: the object is gone); the reconciler
    // reads it, finds nothing, and forgets it.
    await until('forgotten', async () => {
      const h = (await (await fetch(`${healthUrl}/healthz`)).json()) as { open: number };
      return h.open === 0;
    });
    expect(await metric(listener, 'k3s_daas_listener_failures_total', { stage: 'store' })).toBe(1);
    expect(chain.answers.size).toBe(0);
  });

  it('a stalled event stream is re-opened, and a request emitted during the stall is found by the backfill', async () => {
    const chain = new FakeChain();
    const account = chain.account(ACCOUNT_A);
    account.stalled = true;
    const { listener } = await startListener({
      chain,
      account,
      extra: { stallMs: 150, reconcileMs: 10_000 },
    });
    const { objectId } = chain.submit({ verb: 'get', resource: 'pods', name: 'late' });
    await until(
      'reconnected after the stall',
      async () =>
        (await metric(listener, 'k3s_daas_listener_stream_reconnects_total', { cause: 'stall' })) >= 1,
    );
    await until('answered', () => chain.answers.has(objectId));
    expect(account.subscriptions).toBeGreaterThanOrEqual(2);
    expect(await metric(listener, 'k3s_daas_listener_events_total', { source: 'backfill' })).toBe(1);
  });

  it('a failing event stream is re-opened with backoff; the backfill still finds the request', async () => {
    const chain = new FakeChain();
    const account = chain.account(ACCOUNT_A);
    account.failSubscriptions = 2;
    const { objectId } = chain.submit({ verb: 'get', resource: 'pods', name: 'early' });
    const { listener } = await startListener({ chain, account, extra: { reconcileMs: 10_000 } });
    await until('answered', () => chain.answers.has(objectId));
    await until(
      'reconnected twice',
      async () =>
        (await metric(listener, 'k3s_daas_listener_stream_reconnects_total', { cause: 'error' })) === 2,
    );
    expect(await metric(listener, 'k3s_daas_listener_failures_total', { stage: 'stream' })).toBe(2);
    const late = chain.submit({ verb: 'get', resource: 'pods', name: 'late' }).objectId;
    await until('the live tail works again', () => chain.answers.has(late));
  });

  it('an answer larger than one transaction is appended in segments and signed over the whole body', async () => {
    const chain = new FakeChain();
    const k8s = new RecordingK8s();
    // incompressible, ~150 KB: several segments
    const body = Buffer.from(Array.from({ length: 150_000 }, (_, i) => (i * 2654435761) % 251));
    k8s.reply = () => ({ statusCode: 200, contentType: 'application/octet-stream', body });
    await startListener({ chain, k8s });
    const { objectId } = chain.submit({ verb: 'get', resource: 'configmaps', name: 'big' });
    await until('answered', () => chain.answers.has(objectId));
    expect(chain.answers.get(objectId)!.body.equals(body)).toBe(true);
  });

  it('upkeep: out of gas is reported by the balance check; 100+ fee coins are merged into the gas coin', async () => {
    const chain = new FakeChain();
    const account = chain.account(ACCOUNT_A, { balance: 1n, coins: 150 });
    const { listener, healthUrl } = await startListener({ chain, account, extra: { health: { port: 0 } } });
    expect(await metric(listener, 'k3s_daas_listener_gas_balance_mist')).toBe(1);
    const low = await fetch(`${healthUrl}/healthz`);
    expect(low.status).toBe(503);
    expect(((await low.json()) as { problems: string[] }).problems[0]).toContain(`send SUI to ${ACCOUNT_A}`);
    expect(await metric(listener, 'k3s_daas_listener_fee_coins_merged_total')).toBe(0);
    account.balanceMist = 10_000_000_000n;
    await until(
      'coins merged',
      async () => (await metric(listener, 'k3s_daas_listener_fee_coins_merged_total')) === 149,
    );
    expect(account.coinCount).toBe(1);
    expect((await fetch(`${healthUrl}/healthz`)).status).toBe(200);
  });
});
