/**
 * kubectl of several minor versions against one cluster: the binaries found next to the
 * default kubectl (the Google Cloud SDK ships `kubectl.1.27` … beside `kubectl`) and a core
 * command set each must pass. The command set takes only a kubeconfig, so it can be pointed at
 * any cluster (the gateway, the embedded one, the real one).
 */
import { readdir, realpath } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import { which } from '../backends/which.ts';

export interface KubectlBinary {
  /** "default" or the minor version suffix, e.g. "1.27". */
  readonly label: string;
  readonly path: string;
}

/** Sorts `kubectl.1.9`, `kubectl.1.27`, `kubectl.1.30` by version, not by text. */
export function versionedKubectls(names: readonly string[], dir: string): KubectlBinary[] {
  return names
    .map((n) => /^kubectl\.(\d+)\.(\d+)$/.exec(n))
    .filter((m): m is RegExpExecArray => m !== null)
    .sort((a, b) => Number(a[1]) - Number(b[1]) || Number(a[2]) - Number(b[2]))
    .map((m) => ({ label: `${m[1]}.${m[2]}`, path: join(dir, m[0]) }));
}

/** The default kubectl and every `kubectl.X.Y` in the directory it really lives in. */
export async function findKubectls(kubectl = process.env.KUBECTL ?? 'kubectl'): Promise<KubectlBinary[]> {
  const found = await which(kubectl);
  if (!found) return [];
  const real = await realpath(found);
  const dir = dirname(real);
  return [{ label: 'default', path: real }, ...versionedKubectls(await readdir(dir), dir)];
}

export interface CoreStep {
  readonly name: string;
  readonly args: readonly string[];
  readonly stdin?: string;
  /** Checked against stdout; a failing check throws with a message. */
  readonly check?: (stdout: string) => void;
}

const deployment = (ns: string): string => `apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: ${ns}, labels: { app: web } }
spec:
  replicas: 1
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers: [{ name: web, image: "nginx:1.27" }]
`;

function expectThat(ok: boolean, what: string, stdout: string): void {
  if (!ok) throw new Error(`${what}; stdout: ${stdout.slice(0, 400)}`);
}

/** The everyday commands a user runs first; `pods` says whether pods are expected to run. */
export function coreCommandSet(ns: string, opts: { podsRun: boolean }): CoreStep[] {
  const steps: CoreStep[] = [
    {
      name: 'version',
      args: ['version', '-o', 'json'],
      check: (o) => expectThat(/"serverVersion"/.test(o), 'no serverVersion', o),
    },
    {
      name: 'api-resources',
      args: ['api-resources', '--api-group=apps', '-o', 'name'],
      check: (o) => expectThat(o.includes('deployments.apps'), 'no deployments.apps', o),
    },
    {
      name: 'create namespace',
      args: ['create', 'namespace', ns],
      check: (o) => expectThat(o.trim() === `namespace/${ns} created`, 'unexpected output', o),
    },
    { name: 'create configmap', args: ['create', 'configmap', 'c', '-n', ns, '--from-literal=k=v'] },
    {
      name: 'get configmap -o json',
      args: ['get', 'configmap', 'c', '-n', ns, '-o', 'json'],
      check: (o) =>
        expectThat((JSON.parse(o) as { data?: { k?: string } }).data?.k === 'v', 'data.k is not "v"', o),
    },
    { name: 'label', args: ['label', 'configmap', 'c', '-n', ns, 'tier=core'] },
    {
      name: 'patch (merge)',
      args: ['patch', 'configmap', 'c', '-n', ns, '--type=merge', '-p', '{"data":{"k":"w"}}'],
    },
    {
      name: 'get -l -o jsonpath',
      args: ['get', 'configmap', '-n', ns, '-l', 'tier=core', '-o', 'jsonpath={.items[*].data.k}'],
      check: (o) => expectThat(o.trim() === 'w', 'patched value not read back', o),
    },
    { name: 'apply deployment', args: ['apply', '-f', '-'], stdin: deployment(ns) },
    {
      name: 'apply again (unchanged)',
      args: ['apply', '-f', '-'],
      stdin: deployment(ns),
      check: (o) => expectThat(o.includes('unchanged'), 'not unchanged', o),
    },
    { name: 'scale', args: ['scale', 'deployment/web', '-n', ns, '--replicas=2'] },
    {
      name: 'get deployment (table)',
      args: ['get', 'deployment', 'web', '-n', ns],
      check: (o) => expectThat(/^NAME\s+READY/m.test(o), 'no table header', o),
    },
    {
      name: 'describe deployment',
      args: ['describe', 'deployment', 'web', '-n', ns],
      check: (o) => expectThat(/Replicas:\s+2 desired/.test(o), 'describe lacks replicas', o),
    },
    {
      name: 'auth can-i',
      args: ['auth', 'can-i', 'create', 'deployments', '-n', ns],
      check: (o) => expectThat(o.trim() === 'yes', 'admin cannot create deployments', o),
    },
  ];
  if (opts.podsRun) {
    steps.push(
      { name: 'rollout status', args: ['rollout', 'status', 'deployment/web', '-n', ns, '--timeout=90s'] },
      {
        name: 'get pods -o json (Running)',
        args: ['get', 'pods', '-n', ns, '-l', 'app=web', '-o', 'json'],
        check: (o) => {
          const phases = (JSON.parse(o) as { items: { status?: { phase?: string } }[] }).items.map(
            (p) => p.status?.phase,
          );
          expectThat(
            phases.length === 2 && phases.every((p) => p === 'Running'),
            `pods are ${phases.join(',') || 'none'}`,
            o,
          );
        },
      },
    );
  }
  steps.push(
    { name: 'delete deployment', args: ['delete', 'deployment', 'web', '-n', ns] },
    { name: 'delete namespace', args: ['delete', 'namespace', ns, '--wait=false'] },
  );
  return steps;
}

export interface StepFailure {
  readonly step: string;
  readonly command: string;
  readonly detail: string;
}

/** Runs the steps in order; returns every failure (empty = all passed). A failed step does not stop the rest. */
export async function runCoreCommandSet(
  kubectl: string,
  kubeconfig: string,
  steps: readonly CoreStep[],
): Promise<StepFailure[]> {
  const failures: StepFailure[] = [];
  for (const s of steps) {
    const args = ['--kubeconfig', kubeconfig, ...s.args];
    const r = await execa(kubectl, args, { reject: false, input: s.stdin, timeout: 120_000 });
    const command = `kubectl ${s.args.join(' ')}`;
    if (r.exitCode !== 0) {
      failures.push({ step: s.name, command, detail: `exit ${r.exitCode}: ${r.stderr.slice(0, 400)}` });
      continue;
    }
    try {
      s.check?.(r.stdout);
    } catch (err) {
      failures.push({ step: s.name, command, detail: (err as Error).message });
    }
  }
  return failures;
}

/**
 * Runs the core command set with one kubectl against one kubeconfig and describes every failed
 * step (empty when all passed), for tests to assert on: `expect(await coreSetFailures(…)).toBe('')`.
 */
export async function coreSetFailures(
  kubectl: KubectlBinary,
  kubeconfig: string,
  opts: { namespacePrefix: string; podsRun: boolean },
): Promise<string> {
  const ns = `${opts.namespacePrefix}-${kubectl.label.replace('.', '-')}`;
  const failures = await runCoreCommandSet(
    kubectl.path,
    kubeconfig,
    coreCommandSet(ns, { podsRun: opts.podsRun }),
  );
  return failures.map((f) => `${kubectl.path} ${f.step}: ${f.command}\n    ${f.detail}`).join('\n');
}
