// Impersonation, RBAC and escalation prevention: the pure rules (units) and the real kubectl
// against an embedded server with RBAC on (issue 18: every request re-checked as the requester).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedKube, type EmbeddedKube } from '../server.ts';
import { aggregatedRules, compactString, ruleAllows, uncovered, type Rule } from '../rbac.ts';
import type { KubeObject } from '../store.ts';
import { hasKubectl, makeKubectl } from './kubectl-helper.ts';

describe('RBAC rules', () => {
  it('matches verbs, groups, subresources, resourceNames and non-resource URLs as kube-apiserver', () => {
    const r: Rule = { verbs: ['get'], apiGroups: [''], resources: ['pods', '*/log'], resourceNames: ['a'] };
    expect(ruleAllows(r, { verb: 'get', group: '', resource: 'pods', name: 'a' })).toBe(true);
    expect(ruleAllows(r, { verb: 'get', group: '', resource: 'pods', name: 'b' })).toBe(false);
    expect(ruleAllows(r, { verb: 'list', group: '', resource: 'pods' })).toBe(false);
    expect(ruleAllows(r, { verb: 'get', group: '', resource: 'pods', subresource: 'log', name: 'a' })).toBe(
      true,
    );
    expect(ruleAllows(r, { verb: 'get', group: 'apps', resource: 'pods', name: 'a' })).toBe(false);
    const nr: Rule = { verbs: ['get'], nonResourceURLs: ['/apis/*', '/version'] };
    expect(ruleAllows(nr, { verb: 'get', group: '', resource: '', path: '/apis/apps' })).toBe(true);
    expect(ruleAllows(nr, { verb: 'get', group: '', resource: '', path: '/version/' })).toBe(false);
  });

  it('finds the uncovered rules, broken down and compacted as the escalation message lists them', () => {
    const owner: Rule[] = [{ verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'] }];
    const missing = uncovered(owner, [
      { verbs: ['get', 'create'], apiGroups: [''], resources: ['pods', 'secrets'] },
    ]);
    expect(missing.map(compactString)).toEqual([
      '{APIGroups:[""], Resources:["pods"], Verbs:["create"]}',
      '{APIGroups:[""], Resources:["secrets"], Verbs:["get"]}',
      '{APIGroups:[""], Resources:["secrets"], Verbs:["create"]}',
    ]);
    // "*/status" in the owner covers any resource's status; a resourceName-limited owner covers only those names.
    expect(
      uncovered(
        [{ verbs: ['*'], apiGroups: ['*'], resources: ['*/status'] }],
        [{ verbs: ['update'], apiGroups: ['apps'], resources: ['deployments/status'] }],
      ),
    ).toEqual([]);
    expect(
      uncovered(
        [{ verbs: ['get'], apiGroups: [''], resources: ['pods'], resourceNames: ['a'] }],
        [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }],
      ),
    ).toHaveLength(1);
  });

  it('aggregates ClusterRoles by label selector, in name order, without duplicates', () => {
    const cr = (name: string, extra: Record<string, unknown>): KubeObject =>
      ({
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRole',
        metadata: { name },
        ...extra,
      }) as KubeObject;
    const changed = aggregatedRules([
      cr('view', { aggregationRule: { clusterRoleSelectors: [{ matchLabels: { agg: 'view' } }] } }),
      cr('b-part', {
        metadata: { name: 'b-part', labels: { agg: 'view' } },
        rules: [{ verbs: ['get'], apiGroups: [''], resources: ['b'] }],
      }),
      cr('a-part', {
        metadata: { name: 'a-part', labels: { agg: 'view' } },
        rules: [
          { verbs: ['get'], apiGroups: [''], resources: ['a'] },
          { verbs: ['get'], apiGroups: [''], resources: ['b'] },
        ],
      }),
      cr('other', { rules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }] }),
    ]);
    expect(changed.get('view')).toEqual([
      { verbs: ['get'], apiGroups: [''], resources: ['a'] },
      { verbs: ['get'], apiGroups: [''], resources: ['b'] },
    ]);
  });
});

let kube: EmbeddedKube;
let admin: ReturnType<typeof makeKubectl>;
let executor: ReturnType<typeof makeKubectl>;

beforeAll(async () => {
  kube = await startEmbeddedKube({ rbac: true, tokens: { 'executor-token': { user: 'executor' } } });
  admin = makeKubectl(kube.kubeconfig);
  executor = makeKubectl(kube.kubeconfigFor('executor-token'));
  const apply = await admin(['apply', '-f', '-'], {
    input: `apiVersion: v1
kind: Namespace
metadata: {name: t}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: executor}
rules:
- {apiGroups: [""], resources: [users], verbs: [impersonate], resourceNames: ["sui:0xabc"]}
- {apiGroups: [""], resources: [groups], verbs: [impersonate], resourceNames: [tenant-a]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: executor}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: executor}
subjects: [{kind: User, name: executor}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: tenant, namespace: t}
rules:
- {apiGroups: [""], resources: [pods, configmaps], verbs: [get, list, create]}
- {apiGroups: [rbac.authorization.k8s.io], resources: [roles, rolebindings], verbs: [create]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: tenant, namespace: t}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: tenant}
subjects: [{kind: User, name: "sui:0xabc"}]
`,
  });
  if (apply.exitCode !== 0) throw new Error(apply.stderr);
});

afterAll(async () => {
  await kube?.stop();
});

describe.skipIf(!hasKubectl)(
  `kubectl with impersonation and RBAC${hasKubectl ? '' : ' (skipped: kubectl is not on PATH)'}`,
  () => {
    const asTenant = ['--as', 'sui:0xabc', '--as-group', 'tenant-a'];

    it('whoami shows the impersonated user; the executor itself can do nothing else', async () => {
      const who = await executor(['auth', 'whoami', ...asTenant, '-o', 'json']);
      expect(JSON.parse(who.stdout).status.userInfo).toEqual({
        username: 'sui:0xabc',
        groups: ['tenant-a', 'system:authenticated'],
      });
      const own = await executor(['-n', 't', 'get', 'pods']);
      expect(own.exitCode).not.toBe(0);
      expect(own.stderr).toContain(
        'pods is forbidden: User "executor" cannot list resource "pods" in API group "" in the namespace "t"',
      );
      const other = await executor(['-n', 't', 'get', 'pods', '--as', 'sui:0xdef']);
      expect(other.stderr).toContain(
        'users "sui:0xdef" is forbidden: User "executor" cannot impersonate resource "users"',
      );
    });

    it('authorizes the impersonated user: can-i agrees with the requests', async () => {
      expect(
        (await executor(['-n', 't', 'auth', 'can-i', 'create', 'pods', ...asTenant])).stdout.trim(),
      ).toBe('yes');
      expect(
        (await executor(['-n', 't', 'auth', 'can-i', 'delete', 'pods', ...asTenant])).stdout.trim(),
      ).toBe('no');
      expect((await executor(['-n', 't', 'create', 'configmap', 'c1', ...asTenant])).exitCode).toBe(0);
      const del = await executor(['-n', 't', 'delete', 'configmap', 'c1', ...asTenant]);
      expect(del.stderr).toContain(
        'configmaps "c1" is forbidden: User "sui:0xabc" cannot delete resource "configmaps" in API group "" in the namespace "t"',
      );
    });

    it('refuses a RoleBinding of cluster-admin and a Role beyond what the tenant holds', async () => {
      const bind = await executor([
        '-n',
        't',
        'create',
        'rolebinding',
        'root',
        '--clusterrole=cluster-admin',
        '--serviceaccount=t:default',
        ...asTenant,
      ]);
      expect(bind.exitCode).not.toBe(0);
      expect(bind.stderr).toContain(
        'rolebindings.rbac.authorization.k8s.io "root" is forbidden: user "sui:0xabc" (groups=["tenant-a" "system:authenticated"]) is attempting to grant RBAC permissions not currently held:',
      );
      expect(bind.stderr).toContain('{APIGroups:["*"], Resources:["*"], Verbs:["*"]}');
      const role = await executor([
        '-n',
        't',
        'create',
        'role',
        'r',
        '--verb=delete',
        '--resource=pods',
        ...asTenant,
      ]);
      expect(role.stderr).toContain('{APIGroups:[""], Resources:["pods"], Verbs:["delete"]}');
      const held = await executor([
        '-n',
        't',
        'create',
        'role',
        'r2',
        '--verb=get',
        '--resource=pods',
        ...asTenant,
      ]);
      expect(held.exitCode).toBe(0);
    });

    it('serves the bootstrap roles, with view aggregated from its parts', async () => {
      const view = JSON.parse((await admin(['get', 'clusterrole', 'view', '-o', 'json'])).stdout) as {
        rules: Rule[];
      };
      expect(view.rules.some((r) => r.resources?.includes('pods') && r.verbs?.includes('list'))).toBe(true);
      const basic = await executor([
        'auth',
        'can-i',
        'create',
        'selfsubjectaccessreviews.authorization.k8s.io',
      ]);
      expect(basic.stdout.trim()).toBe('yes');
    });
  },
);
