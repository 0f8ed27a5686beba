/**
 * The five-step integration of the original K3s-DaaS design, on real components:
 *   1. contract-first environment: chain up, k8s_gateway published, Cluster created
 *   2. API gateway started
 *   3. Nautilus listener subscribed
 *   4. kubectl event-driven tests: get pods, apply pod.yaml, a denied write
 *   5. blockchain verification: events and stored responses on chain, latency, throughput
 *
 *   npm run five-step [-- --chain localnet --cluster kind …]   (same backend flags as the runner)
 */
import { attachBodies, NOT_YOURS } from './src/cli/audit-bodies.ts';
import { collectAudit } from './src/cli/commands/audit.ts';
import { Keystore } from './src/sui/keystore.ts';
import type { Keypair } from '@mysten/sui/cryptography';
import { request } from 'node:https';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { DISCOVERY_GROUP } from './src/k8s/discovery-fields.ts';
import { runCleanups } from './harness/backends/cleanup.ts';
import { httpsStatus } from './harness/backends/product/components.ts';
import { addBackendOptions, backendOptions, type BackendFlags } from './harness/scenario/backend-flags.ts';
import type { AuditedRequest } from './harness/scenario/env.ts';
import { runKubectl, type KubectlResult } from './harness/scenario/kubectl.ts';
import { newRunId } from './harness/scenario/plan.ts';
import { missingPrerequisites } from './harness/scenario/prerequisites.ts';
import { percentile, writeReport } from './harness/scenario/reporters.ts';
import { StackEnv } from './harness/scenario/stack-env.ts';
import { DEFAULT_CLUSTER_CONFIG, startStack, type Stack, type StackPhase } from './harness/stack.ts';

interface StepReport {
  n: number;
  title: string;
  status: 'PASS' | 'FAIL' | 'NOT RUN';
  ms: number;
  verified: string[];
  error?: string;
}

const TITLES = [
  'Contract-first environment',
  'API gateway started',
  'Nautilus listener subscribed',
  'kubectl event-driven tests',
  'Blockchain verification',
];
const steps: StepReport[] = TITLES.map((title, i) => ({
  n: i + 1,
  title,
  status: 'NOT RUN',
  ms: 0,
  verified: [],
}));

function print(s: StepReport): void {
  const head = `[${s.n}/5] ${s.title} `.padEnd(44, '.');
  process.stdout.write(`${head} ${s.status} ${(s.ms / 1000).toFixed(2)}s\n`);
  for (const v of s.verified) process.stdout.write(`      ✓ ${v}\n`);
  if (s.error) process.stdout.write(`      ✗ ${s.error.replace(/\n/g, '\n        ')}\n`);
}

async function step<T>(n: number, fn: (s: StepReport) => Promise<T>): Promise<T> {
  const s = steps[n - 1]!;
  const t = performance.now();
  try {
    const v = await fn(s);
    s.status = 'PASS';
    return v;
  } catch (err) {
    s.status = 'FAIL';
    s.error = (err as Error).message;
    throw err;
  } finally {
    s.ms = performance.now() - t;
    print(s);
  }
}

function check(cond: unknown, message: string): asserts cond {
  if (!cond) throw new Error(message);
}

/** N GETs straight to the gateway with a bearer token (the HTTPS path kubectl uses), `concurrency` at a time. */
async function throughput(
  stack: Stack,
  token: string,
  path: string,
  total: number,
  concurrency: number,
): Promise<{ rps: number; latencies: number[]; statuses: number[] }> {
  const latencies: number[] = [];
  const statuses: number[] = [];
  const one = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const t = performance.now();
      const req = request(
        `${stack.gateway.url}${path}`,
        {
          ca: stack.tls.caCert,
          headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
          timeout: 60_000,
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            latencies.push(performance.now() - t);
            statuses.push(res.statusCode ?? 0);
            resolve();
          });
        },
      );
      req.on('error', reject);
      req.end();
    });
  const t0 = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next++ < total) await one();
    }),
  );
  return { rps: (total / (performance.now() - t0)) * 1000, latencies, statuses };
}

async function main(): Promise<number> {
  const program = addBackendOptions(
    new Command('five-step')
      .description('K3s-DaaS five-step integration test')
      .option('--report <file>', 'JSON result file', 'reports/five-step.json')
      .option(
        '--throughput-requests <n>',
        'requests in the throughput measurement (8 concurrent)',
        (v) => Math.max(8, Number(v) || 0),
        16,
      ),
  );
  program.parse(process.argv);
  const flags = program.opts<BackendFlags & { report: string; throughputRequests: number }>();
  const { chain, cluster } = backendOptions(flags);
  const t0 = performance.now();
  const runId = newRunId();
  const ns = `five-step-${runId}`;
  const devName = 'five-step/dev';
  const viewerName = 'five-step/viewer';
  const nsRule = {
    verbs: ['*'],
    apiGroups: ['*'],
    resources: ['*'],
    namespaces: [ns],
    resourceNames: [] as string[],
  };
  const discovery = {
    verbs: ['get'],
    apiGroups: [DISCOVERY_GROUP],
    resources: ['paths'],
    namespaces: [''],
    resourceNames: [] as string[],
  };
  let stack: Stack | undefined;
  const measurements: Record<string, unknown> = {};

  process.stdout.write(`K3s-DaaS five-step integration (chain ${flags.chain}, cluster ${flags.cluster})\n\n`);
  try {
    const missing =
      flags.chain === 'embedded' || flags.cluster === 'embedded'
        ? await missingPrerequisites(flags.chain, flags.cluster)
        : [];
    // Steps 1–3 are the stack boot; its phases say which step a failure belongs to.
    const phases: StackPhase[] = [];
    let gatewayDone: () => void = () => {};
    let listenerDone: () => void = () => {};
    const gatewayPhase = new Promise<void>((r) => (gatewayDone = r));
    const listenerPhase = new Promise<void>((r) => (listenerDone = r));
    const boot = step(1, async (s) => {
      check(missing.length === 0, `missing: ${missing.join('; ')}`);
      let identitiesDone: () => void = () => {};
      const identities = new Promise<void>((r) => (identitiesDone = r));
      const starting = startStack({
        chain,
        cluster,
        inProcess: flags.inProcess,
        ...(flags.confidentiality ? { confidentiality: flags.confidentiality } : {}),
        identities: [
          { name: devName, rules: [nsRule, discovery], stakeMist: DEFAULT_CLUSTER_CONFIG.minWriteStake },
          {
            name: viewerName,
            rules: [{ ...nsRule, verbs: ['get', 'list', 'watch'] }, discovery],
            stakeMist: 0n,
          },
        ],
        onPhase: (p) => {
          phases.push(p);
          if (p.name === 'identities') identitiesDone();
          if (p.name === 'gateway') gatewayDone();
          if (p.name === 'listener') listenerDone();
        },
      });
      starting.catch(() => {}); // awaited by the steps below
      await Promise.race([identities, starting.then(() => undefined)]);
      for (const p of phases.filter((x) =>
        ['chain', 'cluster', 'build', 'publish', 'executor', 'identities'].includes(x.name),
      ))
        s.verified.push(`${p.name}: ${p.detail} (${p.ms.toFixed(0)} ms)`);
      // Wrapped so that returning does not wait for the gateway and listener (steps 2 and 3).
      return { starting };
    });
    const { starting } = await boot;
    await step(2, async (s) => {
      await Promise.race([gatewayPhase, starting.then(() => undefined)]);
      stack = await starting;
      const p = phases.find((x) => x.name === 'gateway')!;
      s.verified.push(`${p.detail} (${p.ms.toFixed(0)} ms)`);
      const unauth = await httpsStatus(`${stack.gateway.url}/version`, stack.tls.caCert);
      check(unauth === 401, `an unauthenticated request should get 401, got ${unauth}`);
      s.verified.push('HTTPS with the throw-away CA; a request without a bearer token is refused with 401');
    });
    await step(3, async (s) => {
      await Promise.race([listenerPhase, starting.then(() => undefined)]);
      const st = stack!;
      const p = phases.find((x) => x.name === 'listener')!;
      s.verified.push(`${p.detail} (${p.ms.toFixed(0)} ms)`);
      const reg = st.events
        .all()
        .find((e) => e.type === 'ExecutorRegistered' && e.fields.executor === st.executorAddress);
      check(reg, `no ExecutorRegistered event for ${st.executorAddress}`);
      s.verified.push(
        `executor ${st.executorAddress} registered on chain with stake ${String(reg.fields.stake)} MIST (tx ${reg.txDigest})`,
      );
    });

    const st = stack!;
    const env = new StackEnv(st);
    const commands: Array<{ label: string; run: KubectlResult; requests: AuditedRequest[] }> = [];
    await step(4, async (s) => {
      await env.createNamespace(ns);
      const kube = async (identity: string, args: string[], stdin?: string): Promise<KubectlResult> => {
        const run = await runKubectl({ kubeconfigPath: st.identity(identity).kubeconfigPath, args, stdin });
        const ev = await env.evidence(run, identity, { sinceMs: Date.now(), needChain: true });
        commands.push({ label: run.command, run, requests: ev.requests });
        return run;
      };
      const get = await kube(devName, ['get', 'pods', '-n', ns]);
      check(get.exitCode === 0, `kubectl get pods exited ${get.exitCode}: ${get.stderr}`);
      s.verified.push(
        `kubectl get pods → exit 0 (${get.durationMs.toFixed(0)} ms): ${get.stderr.trim() || get.stdout.trim()}`,
      );
      const podYaml = fileURLToPath(new URL('./scenarios/fixtures/pod.yaml', import.meta.url));
      const apply = await kube(devName, ['apply', '-f', podYaml, '-n', ns]);
      check(
        apply.exitCode === 0 && apply.stdout.trim() === 'pod/nginx created',
        `kubectl apply -f pod.yaml: exit ${apply.exitCode}, stdout ${JSON.stringify(apply.stdout)}, stderr ${apply.stderr}`,
      );
      s.verified.push(`kubectl apply -f pod.yaml → "pod/nginx created" (${apply.durationMs.toFixed(0)} ms)`);
      const pod = await env.readClusterObject({
        apiVersion: 'v1',
        kind: 'Pod',
        name: 'nginx',
        namespace: ns,
      });
      check(pod, 'pod nginx is not in the cluster');
      s.verified.push(
        `pod ${ns}/nginx exists in the ${st.cluster.kind} cluster (read directly, not through the gateway)`,
      );
      const denied = await kube(viewerName, [
        'create',
        'configmap',
        'denied',
        '-n',
        ns,
        '--from-literal=a=b',
      ]);
      check(denied.exitCode !== 0, 'a read-only identity was allowed to write');
      const ev = await env.evidence(denied, viewerName, { sinceMs: 0, needChain: true });
      check(
        ev.abort?.name === 'EPermissionDenied',
        `expected the contract to abort with EPermissionDenied, got ${ev.abort?.name ?? 'no abort'}: ${denied.stderr}`,
      );
      s.verified.push(
        `read-only identity's write refused by the contract: ${ev.abort.name} ${ev.abort.txDigest ? `(failed tx ${ev.abort.txDigest})` : '(refused before any transaction was executed)'}`,
      );
    });

    await step(5, async (s) => {
      const all = commands.flatMap((c) => c.requests);
      const problems = await env.audit(all);
      check(problems.length === 0, problems.join('\n'));
      const onChain = all.filter((r) => !r.refused);
      s.verified.push(
        `${onChain.length} request(s) of the 3 commands found on chain, each with K8sAPIRequest, K8sAPIResponse and a stored response whose status is what kubectl received`,
      );
      // Every answer on chain is signed by the executor's registered ed25519 key (checked again here).
      const answered = (
        await collectAudit(st.client, st.deployment.packageId, st.deployment.clusterId)
      ).filter((r) => r.responseTx);
      const unsigned = answered.filter((r) => r.signatureValid !== true);
      check(
        unsigned.length === 0,
        `answers without a valid executor signature: ${unsigned.map((r) => r.requestObjectId).join(', ')}`,
      );
      s.verified.push(
        `${answered.length} answer(s) on chain, each signed by executor key ${answered[0]?.signerKey?.slice(0, 16)}… and verified against the Executor object`,
      );
      // Confidentiality: a stranger reads no answer; each requester reads its own (issue #17).
      const bodies = async (keys: (a: string) => Keypair | undefined) => {
        const rows = answered.map((r) => ({ ...r }));
        await attachBodies(rows, {
          client: st.client,
          packageId: st.deployment.packageId,
          clusterId: st.deployment.clusterId,
          keys,
        });
        return rows;
      };
      if (st.keyServers) {
        const stranger = await bodies(() => undefined);
        const leaked = stranger.filter((r) => r.body !== NOT_YOURS);
        check(
          leaked.length === 0,
          `answers readable without the requester's key: ${leaked.map((r) => r.requestObjectId).join(', ')}`,
        );
        const keystore = await Keystore.load(st.keystores.gateway);
        const own = await bodies((a) => keystore.get(a));
        const unread = own.filter(
          (r) => r.body === undefined || r.body === NOT_YOURS || r.body.startsWith('unreadable'),
        );
        check(
          unread.length === 0,
          `answers their requesters could not decrypt: ${unread.map((r) => `${r.requestObjectId}: ${r.body}`).join('; ')}`,
        );
        s.verified.push(
          `confidentiality seal (${st.keyServers.servers.length} embedded key servers, threshold ${st.keyServers.threshold}): a stranger decrypts none of the ${stranger.length} answers on chain, their requesters all of them`,
        );
      } else s.verified.push('confidentiality none (explicit opt-out): answers are in clear on chain');
      const deniedDigest = commands[2]!.run.http
        .map((x) => x.headers['x-k3s-daas-tx-digest'])
        .filter(Boolean)
        .pop();
      if (deniedDigest) {
        const abort = await st.abortOfTransaction(deniedDigest);
        check(abort, `the denied write's transaction ${deniedDigest} did not abort`);
        s.verified.push(
          `denied write: transaction ${deniedDigest} aborted on chain with code ${abort.code} (no request recorded)`,
        );
      }
      // Per-hop durations: the gateway's (response header) joined with the listener's (/traces/<request id>).
      const hops = new Map<string, number[]>();
      for (const c of commands) {
        for (const x of c.run.http) {
          const gw = JSON.parse(x.headers['x-k3s-daas-trace'] ?? '{}') as Record<string, number>;
          const rid = x.headers['x-k3s-daas-request-id'];
          const listener = rid && x.headers['x-k3s-daas-tx-digest'] ? await env.listenerHops(rid) : undefined;
          for (const [k, v] of Object.entries({ ...gw, ...listener }))
            hops.set(k, [...(hops.get(k) ?? []), v]);
        }
      }
      const kubectlMs = commands.map((c) => c.run.durationMs);
      s.verified.push(`latency per kubectl command: ${kubectlMs.map((m) => m.toFixed(0)).join(' / ')} ms`);
      s.verified.push(`hops p50 (ms): ${[...hops].map(([k, v]) => `${k} ${percentile(v, 50)}`).join(', ')}`);
      const tokenOf = st.identity(devName).bearerToken;
      const tp = await throughput(
        st,
        tokenOf,
        `/api/v1/namespaces/${ns}/configmaps`,
        flags.throughputRequests,
        8,
      );
      check(
        tp.statuses.every((c) => c === 200),
        `throughput run: statuses ${[...new Set(tp.statuses)].join(', ')}`,
      );
      s.verified.push(
        `throughput: ${flags.throughputRequests} list requests, 8 concurrent, through gateway → chain → listener → cluster: ${tp.rps.toFixed(1)} req/s, p50 ${percentile(tp.latencies, 50)!.toFixed(0)} ms, p99 ${percentile(tp.latencies, 99)!.toFixed(0)} ms`,
      );
      measurements.kubectlMs = kubectlMs;
      measurements.hops = Object.fromEntries(
        [...hops].map(([k, v]) => [k, { p50: percentile(v, 50), max: Math.max(...v) }]),
      );
      measurements.throughput = {
        requests: flags.throughputRequests,
        concurrency: 8,
        rps: tp.rps,
        p50: percentile(tp.latencies, 50),
        p99: percentile(tp.latencies, 99),
      };
    });
  } catch {
    // already printed by the failing step
  } finally {
    if (stack) {
      const core = new StackEnv(stack);
      await core.deleteNamespace(ns).catch(() => {});
      await stack.stop();
    }
    await runCleanups();
  }
  const totalMs = performance.now() - t0;
  const failed = steps.some((s) => s.status !== 'PASS');
  for (const s of steps.filter((x) => x.status === 'NOT RUN')) print(s);
  process.stdout.write(
    `\n${failed ? 'FAILED' : 'PASSED'}: ${steps.filter((s) => s.status === 'PASS').length}/5 steps in ${(totalMs / 1000).toFixed(1)} s\n`,
  );
  await writeReport(
    flags.report,
    JSON.stringify(
      { backends: { chain: flags.chain, cluster: flags.cluster }, totalMs, steps, measurements },
      null,
      2,
    ) + '\n',
  );
  return failed ? 1 : 0;
}

process.exitCode = await main();
