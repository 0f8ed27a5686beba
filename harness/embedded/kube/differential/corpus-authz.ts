/**
 * The corpus part for the defence in depth of issue 18: authentication by a ServiceAccount token,
 * impersonation (allowed by resourceNames, refused, the 400 without a user), RBAC allow/deny with
 * kube-apiserver's reasons, the access and rules reviews, and escalation prevention on roles and
 * bindings. The admin may impersonate anyone (system:masters), so "as" cases send
 * Impersonate-User from it; "executor" cases send the executor ServiceAccount's token.
 */
import type { Json, JsonObject } from './normalise.ts';
import type { Case } from './corpus.ts';

const RBAC = '/apis/rbac.authorization.k8s.io/v1';
const PODS = '/api/v1/namespaces/{{ns}}/pods';
const EXEC = { authorization: 'Bearer {{exectoken}}' };
const AS_TENANT = { 'impersonate-user': 'sui:0xabc' };
const isObj = (v: Json | undefined): v is JsonObject => !!v && typeof v === 'object' && !Array.isArray(v);

/** Rules reviews list bindings in informer order: compare them as sorted sets. */
function sortedRules(b: Json): Json {
  if (!isObj(b) || !isObj(b.status)) return b;
  const sort = (v: Json | undefined): Json =>
    Array.isArray(v) ? v.map((x) => JSON.stringify(x)).sort() : (v ?? null);
  return {
    ...b,
    status: {
      ...b.status,
      resourceRules: sort(b.status.resourceRules),
      nonResourceRules: sort(b.status.nonResourceRules),
    },
  };
}

const role = (name: string, rules: Json): Json => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'Role',
  metadata: { name },
  rules,
});

const binding = (
  kind: 'RoleBinding' | 'ClusterRoleBinding',
  name: string,
  roleRef: Json,
  subjects: Json,
): Json => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind,
  metadata: { name },
  roleRef,
  subjects,
});

const tenant = [{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'sui:0xabc' }];

export const AUTHZ_CORPUS: readonly Case[] = [
  // ── set-up (admin): the executor ServiceAccount and its token, the tenant's Role and binding ──
  {
    name: 'authz: create executor serviceaccount',
    method: 'POST',
    path: '/api/v1/namespaces/{{ns}}/serviceaccounts',
    body: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'executor' } },
  },
  {
    name: 'authz: executor token',
    method: 'POST',
    path: '/api/v1/namespaces/{{ns}}/serviceaccounts/executor/token',
    body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: 3600 } },
    save: { exectoken: 'status.token' },
  },
  {
    name: 'authz: create role pod-reader',
    method: 'POST',
    path: `${RBAC}/namespaces/{{ns}}/roles`,
    body: role('pod-reader', [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] }]),
  },
  {
    name: 'authz: bind pod-reader to the tenant',
    method: 'POST',
    path: `${RBAC}/namespaces/{{ns}}/rolebindings`,
    body: binding(
      'RoleBinding',
      'pod-reader',
      { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'pod-reader' },
      tenant,
    ),
  },
  {
    name: 'authz: create impersonator clusterrole (resourceNames)',
    method: 'POST',
    path: `${RBAC}/clusterroles`,
    body: {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: '{{ns}}-impersonator' },
      rules: [
        { apiGroups: [''], resources: ['users'], verbs: ['impersonate'], resourceNames: ['sui:0xabc'] },
        { apiGroups: [''], resources: ['groups'], verbs: ['impersonate'], resourceNames: ['tenant-a'] },
      ],
    },
  },
  {
    name: 'authz: bind impersonator to the executor',
    method: 'POST',
    path: `${RBAC}/clusterrolebindings`,
    body: binding(
      'ClusterRoleBinding',
      '{{ns}}-impersonator',
      { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: '{{ns}}-impersonator' },
      [{ kind: 'ServiceAccount', name: 'executor', namespace: '{{ns}}' }],
    ),
  },

  // ── the executor's own credential can do nothing but impersonate ──
  { name: 'authz: executor lists pods → 403', method: 'GET', path: PODS, headers: EXEC },
  { name: 'authz: executor unknown path → 403', method: 'GET', path: '/foo', headers: EXEC },
  {
    name: 'authz: executor unknown resource → 403',
    method: 'GET',
    path: '/api/v1/namespaces/{{ns}}/widgets',
    headers: EXEC,
  },
  {
    name: 'authz: executor impersonates the tenant, lists pods',
    method: 'GET',
    path: PODS,
    headers: { ...EXEC, ...AS_TENANT },
    project: (b) => (isObj(b) ? { kind: b.kind ?? null } : b),
  },
  {
    name: 'authz: executor impersonates tenant + group',
    method: 'GET',
    path: PODS,
    headers: { ...EXEC, ...AS_TENANT, 'impersonate-group': 'tenant-a' },
    project: (b) => (isObj(b) ? { kind: b.kind ?? null } : b),
  },
  {
    name: 'authz: executor impersonates another user → 403',
    method: 'GET',
    path: PODS,
    headers: { ...EXEC, 'impersonate-user': 'sui:0xdef' },
  },
  {
    name: 'authz: executor impersonates system:masters → 403',
    method: 'GET',
    path: PODS,
    headers: { ...EXEC, ...AS_TENANT, 'impersonate-group': 'system:masters' },
  },
  {
    name: 'authz: executor impersonates a uid → 403',
    method: 'GET',
    path: PODS,
    headers: { ...EXEC, ...AS_TENANT, 'impersonate-uid': 'u-1' },
  },
  {
    name: 'authz: executor impersonates an extra → 403',
    method: 'GET',
    path: PODS,
    headers: { ...EXEC, ...AS_TENANT, 'impersonate-extra-scopes': 'view' },
  },
  {
    name: 'authz: executor impersonates a serviceaccount → 403',
    method: 'GET',
    path: PODS,
    headers: { ...EXEC, 'impersonate-user': 'system:serviceaccount:{{ns}}:default' },
  },
  {
    name: 'authz: impersonate group without user → 400',
    method: 'GET',
    path: PODS,
    headers: { ...EXEC, 'impersonate-group': 'tenant-a' },
  },
  {
    name: 'authz: impersonated tenant creates a configmap → 403',
    method: 'POST',
    path: '/api/v1/namespaces/{{ns}}/configmaps',
    headers: { ...EXEC, ...AS_TENANT },
    body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'nope' } },
  },
  {
    name: 'authz: whoami as the impersonated tenant',
    method: 'POST',
    path: '/apis/authentication.k8s.io/v1/selfsubjectreviews',
    headers: { ...EXEC, ...AS_TENANT, 'impersonate-group': 'tenant-a' },
    body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' },
  },

  // ── access and rules reviews answer from the same authorizer ──
  {
    name: 'authz: can-i list pods (tenant) → allowed with reason',
    method: 'POST',
    path: '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
    headers: AS_TENANT,
    body: {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SelfSubjectAccessReview',
      spec: { resourceAttributes: { verb: 'list', resource: 'pods', namespace: '{{ns}}' } },
    },
  },
  {
    name: 'authz: can-i create pods (tenant) → denied',
    method: 'POST',
    path: '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
    headers: AS_TENANT,
    body: {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SelfSubjectAccessReview',
      spec: { resourceAttributes: { verb: 'create', resource: 'pods', namespace: '{{ns}}' } },
    },
  },
  {
    name: 'authz: can-i (admin) → allowed without reason',
    method: 'POST',
    path: '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
    body: {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SelfSubjectAccessReview',
      spec: { resourceAttributes: { verb: 'delete', resource: 'nodes' } },
    },
  },
  {
    name: 'authz: subjectaccessreview for the tenant',
    method: 'POST',
    path: '/apis/authorization.k8s.io/v1/subjectaccessreviews',
    body: {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SubjectAccessReview',
      spec: { user: 'sui:0xabc', resourceAttributes: { verb: 'get', resource: 'pods', namespace: '{{ns}}' } },
    },
  },
  {
    name: 'authz: subjectaccessreview non-resource',
    method: 'POST',
    path: '/apis/authorization.k8s.io/v1/subjectaccessreviews',
    body: {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SubjectAccessReview',
      spec: {
        user: 'sui:0xabc',
        groups: ['system:authenticated'],
        nonResourceAttributes: { verb: 'get', path: '/apis' },
      },
    },
  },
  {
    name: 'authz: rules review (tenant)',
    method: 'POST',
    path: '/apis/authorization.k8s.io/v1/selfsubjectrulesreviews',
    headers: AS_TENANT,
    body: {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SelfSubjectRulesReview',
      spec: { namespace: '{{ns}}' },
    },
    project: sortedRules,
  },

  // ── escalation prevention: the tenant may write RBAC objects, but only what it holds ──
  {
    name: 'authz: create role rbac-writer',
    method: 'POST',
    path: `${RBAC}/namespaces/{{ns}}/roles`,
    body: role('rbac-writer', [
      {
        apiGroups: ['rbac.authorization.k8s.io'],
        resources: ['roles', 'rolebindings'],
        verbs: ['create', 'update'],
      },
    ]),
  },
  {
    name: 'authz: bind rbac-writer to the tenant',
    method: 'POST',
    path: `${RBAC}/namespaces/{{ns}}/rolebindings`,
    body: binding(
      'RoleBinding',
      'rbac-writer',
      { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'rbac-writer' },
      tenant,
    ),
  },
  {
    name: 'authz: tenant creates a role it does not hold → 403 escalation',
    method: 'POST',
    path: `${RBAC}/namespaces/{{ns}}/roles`,
    headers: AS_TENANT,
    body: role('pod-writer', [
      { apiGroups: [''], resources: ['pods', 'pods/exec'], verbs: ['create', 'delete', 'get'] },
      { apiGroups: ['apps'], resources: ['deployments'], verbs: ['*'] },
    ]),
  },
  {
    name: 'authz: tenant creates a role it holds',
    method: 'POST',
    path: `${RBAC}/namespaces/{{ns}}/roles`,
    headers: AS_TENANT,
    body: role('pod-lister', [{ apiGroups: [''], resources: ['pods'], verbs: ['list'] }]),
  },
  {
    name: 'authz: tenant binds cluster-admin to the default serviceaccount → 403 escalation',
    method: 'POST',
    path: `${RBAC}/namespaces/{{ns}}/rolebindings`,
    headers: AS_TENANT,
    body: binding(
      'RoleBinding',
      'root',
      { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
      [{ kind: 'ServiceAccount', name: 'default', namespace: '{{ns}}' }],
    ),
  },
  {
    name: 'authz: tenant binds a role it holds',
    method: 'POST',
    path: `${RBAC}/namespaces/{{ns}}/rolebindings`,
    headers: AS_TENANT,
    body: binding(
      'RoleBinding',
      'lister',
      { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'pod-lister' },
      [{ kind: 'ServiceAccount', name: 'default', namespace: '{{ns}}' }],
    ),
  },
  {
    name: 'authz: tenant binds a missing role → 404',
    method: 'POST',
    path: `${RBAC}/namespaces/{{ns}}/rolebindings`,
    headers: AS_TENANT,
    body: binding(
      'RoleBinding',
      'ghost',
      { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'ghost' },
      [{ kind: 'ServiceAccount', name: 'default', namespace: '{{ns}}' }],
    ),
  },
  {
    name: 'authz: a binding to a missing clusterrole',
    method: 'POST',
    path: `${RBAC}/namespaces/{{ns}}/rolebindings`,
    body: binding(
      'RoleBinding',
      'dangling',
      { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: '{{ns}}-nope' },
      tenant,
    ),
  },
  {
    name: 'authz: denial names the resolution error',
    method: 'DELETE',
    path: `${PODS}/anything`,
    headers: AS_TENANT,
  },
  {
    name: 'authz: escalation names the resolution error',
    method: 'POST',
    path: `${RBAC}/namespaces/{{ns}}/roles`,
    headers: AS_TENANT,
    body: role('secret-reader', [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }]),
  },
];
