import { readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  checkClusterObject,
  checkEvents,
  checkStep,
  checkText,
  formatFailure,
  type StepObservation,
} from './assertions.ts';
import { parseScenario, ScenarioError } from './loader.ts';
import { partialMatch } from './match.ts';

const FIXTURES = fileURLToPath(new URL('./test/fixtures', import.meta.url));
const F = '/s/demo.yaml';

async function problemsOf(text: string): Promise<ScenarioError['problems']> {
  try {
    await parseScenario(text, F, FIXTURES);
  } catch (err) {
    if (err instanceof ScenarioError) return err.problems;
    throw err;
  }
  throw new Error('expected the scenario to be rejected');
}

const VALID = `name: apply a pod
identities:
  dev: { preset: namespace-admin }
  ro:
    rules:
      - verbs: [get, list]
        apiGroups: [""]
        resources: [pods]
    stake: none
    expiresInMs: 60000
steps:
  - name: apply
    as: dev
    kubectl: [apply, -f, "\${fixture:pod.yaml}", -n, "\${namespace}"]
    expect:
      exitCode: 0
      stdout: pod/web created
      events:
        - type: K8sAPIRequest
          fields: { verb: create, resource: pods }
        - type: K8sAPIResponse
          fields: { status_code: 201 }
      latencyMs: 5000
  - cluster:
      object: { kind: Pod, name: web }
      matches: { spec: { containers: [{ image: "nginx:1.27" }] } }
    eventually: { timeoutMs: 10000 }
  - name: denied
    as: ro
    kubectl: [delete, pod, web]
    expect: { exitCode: 1, abort: EPermissionDenied, stderr: { regex: "Forbidden" } }
`;

describe('scenario loader', () => {
  it('accepts a valid scenario and keeps positions', async () => {
    const s = await parseScenario(VALID, F, FIXTURES);
    expect(s.spec.steps).toHaveLength(3);
    expect(s.spec.identities?.ro?.stake).toBe('none');
    expect(s.positionOf('/steps/2/expect/abort')).toEqual({ file: F, line: 31, column: 35 });
  });

  it('reports an unknown property at the key, with file, line and column', async () => {
    const problems = await problemsOf(VALID.replace('exitCode: 0', 'exitcode: 0'));
    expect(problems).toContainEqual({
      file: F,
      line: 16,
      column: 7,
      message: '/steps/0/expect: unknown property "exitcode"',
    });
  });

  it('reports a wrong type and a bad enum at the value', async () => {
    const problems = await problemsOf(
      VALID.replace('latencyMs: 5000', 'latencyMs: fast').replace('preset: namespace-admin', 'preset: root'),
    );
    expect(problems.map((p) => `${p.line}:${p.column} ${p.message}`)).toEqual([
      '3:18 /identities/dev/preset: must be one of "admin", "namespace-admin", "read-only", "none"',
      '23:18 /steps/0/expect/latencyMs: must be integer',
    ]);
  });

  it('a step must say what it does', async () => {
    const problems = await problemsOf('name: x\nsteps:\n  - name: nothing\n');
    expect(problems).toEqual([
      {
        file: F,
        line: 3,
        column: 5,
        message:
          '/steps/0: a step needs exactly one of: kubectl (with as), cluster, action, audit, sleepMs, await',
      },
    ]);
  });

  it('rejects unknown identities, missing fixtures, undeclared files and bad regexes', async () => {
    const text = VALID.replace('as: ro', 'as: nobody')
      .replace('pod.yaml', 'nope.yaml')
      .replace('regex: "Forbidden"', 'regex: "(("');
    const messages = (await problemsOf(text)).map((p) => `${p.line}: ${p.message}`);
    expect(messages).toEqual([
      '14: fixture nope.yaml not found in ' + FIXTURES,
      '29: identity "nobody" is not defined under identities (defined: dev, ro)',
      expect.stringMatching(/^31: invalid regex: /),
    ]);
    const undeclared = await problemsOf(VALID.replace('${fixture:pod.yaml}', '${file:big.txt}'));
    expect(undeclared[0]!.message).toBe('${file:big.txt} is not declared under files');
  });

  it('YAML syntax errors carry the position', async () => {
    const problems = await problemsOf('name: x\nsteps:\n  - kubectl: [get\n');
    expect(problems[0]!.file).toBe(F);
    expect(problems[0]!.line).toBeGreaterThanOrEqual(3);
    expect(problems[0]!.message).toMatch(/^YAML: /);
  });

  it('every scenario in scenarios/ is valid', async () => {
    const dir = fileURLToPath(new URL('../../scenarios/', import.meta.url));
    const files = (await readdir(dir).catch(() => [])).filter((f) => f.endsWith('.yaml'));
    for (const f of files)
      await parseScenario(
        await import('node:fs/promises').then((fs) => fs.readFile(dir + f, 'utf8')),
        dir + f,
      );
  });
});

const OBS: StepObservation = {
  exitCode: 1,
  stdout: '',
  stderr: 'Error from server (Forbidden): read-only [EPermissionDenied] (transaction 9xYz)',
  durationMs: 1234,
  events: [
    {
      type: 'K8sAPIRequest',
      txDigest: 'd1',
      seenAt: 1,
      fields: { verb: 'create', resource: 'pods', namespace: 'n1', fee: '10' },
    },
    { type: 'K8sAPIResponse', txDigest: 'd2', seenAt: 2, fields: { status_code: 201, request_id: 'r1' } },
  ],
  response: {
    status: 201,
    body: { kind: 'Pod', metadata: { name: 'web', labels: { app: 'x' } } },
    requestObjectId: '0xabc',
  },
  abort: { name: 'EPermissionDenied', txDigest: '9xYz' },
};

describe('assertion engine', () => {
  it('passes when everything holds', () => {
    expect(
      checkStep(
        {
          exitCode: 1,
          stderr: {
            contains: ['Forbidden', 'EPermissionDenied'],
            regex: 'transaction \\w+',
            notContains: 'panic',
          },
          events: [
            { type: 'K8sAPIRequest', fields: { verb: 'create', fee: 10 } },
            { type: 'K8sAPIResponse', fields: { status_code: 201 } },
          ],
          response: { status: 201, body: { metadata: { name: 'web' } } },
          abort: 'EPermissionDenied',
          latencyMs: 2000,
        },
        OBS,
        '/steps/0',
      ),
    ).toEqual([]);
  });

  it('a step built to fail reports each failing expectation with expected vs actual', () => {
    const failures = checkStep(
      {
        exitCode: 0,
        stdout: { equals: 'pod/web created' },
        response: { status: 200, body: { metadata: { name: 'api' } } },
        abort: 'ETokenExpired',
        latencyMs: 100,
      },
      OBS,
      '/steps/4',
    );
    expect(failures.map((f) => [f.pointer, f.expected, f.actual])).toEqual([
      ['/steps/4/expect/exitCode', '0', expect.stringContaining('1 (stderr: "Error from server (Forbidden)')],
      ['/steps/4/expect/stdout', '"pod/web created"', '""'],
      ['/steps/4/expect/response/status', '200', '201 (Request 0xabc)'],
      [
        '/steps/4/expect/response/body',
        '{"metadata":{"name":"api"}}',
        'metadata.name: expected "api", got "web"',
      ],
      ['/steps/4/expect/abort', 'ETokenExpired', 'EPermissionDenied (tx 9xYz)'],
      ['/steps/4/expect/latencyMs', '≤ 100 ms', '1234 ms'],
    ]);
    expect(formatFailure(failures[4]!, { file: F, line: 9, column: 14 })).toBe(
      '/s/demo.yaml:9:14: expected contract aborted with ETokenExpired\n    actual: EPermissionDenied (tx 9xYz)',
    );
  });

  it('events: order matters, counts are exact, none means nothing recorded', () => {
    const reversed = checkEvents([{ type: 'K8sAPIResponse' }, { type: 'K8sAPIRequest' }], OBS.events, '/e');
    expect(reversed).toHaveLength(1);
    expect(reversed[0]!.expectation).toContain('after the previous match');
    expect(
      checkEvents(
        { ordered: false, match: [{ type: 'K8sAPIResponse' }, { type: 'K8sAPIRequest' }] },
        OBS.events,
        '/e',
      ),
    ).toEqual([]);
    expect(
      checkEvents({ match: [{ type: 'K8sAPIRequest', count: 2 }] }, OBS.events, '/e')[0]!.actual,
    ).toMatch(/^1 matching/);
    expect(checkEvents({ none: true }, OBS.events, '/e')).toHaveLength(1);
    expect(checkEvents({ none: true }, [], '/e')).toEqual([]);
  });

  it('text, json and yaml matchers', () => {
    expect(checkText('created', 'pod/web created\n', '/p', 'stdout')).toEqual([]);
    expect(checkText({ equals: 'a' }, 'a\n', '/p', 'stdout')).toEqual([]);
    expect(checkText({ empty: true }, 'x', '/p', 'stdout')).toHaveLength(1);
    const json = JSON.stringify({ items: [{ metadata: { name: 'a' } }, { metadata: { name: 'b' } }] });
    expect(
      checkStep({ json: { items: [{ metadata: { name: 'b' } }] } }, { ...OBS, stdout: json }, '/s'),
    ).toEqual([]);
    expect(
      checkStep({ json: { items: [{ metadata: { name: 'c' } }] } }, { ...OBS, stdout: json }, '/s')[0]!
        .actual,
    ).toBe('items[0]: expected {"metadata":{"name":"c"}}, got "no matching element among 2"');
    expect(checkStep({ yaml: { data: { k: 'v' } } }, { ...OBS, stdout: 'data:\n  k: v\n' }, '/s')).toEqual(
      [],
    );
    expect(checkStep({ json: {} }, { ...OBS, stdout: 'not json' }, '/s')[0]!.expectation).toBe(
      'stdout parses as JSON',
    );
  });

  it('cluster state: presence, partial match and absence', () => {
    const pod = { metadata: { name: 'web' }, spec: { replicas: 3 } };
    expect(checkClusterObject({ matches: { spec: { replicas: 3 } } }, pod, '/s', 'Pod n/web')).toEqual([]);
    expect(
      checkClusterObject({ matches: { spec: { replicas: 2 } } }, pod, '/s', 'Pod n/web')[0]!.actual,
    ).toBe('spec.replicas: expected 2, got 3');
    expect(checkClusterObject({ absent: true }, pod, '/s', 'Pod n/web')[0]!.actual).toBe('present');
    expect(checkClusterObject({ absent: true }, undefined, '/s', 'Pod n/web')).toEqual([]);
    expect(checkClusterObject({}, undefined, '/s', 'Pod n/web')[0]!.actual).toBe('not found');
  });

  it('partial match treats u64 strings and numbers alike, and bigint', () => {
    expect(partialMatch({ a: 5 }, { a: '5' })).toEqual([]);
    expect(partialMatch({ a: '5' }, { a: 5n })).toEqual([]);
    expect(partialMatch({ a: 5 }, { a: '6' })).toHaveLength(1);
  });
});
