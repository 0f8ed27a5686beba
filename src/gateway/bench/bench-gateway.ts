/**
 * `npm run bench:gateway` → reports/bench-gateway.json
 *
 * Gateway-level latency (request in → response out, measured by the client)
 * for GET and CREATE through the full chain path (gateway → contract on the
 * embedded Sui node → Nautilus listener → embedded Kubernetes → stored
 * response), next to the same requests sent directly to the embedded
 * cluster, plus throughput with 16 concurrent clients (16 identities).
 * Knobs: BENCH_N (sequential samples, default 60), BENCH_SECONDS (throughput window, default 10).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { Agent, request } from 'node:https';
import { startE2EStack, ALL, type E2EStack } from '../e2e/e2e-stack.ts';
import { hopDurations } from '../../shared/trace.ts';

const N = Number(process.env.BENCH_N ?? 60);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CLIENTS = 16;

interface Target {
  base: string;
  ca: string;
  token: string;
  agent: Agent;
}

function call(t: Target, method: string, path: string, body?: string): Promise<{ code: number; ms: number }> {
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
        res.on('end', () => resolve({ code: res.statusCode ?? 0, ms: performance.now() - started }));
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

async function sequential(t: Target, kind: 'get' | 'create', tag: string): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < N; i++) {
    const r =
      kind === 'get'
        ? await call(t, 'GET', '/api/v1/namespaces/default/configmaps/bench-target')
        : await call(
            t,
            'POST',
            '/api/v1/namespaces/default/configmaps',
            JSON.stringify({
              apiVersion: 'v1',
              kind: 'ConfigMap',
              metadata: { name: `${tag}-${i}` },
              data: { i: String(i) },
            }),
          );
    if (r.code !== (kind === 'get' ? 200 : 201)) throw new Error(`${kind} via ${t.base} answered ${r.code}`);
    out.push(r.ms);
  }
  return out;
}

async function throughput(targets: Target[]): Promise<{
  requests: number;
  seconds: number;
  rps: number;
  errors: number;
  latency: ReturnType<typeof summary>;
}> {
  const until = performance.now() + SECONDS * 1000;
  const lat: number[] = [];
  let errors = 0;
  await Promise.all(
    targets.map(async (t) => {
      while (performance.now() < until) {
        const r = await call(t, 'GET', '/api/v1/namespaces/default/configmaps/bench-target').catch(() => ({
          code: 0,
          ms: 0,
        }));
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

async function main(): Promise<void> {
  const specs = Array.from({ length: CLIENTS }, (_, i) => ({
    name: `client-${i}`,
    rules: [ALL],
    stake: 1_000n,
  }));
  process.stderr.write('booting embedded chain + cluster + gateway + listener…\n');
  const s: E2EStack = await startE2EStack(specs);
  await s.startListener(0, { shard: { index: 0, count: 2 }, concurrency: 16 });
  await s.startListener(1, { shard: { index: 1, count: 2 }, concurrency: 16 });
  const agent = () => new Agent({ keepAlive: true, maxSockets: 4 });
  const viaChain: Target = {
    base: s.gateway.url,
    ca: s.gateway.caCert,
    token: s.tokens.get('client-0')!,
    agent: agent(),
  };
  const direct: Target = {
    base: s.kube.url,
    ca: s.kube.caPem ?? '',
    token: s.kube.adminToken,
    agent: agent(),
  };
  try {
    await call(
      direct,
      'POST',
      '/api/v1/namespaces/default/configmaps',
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'bench-target' },
        data: { a: 'b' },
      }),
    );
    for (let i = 0; i < 5; i++)
      await call(viaChain, 'GET', '/api/v1/namespaces/default/configmaps/bench-target'); // warm-up
    process.stderr.write(`sequential GET/CREATE, ${N} each…\n`);
    const chainGet = await sequential(viaChain, 'get', 'x');
    const chainCreate = await sequential(viaChain, 'create', 'bench-chain');
    const directGet = await sequential(direct, 'get', 'x');
    const directCreate = await sequential(direct, 'create', 'bench-direct');
    process.stderr.write(`throughput: ${CLIENTS} clients for ${SECONDS}s…\n`);
    const tp = await throughput(
      specs.map((sp) => ({
        base: s.gateway.url,
        ca: s.gateway.caCert,
        token: s.tokens.get(sp.name)!,
        agent: agent(),
      })),
    );
    const hopMeans = (records: Array<{ marks: Partial<Record<string, number>> }>) => {
      const sums: Record<string, { total: number; n: number }> = {};
      for (const r of records)
        for (const [hop, ms] of Object.entries(hopDurations(r.marks as Parameters<typeof hopDurations>[0]))) {
          const e = (sums[hop] ??= { total: 0, n: 0 });
          e.total += ms;
          e.n++;
        }
      return Object.fromEntries(
        Object.entries(sums).map(([k, v]) => [k, Math.round((v.total / v.n) * 10) / 10]),
      );
    };
    const hops = {
      gateway: hopMeans(s.gateway.server.traces.all()),
      listeners: hopMeans(s.listeners.flatMap((l) => l.listener.traces.all())),
    };
    const g = summary(chainGet);
    const c = summary(chainCreate);
    const dg = summary(directGet);
    const dc = summary(directCreate);
    const report = {
      generatedAt: new Date().toISOString(),
      backends:
        'embedded Sui node (in-process, grpc-web) + embedded Kubernetes API server; 2 Nautilus listeners',
      machine: {
        cpus: (await import('node:os')).cpus().length,
        loadavg: (await import('node:os')).loadavg(),
      },
      get: { viaChain: g, direct: dg, ratio_p50: Math.round((g.p50_ms / dg.p50_ms) * 10) / 10 },
      create: { viaChain: c, direct: dc, ratio_p50: Math.round((c.p50_ms / dc.p50_ms) * 10) / 10 },
      throughput16: tp,
      meanHopMs: hops,
      targets: { p50_ms: 60, p99_ms: 250, rps: 50 },
      met: {
        p50: g.p50_ms <= 60 && c.p50_ms <= 60,
        p99: g.p99_ms <= 250 && c.p99_ms <= 250,
        rps: tp.rps >= 50,
      },
    };
    await mkdir('reports', { recursive: true });
    await writeFile('reports/bench-gateway.json', JSON.stringify(report, null, 2) + '\n');
    process.stdout.write(JSON.stringify(report, null, 2) + '\n');
  } finally {
    await s.stop();
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`bench:gateway failed: ${(e as Error).stack ?? String(e)}\n`);
    process.exit(1);
  },
);
