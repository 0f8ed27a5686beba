/**
 * `npm run bench:chain`: the node runs as its own process (the standalone CLI, as `sui start`
 * would), the real `SuiGrpcClient` runs here and talks to it over HTTP. Measures boot (genesis +
 * publish of k8s_gateway), sequential execute_kubectl_command_with_id transactions per second on
 * the full SDK path and on the pre-resolved path (`SerialTransactionExecutor`), where each
 * transaction's time goes (client, transport, node, from the node's `GET /stats`),
 * ExecuteTransaction latency percentiles and event delivery. Writes reports/bench-chain.json.
 *
 * BENCH_TXS (300) sets the transactions per round, BENCH_ROUNDS (5) the measured rounds of the
 * pre-resolved path (the report gives their median, and every round), BENCH_WARMUP (1000) the
 * unmeasured pre-resolved transactions before (the full path warms up with 200); BENCH_NODE_PROF=DIR writes a CPU profile of
 * the node process into DIR (`node --cpu-prof`), BENCH_NODE_FLAGS adds Node/V8 flags to it and
 * BENCH_NODE_LOG=FILE keeps its output.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SuiGrpcClient } from '@mysten/sui/grpc';
import { SerialTransactionExecutor, Transaction } from '@mysten/sui/transactions';
import type { Ed25519Keypair } from '@mysten/sui/keypairs/ed25519';
import { contractModules, frameworkModules, REPO_ROOT } from './compiled.ts';
import { deriveTestAccounts } from './ledger/genesis.ts';
import { kubectlCreate, setupGateway, type GatewaySetup } from './test/contract-setup.ts';
import type { MethodStats } from './grpc-web/router.ts';
import { eventTypeFilter } from '../../../src/sui/events.ts';
import { createGrpcWebFetch } from '../../../src/sui/grpc-web-fetch.ts';
import { NativeEd25519Keypair } from '../../../src/sui/native-ed25519.ts';
import { decodeSuiPrivateKey } from '@mysten/sui/cryptography';

const N = Number(process.env.BENCH_TXS ?? 300);
/**
 * Pre-resolved transactions before measuring. Both processes' JIT compilers keep improving the
 * hot paths for the first ~1,000 transactions (measured: 300-transaction blocks went 133 → 189
 * tx/s after a 400-transaction warm-up), and a node serving a wallet is long past that.
 */
const WARMUP = Number(process.env.BENCH_WARMUP ?? 1000);
const FULL_WARMUP = 200;
/** This VM's speed changes by up to 2× from minute to minute: several rounds, their median reported. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const ACCOUNTS = 4;
const EXECUTE = '/sui.rpc.v2.TransactionExecutionService/ExecuteTransaction';
const SIMULATE = '/sui.rpc.v2.TransactionExecutionService/SimulateTransaction';

type MethodSnapshot = Omit<MethodStats, 'recentHandlerMs'> & {
  recentCalls: number;
  recentHandlerP50Ms: number;
  recentHandlerP90Ms: number;
};

interface NodeStats {
  uptimeMs: number;
  cpuUserMs: number;
  cpuSystemMs: number;
  methods: Record<string, MethodSnapshot>;
}

interface NodeProcess {
  url: string;
  /** Genesis and server start, as the node's banner reports it (module loading excluded). */
  readyMs: number;
  /** From spawning the process to the banner (includes loading Node, tsx and the modules). */
  spawnToReadyMs: number;
  stats(): Promise<NodeStats>;
  stop(): Promise<void>;
}

async function startNodeProcess(): Promise<NodeProcess> {
  const cli = path.join(path.dirname(fileURLToPath(import.meta.url)), 'cli.ts');
  const prof = process.env.BENCH_NODE_PROF;
  const t0 = performance.now();
  const child: ChildProcess = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      ...(prof ? ['--cpu-prof', `--cpu-prof-dir=${prof}`] : []),
      ...(process.env.BENCH_NODE_FLAGS ? process.env.BENCH_NODE_FLAGS.split(' ') : []),
      cli,
      '--port',
      '0',
      '--accounts',
      String(ACCOUNTS),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const { url, readyMs } = await new Promise<{ url: string; readyMs: number }>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const url = /gRPC-web : (\S+)/.exec(out)?.[1];
      const ms = /ready in (\d+) ms/.exec(out)?.[1];
      if (url && ms) resolve({ url, readyMs: Number(ms) });
    });
    child.once('exit', (code) =>
      reject(new Error(`node process exited with ${code} before it was ready:\n${out}`)),
    );
  });
  const spawnToReadyMs = performance.now() - t0;
  if (process.env.BENCH_NODE_LOG) child.stdout!.pipe(createWriteStream(process.env.BENCH_NODE_LOG));
  else child.stdout!.resume();
  return {
    url,
    readyMs,
    spawnToReadyMs,
    stats: async () => (await (await fetch(`${url}/stats`)).json()) as NodeStats,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGINT');
      }),
  };
}

/**
 * Time spent inside `fetch` (request written → response headers received; the node answers a
 * unary call in one write, so that is the whole round trip). Wraps the fetch the SDK's grpc-web
 * transport calls, without touching the request or the response.
 */
const fetchTimer = { ms: 0, calls: 0 };
function timed(inner: typeof fetch): typeof fetch {
  return (async (...args: Parameters<typeof fetch>) => {
    const t = performance.now();
    try {
      return await inner(...args);
    } finally {
      fetchTimer.ms += performance.now() - t;
      fetchTimer.calls++;
    }
  }) as typeof fetch;
}
globalThis.fetch = timed(globalThis.fetch);

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function methodDelta(a: NodeStats, b: NodeStats, method: string) {
  const zero = { calls: 0, errors: 0, totalMs: 0, bodyWaitMs: 0, handlerMs: 0, writeMs: 0 };
  const x = a.methods[method] ?? zero;
  const y = b.methods[method] ?? zero;
  return {
    calls: y.calls - x.calls,
    totalMs: y.totalMs - x.totalMs,
    bodyWaitMs: y.bodyWaitMs - x.bodyWaitMs,
    handlerMs: y.handlerMs - x.handlerMs,
    writeMs: y.writeMs - x.writeMs,
  };
}

/**
 * Machine-wide CPU time from /proc/stat (Linux): on a shared VM, time the hypervisor gave to
 * others ("steal") and other jobs' load change the wall-clock numbers run to run.
 */
function machineCpu(): { steal: number; busy: number; total: number } | undefined {
  try {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = f;
    return {
      steal,
      busy: user + nice + system + irq + softirq,
      total: user + nice + system + idle + iowait + irq + softirq + steal,
    };
  } catch {
    return undefined;
  }
}

/**
 * A fixed JavaScript workload (JSON round trips) timed in this process: the same code takes up to
 * twice as long when other VMs load the host, so each round carries the reading it ran under.
 */
const probeData = {
  items: Array.from({ length: 200 }, (_, i) => ({ i, s: 'x'.repeat(i % 17), n: i * 1.5 })),
};
function machineSpeedProbeMs(): number {
  const t = performance.now();
  for (let k = 0; k < 200; k++) JSON.parse(JSON.stringify(probeData));
  return round(performance.now() - t, 1);
}

/** Runs `one` N times in sequence and splits the wall time per transaction. */
async function measurePath(node: NodeProcess, one: (i: number) => Promise<void>) {
  const probeBefore = machineSpeedProbeMs();
  const s0 = await node.stats();
  const m0 = machineCpu();
  fetchTimer.ms = 0;
  fetchTimer.calls = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < N; i++) await one(i);
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const inFetchMs = fetchTimer.ms;
  const fetches = fetchTimer.calls;
  const m1 = machineCpu();
  const s1 = await node.stats();
  const exec = methodDelta(s0, s1, EXECUTE);
  const sim = methodDelta(s0, s1, SIMULATE);
  // Every gRPC call the node answered in this window (ExecuteTransaction, SimulateTransaction, reads).
  let nodeMs = 0;
  for (const m of Object.keys(s1.methods)) nodeMs += methodDelta(s0, s1, m).totalMs;
  const nodeCpuMs = s1.cpuUserMs + s1.cpuSystemMs - (s0.cpuUserMs + s0.cpuSystemMs);
  const nodeSystemMs = s1.cpuSystemMs - s0.cpuSystemMs;
  if (exec.calls !== N) throw new Error(`expected ${N} ExecuteTransaction calls, the node saw ${exec.calls}`);
  return {
    tx_per_s: round((N / wallMs) * 1000, 1),
    wall_ms_per_tx: round(wallMs / N),
    http_calls_per_tx: round(fetches / N),
    client_cpu_ms_per_tx: round((cpu.user + cpu.system) / 1000 / N),
    client_cpu_system_ms_per_tx: round(cpu.system / 1000 / N),
    client_outside_fetch_ms_per_tx: round((wallMs - inFetchMs) / N),
    in_fetch_ms_per_tx: round(inFetchMs / N),
    node_ms_per_tx: round(nodeMs / N),
    transport_ms_per_tx: round((inFetchMs - nodeMs) / N),
    node_cpu_ms_per_tx: round(nodeCpuMs / N),
    node_cpu_system_ms_per_tx: round(nodeSystemMs / N),
    execute_transaction_node_ms: round(exec.totalMs / exec.calls),
    execute_transaction_handler_ms: round(exec.handlerMs / exec.calls),
    execute_transaction_handler_p50_ms: round(s1.methods[EXECUTE]!.recentHandlerP50Ms),
    execute_transaction_handler_p90_ms: round(s1.methods[EXECUTE]!.recentHandlerP90Ms),
    execute_transaction_write_ms: round(exec.writeMs / exec.calls),
    execute_transaction_body_wait_ms: round(exec.bodyWaitMs / exec.calls),
    simulate_transaction_node_ms: sim.calls ? round(sim.totalMs / sim.calls) : undefined,
    simulate_transaction_handler_p50_ms: sim.calls
      ? round(s1.methods[SIMULATE]!.recentHandlerP50Ms)
      : undefined,
    simulate_calls_per_tx: round(sim.calls / N),
    // What each side alone would sustain on a core of its own.
    node_tx_per_cpu_second: round(1000 / (nodeCpuMs / N), 0),
    node_tx_per_s_by_handler_p50: round(
      1000 /
        (s1.methods[EXECUTE]!.recentHandlerP50Ms +
          (sim.calls ? (s1.methods[SIMULATE]!.recentHandlerP50Ms * sim.calls) / N : 0)),
      0,
    ),
    client_tx_per_cpu_second: round(1000 / ((cpu.user + cpu.system) / 1000 / N), 0),
    // Whole machine over the window: steal = CPU the hypervisor gave to other VMs.
    machine_cpu_steal_percent:
      m0 && m1 ? round((100 * (m1.steal - m0.steal)) / (m1.total - m0.total), 1) : undefined,
    machine_cpu_busy_percent:
      m0 && m1 ? round((100 * (m1.busy - m0.busy)) / (m1.total - m0.total), 1) : undefined,
    machine_speed_probe_ms: [probeBefore, machineSpeedProbeMs()],
  };
}

type PathReport = Awaited<ReturnType<typeof measurePath>>;

/** `ROUNDS` measured rounds: the median round's full report, and every round's tx/s and probe. */
async function measureRounds(node: NodeProcess, one: (i: number) => Promise<void>) {
  const rounds: PathReport[] = [];
  for (let r = 0; r < ROUNDS; r++) rounds.push(await measurePath(node, (i) => one(r * N + i)));
  const byRate = [...rounds].sort((a, b) => a.tx_per_s - b.tx_per_s);
  return {
    ...byRate[Math.floor(byRate.length / 2)]!,
    rounds_tx_per_s: rounds.map((r) => r.tx_per_s),
    rounds_speed_probe_ms: rounds.map((r) => r.machine_speed_probe_ms),
  };
}

/** The 200 tx/s target in numbers: where the 5 ms a transaction may take go. */
function verdict(p: Awaited<ReturnType<typeof measureRounds>>): string {
  const split = `${p.wall_ms_per_tx} ms/tx = client ${p.client_outside_fetch_ms_per_tx} ms (outside fetch) + node ${p.node_ms_per_tx} ms + transport ${p.transport_ms_per_tx} ms`;
  const rounds = `median of ${p.rounds_tx_per_s.length} rounds (${p.rounds_tx_per_s.join(' / ')} tx/s)`;
  if (p.tx_per_s >= 200) return `target met: ${p.tx_per_s} tx/s, ${rounds}; median round ${split}`;
  return (
    `target not met: ${p.tx_per_s} tx/s, ${rounds}; median round ${split}. The SDK client alone uses ${p.client_cpu_ms_per_tx} ms CPU per tx ` +
    `(${p.client_tx_per_cpu_second} tx per CPU second)` +
    (p.client_cpu_ms_per_tx >= 5 ? ', already more than the 5 ms per tx that 200 tx/s allows; ' : '; ') +
    `the node alone sustains ${p.node_tx_per_cpu_second} tx per CPU second (${p.node_tx_per_s_by_handler_p50} by handler p50)`
  );
}

async function main() {
  const compiled = await contractModules();
  await frameworkModules(); // compiled once and cached for the node process
  const node = await startNodeProcess();
  try {
    const client = new SuiGrpcClient({ network: 'localnet', baseUrl: node.url });
    const keypairs = deriveTestAccounts(ACCOUNTS).map((a) => a.keypair) as Ed25519Keypair[];
    const t0 = performance.now();
    const g = await setupGateway(client, keypairs, compiled);
    const setupMs = performance.now() - t0;
    const payload = new TextEncoder().encode('{"kind":"ConfigMap","metadata":{"name":"bench"}}');
    const report = await run(node, g, payload);
    const load = os.loadavg();
    const out = {
      date: new Date().toISOString(),
      node: process.version,
      transactions_per_round: N,
      pre_resolved_rounds: ROUNDS,
      pre_resolved_warmup: WARMUP,
      boot_ms: Math.round(node.readyMs + g.publishMs),
      genesis_ms: node.readyMs,
      publish_ms: Math.round(g.publishMs),
      node_process_spawn_to_ready_ms: Math.round(node.spawnToReadyMs),
      setup_with_cluster_token_executor_ms: Math.round(setupMs),
      ...report,
      checkpoint_interval_ms: 10,
      load_average: load.map((l) => round(l)),
      cpus: os.cpus().length,
      targets: { boot_ms: 1500, pre_resolved_tx_per_s: 200, execute_p50_ms: 10 },
      measured: {
        setup:
          'node = `cli.ts --port 0` in its own process; client = SuiGrpcClient in the benchmark process, over HTTP on 127.0.0.1. boot = genesis (node banner) + publish of k8s_gateway through the SDK',
        full_sdk_path:
          'signAndExecuteTransaction = build (SimulateTransaction for inputs and gas budget) + sign + ExecuteTransaction, grpc-web-text (SDK default)',
        pre_resolved_path:
          "median of the rounds (BENCH_ROUNDS × BENCH_TXS after BENCH_WARMUP unmeasured); the split fields are the median round's. SerialTransactionExecutor: gas coin and object refs from the previous effects, reference gas price read once per epoch, fixed 0.05 SUI budget, the product client configuration (binary grpc-web over node:http keep-alive, src/shared/grpc-web-fetch.ts; Ed25519 signed through node:crypto as keystore keys are, src/sui/native-ed25519.ts); build + sign + ExecuteTransaction, no SimulateTransaction",
        split:
          'wall per tx = client_outside_fetch (SDK build, sign, decode) + in_fetch; in_fetch = node_ms (node GET /stats: request arrival → response written, all calls) + transport (HTTP client, TCP loopback, HTTP parsing on both sides)',
        node_side:
          'node_cpu_ms_per_tx = node process CPU (all threads: handlers, HTTP, checkpoints, GC and JIT workers) / tx; handler_p50 = median time in the ExecuteTransaction (and SimulateTransaction) handler over the last 256 calls; write_ms is wall time inside res.end, mostly the woken client running on this CPU, not node work',
        alone:
          'node_tx_per_cpu_second = 1000 / node_cpu_ms_per_tx, node_tx_per_s_by_handler_p50 = 1000 / handler p50 (per tx), client_tx_per_cpu_second = 1000 / client_cpu_ms_per_tx: what each side sustains with a core to itself',
        machine_speed_probe:
          'ms for a fixed JSON workload in the benchmark process before and after a round; the same code on this shared VM takes 22–42 ms, and throughput follows',
        verdict: verdict(report.pre_resolved_path),
        execute_latency:
          'one ExecuteTransaction call seen by the client (encode + HTTP + node + decode), tx built and signed beforehand',
      },
    };
    const file = path.join(REPO_ROOT, 'reports', 'bench-chain.json');
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(out, null, 2) + '\n');
    console.log(JSON.stringify(out, null, 2));
    console.log(`written to ${path.relative(process.cwd(), file)}`);
  } finally {
    await node.stop();
  }
}

async function run(node: NodeProcess, g: GatewaySetup, payload: Uint8Array) {
  // Full SDK path (warm-up first: JIT in both processes, caches).
  const full = async (id: string) => {
    const tx = new Transaction();
    kubectlCreate(g, tx, id, payload);
    const r = await g.client.signAndExecuteTransaction({ transaction: tx, signer: g.user });
    if (r.$kind !== 'Transaction') throw new Error(`benchmark transaction ${id} failed`);
  };
  for (let i = 0; i < FULL_WARMUP; i++) await full(`warm-${i}`);
  const fullPath = await measurePath(node, (i) => full(`seq-${i}`));

  // Pre-resolved path, as a wallet sending many transactions does it: the SDK's own
  // SerialTransactionExecutor keeps the gas coin and owned-object refs from each transaction's
  // BCS effects and uses a fixed gas budget, so building needs no SimulateTransaction and no
  // object reads. Each transaction is still built, signed and fully checked by the node
  // (signature, versions, ownership, gas). The reference gas price is fixed for the epoch; a
  // wallet reads it once, as here (otherwise the SDK asks GetEpoch before every build).
  const { referenceGasPrice } = await g.client.core.getReferenceGasPrice();
  const serial = new SerialTransactionExecutor({
    // Configured as the product's createSuiClient: binary grpc-web over node:http.
    client: new SuiGrpcClient({
      network: 'localnet',
      baseUrl: node.url,
      format: 'binary',
      fetch: timed(createGrpcWebFetch() as typeof fetch),
    }),
    // The product's signer (keystore keys sign through node:crypto, identical bytes).
    signer: NativeEd25519Keypair.fromSeed(decodeSuiPrivateKey(g.user.getSecretKey()).secretKey),
    defaultGasBudget: 50_000_000n,
  });
  const pre = async (id: string) => {
    const tx = new Transaction();
    tx.setGasPrice(BigInt(referenceGasPrice));
    kubectlCreate(g, tx, id, payload);
    const r = await serial.executeTransaction(tx);
    if (r.$kind !== 'Transaction') throw new Error(`serial transaction ${id} failed`);
  };
  for (let i = 0; i < WARMUP; i++) await pre(`serial-warm-${i}`);
  const preResolved = await measureRounds(node, (i) => pre(`serial-${i}`));

  // ExecuteTransaction alone: built and signed beforehand, one call timed each.
  const latencies: number[] = [];
  for (let i = 0; i < N; i++) {
    const tx = new Transaction();
    tx.setSender(g.user.toSuiAddress());
    kubectlCreate(g, tx, `lat-${i}`, payload);
    const bytes = await tx.build({ client: g.client });
    const { signature } = await g.user.signTransaction(bytes);
    const s = performance.now();
    const r = await g.client.executeTransaction({ transaction: bytes, signatures: [signature] });
    latencies.push(performance.now() - s);
    if (r.$kind !== 'Transaction') throw new Error(`latency transaction ${i} failed`);
  }
  latencies.sort((a, b) => a - b);

  // Event delivery: ExecuteTransaction answered → K8sAPIRequest arrives on SubscribeEvents.
  const abort = new AbortController();
  const arrivals = new Map<string, number>();
  const stream = g.client.subscriptionService.subscribeEvents(
    { filter: eventTypeFilter(`${g.packageId}::k8s_gateway::K8sAPIRequest`) },
    { abort: abort.signal },
  );
  const reading = (async () => {
    try {
      // Progress-only frames (the first one, and on idle checkpoints) carry no event.
      for await (const m of stream.responses)
        if (m.event) arrivals.set(m.event.transactionDigest!, performance.now());
    } catch {
      /* cancelled */
    }
  })();
  await new Promise((r) => setTimeout(r, 50));
  const delivery: number[] = [];
  for (let i = 0; i < 50; i++) {
    const tx = new Transaction();
    kubectlCreate(g, tx, `ev-${i}`, payload);
    const r = await g.client.signAndExecuteTransaction({ transaction: tx, signer: g.user });
    const answered = performance.now();
    const digest = r.Transaction!.digest;
    while (!arrivals.has(digest)) await new Promise((res) => setTimeout(res, 1));
    delivery.push(arrivals.get(digest)! - answered);
  }
  abort.abort();
  await reading;
  delivery.sort((a, b) => a - b);

  return {
    full_sdk_tx_per_s: fullPath.tx_per_s,
    pre_resolved_tx_per_s: preResolved.tx_per_s,
    full_sdk_path: fullPath,
    pre_resolved_path: preResolved,
    execute_p50_ms: round(percentile(latencies, 50)),
    execute_p99_ms: round(percentile(latencies, 99)),
    event_delivery_p50_ms: round(percentile(delivery, 50)),
    event_delivery_p99_ms: round(percentile(delivery, 99)),
  };
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
