/**
 * `npm run bench:gateway` → reports/bench-gateway.json
 *
 * The system as it is deployed: the embedded Sui node, the `k3s-daas gateway` and the
 * `k3s-daas nautilus` listener each in their own process (started by harness/stack.ts), the
 * embedded Kubernetes API server and the HTTPS clients in this one. Measures gateway-level
 * latency (request in → response out, seen by the client) for GET and CREATE through the full
 * chain path, the same requests sent directly to the cluster (ratio), throughput with 16
 * concurrent clients (16 identities), and the per-hop means the gateway and listener export.
 * Knobs: BENCH_N (sequential samples, default 60), BENCH_SECONDS (throughput window, default 10),
 * BENCH_IN_PROCESS=1 (chain, gateway and listener inside this process, for comparison).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { Agent, request } from 'node:https';
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { randomBytes } from 'node:crypto';
import { startStack, type Stack } from '../stack.ts';
import { Keystore } from '../../src/sui/keystore.ts';
import { requestCost } from './onchain-cost.ts';

const N = Number(process.env.BENCH_N ?? 60);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const IN_PROCESS = process.env.BENCH_IN_PROCESS === '1';
const CLIENTS = 16;
const ALL_RULE = { verbs: ['*'], apiGroups: ['*'], resources: ['*'], namespaces: ['*'], resourceNames: [] };
const TARGET = { p50_ms: 60, p99_ms: 250, rps: 50 };
/** Issue #17: an encrypted GET costs at most 2× the plaintext p50 and keeps ≥ 50 % of its throughput. */
const SEAL_TARGET = { p50_ratio_max: 2, rps_ratio_min: 0.5 };

interface Target {
  base: string;
  ca: string;
  token: string;
  agent: Agent;
}

function call(
  t: Target,
  method: string,
  path: string,
  body?: string,
): Promise<{ code: number; ms: number; txDigest?: string }> {
  const u = new URL(t.base);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: u.hostname,
        port: u.port,
        method,
        path,
        ca: t.ca,
        agent: t.agent,
        headers: {
          authorization: `Bearer ${t.token}`,
          accept: 'application/json',
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
      },
      (res) => {
        res.resume();
        const tx = res.headers['x-k3s-daas-tx-digest'];
        res.on('end', () =>
          resolve({
            code: res.statusCode ?? 0,
            ms: performance.now() - started,
            ...(typeof tx === 'string' ? { txDigest: tx } : {}),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! * 10) / 10;
}

function summary(xs: number[]) {
  return {
    n: xs.length,
    p50_ms: pct(xs, 50),
    p99_ms: pct(xs, 99),
    mean_ms: Math.round((xs.reduce((a, b) => a + b, 0) / xs.length) * 10) / 10,
  };
}

const GET_PATH = '/api/v1/namespaces/default/configmaps/bench-target';
const configMap = (name: string) =>
  JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { a: 'b' } });

async function sequential(t: Target, kind: 'get' | 'create', tag: string): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < N; i++) {
    const r =
      kind === 'get'
        ? await call(t, 'GET', GET_PATH)
        : await call(t, 'POST', '/api/v1/namespaces/default/configmaps', configMap(`${tag}-${i}`));
    if (r.code !== (kind === 'get' ? 200 : 201)) throw new Error(`${kind} via ${t.base} answered ${r.code}`);
    out.push(r.ms);
  }
  return out;
}

async function throughput(targets: Target[]) {
  const until = performance.now() + SECONDS * 1000;
  const lat: number[] = [];
  let errors = 0;
  await Promise.all(
    targets.map(async (t) => {
      while (performance.now() < until) {
        const r = await call(t, 'GET', GET_PATH).catch(() => ({ code: 0, ms: 0 }));
        if (r.code === 200) lat.push(r.ms);
        else errors++;
      }
    }),
  );
  return {
    requests: lat.length,
    seconds: SECONDS,
    rps: Math.round((lat.length / SECONDS) * 10) / 10,
    errors,
    latency: summary(lat),
  };
}

/**
 * CPU seconds used so far by this process and every descendant, keyed by a short role name
 * (Linux /proc; empty elsewhere). Read before and after a phase to see where its CPU went.
 */
function cpuByProcess(): Map<string, number> {
  const out = new Map<string, number>();
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return out;
  }
  const stat = new Map<number, { ppid: number; cpu: number; cmd: string }>();
  for (const pid of pids) {
    try {
      const raw = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = raw.slice(raw.lastIndexOf(')') + 2).split(' ');
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
      // Fields after the command: state(0) ppid(1) … utime(11) stime(12), in clock ticks (100 Hz).
      stat.set(Number(pid), { ppid: Number(f[1]), cpu: (Number(f[11]) + Number(f[12])) / 100, cmd });
    } catch {
      /* exited meanwhile */
    }
  }
  const isOurs = (pid: number): boolean => {
    for (let p = pid, hops = 0; p > 1 && hops < 20; hops++) {
      if (p === process.pid) return true;
      p = stat.get(p)?.ppid ?? 0;
    }
    return false;
  };
  for (const [pid, st] of stat) {
    if (!isOurs(pid) || !st.cmd.includes('node')) continue;
    const role =
      pid === process.pid
        ? 'bench (clients + embedded kube)'
        : / gateway /.test(st.cmd)
          ? 'gateway'
          : / nautilus /.test(st.cmd)
            ? 'listener'
            : /embedded\/sui\/cli/.test(st.cmd)
              ? 'sui node'
              : `other: ${st.cmd.slice(0, 60)}`;
    out.set(role, (out.get(role) ?? 0) + st.cpu);
  }
  return out;
}

/** gRPC calls served so far by the embedded node, per method (its `GET /stats`); empty if unavailable. */
async function nodeCalls(chainUrl: string): Promise<Map<string, number>> {
  try {
    const stats = JSON.parse(await fetchText(`${chainUrl}/stats`)) as {
      methods: Record<string, { calls: number }>;
    };
    return new Map(Object.entries(stats.methods).map(([m, v]) => [m.split('/').pop()!, v.calls]));
  } catch {
    return new Map();
  }
}

/** Mean per hop (ms) from a Prometheus text exposition's k3s_daas_hop_seconds histogram. */
export function hopMeans(exposition: string): Record<string, number> {
  const sums = new Map<string, number>();
  const counts = new Map<string, number>();
  for (const line of exposition.split('\n')) {
    const m = /^k3s_daas_hop_seconds_(sum|count)\{hop="([^"]+)"\} ([0-9.e+-]+)$/.exec(line);
    if (!m) continue;
    (m[1] === 'sum' ? sums : counts).set(m[2]!, Number(m[3]));
  }
  return Object.fromEntries(
    [...sums].map(([hop, s]) => [hop, Math.round(((s * 1000) / (counts.get(hop) || 1)) * 10) / 10]),
  );
}

function fetchText(url: string, ca?: string, bearer?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const send = url.startsWith('https:') ? request : httpRequest;
    const opts = {
      ...(ca ? { ca } : {}),
      ...(bearer ? { headers: { authorization: `Bearer ${bearer}` } } : {}),
    };
    const req = send(url, opts, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve(body));
    });
    req.on('error', reject);
    req.end();
  });
}

/** One 60 KB GET and one small CREATE through the chain, priced per party (see onchain-cost.ts). */
async function costs(s: Stack, chain: Target, name: string, direct: Target) {
  const big = JSON.stringify({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'bench-60k' },
    data: { blob: randomBytes(45_000).toString('base64') },
  });
  const made = await call(direct, 'POST', '/api/v1/namespaces/default/configmaps', big);
  if (made.code !== 201) throw new Error(`creating bench-60k directly answered ${made.code}`);
  const requester = (await Keystore.load(s.keystores.gateway)).require(s.identity(name).address!);
  const read = await call(chain, 'GET', '/api/v1/namespaces/default/configmaps/bench-60k');
  const write = await call(chain, 'POST', '/api/v1/namespaces/default/configmaps', configMap('bench-cost'));
  if (!read.txDigest || !write.txDigest) throw new Error('the gateway returned no transaction digest');
  return {
    read60k: await requestCost(s.client, s.deployment.packageId, read.txDigest, requester),
    smallWrite: await requestCost(s.client, s.deployment.packageId, write.txDigest, requester),
    baselineV1: {
      note: 'contract v1 (body stored in the Request; measured for issue #14 on the embedded stack, 66 KB ConfigMap)',
      readerNetPerReadMist: '+500000000',
      executorNetPerReadMist: '-650000000',
    },
  };
}

/** `/v1/fetch_key` calls answered by the stack's embedded key servers so far. */
function keyFetches(s: Stack): number {
  return (s.keyServers?.servers ?? []).reduce((n, k) => n + k.server.stats.fetchKey, 0);
}

/**
 * The same GET on a Seal cluster (stack default: 3 embedded key servers, threshold 2), booted
 * the same way: the listener encrypts every answer for its requester, the gateway decrypts it
 * with the requester's SessionKey. Key fetches are counted at the key servers.
 */
async function sealedGet(names: string[]) {
  const s = await startStack({
    chain: { kind: 'embedded', separateProcess: !IN_PROCESS },
    inProcess: IN_PROCESS,
    confidentiality: 'seal',
    identities: names.map((name) => ({ name, rules: [ALL_RULE], stakeMist: 1_000_000_000n })),
    onPhase: (p) => process.stderr.write(`  seal ${p.name.padEnd(10)} ${Math.round(p.ms)} ms  ${p.detail}\n`),
  });
  try {
    const cluster = s.kube.getCurrentCluster()!;
    const direct: Target = {
      base: cluster.server,
      ca: Buffer.from(cluster.caData ?? '', 'base64').toString(),
      token: s.kube.getCurrentUser()!.token ?? '',
      agent: new Agent({ keepAlive: true, maxSockets: 4 }),
    };
    const made = await call(
      direct,
      'POST',
      '/api/v1/namespaces/default/configmaps',
      configMap('bench-target'),
    );
    if (made.code !== 201) throw new Error(`creating bench-target directly answered ${made.code}`);
    const via = (name: string): Target => ({
      base: s.gateway.url,
      ca: s.tls.caCert,
      token: s.identity(name).bearerToken,
      agent: new Agent({ keepAlive: true, maxSockets: 4 }),
    });
    const first = via(names[0]!);
    const f0 = keyFetches(s);
    for (let i = 0; i < 5; i++) await call(first, 'GET', GET_PATH); // warm-up: the session's one key fetch
    const warmupKeyFetches = keyFetches(s) - f0;
    process.stderr.write(`seal: sequential GET, ${N}…\n`);
    const f1 = keyFetches(s);
    const get = await sequential(first, 'get', 'x');
    const sequentialKeyFetches = keyFetches(s) - f1;
    process.stderr.write(`seal: throughput, ${CLIENTS} clients for ${SECONDS}s…\n`);
    const f2 = keyFetches(s);
    const cpuBefore = cpuByProcess();
    const tp = await throughput(names.map(via));
    const cpuAfter = cpuByProcess();
    const throughputKeyFetches = keyFetches(s) - f2;
    const cpuMsPerRequest = Object.fromEntries(
      [...cpuAfter].map(([role, c]) => [
        role,
        Math.round((((c - (cpuBefore.get(role) ?? 0)) * 1000) / Math.max(1, tp.requests)) * 10) / 10,
      ]),
    );
    const hops = {
      gateway: hopMeans(
        await fetchText(`${s.gateway.url}/k3s-daas/metrics`, s.tls.caCert, s.identity(names[0]!).bearerToken),
      ),
      listener: hopMeans(await fetchText(s.listener.healthUrl.replace(/\/healthz$/, '/metrics'))),
    };
    const perRequest = (n: number, requests: number) => Math.round((n / Math.max(1, requests)) * 1000) / 1000;
    return {
      keyServers: { count: s.keyServers?.servers.length ?? 0, threshold: s.keyServers?.threshold ?? 0 },
      get: summary(get),
      throughput16: { ...tp, cpuMsPerRequest },
      keyFetches: {
        note: '/v1/fetch_key calls answered by the key servers (gateway and listener together); ids are per requester session, so a session pays once',
        warmup5Gets: warmupKeyFetches,
        perSequentialGet: perRequest(sequentialKeyFetches, get.length),
        perThroughputGet: perRequest(throughputKeyFetches, tp.requests),
        throughputTotal: throughputKeyFetches,
      },
      hopMeansMs: hops,
    };
  } finally {
    await s.stop();
  }
}

/**
 * kubectl-level latency of a read and a write with the embedded node imitating Sui mainnet's
 * finalization latency (harness/embedded/sui/latency-profile.ts), next to the default profile.
 */
async function mainnetProfile() {
  const s = await startStack({
    chain: { kind: 'embedded', separateProcess: true, latencyProfile: 'mainnet' },
    // Comparable with earlier runs (finalization latency only); the Seal cost is measured above.
    confidentiality: 'none',
    identities: [{ name: 'mainnet-client', rules: [ALL_RULE], stakeMist: 1_000_000_000n }],
  });
  try {
    const t: Target = {
      base: s.gateway.url,
      ca: s.tls.caCert,
      token: s.identity('mainnet-client').bearerToken,
      agent: new Agent({ keepAlive: true, maxSockets: 4 }),
    };
    const made = await call(t, 'POST', '/api/v1/namespaces/default/configmaps', configMap('bench-target'));
    if (made.code !== 201) throw new Error(`creating bench-target answered ${made.code}`);
    const samples = Math.min(N, 20);
    const get: number[] = [];
    const create: number[] = [];
    for (let i = 0; i < samples; i++) get.push((await call(t, 'GET', GET_PATH)).ms);
    for (let i = 0; i < samples; i++)
      create.push(
        (await call(t, 'POST', '/api/v1/namespaces/default/configmaps', configMap(`mainnet-${i}`))).ms,
      );
    return {
      profile:
        'mainnet: consensus ≈ 500 ms, fast path ≈ 250 ms, checkpoints every 250 ms (sources in latency-profile.ts)',
      get: summary(get),
      create: summary(create),
      goal: { get_p50_ms: 1_000, create_p50_ms: 1_500 },
      sequentialTransactions: {
        read: 'request (consensus) → claim+answer in one transaction (consensus)',
        write: 'request (consensus) → claim (consensus) → answer (consensus)',
      },
    };
  } finally {
    await s.stop();
  }
}

async function main(): Promise<void> {
  const names = Array.from({ length: CLIENTS }, (_, i) => `client-${i}`);
  process.stderr.write(
    `booting ${IN_PROCESS ? 'everything in this process' : 'chain, gateway and listener as separate processes'}…\n`,
  );
  const s: Stack = await startStack({
    chain: { kind: 'embedded', separateProcess: !IN_PROCESS },
    inProcess: IN_PROCESS,
    // The plaintext baseline: a cluster created with confidentiality none (the explicit opt-out).
    confidentiality: 'none',
    identities: names.map((name) => ({ name, rules: [ALL_RULE], stakeMist: 1_000_000_000n })),
    onPhase: (p) => process.stderr.write(`  ${p.name.padEnd(10)} ${Math.round(p.ms)} ms  ${p.detail}\n`),
  });
  const agent = () => new Agent({ keepAlive: true, maxSockets: 4 });
  const viaGateway = (name: string): Target => ({
    base: s.gateway.url,
    ca: s.tls.caCert,
    token: s.identity(name).bearerToken,
    agent: agent(),
  });
  const cluster = s.kube.getCurrentCluster()!;
  const user = s.kube.getCurrentUser()!;
  const direct: Target = {
    base: cluster.server,
    ca: Buffer.from(cluster.caData ?? '', 'base64').toString(),
    token: user.token ?? '',
    agent: agent(),
  };
  try {
    const created = await call(
      direct,
      'POST',
      '/api/v1/namespaces/default/configmaps',
      configMap('bench-target'),
    );
    if (created.code !== 201) throw new Error(`creating bench-target directly answered ${created.code}`);
    const chain = viaGateway(names[0]!);
    for (let i = 0; i < 5; i++) await call(chain, 'GET', GET_PATH); // warm-up
    process.stderr.write(`sequential GET/CREATE, ${N} each…\n`);
    const chainGet = await sequential(chain, 'get', 'x');
    const chainCreate = await sequential(chain, 'create', 'bench-chain');
    const directGet = await sequential(direct, 'get', 'x');
    const directCreate = await sequential(direct, 'create', 'bench-direct');
    process.stderr.write(`throughput: ${CLIENTS} clients for ${SECONDS}s…\n`);
    const callsBefore = await nodeCalls(s.chain.url);
    const cpuBefore = cpuByProcess();
    const tp = await throughput(names.map(viaGateway));
    const cpuAfter = cpuByProcess();
    const callsAfter = await nodeCalls(s.chain.url);
    const nodeCallsPerRequest = Object.fromEntries(
      [...callsAfter]
        .map(
          ([m, n]) =>
            [
              m,
              Math.round(((n - (callsBefore.get(m) ?? 0)) / Math.max(1, tp.requests)) * 100) / 100,
            ] as const,
        )
        .filter(([, n]) => n > 0),
    );
    const cpuMsPerRequest = Object.fromEntries(
      [...cpuAfter].map(([role, s2]) => [
        role,
        Math.round((((s2 - (cpuBefore.get(role) ?? 0)) * 1000) / Math.max(1, tp.requests)) * 10) / 10,
      ]),
    );
    process.stderr.write('on-chain cost of a 60 KB read and a small write…\n');
    const onChainCost = await costs(s, chain, names[0]!, direct);
    const hops = {
      gateway: hopMeans(
        await fetchText(`${s.gateway.url}/k3s-daas/metrics`, s.tls.caCert, s.identity(names[0]!).bearerToken),
      ),
      listener: hopMeans(await fetchText(s.listener.healthUrl.replace(/\/healthz$/, '/metrics'))),
    };
    const g = summary(chainGet);
    const c = summary(chainCreate);
    const report = {
      generatedAt: new Date().toISOString(),
      layout: IN_PROCESS
        ? 'embedded Sui node, gateway, listener and embedded Kubernetes in ONE process'
        : 'embedded Sui node, k3s-daas gateway and k3s-daas nautilus in separate processes; embedded Kubernetes and the clients in the bench process',
      machine: { cpus: os.cpus().length, loadavg: os.loadavg().map((x) => Math.round(x * 100) / 100) },
      get: {
        viaChain: g,
        direct: summary(directGet),
        ratio_p50: Math.round((g.p50_ms / pct(directGet, 50)) * 10) / 10,
      },
      create: {
        viaChain: c,
        direct: summary(directCreate),
        ratio_p50: Math.round((c.p50_ms / pct(directCreate, 50)) * 10) / 10,
      },
      throughput16: { ...tp, cpuMsPerRequest, nodeCallsPerRequest },
      hopMeansMs: hops,
      onChainCost,
      targets: TARGET,
      met: {
        p50: g.p50_ms <= TARGET.p50_ms && c.p50_ms <= TARGET.p50_ms,
        p99: g.p99_ms <= TARGET.p99_ms && c.p99_ms <= TARGET.p99_ms,
        rps: tp.rps >= TARGET.rps,
      },
    };
    process.stderr.write('the same GET on a Seal cluster (encrypted), side by side…\n');
    const sealed = await sealedGet(names);
    const plainP50 = g.p50_ms;
    (report as Record<string, unknown>).encryptedGet = {
      ...sealed,
      plaintext: { get: g, rps16: tp.rps },
      addedMsPerRequest_p50: Math.round((sealed.get.p50_ms - plainP50) * 10) / 10,
      addedMsPerRequest_mean: Math.round((sealed.get.mean_ms - g.mean_ms) * 10) / 10,
      ratio_p50: Math.round((sealed.get.p50_ms / plainP50) * 100) / 100,
      throughputRatio: Math.round((sealed.throughput16.rps / Math.max(0.1, tp.rps)) * 100) / 100,
      targets: SEAL_TARGET,
      met: {
        p50: sealed.get.p50_ms <= SEAL_TARGET.p50_ratio_max * plainP50,
        throughput: sealed.throughput16.rps >= SEAL_TARGET.rps_ratio_min * tp.rps,
      },
    };
    process.stderr.write('the same read and write under the mainnet latency profile…\n');
    (report as Record<string, unknown>).mainnetLatencyProfile = await mainnetProfile();
    await mkdir('reports', { recursive: true });
    await writeFile('reports/bench-gateway.json', JSON.stringify(report, null, 2) + '\n');
    process.stdout.write(JSON.stringify(report, null, 2) + '\n');
    process.stderr.write('written to reports/bench-gateway.json\n');
  } finally {
    await s.stop();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`bench:gateway failed: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
