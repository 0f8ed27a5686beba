/**
 * The chaos run of issue #16, as a harness function: the embedded Sui node, the gateway and three
 * `k3s-daas nautilus` listener processes (each its own registered executor) started by
 * harness/stack.ts; `clients` HTTPS clients send ConfigMap creates through the gateway, no client
 * retries. Meanwhile, until the last create is sent: a random listener is SIGKILLed every 0.5–3 s
 * (or restarted armed with a test-only crash point, K3S_DAAS_NAUTILUS_CRASH_AT=after-claim |
 * after-execute | before-store, so it kills itself there) and restarted at once; the chain process
 * is paused 3 s (SIGSTOP/SIGCONT); one listener is paused past its claim lease. The report:
 * creates executed twice (answered 409 AlreadyExists for a name only this run's create used),
 * lost (no answer, or 201 without the object), ambiguous (5xx), latency p50/p99, the drain after
 * the last fault, each listener restart's time to healthy. Bounded: every client request has a
 * deadline, and the run stops sending at `maxSendMs`.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Agent, request } from 'node:https';
import { Ed25519Keypair } from '@mysten/sui/keypairs/ed25519';
import { AnswerSigner } from '../../src/nautilus/answer-signer.ts';
import { REQUEST_ANNOTATION } from '../../src/nautilus/write-tag.ts';
import { Keystore } from '../../src/sui/keystore.ts';
import { Funder } from '../backends/onchain/funding.ts';
import { admitAndRegisterExecutor } from '../backends/onchain/publish.ts';
import { freePortOnLoopback } from '../backends/ports.ts';
import { listenerComponent, type ProcessComponent } from '../backends/product/components.ts';
import { sealKeyServersFlag, startStack, type Stack } from '../stack.ts';
import { prng } from '../../src/shared/prng.ts';

const SUI = 1_000_000_000n;
const ALL = { verbs: ['*'], apiGroups: ['*'], resources: ['*'], namespaces: ['*'], resourceNames: [] };
export const CRASH_POINTS = ['after-claim', 'after-execute', 'before-store'] as const;

export interface ChaosOptions {
  /** creates to send */
  n: number;
  clients?: number;
  listeners?: number;
  /** the cluster's claim lease (ms) */
  claimLeaseMs?: number;
  /** false: the same run without any fault (the baseline) */
  faults?: boolean;
  /** seed of the fault schedule */
  seed?: number;
  /** the client's deadline per request (ms) */
  requestTimeoutMs?: number;
  reportFile?: string;
  log?: (line: string) => void;
}

export interface ChaosReport {
  n: number;
  clients: number;
  listeners: number;
  claimLeaseMs: number;
  faults: boolean;
  seed: number;
  wallMs: number;
  answered: Record<string, number>;
  executedTwice: number;
  lost: number;
  ambiguous: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number };
  /** from the last fault (kill, pause end) to the last answer */
  drainMs: number;
  kills: number;
  crashPointRestarts: number;
  /** listeners that killed themselves at their crash point (restarted by the supervisor) */
  crashPointDeaths: number;
  /** spawn → /healthz 200 of every listener (re)start after the first */
  restartMs: { count: number; p50: number; p90: number; max: number };
  /** every listener start as the process reports it: process start → healthy */
  readyAfterProcessStartMs: { count: number; p50: number; p90: number; max: number };
  chainPauseMs: number;
  listenerPauseMs: number;
  /** requests emitted on chain without a K8sAPIResponse at the end */
  openOnChain: number;
  problems: string[];
}

interface Outcome {
  name: string;
  code: number;
  ms: number;
  body: string;
  endedAt: number;
}

const pct = (xs: number[], p: number): number => {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!);
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One HTTPS request to the gateway; code 0 = no answer (connection error or the deadline). */
function send(
  s: Stack,
  agent: Agent,
  token: string,
  method: string,
  path: string,
  body: string | undefined,
  timeoutMs: number,
): Promise<{ code: number; body: string }> {
  const u = new URL(s.gateway.url);
  return new Promise((resolve) => {
    const req = request(
      {
        host: u.hostname,
        port: u.port,
        method,
        path,
        ca: s.tls.caCert,
        agent,
        timeout: timeoutMs,
        headers: {
          authorization: `Bearer ${token}`,
          accept: 'application/json',
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ code: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
        res.on('error', (e) => resolve({ code: 0, body: e.message }));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (e) => resolve({ code: 0, body: e.message }));
    req.end(body);
  });
}

interface Listener {
  index: number;
  component: ProcessComponent & { healthUrl: string };
  /** paused or being restarted by the fault loop: the supervisor leaves it alone */
  busy: boolean;
}

/** Three executors' listener processes, besides the stack's own (stopped: ours get crash points). */
async function startListeners(s: Stack, count: number): Promise<Listener[]> {
  await s.listener.stop();
  const funder = new Funder(s.client, s.chain);
  const out: Listener[] = [];
  for (let i = 0; i < count; i++) {
    let address = s.executorAddress;
    let keystorePath = s.keystores.listener;
    let stateDir = join(s.workDir, 'nautilus');
    if (i > 0) {
      // Its own executor: funded, admitted, registered with its own answer-signing key.
      const kp = new Ed25519Keypair();
      address = kp.toSuiAddress();
      stateDir = join(s.workDir, `nautilus-${i}`);
      await funder.fund([address], 200n * SUI);
      const signer = AnswerSigner.fromFile(join(stateDir, 'answer-signing.key'));
      await admitAndRegisterExecutor(
        s.client,
        s.admin,
        kp,
        s.deployment,
        s.config.minExecutorStake,
        signer.publicKey,
      );
      const ks = Keystore.fromEntries([]);
      ks.add(kp);
      keystorePath = join(stateDir, 'sui.keystore');
      await ks.save(keystorePath);
    }
    const component = listenerComponent(
      {
        grpcUrl: s.chain.url,
        packageId: s.deployment.packageId,
        clusterId: s.deployment.clusterId,
        keystorePath,
        address,
        kubeconfigPath: s.cluster.kubeconfigPath,
        // The cluster's admin kubeconfig, as the stack's own listener has it (#18 refuses it unasked).
        allowAdminCredential: true,
        ...(s.keyServers ? { sealKeyServers: sealKeyServersFlag(s.keyServers) } : {}),
        stateDir,
        healthPort: await freePortOnLoopback(),
      },
      60_000,
    );
    out.push({ index: i, component, busy: false });
  }
  await Promise.all(out.map((l) => l.component.start()));
  return out;
}

export async function runChaos(o: ChaosOptions): Promise<ChaosReport> {
  const clients = o.clients ?? 8;
  const listenersCount = o.listeners ?? 3;
  const claimLeaseMs = o.claimLeaseMs ?? 5_000;
  const faults = o.faults ?? true;
  const seed = o.seed ?? Date.now() % 1_000_000;
  const timeoutMs = o.requestTimeoutMs ?? 60_000;
  const log = o.log ?? (() => {});
  const rng = prng(seed);
  const run = `chaos-${seed.toString(36)}`;

  const s = await startStack({
    chain: { kind: 'embedded', separateProcess: true },
    identities: Array.from({ length: clients }, (_, i) => ({
      name: `client-${i}`,
      rules: [ALL],
      stakeMist: SUI / 10n,
    })),
    clusterConfig: { claimLeaseMs, maxHoldMs: Math.max(30_000, 6 * claimLeaseMs) },
    onPhase: (p) => log(`stack: ${p.name} ${Math.round(p.ms)} ms — ${p.detail}`),
  });
  const problems: string[] = [];
  let listeners: Listener[] = [];
  try {
    listeners = await startListeners(s, listenersCount);
    log(
      `${listeners.length} listeners healthy; sending ${o.n} creates from ${clients} clients (seed ${seed})`,
    );

    // Supervisor: a listener that died (SIGKILL, its crash point) is started again at once.
    const restarts: number[] = [];
    let crashPointDeaths = 0;
    let lastFaultAt = performance.now();
    let supervising = true;
    const supervisor = (async () => {
      while (supervising) {
        for (const l of listeners) {
          if (l.busy || l.component.running()) continue;
          l.busy = true;
          crashPointDeaths++;
          lastFaultAt = performance.now();
          const t = performance.now();
          l.component.setEnv({ K3S_DAAS_NAUTILUS_CRASH_AT: undefined });
          await l.component.stop(); // collects the exited process's logs
          await l.component
            .start()
            .then(() => restarts.push(performance.now() - t))
            .catch((e: unknown) =>
              problems.push(`listener ${l.index} did not restart: ${(e as Error).message}`),
            );
          l.busy = false;
        }
        await sleep(20);
      }
    })();

    const outcomes: Outcome[] = [];
    let next = 0;
    let sending = true;
    const started = performance.now();
    const agent = new Agent({ keepAlive: true, maxSockets: clients });
    const clientLoop = async (c: number) => {
      const token = s.identity(`client-${c}`).bearerToken;
      for (let i = next++; i < o.n; i = next++) {
        const name = `${run}-${i}`;
        const body = JSON.stringify({
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name },
          data: { i: String(i) },
        });
        const t = performance.now();
        const r = await send(
          s,
          agent,
          token,
          'POST',
          '/api/v1/namespaces/default/configmaps',
          body,
          timeoutMs,
        );
        outcomes.push({
          name,
          code: r.code,
          body: r.body,
          ms: performance.now() - t,
          endedAt: performance.now(),
        });
      }
    };
    const clientsDone = Promise.all(Array.from({ length: clients }, (_, c) => clientLoop(c))).then(() => {
      sending = false;
    });

    // Faults, while creates are being sent.
    let kills = 0;
    let crashPointRestarts = 0;
    let chainPauseMs = 0;
    let listenerPauseMs = 0;
    const untilProgress = async (fraction: number) => {
      while (sending && next / o.n < fraction) await sleep(50);
      return sending;
    };
    // The chain process paused 3 s, once, about a third of the way through.
    const chainPause = async () => {
      if (!faults || !(await untilProgress(0.3))) return;
      log('fault: chain paused 3 s');
      const t = performance.now();
      s.chain.signal?.('SIGSTOP');
      await sleep(3_000);
      s.chain.signal?.('SIGCONT');
      chainPauseMs = performance.now() - t;
      lastFaultAt = performance.now();
    };
    // One listener paused past its claim lease, once, about two thirds of the way through.
    const listenerPause = async () => {
      if (!faults || !(await untilProgress(0.6))) return;
      const l = listeners.find((x) => !x.busy && x.component.running());
      if (!l) return;
      l.busy = true;
      const ms = claimLeaseMs + 3_000;
      log(`fault: listener ${l.index} paused ${ms} ms (lease ${claimLeaseMs} ms)`);
      const t = performance.now();
      l.component.signal('SIGSTOP');
      await sleep(ms);
      l.component.signal('SIGCONT');
      listenerPauseMs = performance.now() - t;
      l.busy = false;
      lastFaultAt = performance.now();
    };
    // A random listener SIGKILLed every 0.5–3 s and restarted at once; a third of the restarts
    // armed with a crash point (the process kills itself there; the supervisor restarts it).
    const kill = async () => {
      while (faults && sending) {
        await sleep(500 + rng() * 2_500);
        if (!sending) break;
        const l = listeners[Math.floor(rng() * listeners.length)]!;
        if (l.busy || !l.component.running()) continue;
        l.busy = true;
        l.component.signal('SIGKILL');
        kills++;
        lastFaultAt = performance.now();
        await l.component.stop();
        if (rng() < 1 / 3) {
          const point = CRASH_POINTS[Math.floor(rng() * CRASH_POINTS.length)]!;
          l.component.setEnv({ K3S_DAAS_NAUTILUS_CRASH_AT: point });
          crashPointRestarts++;
          log(`fault: listener ${l.index} killed, restarted armed with ${point}`);
        } else log(`fault: listener ${l.index} killed`);
        const t = performance.now();
        await l.component
          .start()
          .then(() => restarts.push(performance.now() - t))
          .catch((e: unknown) =>
            problems.push(`listener ${l.index} did not restart: ${(e as Error).message}`),
          );
        l.busy = false;
      }
    };
    await Promise.all([clientsDone, chainPause(), listenerPause(), kill()]);
    const ended = performance.now();
    supervising = false;
    await supervisor;
    agent.destroy();

    // What the cluster holds, read directly (not through the gateway).
    const objects = await listConfigMaps(s);
    const byCode: Record<string, number> = {};
    let executedTwice = 0;
    let lost = 0;
    let ambiguous = 0;
    for (const r of outcomes) {
      byCode[r.code] = (byCode[r.code] ?? 0) + 1;
      const obj = objects.get(r.name);
      if (r.code === 201) {
        if (!obj) {
          lost++;
          problems.push(`${r.name}: 201 but no such object`);
        }
      } else if (r.code === 409 && r.body.includes('AlreadyExists')) {
        executedTwice++;
        problems.push(`${r.name}: 409 AlreadyExists for its only create (tagged ${obj?.tag ?? 'nothing'})`);
      } else if (r.code === 0) {
        lost++;
        problems.push(`${r.name}: no answer (${r.body.slice(0, 120)}); object ${obj ? 'exists' : 'absent'}`);
      } else {
        ambiguous++;
        problems.push(`${r.name}: ${r.code} ${r.body.slice(0, 160)}; object ${obj ? 'exists' : 'absent'}`);
      }
    }
    const lastAnswer = Math.max(...outcomes.map((r) => r.endedAt));
    // What each listener process says itself: ready N ms after it started (spawn and launcher excluded).
    const ready = listeners.flatMap((l) =>
      [...l.component.logs().matchAll(/ready (\d+) ms after the process started/g)].map((m) => Number(m[1])),
    );
    const openOnChain = await openRequests(s);
    const lat = outcomes.filter((r) => r.code !== 0).map((r) => r.ms);
    const report: ChaosReport = {
      n: o.n,
      clients,
      listeners: listenersCount,
      claimLeaseMs,
      faults,
      seed,
      wallMs: Math.round(ended - started),
      answered: byCode,
      executedTwice,
      lost,
      ambiguous,
      latencyMs: { p50: pct(lat, 50), p90: pct(lat, 90), p99: pct(lat, 99), max: pct(lat, 100) },
      drainMs: faults ? Math.max(0, Math.round(lastAnswer - lastFaultAt)) : 0,
      kills,
      crashPointRestarts,
      crashPointDeaths,
      restartMs: {
        count: restarts.length,
        p50: pct(restarts, 50),
        p90: pct(restarts, 90),
        max: pct(restarts, 100),
      },
      readyAfterProcessStartMs: {
        count: ready.length,
        p50: pct(ready, 50),
        p90: pct(ready, 90),
        max: pct(ready, 100),
      },
      chainPauseMs: Math.round(chainPauseMs),
      listenerPauseMs: Math.round(listenerPauseMs),
      openOnChain,
      problems: problems.slice(0, 50),
    };
    if (o.reportFile) {
      await mkdir(dirname(o.reportFile), { recursive: true });
      await writeFile(o.reportFile, JSON.stringify(report, null, 2) + '\n');
    }
    return report;
  } catch (e) {
    for (const l of listeners) log(`--- listener ${l.index} logs ---\n${l.component.logs().slice(-4_000)}`);
    throw e;
  } finally {
    for (const l of listeners) {
      l.component.signal('SIGCONT');
      await l.component.stop();
    }
    s.chain.signal?.('SIGCONT');
    await s.stop();
  }
}

/** The run's ConfigMaps in the cluster, read with the cluster's own kubeconfig. */
async function listConfigMaps(s: Stack): Promise<Map<string, { tag?: string }>> {
  const { CoreV1Api } = await import('@kubernetes/client-node');
  const api = s.kube.makeApiClient(CoreV1Api);
  const list = await api.listNamespacedConfigMap({ namespace: 'default' });
  const out = new Map<string, { tag?: string }>();
  for (const cm of list.items) {
    const tag = cm.metadata?.annotations?.[REQUEST_ANNOTATION];
    out.set(cm.metadata!.name!, tag ? { tag } : {});
  }
  return out;
}

/** K8sAPIRequest events without a K8sAPIResponse for the same request object. */
async function openRequests(s: Stack): Promise<number> {
  await s.events.poll();
  const requested = new Set<string>();
  const answered = new Set<string>();
  for (const e of s.events.all()) {
    const id = e.fields.request_object_id;
    if (typeof id !== 'string') continue;
    if (e.type === 'K8sAPIRequest') requested.add(id);
    if (e.type === 'K8sAPIResponse') answered.add(id);
  }
  return [...requested].filter((id) => !answered.has(id)).length;
}
