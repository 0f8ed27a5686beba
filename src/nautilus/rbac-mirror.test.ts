import { describe, expect, it } from 'vitest';
import { DISCOVERY_RULE } from '../k8s/discovery-fields.ts';
import {
  executorRole,
  impersonationTargets,
  tokenNamespaces,
  tokenObjects,
  type MirroredToken,
} from './rbac-mirror.ts';
import { TENANT_VALIDATIONS, tenantAdmissionObjects } from './tenant-admission.ts';

const CLUSTER = `0x${'c1'.repeat(32)}`;
const token = (rules: MirroredToken['rules'], id = `0x${'7a'.repeat(32)}`): MirroredToken => ({
  id,
  owner: `0x${'0b'.repeat(32)}`,
  rules,
  expiresAtMs: 0,
});
const ns = (namespaces: string[], verbs = ['*']) => ({
  verbs,
  apiGroups: ['*'],
  resources: ['*'],
  namespaces,
  resourceNames: [],
});

describe('RBAC mirror of SealToken rules', () => {
  it('a namespace-scoped token: a Role and a RoleBinding to its token group per namespace, labelled', () => {
    const t = token([ns(['team-a', 'team-b']), DISCOVERY_RULE]);
    const objs = tokenObjects(t, CLUSTER);
    expect(objs.map((o) => `${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}`)).toEqual([
      `Role team-a/k3s-daas:token:${'7a'.repeat(32)}`,
      `RoleBinding team-a/k3s-daas:token:${'7a'.repeat(32)}`,
      `Role team-b/k3s-daas:token:${'7a'.repeat(32)}`,
      `RoleBinding team-b/k3s-daas:token:${'7a'.repeat(32)}`,
    ]);
    const binding = objs[1]!;
    expect(binding.kind === 'RoleBinding' && binding.subjects).toEqual([
      { kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: `k3s-daas:token:${t.id}` },
    ]);
    expect(binding.metadata.labels).toMatchObject({
      'app.kubernetes.io/managed-by': 'k3s-daas',
      'k3s-daas.io/cluster': 'c1'.repeat(20),
      'k3s-daas.io/token': '7a'.repeat(20),
    });
    expect(binding.metadata.annotations?.['k3s-daas.io/token-id']).toBe(t.id);
    // The discovery pseudo group is the contract's own: never mirrored.
    expect(JSON.stringify(objs)).not.toContain('discovery.k3s-daas.io');
  });

  it('`*` and "" namespaces become a ClusterRole + ClusterRoleBinding', () => {
    const objs = tokenObjects(token([ns(['*'], ['get', 'list']), ns([''], ['list'])]), CLUSTER);
    expect(objs.map((o) => o.kind)).toEqual(['ClusterRole', 'ClusterRoleBinding']);
    expect(objs[0]!.kind === 'ClusterRole' && objs[0]!.rules).toHaveLength(2);
  });

  it('tenant namespaces are the ones a token may write to', () => {
    const n = tokenNamespaces([token([ns(['team-a']), ns(['ro'], ['get'])])]);
    expect(n.all).toEqual(['ro', 'team-a']);
    expect([...n.writable]).toEqual(['team-a']);
  });

  it("the executor's ClusterRole: impersonate exactly the live tokens' users and groups, never an empty (= any) list", () => {
    expect(executorRole(CLUSTER, []).rules).toEqual([
      {
        apiGroups: [''],
        resources: ['groups'],
        verbs: ['impersonate'],
        resourceNames: [`k3s-daas:cluster:${CLUSTER}`, 'system:authenticated'],
      },
    ]);
    const t = token([
      ns(['team-a']),
      {
        verbs: ['impersonate'],
        apiGroups: [''],
        resources: ['users'],
        namespaces: [''],
        resourceNames: ['bob'],
      },
      { verbs: ['impersonate'], apiGroups: [''], resources: ['users'], namespaces: [''], resourceNames: [] },
      {
        verbs: ['impersonate'],
        apiGroups: [''],
        resources: ['users', 'groups'],
        namespaces: [''],
        resourceNames: ['system:admin', 'system:masters'],
      },
    ]);
    expect(impersonationTargets(t)).toEqual({ users: ['bob'], groups: [] });
    const role = executorRole(CLUSTER, [t]);
    expect(role.rules[0]).toEqual({
      apiGroups: [''],
      resources: ['users'],
      verbs: ['impersonate'],
      resourceNames: ['bob', `sui:${t.owner}`],
    });
    expect(role.rules[1]!.resourceNames).toContain(`k3s-daas:token:${t.id}`);
    expect(role.rules.every((r) => r.verbs.join() === 'impersonate')).toBe(true);
  });

  it('the admission policy names each rule it enforces', () => {
    const [policy, binding] = tenantAdmissionObjects(CLUSTER);
    expect(policy!.kind).toBe('ValidatingAdmissionPolicy');
    expect(binding!.spec).toEqual({ policyName: 'k3s-daas-tenant-guard', validationActions: ['Deny'] });
    expect(TENANT_VALIDATIONS.map((v) => v.message).join('\n')).toMatch(
      /nodeName[\s\S]*hostPID[\s\S]*hostPath[\s\S]*cluster-admin[\s\S]*ServiceAccount of another namespace/,
    );
  });
});
