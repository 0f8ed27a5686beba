/**
 * SealToken rules → Kubernetes RBAC (#18), pure: what objects a set of live tokens needs.
 *
 * Per token T of cluster C (names `k3s-daas:token:<T hex>`):
 *   - a Role + RoleBinding in every namespace its rules name,
 *   - a ClusterRole + ClusterRoleBinding when a rule is for `*` (all namespaces) or "" (cluster
 *     scope: Kubernetes RBAC cannot grant a list across all namespaces without granting each),
 *   - the namespaces it can write to get the Pod Security Admission level and the tenant label
 *     the admission policy selects on (tenant-admission.ts).
 * Every binding's only subject is the group `k3s-daas:token:<T>`: the listener impersonates
 * exactly that group with the request's token (kube-identity.ts), so Kubernetes grants a
 * request what its own token allows — per token, as the contract checks — and never the union
 * of every token the same address holds.
 * Plus, once per cluster, the executor's ClusterRole: `impersonate` on exactly the users and
 * groups of live tokens (resourceNames cannot say "prefix sui:", so the list is kept current).
 */
import { createHash } from 'node:crypto';
import type { RbacRule } from '../contract/index.ts';
import { DISCOVERY_GROUP } from '../k8s/discovery-fields.ts';
import { AUTHENTICATED_GROUP, clusterGroup, requesterUser, tokenGroup } from './kube-identity.ts';

export const RBAC_GROUP = 'rbac.authorization.k8s.io';
export const MANAGED_BY = 'app.kubernetes.io/managed-by';
export const MANAGER = 'k3s-daas';
export const CLUSTER_LABEL = 'k3s-daas.io/cluster';
export const TOKEN_LABEL = 'k3s-daas.io/token';
export const TENANT_LABEL = 'k3s-daas.io/tenant';
export const TOKEN_ANNOTATION = 'k3s-daas.io/token-id';
export const OWNER_ANNOTATION = 'k3s-daas.io/owner';

/** Pod Security Admission levels (https://kubernetes.io/docs/concepts/security/pod-security-standards/). */
export const POD_SECURITY_LEVELS = ['privileged', 'baseline', 'restricted'] as const;
export type PodSecurityLevel = (typeof POD_SECURITY_LEVELS)[number];

const WRITE_VERBS = new Set(['*', 'create', 'update', 'patch', 'delete', 'deletecollection']);

/** A live SealToken as the mirror needs it. */
export interface MirroredToken {
  id: string;
  owner: string;
  rules: readonly RbacRule[];
  /** 0 = never */
  expiresAtMs: number;
}

export interface ObjectMeta {
  name: string;
  namespace?: string;
  labels: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface PolicyRule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
  resourceNames?: string[];
}

export interface RoleObject {
  apiVersion: 'rbac.authorization.k8s.io/v1';
  kind: 'Role' | 'ClusterRole';
  metadata: ObjectMeta;
  rules: PolicyRule[];
}

export interface Subject {
  kind: 'Group' | 'User' | 'ServiceAccount';
  name: string;
  apiGroup?: string;
  namespace?: string;
}

export interface BindingObject {
  apiVersion: 'rbac.authorization.k8s.io/v1';
  kind: 'RoleBinding' | 'ClusterRoleBinding';
  metadata: ObjectMeta;
  roleRef: { apiGroup: typeof RBAC_GROUP; kind: 'Role' | 'ClusterRole'; name: string };
  subjects: Subject[];
}

export type RbacObject = RoleObject | BindingObject;

/** A label value (≤ 63 characters) naming a Sui id: its hex, cut to 40 digits (160 bits). */
export function idLabel(id: string): string {
  return id.replace(/^0x/, '').toLowerCase().slice(0, 40);
}

/** A short, stable digest (for names that must stay short). */
export function shortDigest(s: string): string {
  return createHash('sha256').update(s).digest('hex').slice(0, 16);
}

export function tokenObjectName(tokenId: string): string {
  return `k3s-daas:token:${tokenId.replace(/^0x/, '').toLowerCase()}`;
}

export function executorRoleName(clusterId: string): string {
  return `k3s-daas:executor:${idLabel(clusterId)}`;
}

export function clusterLabels(clusterId: string): Record<string, string> {
  return { [MANAGED_BY]: MANAGER, [CLUSTER_LABEL]: idLabel(clusterId) };
}

/** The label selector of everything the mirror manages for a cluster. */
export function clusterSelector(clusterId: string): string {
  return `${MANAGED_BY}=${MANAGER},${CLUSTER_LABEL}=${idLabel(clusterId)}`;
}

/** A contract rule as a Kubernetes PolicyRule ("" resourceNames = any name, as in the contract). */
function policyRule(r: RbacRule): PolicyRule {
  const p: PolicyRule = { apiGroups: [...r.apiGroups], resources: [...r.resources], verbs: [...r.verbs] };
  if (r.resourceNames.length > 0) p.resourceNames = [...r.resourceNames];
  return p;
}

/** The discovery pseudo group is the contract's; discovery itself is `system:discovery` (system:authenticated). */
function mirrorable(r: RbacRule): boolean {
  return !(r.apiGroups.length > 0 && r.apiGroups.every((g) => g === DISCOVERY_GROUP));
}

export interface TokenPlan {
  /** namespace → rules of the Role there */
  namespaced: Map<string, PolicyRule[]>;
  /** rules of the ClusterRole (empty: none) */
  cluster: PolicyRule[];
  /** namespaces a rule lets the token write to (PSA + tenant label) */
  writable: Set<string>;
}

export function planToken(t: MirroredToken): TokenPlan {
  const plan: TokenPlan = { namespaced: new Map(), cluster: [], writable: new Set() };
  for (const r of t.rules) {
    if (!mirrorable(r)) continue;
    const rule = policyRule(r);
    const writes = r.verbs.some((v) => WRITE_VERBS.has(v));
    for (const ns of r.namespaces) {
      if (ns === '*' || ns === '') {
        plan.cluster.push(rule);
        continue;
      }
      const rules = plan.namespaced.get(ns) ?? [];
      rules.push(rule);
      plan.namespaced.set(ns, rules);
      if (writes) plan.writable.add(ns);
    }
  }
  return plan;
}

function tokenMeta(t: MirroredToken, clusterId: string, namespace?: string): ObjectMeta {
  const m: ObjectMeta = {
    name: tokenObjectName(t.id),
    labels: { ...clusterLabels(clusterId), [TOKEN_LABEL]: idLabel(t.id) },
    annotations: { [TOKEN_ANNOTATION]: t.id, [OWNER_ANNOTATION]: t.owner },
  };
  if (namespace !== undefined) m.namespace = namespace;
  return m;
}

function tokenSubjects(t: MirroredToken): Subject[] {
  return [{ kind: 'Group', apiGroup: RBAC_GROUP, name: tokenGroup(t.id) }];
}

/** The Roles/ClusterRoles and bindings one token needs. */
export function tokenObjects(t: MirroredToken, clusterId: string): RbacObject[] {
  const plan = planToken(t);
  const out: RbacObject[] = [];
  for (const [ns, rules] of [...plan.namespaced].sort(([a], [b]) => a.localeCompare(b))) {
    const meta = tokenMeta(t, clusterId, ns);
    out.push({ apiVersion: `${RBAC_GROUP}/v1`, kind: 'Role', metadata: meta, rules });
    out.push({
      apiVersion: `${RBAC_GROUP}/v1`,
      kind: 'RoleBinding',
      metadata: tokenMeta(t, clusterId, ns),
      roleRef: { apiGroup: RBAC_GROUP, kind: 'Role', name: meta.name },
      subjects: tokenSubjects(t),
    });
  }
  if (plan.cluster.length > 0) {
    const meta = tokenMeta(t, clusterId);
    out.push({ apiVersion: `${RBAC_GROUP}/v1`, kind: 'ClusterRole', metadata: meta, rules: plan.cluster });
    out.push({
      apiVersion: `${RBAC_GROUP}/v1`,
      kind: 'ClusterRoleBinding',
      metadata: tokenMeta(t, clusterId),
      roleRef: { apiGroup: RBAC_GROUP, kind: 'ClusterRole', name: meta.name },
      subjects: tokenSubjects(t),
    });
  }
  return out;
}

/**
 * The `kubectl --as` targets a token's rules name explicitly (verb impersonate or *, resource
 * users/groups, listed resourceNames): the executor may impersonate those. A rule allowing any
 * name is not mirrored (the executor would need unrestricted impersonation), nor is a `system:`
 * name: Kubernetes then refuses that `--as` even though the contract allowed it.
 */
export function impersonationTargets(t: MirroredToken): { users: string[]; groups: string[] } {
  const users: string[] = [];
  const groups: string[] = [];
  for (const r of t.rules) {
    if (!r.verbs.some((v) => v === 'impersonate' || v === '*')) continue;
    if (!r.apiGroups.some((g) => g === '' || g === '*')) continue;
    if (r.resourceNames.length === 0) continue;
    // `system:` names (system:masters, system:admin, service accounts, nodes) are never
    // mirrored: one such token would let the executor become cluster-admin for every request.
    const names = r.resourceNames.filter((n) => !n.startsWith('system:'));
    if (r.resources.some((x) => x === 'users' || x === '*')) users.push(...names);
    if (r.resources.some((x) => x === 'groups' || x === '*')) groups.push(...names);
  }
  return { users, groups };
}

const uniqSorted = (xs: Iterable<string>): string[] => [...new Set(xs)].sort();

/**
 * The executor's ClusterRole: `impersonate` on the users and groups live tokens run as, and
 * nothing else. An empty resourceNames list would mean *every* name, so a rule with no names is
 * left out.
 */
export function executorRole(clusterId: string, tokens: readonly MirroredToken[]): RoleObject {
  const users = uniqSorted(tokens.flatMap((t) => [requesterUser(t.owner), ...impersonationTargets(t).users]));
  const groups = uniqSorted([
    clusterGroup(clusterId),
    AUTHENTICATED_GROUP,
    ...tokens.flatMap((t) => [tokenGroup(t.id), ...impersonationTargets(t).groups]),
  ]);
  const rules: PolicyRule[] = [];
  if (users.length > 0)
    rules.push({ apiGroups: [''], resources: ['users'], verbs: ['impersonate'], resourceNames: users });
  rules.push({ apiGroups: [''], resources: ['groups'], verbs: ['impersonate'], resourceNames: groups });
  return {
    apiVersion: `${RBAC_GROUP}/v1`,
    kind: 'ClusterRole',
    metadata: { name: executorRoleName(clusterId), labels: clusterLabels(clusterId) },
    rules,
  };
}

/** Namespaces live tokens have Roles in (they must exist), and those they may write to (tenant namespaces). */
export function tokenNamespaces(tokens: readonly MirroredToken[]): { all: string[]; writable: Set<string> } {
  const plans = tokens.map(planToken);
  return {
    all: uniqSorted(plans.flatMap((p) => [...p.namespaced.keys()])),
    writable: new Set(plans.flatMap((p) => [...p.writable])),
  };
}

/** Whether a token is live at `nowMs` (not revoked is the caller's check). */
export function unexpired(t: MirroredToken, nowMs: number): boolean {
  return t.expiresAtMs === 0 || t.expiresAtMs > nowMs;
}
