import { execa } from 'execa';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DISCOVERY_GROUP } from '../../src/k8s/discovery-fields.ts';
import { kubeconfigYaml } from '../stack.ts';
import { parseScenario } from './loader.ts';
import { generatedContent, planScenarios, renderTemplate, slugify } from './plan.ts';

async function load(name: string, identities: string) {
  return parseScenario(
    `name: ${name}\nidentities:\n${identities}\nsteps:\n  - sleepMs: 1\n`,
    `/v/${slugify(name)}.yaml`,
    '/nonexistent',
  );
}

describe('planScenarios', () => {
  it('gives each scenario a unique DNS-safe namespace and stack-unique identity names', async () => {
    const a = await load('Apply a Pod!', '  dev: { preset: namespace-admin }');
    const b = await load('Apply a Pod!', '  dev: { preset: read-only, stake: none }');
    const [pa, pb] = planScenarios([a, b], 'abc123', 777n);
    expect(pa!.namespace).toBe('apply-a-pod-abc123');
    expect(pb!.namespace).toBe('apply-a-pod-2-abc123');
    expect(pa!.identityNames).toEqual({ dev: 'apply-a-pod/dev' });
    expect(pb!.identityNames).toEqual({ dev: 'apply-a-pod-2/dev' });
    expect(pa!.identityRequests[0]!.stakeMist).toBe(777n);
    expect(pb!.identityRequests[0]!.stakeMist).toBe(0n);
    const long = planScenarios([await load('x'.repeat(200), '  d: {}')], 'abcdef', 1n)[0]!;
    expect(long.namespace.length).toBeLessThanOrEqual(63);
    expect(long.namespace).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
  });

  it('expands presets and rules into contract rules, always with the discovery rule', async () => {
    const s = await load(
      'rules',
      '  ro: { preset: read-only }\n  custom:\n    rules:\n      - { verbs: [get], resources: [pods/log] }\n      - { verbs: [list], apiGroups: [apps], resources: [deployments], namespaces: ["*"] }\n  stranger: { unknown: true }',
    );
    const [p] = planScenarios([s], 'r', 1n);
    const byName = Object.fromEntries(p!.identityRequests.map((r) => [r.name, r]));
    expect(byName['rules/ro']!.rules[0]).toEqual({
      verbs: ['get', 'list', 'watch'],
      apiGroups: ['*'],
      resources: ['*'],
      namespaces: ['rules-r'],
      resourceNames: [],
    });
    expect(byName['rules/custom']!.rules.slice(0, 2)).toEqual([
      {
        verbs: ['get'],
        apiGroups: ['*'],
        resources: ['pods/log'],
        namespaces: ['rules-r'],
        resourceNames: [],
      },
      {
        verbs: ['list'],
        apiGroups: ['apps'],
        resources: ['deployments'],
        namespaces: ['*'],
        resourceNames: [],
      },
    ]);
    for (const r of [byName['rules/ro']!, byName['rules/custom']!])
      expect(r.rules.at(-1)!.apiGroups).toEqual([DISCOVERY_GROUP]);
    expect(byName['rules/stranger']).toMatchObject({ unknown: true, rules: [], stakeMist: 0n });
  });
});

describe('templates and generated files', () => {
  it('renders every variable', () => {
    const vars = {
      namespace: 'ns',
      scenario: 'sc',
      runId: 'r',
      fixture: (n: string) => `/f/${n}`,
      file: (n: string) => `/g/${n}`,
    };
    expect(
      renderTemplate(
        '-n ${namespace} ${scenario}-${runId} ${fixture:pod.yaml} ${file:big.txt} ${other}',
        vars,
      ),
    ).toBe('-n ns sc-r /f/pod.yaml /g/big.txt ${other}');
  });
  it('generated content is deterministic, of the exact size, and printable', () => {
    const a = generatedContent(60_000, 'big.txt');
    expect(a).toHaveLength(60_000);
    expect(a).toBe(generatedContent(60_000, 'big.txt'));
    expect(a).not.toBe(generatedContent(60_000, 'other'));
    expect(a).toMatch(/^[A-Za-z0-9x\n]+$/);
  });
});

describe('identity kubeconfig', () => {
  it('is accepted by the real kubectl: HTTPS server, CA data and bearer token', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kc-'));
    const path = join(dir, 'kc.yaml');
    await writeFile(
      path,
      kubeconfigYaml(
        'https://127.0.0.1:6443',
        '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
        'scenario/dev',
        'k3sdaas_secret',
      ),
    );
    const r = await execa('kubectl', ['config', 'view', '--raw', '-o', 'json'], {
      env: { KUBECONFIG: path },
    });
    const cfg = JSON.parse(r.stdout) as {
      clusters: Array<{ cluster: { server: string; 'certificate-authority-data': string } }>;
      users: Array<{ name: string; user: { token: string } }>;
      'current-context': string;
    };
    expect(cfg.clusters[0]!.cluster.server).toBe('https://127.0.0.1:6443');
    expect(
      Buffer.from(cfg.clusters[0]!.cluster['certificate-authority-data'], 'base64').toString(),
    ).toContain('BEGIN CERTIFICATE');
    expect(cfg.users[0]).toEqual({ name: 'scenario/dev', user: { token: 'k3sdaas_secret' } });
    expect(cfg['current-context']).toBe('scenario/dev@k3s-daas');
  });
});
