/**
 * End to end: the real kubectl → gateway (HTTPS) → k8s_gateway on the
 * embedded Sui node → Nautilus listener → embedded Kubernetes API server,
 * and back. Nothing is mocked. Also on the real control plane:
 * kubectl.apiserver.e2e.test.ts.
 */
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { e2eCluster, itRequires } from './clusters.ts';
import { ALL, startE2EStack, type E2EStack } from './e2e-stack.ts';

const cluster = e2eCluster();

/**
 * What `bob` may do in Kubernetes itself: a real cluster authorises the impersonated user with its
 * own RBAC (kube-apiserver refuses bob otherwise); the embedded one stores the objects alike.
 */
const BOB_READS_PODS = `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: { name: bob-reads-pods, namespace: default }
rules: [{ apiGroups: [""], resources: [pods], verbs: [get, list] }]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: { name: bob-reads-pods, namespace: default }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: Role, name: bob-reads-pods }
subjects: [{ apiGroup: rbac.authorization.k8s.io, kind: User, name: bob }]
`;

const POD = `apiVersion: v1
kind: Pod
metadata:
  name: nginx
  labels: { app: web }
spec:
  containers:
    - name: nginx
      image: nginx:1.27
`;

let s: E2EStack;

beforeAll(async () => {
  s = await startE2EStack([
    {
      name: 'viewer',
      rules: [
        {
          verbs: ['get', 'list'],
          apiGroups: [''],
          resources: ['pods', 'pods/log'],
          namespaces: ['default'],
          resourceNames: [],
        },
      ],
      stake: 0n,
    },
    { name: 'nostake', rules: [ALL], stake: 0n },
    {
      name: 'impersonator',
      rules: [
        {
          verbs: ['get', 'list'],
          apiGroups: [''],
          resources: ['pods'],
          namespaces: ['default'],
          resourceNames: [],
        },
        {
          verbs: ['impersonate'],
          apiGroups: [''],
          resources: ['users'],
          namespaces: [''],
          resourceNames: ['bob'],
        },
      ],
      stake: 0n,
    },
    { name: 'revoked', rules: [ALL], stake: 1_000n, revoked: true },
    { name: 'expired', rules: [ALL], stake: 1_000n, expiresInMs: 1_500 },
  ]);
  await s.startListener(0);
}, 300_000);

afterAll(async () => s?.stop(), 60_000);

describe('kubectl through the contract', () => {
  it('get pods on an empty namespace', async () => {
    const r = await s.kubectl('admin-user', ['get', 'pods']);
    expect(r.stderr).toContain('No resources found in default namespace.');
    expect(r.exitCode).toBe(0);
  });

  it('apply -f pod.yaml prints pod/nginx created', async () => {
    const r = await s.kubectl('admin-user', ['apply', '-f', '-'], { input: POD });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('pod/nginx created');
  });

  it('get -o json | yaml | wide', async () => {
    const json = await s.kubectl('admin-user', ['get', 'pod', 'nginx', '-o', 'json']);
    expect(JSON.parse(json.stdout)).toMatchObject({
      kind: 'Pod',
      metadata: { name: 'nginx', labels: { app: 'web' } },
    });
    const yaml = await s.kubectl('admin-user', ['get', 'pods', '-o', 'yaml']);
    expect(yaml.stdout).toContain('kind: List');
    expect(yaml.stdout).toContain('name: nginx');
    const wide = await s.kubectl('admin-user', ['get', 'pods', '-o', 'wide']);
    expect(wide.stdout).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE/);
    expect(wide.stdout).toMatch(/\nnginx\s/);
  });

  it('get --sort-by sends includeObject=Object through the contract and sorts the rows', async () => {
    const pods = ['zzz-last', 'aaa-first'].map((n) => POD.replace('name: nginx', `name: ${n}`));
    const applied = await s.kubectl('admin-user', ['apply', '-f', '-'], { input: pods.join('---\n') });
    expect(applied.exitCode).toBe(0);
    const table = await s.kubectl('admin-user', ['get', 'pods', '--sort-by=.metadata.name']);
    expect(table.stderr).toBe('');
    expect(table.stdout).toMatch(/^NAME\s+READY\s+STATUS[^\n]*\naaa-first\s[^\n]*\n(?:[^\n]*\n)*zzz-last\s/);
    const deleted = await s.kubectl('admin-user', ['delete', 'pod', 'aaa-first', 'zzz-last']);
    expect(deleted.exitCode).toBe(0);
  });

  it('patch', async () => {
    const r = await s.kubectl('admin-user', [
      'patch',
      'pod',
      'nginx',
      '-p',
      '{"metadata":{"labels":{"tier":"front"}}}',
    ]);
    expect(r.stdout.trim()).toBe('pod/nginx patched');
    const j = JSON.parse((await s.kubectl('admin-user', ['get', 'pod', 'nginx', '-o', 'json'])).stdout) as {
      metadata: { labels: Record<string, string> };
    };
    expect(j.metadata.labels.tier).toBe('front');
  });

  itRequires(cluster, ['simulated-logs'], 'logs', async () => {
    const r = await s.kubectl('admin-user', ['logs', 'nginx']);
    expect(r.exitCode, r.stderr).toBe(0);
  });

  it('a read-only token may list pods but create is 403 naming the rule', async () => {
    expect((await s.kubectl('viewer', ['get', 'pods'])).exitCode).toBe(0);
    const r = await s.kubectl('viewer', ['create', 'configmap', 'nope', '--from-literal=a=b']);
    expect(r.exitCode).toBe(1);
    // kubectl create prints "error: failed to create configmap: <Status message>"
    expect(r.stderr).toContain("the SealToken's rules do not allow this verb");
    expect(r.stderr).toContain('EPermissionDenied');
    expect(r.stderr).toContain('create configmaps in namespace "default"');
    expect(r.stderr).toContain('resources=pods,pods/log namespaces=default');
    expect(r.stderr).toMatch(
      /transaction [1-9A-HJ-NP-Za-km-z]{32,}|rejected by the contract during transaction simulation/,
    );
  });

  it('a write with insufficient stake is 403', async () => {
    const r = await s.kubectl('nostake', ['create', 'configmap', 'poor', '--from-literal=a=b']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('write requests need a token stake');
    expect(r.stderr).toContain('EInsufficientStake');
    const viaApply = await s.kubectl('nostake', ['apply', '-f', '-'], {
      input: POD.replace('nginx', 'poor-pod'),
    });
    expect(viaApply.stderr).toContain('Error from server (Forbidden)');
  });

  it('revoked, expired and unknown tokens are 401', async () => {
    await new Promise((r) => setTimeout(r, 1_600));
    for (const who of ['revoked', 'expired', 'unknown']) {
      const r = await s.kubectl(who, ['get', 'pods']);
      expect(r.exitCode, who).toBe(1);
      // kubectl's wording for a 401 on discovery
      expect(r.stderr, who).toMatch(
        /Unauthorized|the server has asked for the client to provide credentials/,
      );
    }
  });

  it('delete', async () => {
    const r = await s.kubectl('admin-user', ['delete', 'pod', 'nginx']);
    expect(r.stdout.trim()).toBe('pod "nginx" deleted');
    expect((await s.kubectl('admin-user', ['get', 'pods'])).stderr).toContain('No resources found');
  });

  it('get -w streams each change through the contract, window after window', async () => {
    await s.kubectl('admin-user', ['create', 'configmap', 'watched', '--from-literal=state=0']);
    const watch = s.kubectlStream('admin-user', [
      'get',
      'configmap',
      'watched',
      '-w',
      '-o',
      'custom-columns=NAME:.metadata.name,STATE:.data.state',
    ]);
    await watch.seen('watched   0');
    // Three changes, each in a later window: the watch stays open across windows.
    for (const state of ['1', '2', '3']) {
      await s.kubectl('admin-user', [
        'patch',
        'configmap',
        'watched',
        '--type=merge',
        '-p',
        `{"data":{"state":"${state}"}}`,
      ]);
      await watch.seen(`watched   ${state}`);
    }
    await watch.stop();
  });

  it('wait --for returns as soon as a later change meets the condition', async () => {
    await s.kubectl('admin-user', ['create', 'configmap', 'flag', '--from-literal=state=waiting']);
    const waiting = s.kubectl('admin-user', [
      'wait',
      'configmap/flag',
      '--for=jsonpath={.data.state}=ready',
      '--timeout=60s',
    ]);
    await new Promise((r) => setTimeout(r, 1_500));
    await s.kubectl('admin-user', [
      'patch',
      'configmap',
      'flag',
      '--type=merge',
      '-p',
      '{"data":{"state":"ready"}}',
    ]);
    const r = await waiting;
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('configmap/flag condition met');
  });

  it("auth can-i answers with the contract's own checks (rules, stake), simulated", async () => {
    const canI = (who: string, ...q: string[]) => s.kubectl(who, ['auth', 'can-i', ...q]);
    const yes = await canI('viewer', 'list', 'pods');
    expect([yes.exitCode, yes.stdout.trim()]).toEqual([0, 'yes']);
    const no = await canI('viewer', 'create', 'pods');
    expect(no.exitCode).toBe(1);
    expect(no.stdout.trim()).toMatch(/^no - .*\[EPermissionDenied\]$/);
    const unstaked = await canI('nostake', 'delete', 'pods');
    expect(unstaked.stdout.trim()).toMatch(/^no - .*\[EInsufficientStake\]$/);
    expect((await canI('nostake', 'get', 'pods')).stdout.trim()).toBe('yes');
    expect((await canI('admin-user', 'delete', 'deployments.apps', '-n', 'kube-system')).stdout.trim()).toBe(
      'yes',
    );
  });

  it("auth can-i with wildcards answers as kube-apiserver's RBAC: only a * rule grants *", async () => {
    const canI = async (who: string, ...q: string[]) =>
      (await s.kubectl(who, ['auth', 'can-i', ...q])).stdout.trim();
    expect(await canI('admin-user', '*', '*')).toBe('yes');
    expect(await canI('admin-user', '*', '*', '--all-namespaces')).toBe('yes');
    expect(await canI('viewer', '*', '*')).toMatch(/^no - no rule of the SealToken grants \* on \*/);
    expect(await canI('viewer', 'list', '*')).toMatch(/^no/);
    expect(await canI('nostake', 'get', '*')).toBe('yes');
    expect(await canI('nostake', '*', '*')).toMatch(/^no - .*writes need a stake of \d+ MIST/);
    expect(await canI('revoked', 'get', '*')).toMatch(/^no - .*revoked/i);
  });

  it('auth can-i --list shows what the SealToken allows, reads only while the stake is short', async () => {
    const viewer = await s.kubectl('viewer', ['auth', 'can-i', '--list']);
    expect(viewer.exitCode).toBe(0);
    expect(viewer.stdout).toMatch(/^pods\s+\[\]\s+\[\]\s+\[get list\]$/m);
    expect(viewer.stdout).toMatch(/^\s+\[\/apis\]\s+\[\]\s+\[get\]$/m);
    const unstaked = await s.kubectl('nostake', ['auth', 'can-i', '--list']);
    expect(unstaked.stdout).toMatch(/^\*\.\*\s+\[\]\s+\[\]\s+\[get list watch\]$/m);
    const revoked = await s.kubectl('revoked', ['auth', 'can-i', '--list']);
    // A revoked token: no rule applies (the header line only).
    expect(revoked.stdout.trim().split('\n')).toEqual([
      expect.stringMatching(/^Resources\s+Non-Resource URLs/),
    ]);
  });

  it('auth whoami names the SealToken holder, not the identity the cluster sees', async () => {
    const viewer = s.identities.identities.find((i) => i.name === 'viewer')!;
    const r = await s.kubectl('viewer', ['auth', 'whoami', '-o', 'json']);
    expect(r.exitCode).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      kind: 'SelfSubjectReview',
      status: {
        userInfo: {
          username: viewer.address,
          groups: ['system:authenticated'],
          extra: { 'k3s-daas.io/seal-token': [viewer.sealTokenId], 'k3s-daas.io/identity-name': ['viewer'] },
        },
      },
    });
    const table = await s.kubectl('viewer', ['auth', 'whoami']);
    expect(table.stdout).toMatch(new RegExp(`^Username\\s+${viewer.address}$`, 'm'));
    expect(table.stdout).not.toContain('system:masters');
  });

  it('kubectl --as without the impersonate verb is refused by the contract with the reason', async () => {
    const r = await s.kubectl('viewer', ['get', 'pods', '--as', 'bob']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/Forbidden.*impersonate verb on users.*EImpersonationDenied/);
  });

  it('kubectl --as with the impersonate verb on users/bob acts as bob in Kubernetes', async () => {
    const rbac = await execa('kubectl', ['--kubeconfig', s.kube.kubeconfig, 'apply', '-f', '-'], {
      input: BOB_READS_PODS,
      reject: false,
    });
    expect(rbac.exitCode, rbac.stderr).toBe(0);
    const before = s.kube.audit().length;
    const r = await s.kubectl('impersonator', ['get', 'pods', '--as', 'bob']);
    expect(r.exitCode, r.stderr).toBe(0);
    const seen = s.kube
      .audit()
      .slice(before)
      .filter((a) => a.path.startsWith('/api/v1/namespaces/default/pods'));
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((a) => a.user === 'bob' && a.impersonatedBy)).toBe(true);
    // A user the token may not impersonate: refused on chain, never reaches Kubernetes.
    const admin = await s.kubectl('impersonator', ['get', 'pods', '--as', 'system:admin']);
    expect(admin.exitCode).toBe(1);
    expect(admin.stderr).toMatch(/EImpersonationDenied/);
  });

  it('a watch needs the watch verb in the SealToken rules', async () => {
    const r = await s.kubectl('viewer', ['get', 'pods', '--watch', '--request-timeout=20s']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/Forbidden.*EPermissionDenied.*watch pods/);
  });
});
