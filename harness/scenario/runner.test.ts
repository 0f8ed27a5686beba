/**
 * Runner control flow and reporting, driven through a scripted ScenarioEnv (a test double of
 * the environment interface — the real stack is exercised by scenarios.test.ts).
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AuditedRequest, ChainEvidence, ScenarioEnv } from './env.ts';
import type { KubectlResult } from './kubectl.ts';
import { parseScenario } from './loader.ts';
import { planScenarios } from './plan.ts';
import { percentile, summaryTable, toJunit, toMarkdown } from './reporters.ts';
import type { RunResult } from './results.ts';
import { runBounded, runScenario } from './runner.ts';
import type { StackAction } from './types.ts';

type Reply = Partial<KubectlResult> & { evidence?: Partial<ChainEvidence> };

class ScriptedEnv implements ScenarioEnv {
  calls: string[] = [];
  actions: StackAction[] = [];
  namespaces: string[] = [];
  cluster = new Map<string, unknown>();
  constructor(private readonly script: (args: string[], n: number) => Reply) {}
  private n = 0;
  private last: Reply = {};
  async kubectl(identity: string, args: string[]): Promise<KubectlResult> {
    this.calls.push(`${identity}: ${args.join(' ')}`);
    this.last = this.script(args, this.n++);
    await new Promise((r) => setTimeout(r, 5));
    return {
      exitCode: 0,
      stdout: '',
      stderr: '',
      durationMs: 10,
      http: [],
      command: `kubectl ${args.join(' ')}`,
      ...this.last,
    };
  }
  async evidence(): Promise<ChainEvidence> {
    return { events: [], requests: [], ...this.last.evidence };
  }
  async readClusterObject(ref: { kind: string; name: string }): Promise<unknown> {
    return this.cluster.get(`${ref.kind}/${ref.name}`);
  }
  async createNamespace(name: string): Promise<void> {
    this.namespaces.push(`+${name}`);
  }
  async deleteNamespace(name: string): Promise<void> {
    this.namespaces.push(`-${name}`);
  }
  async action(a: StackAction): Promise<void> {
    this.actions.push(a);
  }
  async audit(requests: AuditedRequest[]): Promise<string[]> {
    return requests
      .filter((r) => r.requestId === 'lost')
      .map((r) => `${r.command}: request lost has no K8sAPIRequest event on chain`);
  }
}

async function plan(yaml: string) {
  const loaded = await parseScenario(yaml, '/virtual/s.yaml', '/nonexistent');
  return planScenarios([loaded], 'r1', 100n)[0]!;
}

const workDir = await mkdtemp(join(tmpdir(), 'runner-test-'));

describe('runScenario', () => {
  it('a scenario built to fail reports the failing expectation, expected vs actual, at its line', async () => {
    const p = await plan(`name: built to fail
identities:
  dev: { preset: namespace-admin }
steps:
  - name: apply
    as: dev
    kubectl: [apply, -f, x.yaml, -n, "\${namespace}"]
    expect:
      exitCode: 0
      stdout: { equals: "pod/nginx created" }
  - name: never runs
    as: dev
    kubectl: [get, pods]
teardown:
  - as: dev
    kubectl: [delete, pod, nginx]
`);
    const env = new ScriptedEnv((args) =>
      args[0] === 'apply'
        ? { exitCode: 1, stderr: 'Error from server (Forbidden): no [EPermissionDenied]' }
        : {},
    );
    const r = await runScenario(env, p, { runId: 'r1', workDir });
    expect(r.outcome).toBe('failed');
    expect(r.steps.map((s) => `${s.section}:${s.outcome}`)).toEqual([
      'steps:failed',
      'steps:skipped',
      'teardown:passed',
    ]);
    const [f1, f2] = r.steps[0]!.failures;
    expect(f1).toMatchObject({
      expectation: 'kubectl exit code',
      expected: '0',
      position: { file: '/virtual/s.yaml', line: 9, column: 17 },
    });
    expect(f1!.actual).toContain('1 (stderr: "Error from server (Forbidden)');
    expect(f2).toMatchObject({
      expectation: 'stdout equals',
      expected: '"pod/nginx created"',
      actual: '""',
      position: { line: 10 },
    });
    expect(env.calls[0]).toBe('built-to-fail/dev: apply -f x.yaml -n built-to-fail-r1');
    expect(env.namespaces).toEqual(['+built-to-fail-r1', '-built-to-fail-r1']);
    expect(summaryTable({ ...emptyRun(), scenarios: [r] })).toContain(
      '/virtual/s.yaml:9:17: expected kubectl exit code 0\n      actual: 1',
    );
  });

  it('eventually retries the command until its expectations hold', async () => {
    const p = await plan(`name: eventually
identities: { dev: {} }
steps:
  - as: dev
    kubectl: [get, pod, x, -o, "jsonpath={.status.phase}"]
    eventually: { timeoutMs: 5000, intervalMs: 10 }
    expect: { stdout: { equals: Running } }
`);
    const env = new ScriptedEnv((_a, n) => ({ stdout: n < 3 ? 'Pending' : 'Running' }));
    const r = await runScenario(env, p, { runId: 'r1', workDir });
    expect(r.outcome).toBe('passed');
    expect(r.steps[0]!.attempts).toBe(4);
  });

  it('eventually gives up at the timeout and reports the last attempt', async () => {
    const p = await plan(`name: eventually fails
identities: { dev: {} }
steps:
  - as: dev
    kubectl: [get, pod]
    eventually: { timeoutMs: 100, intervalMs: 20 }
    expect: { stdout: Running }
`);
    const r = await runScenario(new ScriptedEnv(() => ({ stdout: 'Pending' })), p, { runId: 'r1', workDir });
    expect(r.outcome).toBe('failed');
    expect(r.steps[0]!.attempts).toBeGreaterThan(1);
    expect(r.steps[0]!.failures[0]!.actual).toBe('"Pending"');
  });

  it('until: a command that ended before its output matched fails at until/stdout', async () => {
    const p = await plan(`name: until
identities: { dev: {} }
steps:
  - as: dev
    kubectl: [get, cm, -w]
    until: { stdout: 'blue' }
    expect: { exitCode: 0 }
`);
    const ended = await runScenario(
      new ScriptedEnv(() => ({ stdout: 'light red\n', untilMatched: false })),
      p,
      { runId: 'r1', workDir },
    );
    expect(ended.outcome).toBe('failed');
    expect(ended.steps[0]!.failures[0]).toMatchObject({
      pointer: '/steps/0/until/stdout',
      expected: '/blue/',
    });
    const matched = await runScenario(
      new ScriptedEnv(() => ({ stdout: 'light blue\n', untilMatched: true })),
      p,
      { runId: 'r1', workDir },
    );
    expect(matched.outcome).toBe('passed');
  });

  it('background commands are awaited at the await step; actions run in between', async () => {
    const p = await plan(`name: background
identities: { dev: {} }
steps:
  - action: stop-executor
  - as: dev
    background: true
    kubectl: [create, configmap, during]
    expect: { stdout: created }
  - action: start-executor
  - await: true
  - audit: { minCommands: 1 }
`);
    const env = new ScriptedEnv(() => ({
      stdout: 'configmap/during created',
      evidence: { requests: [{ requestId: 'q1', refused: false, identity: 'x', command: 'kubectl create' }] },
    }));
    const r = await runScenario(env, p, { runId: 'r1', workDir });
    expect(env.actions).toEqual(['stop-executor', 'start-executor']);
    expect(r.steps.map((s) => s.kind)).toEqual(['action', 'action', 'kubectl', 'await', 'audit']);
    expect(r.outcome).toBe('passed');
    expect(r.requests).toHaveLength(1);
  });

  it('audit failures and cluster-state checks are reported', async () => {
    const p = await plan(`name: audit
identities: { dev: {} }
steps:
  - as: dev
    kubectl: [get, pods]
  - cluster: { object: { kind: Pod, name: web }, matches: { spec: { nodeName: n1 } } }
  - audit: {}
`);
    const env = new ScriptedEnv(() => ({
      evidence: {
        requests: [{ requestId: 'lost', refused: false, identity: 'x', command: 'kubectl get pods' }],
      },
    }));
    env.cluster.set('Pod/web', { spec: { nodeName: 'n2' } });
    const r = await runScenario(env, p, { runId: 'r1', workDir });
    expect(r.steps[1]!.failures[0]!.actual).toBe('spec.nodeName: expected "n1", got "n2"');
    expect(r.steps[2]!.outcome).toBe('skipped');
  });
});

function emptyRun(): RunResult {
  return {
    startedAt: 'now',
    durationMs: 1000,
    backends: { chain: 'embedded', cluster: 'embedded' },
    stackPhases: [],
    scenarios: [],
    audit: { commands: 0, onChain: 0, refused: 0, problems: [] },
  };
}

describe('runBounded', () => {
  it('never runs more than the bound at once and keeps the order', async () => {
    let running = 0;
    let peak = 0;
    const out = await runBounded([5, 1, 4, 2, 3], 2, async (x) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, x * 5));
      running--;
      return x * 10;
    });
    expect(out).toEqual([50, 10, 40, 20, 30]);
    expect(peak).toBe(2);
  });
});

describe('reporters', () => {
  const run: RunResult = {
    ...emptyRun(),
    stackPhases: [{ name: 'chain', ms: 120, detail: 'embedded chain' }],
    scenarios: [
      {
        name: 'a & b',
        file: '/s/a.yaml',
        namespace: 'a-1',
        outcome: 'failed',
        durationMs: 500,
        steps: [
          {
            section: 'steps',
            index: 0,
            name: 'get <pods>',
            kind: 'kubectl',
            outcome: 'failed',
            durationMs: 300,
            attempts: 1,
            failures: [
              {
                pointer: '/steps/0/expect/exitCode',
                expectation: 'kubectl exit code',
                expected: '0',
                actual: '1',
                position: { file: '/s/a.yaml', line: 4, column: 3 },
              },
            ],
            exchanges: [
              {
                method: 'GET',
                url: 'https://gw/api/v1/pods',
                status: 200,
                ms: 250,
                hops: { tx_executed: 100, gateway_saw_response: 120 },
              },
            ],
          },
        ],
      },
    ],
  };
  it('JUnit XML escapes and carries the failure text', () => {
    const xml = toJunit(run);
    expect(xml).toContain('<testsuite name="a &amp; b"');
    expect(xml).toContain('<testcase name="steps[0] get &lt;pods&gt;"');
    expect(xml).toContain('/s/a.yaml:4:3: expected kubectl exit code 0');
  });
  it('Markdown has per-hop percentiles and the per-step breakdown', () => {
    const md = toMarkdown(run);
    expect(md).toContain('| tx_executed | 1 | 100 | 100 | 100 | 100 |');
    expect(md).toContain('GET /api/v1/pods → 200 · 250 · tx_executed 100, gateway_saw_response 120');
  });
  it('percentile is nearest-rank', () => {
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 50)).toBe(5);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 99)).toBe(10);
    expect(percentile([], 50)).toBeUndefined();
  });
});
