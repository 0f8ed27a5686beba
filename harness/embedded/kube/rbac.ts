// The RBAC authorizer over the store, as kube-apiserver's (plugin/pkg/auth/authorizer/rbac and
// pkg/registry/rbac/validation of k8s.io/kubernetes v1.36): bindings are visited cluster-wide
// first, then in the request's namespace; a binding to a missing role is a resolution error that
// ends up in the denial's reason; system:masters passes without RBAC (the privileged-group
// authorizer that precedes RBAC), and escalation prevention compares rule coverage.
import type { ObjectStore, KubeObject } from './store.ts';
import type { UserInfo } from './auth.ts';

export interface Attributes {
  verb: string;
  group: string;
  resource: string;
  subresource?: string;
  namespace?: string;
  name?: string;
  /** Set for requests that are not about a resource (discovery, /version, /openapi). */
  path?: string;
}

export interface Rule {
  verbs?: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

export interface Decision {
  allowed: boolean;
  /** kube-apiserver's reason: "RBAC: allowed by …" or the resolution errors of a denial. */
  reason: string;
}

interface Subject {
  kind: string;
  name: string;
  namespace?: string;
}

interface RoleRef {
  apiGroup?: string;
  kind: string;
  name: string;
}

type Binding = KubeObject & { subjects?: Subject[]; roleRef?: RoleRef };

const CLUSTER_ROLES = 'rbac.authorization.k8s.io/clusterroles';
const ROLES = 'rbac.authorization.k8s.io/roles';
const CLUSTER_ROLE_BINDINGS = 'rbac.authorization.k8s.io/clusterrolebindings';
const ROLE_BINDINGS = 'rbac.authorization.k8s.io/rolebindings';

export const MASTERS = 'system:masters';

const has = (list: string[] | undefined, v: string): boolean =>
  !!list && (list.includes('*') || list.includes(v));

/** rbacv1helpers' VerbMatches/APIGroupMatches/ResourceMatches/ResourceNameMatches/NonResourceURLMatches. */
export function ruleAllows(rule: Rule, a: Attributes): boolean {
  if (!has(rule.verbs, a.verb)) return false;
  if (a.path !== undefined)
    return (rule.nonResourceURLs ?? []).some(
      (u) => u === '*' || u === a.path || (u.endsWith('*') && a.path!.startsWith(u.replace(/\*+$/, ''))),
    );
  if (!has(rule.apiGroups, a.group)) return false;
  const combined = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  const resourceOk = (rule.resources ?? []).some(
    (r) => r === '*' || r === combined || (!!a.subresource && r === `*/${a.subresource}`),
  );
  if (!resourceOk) return false;
  if (rule.resourceNames?.length) return rule.resourceNames.includes(a.name ?? '');
  return true;
}

function appliesTo(user: UserInfo, subjects: Subject[] | undefined, ns: string): Subject | undefined {
  return (subjects ?? []).find((s) => {
    if (s.kind === 'User') return s.name === user.name;
    if (s.kind === 'Group') return user.groups.includes(s.name);
    if (s.kind === 'ServiceAccount') {
      const saNs = s.namespace || ns;
      return !!saNs && user.name === `system:serviceaccount:${saNs}:${s.name}`;
    }
    return false;
  });
}

function describeSubject(s: Subject, bindingNs: string): string {
  if (s.kind === 'ServiceAccount') return `${s.kind} "${s.name}/${s.namespace || bindingNs}"`;
  return `${s.kind} "${s.name}"`;
}

/** Called per rule with where it came from; return false to stop. `error` is a resolution error. */
type Visitor = (source: string | undefined, rule: Rule | undefined, error: string | undefined) => boolean;

export class RbacAuthorizer {
  constructor(private readonly store: ObjectStore) {}

  /**
   * The rules a roleRef names, or the resolution error when the role does not exist: worded as the
   * authorizer's listers word it (`clusterrole.rbac.authorization.k8s.io "x" not found`), or, when
   * `requested` is given, as the RBAC storage does inside a request for that resource (its
   * NotFound names the requested resource: `rolebindings.rbac.authorization.k8s.io "x" not found`).
   */
  roleRefRules(
    ref: RoleRef,
    bindingNs: string | undefined,
    requested?: string,
  ): { rules: Rule[] } | { error: string } {
    const notFound = (singular: string): { error: string } => ({
      error: `${requested ?? singular}.rbac.authorization.k8s.io "${ref.name}" not found`,
    });
    if (ref.kind === 'ClusterRole') {
      const role = this.store.get(CLUSTER_ROLES, undefined, ref.name) as
        (KubeObject & { rules?: Rule[] | null }) | undefined;
      if (!role) return notFound('clusterrole');
      return { rules: role.rules ?? [] };
    }
    if (ref.kind === 'Role') {
      const role = bindingNs
        ? (this.store.get(ROLES, bindingNs, ref.name) as (KubeObject & { rules?: Rule[] | null }) | undefined)
        : undefined;
      if (!role) return notFound('role');
      return { rules: role.rules ?? [] };
    }
    return { error: `unsupported role reference kind: "${ref.kind}"` };
  }

  visitRulesFor(user: UserInfo, namespace: string | undefined, visit: Visitor, requested?: string): void {
    for (const b of this.store.list(CLUSTER_ROLE_BINDINGS) as Binding[]) {
      if (!b.roleRef) continue;
      const subject = appliesTo(user, b.subjects, '');
      if (!subject) continue;
      const got = this.roleRefRules(b.roleRef, undefined, requested);
      if ('error' in got) {
        if (!visit(undefined, undefined, got.error)) return;
        continue;
      }
      const source = `ClusterRoleBinding "${b.metadata.name}" of ${b.roleRef.kind} "${b.roleRef.name}" to ${describeSubject(subject, '')}`;
      for (const r of got.rules) if (!visit(source, r, undefined)) return;
    }
    if (!namespace) return;
    for (const b of this.store.list(ROLE_BINDINGS, namespace) as Binding[]) {
      if (!b.roleRef) continue;
      const subject = appliesTo(user, b.subjects, namespace);
      if (!subject) continue;
      const got = this.roleRefRules(b.roleRef, namespace, requested);
      if ('error' in got) {
        if (!visit(undefined, undefined, got.error)) return;
        continue;
      }
      const source = `RoleBinding "${b.metadata.name}/${namespace}" of ${b.roleRef.kind} "${b.roleRef.name}" to ${describeSubject(subject, namespace)}`;
      for (const r of got.rules) if (!visit(source, r, undefined)) return;
    }
  }

  /** The privileged-group authorizer, then RBAC. */
  authorize(user: UserInfo, a: Attributes): Decision {
    if (user.groups.includes(MASTERS)) return { allowed: true, reason: '' };
    let reason = '';
    let allowed = false;
    const errs: string[] = [];
    this.visitRulesFor(user, a.namespace, (source, rule, error) => {
      if (rule && ruleAllows(rule, a)) {
        allowed = true;
        reason = `RBAC: allowed by ${source}`;
        return false;
      }
      if (error) errs.push(error);
      return true;
    });
    if (allowed) return { allowed, reason };
    return { allowed: false, reason: errs.length ? `RBAC: ${aggregate(errs)}` : '' };
  }

  allows(user: UserInfo, a: Attributes): boolean {
    return this.authorize(user, a).allowed;
  }

  /** Every rule that applies to the user in a namespace, with the resolution errors. */
  rulesFor(
    user: UserInfo,
    namespace: string | undefined,
    requested?: string,
  ): { rules: Rule[]; errors: string[] } {
    const rules: Rule[] = [];
    const errs: string[] = [];
    this.visitRulesFor(
      user,
      namespace,
      (_s, rule, error) => {
        if (rule) rules.push(rule);
        if (error) errs.push(error);
        return true;
      },
      requested,
    );
    return { rules, errors: errs };
  }
}

/** utilerrors.NewAggregate's text: one error as is, several in brackets. */
export function aggregate(errs: string[]): string {
  return errs.length === 1 ? errs[0]! : `[${errs.join(', ')}]`;
}

// ---- escalation prevention (pkg/registry/rbac/validation) ----

/** One rule per group × resource × verb (× name), and per URL × verb. */
function breakdown(r: Rule): Rule[] {
  const out: Rule[] = [];
  for (const g of r.apiGroups ?? [])
    for (const res of r.resources ?? [])
      for (const v of r.verbs ?? [])
        if (r.resourceNames?.length)
          for (const n of r.resourceNames)
            out.push({ apiGroups: [g], resources: [res], verbs: [v], resourceNames: [n] });
        else out.push({ apiGroups: [g], resources: [res], verbs: [v] });
  for (const u of r.nonResourceURLs ?? [])
    for (const v of r.verbs ?? []) out.push({ nonResourceURLs: [u], verbs: [v] });
  return out;
}

const hasAll = (set: string[] | undefined, want: string[] | undefined): boolean =>
  (set ?? []).includes('*') || (want ?? []).every((w) => (set ?? []).includes(w));

function resourceCoversAll(set: string[] | undefined, want: string[] | undefined): boolean {
  const s = set ?? [];
  if (s.includes('*') || hasAll(s, want)) return true;
  return (want ?? []).every((p) => {
    if (s.includes(p)) return true;
    const slash = p.indexOf('/');
    return slash >= 0 && s.includes(`*/${p.slice(slash + 1)}`);
  });
}

function nonResourceURLsCoversAll(set: string[] | undefined, want: string[] | undefined): boolean {
  return (want ?? []).every((w) =>
    (set ?? []).some((o) => o === w || (o.endsWith('*') && w.startsWith(o.replace(/\*+$/, '')))),
  );
}

function ruleCovers(owner: Rule, req: Rule): boolean {
  const verbs = (owner.verbs ?? []).includes('*') || hasAll(owner.verbs, req.verbs);
  const names = req.resourceNames?.length
    ? !owner.resourceNames?.length || req.resourceNames.every((n) => owner.resourceNames!.includes(n))
    : !owner.resourceNames?.length;
  return (
    verbs &&
    hasAll(owner.apiGroups, req.apiGroups) &&
    resourceCoversAll(owner.resources, req.resources) &&
    names &&
    nonResourceURLsCoversAll(owner.nonResourceURLs, req.nonResourceURLs)
  );
}

/** validation.Covers: the broken-down rules of `servant` that no owner rule covers. */
export function uncovered(owner: Rule[], servant: Rule[]): Rule[] {
  return servant.flatMap(breakdown).filter((sub) => !owner.some((o) => ruleCovers(o, sub)));
}

/** CompactRules: simple rules (one group, one resource, ≤ 1 name) merged by verbs. */
function compact(rules: Rule[]): Rule[] {
  const out: Rule[] = [];
  const simple = new Map<string, Rule>();
  for (const r of rules) {
    const isSimple =
      (r.resourceNames?.length ?? 0) <= 1 &&
      !r.nonResourceURLs?.length &&
      r.apiGroups?.length === 1 &&
      r.resources?.length === 1;
    if (!isSimple) {
      out.push(r);
      continue;
    }
    const key = JSON.stringify([r.apiGroups![0], r.resources![0], r.resourceNames?.[0] ?? null]);
    const prev = simple.get(key);
    if (!prev) {
      simple.set(key, { ...r, verbs: [...(r.verbs ?? [])] });
      continue;
    }
    for (const v of r.verbs ?? []) if (!prev.verbs!.includes(v)) prev.verbs!.push(v);
  }
  return [...out, ...simple.values()];
}

/** rbacv1helpers.CompactString: Go's %q of each non-empty list. */
export function compactString(r: Rule): string {
  const q = (xs: string[]): string => `[${xs.map((x) => JSON.stringify(x)).join(' ')}]`;
  const parts: string[] = [];
  if (r.apiGroups?.length) parts.push(`APIGroups:${q(r.apiGroups)}`);
  if (r.resources?.length) parts.push(`Resources:${q(r.resources)}`);
  if (r.nonResourceURLs?.length) parts.push(`NonResourceURLs:${q(r.nonResourceURLs)}`);
  if (r.resourceNames?.length) parts.push(`ResourceNames:${q(r.resourceNames)}`);
  if (r.verbs?.length) parts.push(`Verbs:${q(r.verbs)}`);
  return `{${parts.join(', ')}}`;
}

/** ConfirmNoEscalation: undefined when the user holds every rule, else kube-apiserver's message. */
export function confirmNoEscalation(
  authz: RbacAuthorizer,
  user: UserInfo,
  namespace: string | undefined,
  rules: Rule[],
  requested: string,
): string | undefined {
  const owner = authz.rulesFor(user, namespace, requested);
  const missing = uncovered(owner.rules, rules);
  if (!missing.length) return undefined;
  const lines = [...new Set(compact(missing).map(compactString))].sort();
  let msg = `user "${user.name}" (groups=[${user.groups.map((g) => JSON.stringify(g)).join(' ')}]) is attempting to grant RBAC permissions not currently held:\n${lines.join('\n')}`;
  if (owner.errors.length) msg += `; resolution errors: [${aggregate(owner.errors)}]`;
  return msg;
}

export type EscalationRefusal =
  { code: 403; message: string } | { code: 404; message: string; kind: string; name: string };

/**
 * The policy-based RBAC storage of kube-apiserver: creating or updating a Role/ClusterRole needs
 * its permissions or `escalate` on it; a binding needs the role's permissions or `bind` on it.
 * system:masters passes (EscalationAllowed).
 */
export function escalationCheck(
  authz: RbacAuthorizer,
  user: UserInfo,
  kind: string,
  obj: KubeObject,
): EscalationRefusal | undefined {
  if (user.groups.includes(MASTERS)) return undefined;
  const ns = obj.metadata.namespace || undefined;
  const G = 'rbac.authorization.k8s.io';
  if (kind === 'Role' || kind === 'ClusterRole') {
    const resource = kind === 'Role' ? 'roles' : 'clusterroles';
    if (authz.allows(user, { verb: 'escalate', group: G, resource, namespace: ns, name: obj.metadata.name }))
      return undefined;
    const role = obj as KubeObject & { rules?: Rule[]; aggregationRule?: unknown };
    const why = confirmNoEscalation(authz, user, ns, role.rules ?? [], resource);
    if (why) return { code: 403, message: why };
    if (kind === 'ClusterRole' && role.aggregationRule) {
      const full = [
        { verbs: ['*'], apiGroups: ['*'], resources: ['*'] },
        { verbs: ['*'], nonResourceURLs: ['*'] },
      ];
      if (confirmNoEscalation(authz, user, ns, full, resource))
        return { code: 403, message: 'must have cluster-admin privileges to use the aggregationRule' };
    }
    return undefined;
  }
  if (kind !== 'RoleBinding' && kind !== 'ClusterRoleBinding') return undefined;
  const ref = (obj as KubeObject & { roleRef?: RoleRef }).roleRef ?? { kind: '', name: '' };
  const refResource = ref.kind === 'ClusterRole' ? 'clusterroles' : ref.kind === 'Role' ? 'roles' : '';
  if (
    refResource &&
    authz.allows(user, {
      verb: 'bind',
      group: ref.apiGroup ?? G,
      resource: refResource,
      namespace: ns,
      name: ref.name,
    })
  )
    return undefined;
  const requested = kind === 'RoleBinding' ? 'rolebindings' : 'clusterrolebindings';
  const got = authz.roleRefRules(ref, ns, requested);
  if ('error' in got) return { code: 404, message: got.error, kind: requested, name: ref.name };
  const why = confirmNoEscalation(authz, user, ns, got.rules, requested);
  return why ? { code: 403, message: why } : undefined;
}

// ---- ClusterRole aggregation (kube-controller-manager's clusterrole-aggregation controller) ----

interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

function selects(sel: LabelSelector, labels: Record<string, string> | undefined): boolean {
  const l = labels ?? {};
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) if (l[k] !== v) return false;
  for (const e of sel.matchExpressions ?? []) {
    const present = Object.prototype.hasOwnProperty.call(l, e.key);
    if (e.operator === 'In' && !(present && (e.values ?? []).includes(l[e.key]!))) return false;
    if (e.operator === 'NotIn' && present && (e.values ?? []).includes(l[e.key]!)) return false;
    if (e.operator === 'Exists' && !present) return false;
    if (e.operator === 'DoesNotExist' && present) return false;
  }
  return true;
}

/**
 * The rules each aggregated ClusterRole should hold now: the rules of every ClusterRole a selector
 * matches, in name order, without duplicates. Returns only the roles whose rules change.
 */
export function aggregatedRules(clusterRoles: KubeObject[]): Map<string, Rule[]> {
  const changed = new Map<string, Rule[]>();
  const sorted = [...clusterRoles].sort((a, b) => (a.metadata.name! < b.metadata.name! ? -1 : 1));
  for (const role of sorted) {
    const agg = (role as KubeObject & { aggregationRule?: { clusterRoleSelectors?: LabelSelector[] } })
      .aggregationRule;
    if (!agg) continue;
    const rules: Rule[] = [];
    const seen = new Set<string>();
    for (const other of sorted) {
      if (other.metadata.name === role.metadata.name) continue;
      if (!(agg.clusterRoleSelectors ?? []).some((s) => selects(s, other.metadata.labels))) continue;
      for (const r of ((other as KubeObject & { rules?: Rule[] }).rules ?? []) as Rule[]) {
        const key = JSON.stringify(r);
        if (seen.has(key)) continue;
        seen.add(key);
        rules.push(r);
      }
    }
    const current = (role as KubeObject & { rules?: Rule[] | null }).rules ?? [];
    if (JSON.stringify(current) !== JSON.stringify(rules)) changed.set(role.metadata.name!, rules);
  }
  return changed;
}
