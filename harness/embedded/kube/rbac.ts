// A Role/ClusterRole/binding authorizer over the store, for when RBAC is switched on.
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

interface Subject {
  kind: string;
  name: string;
  namespace?: string;
}

const has = (list: string[] | undefined, v: string): boolean =>
  !!list && (list.includes('*') || list.includes(v));

function ruleAllows(rule: Rule, a: Attributes): boolean {
  if (!has(rule.verbs, a.verb)) return false;
  if (a.path !== undefined) {
    return (rule.nonResourceURLs ?? []).some(
      (u) => u === '*' || u === a.path || (u.endsWith('*') && a.path!.startsWith(u.slice(0, -1))),
    );
  }
  if (!has(rule.apiGroups, a.group)) return false;
  const res = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  const resources = rule.resources ?? [];
  if (!(
    resources.includes('*') ||
    resources.includes(res) ||
    (a.subresource && resources.includes(`*/${a.subresource}`))
  ))
    return false;
  if (rule.resourceNames?.length) return !!a.name && rule.resourceNames.includes(a.name);
  return true;
}

function subjectMatches(s: Subject, user: UserInfo, bindingNs?: string): boolean {
  if (s.kind === 'User') return s.name === user.name;
  if (s.kind === 'Group') return user.groups.includes(s.name);
  if (s.kind === 'ServiceAccount')
    return user.name === `system:serviceaccount:${s.namespace ?? bindingNs}:${s.name}`;
  return false;
}

export class RbacAuthorizer {
  constructor(private readonly store: ObjectStore) {}

  private rulesOf(kind: string, name: string, ns: string | undefined): Rule[] {
    const role =
      kind === 'ClusterRole'
        ? this.store.get('rbac.authorization.k8s.io/clusterroles', undefined, name)
        : this.store.get('rbac.authorization.k8s.io/roles', ns, name);
    return ((role as (KubeObject & { rules?: Rule[] }) | undefined)?.rules ?? []) as Rule[];
  }

  allows(user: UserInfo, a: Attributes): boolean {
    if (user.groups.includes('system:masters')) return true;
    // Discovery and version are readable by every authenticated user (system:discovery, system:public-info-viewer).
    if (a.path !== undefined && a.verb === 'get' && user.groups.includes('system:authenticated')) {
      if (/^\/(api|apis|version|openapi|healthz|livez|readyz)(\/|$)/.test(a.path)) return true;
    }
    // Self reviews are always allowed (system:basic-user).
    if (
      a.verb === 'create' &&
      ((a.group === 'authorization.k8s.io' &&
        (a.resource === 'selfsubjectaccessreviews' || a.resource === 'selfsubjectrulesreviews')) ||
        (a.group === 'authentication.k8s.io' && a.resource === 'selfsubjectreviews'))
    )
      return true;
    for (const b of this.store.list('rbac.authorization.k8s.io/clusterrolebindings')) {
      const rb = b as KubeObject & { subjects?: Subject[]; roleRef?: { kind: string; name: string } };
      if (!rb.roleRef || !(rb.subjects ?? []).some((s) => subjectMatches(s, user))) continue;
      if (this.rulesOf('ClusterRole', rb.roleRef.name, undefined).some((r) => ruleAllows(r, a))) return true;
    }
    if (a.namespace) {
      for (const b of this.store.list('rbac.authorization.k8s.io/rolebindings', a.namespace)) {
        const rb = b as KubeObject & { subjects?: Subject[]; roleRef?: { kind: string; name: string } };
        if (!rb.roleRef || !(rb.subjects ?? []).some((s) => subjectMatches(s, user, a.namespace))) continue;
        if (this.rulesOf(rb.roleRef.kind, rb.roleRef.name, a.namespace).some((r) => ruleAllows(r, a)))
          return true;
      }
    }
    return false;
  }

  /** Rules of a Role (in ns) or ClusterRole. */
  roleRules(kind: string, name: string, ns: string | undefined): Rule[] {
    return this.rulesOf(kind, name, ns);
  }

  /** Rules that apply to the user in a namespace (for SelfSubjectRulesReview). */
  rulesFor(user: UserInfo, namespace: string): Rule[] {
    const out: Rule[] = [];
    for (const b of this.store.list('rbac.authorization.k8s.io/clusterrolebindings')) {
      const rb = b as KubeObject & { subjects?: Subject[]; roleRef?: { kind: string; name: string } };
      if (rb.roleRef && (rb.subjects ?? []).some((s) => subjectMatches(s, user)))
        out.push(...this.rulesOf('ClusterRole', rb.roleRef.name, undefined));
    }
    for (const b of this.store.list('rbac.authorization.k8s.io/rolebindings', namespace)) {
      const rb = b as KubeObject & { subjects?: Subject[]; roleRef?: { kind: string; name: string } };
      if (rb.roleRef && (rb.subjects ?? []).some((s) => subjectMatches(s, user, namespace)))
        out.push(...this.rulesOf(rb.roleRef.kind, rb.roleRef.name, namespace));
    }
    return out;
  }
}

/** kube-apiserver's rendering of a rule in escalation messages. */
function ruleText(r: Rule): string {
  const q = (xs: string[] | undefined): string => `[${(xs ?? []).map((x) => `"${x}"`).join(' ')}]`;
  if (r.nonResourceURLs?.length) return `{NonResourceURLs:${q(r.nonResourceURLs)}, Verbs:${q(r.verbs)}}`;
  return `{APIGroups:${q(r.apiGroups)}, Resources:${q(r.resources)}${r.resourceNames?.length ? `, ResourceNames:${q(r.resourceNames)}` : ''}, Verbs:${q(r.verbs)}}`;
}

/**
 * RBAC escalation prevention: a user may only create roles (and bindings) granting
 * permissions they hold, unless they have `escalate` on roles (or `bind` on the role).
 */
export function escalationCheck(
  authz: RbacAuthorizer,
  user: UserInfo,
  kind: string,
  obj: KubeObject,
): string | undefined {
  if (user.groups.includes('system:masters')) return undefined;
  const ns = obj.metadata.namespace;
  const roleResource = kind === 'ClusterRole' || kind === 'ClusterRoleBinding' ? 'clusterroles' : 'roles';
  let rules: Rule[];
  if (kind === 'Role' || kind === 'ClusterRole') {
    if (
      authz.allows(user, {
        verb: 'escalate',
        group: 'rbac.authorization.k8s.io',
        resource: roleResource,
        namespace: ns,
        name: obj.metadata.name,
      })
    )
      return undefined;
    rules = ((obj as KubeObject & { rules?: Rule[] }).rules ?? []) as Rule[];
  } else {
    const ref = (obj as KubeObject & { roleRef?: { kind?: string; name?: string } }).roleRef ?? {};
    const refResource = ref.kind === 'ClusterRole' ? 'clusterroles' : 'roles';
    if (
      authz.allows(user, {
        verb: 'bind',
        group: 'rbac.authorization.k8s.io',
        resource: refResource,
        namespace: ref.kind === 'ClusterRole' ? undefined : ns,
        name: ref.name,
      })
    )
      return undefined;
    rules = authz.roleRules(ref.kind ?? 'Role', ref.name ?? '', ns);
  }
  const missing: Rule[] = [];
  for (const r of rules) {
    const verbs = r.verbs ?? [];
    let held: boolean;
    if (r.nonResourceURLs?.length)
      held = r.nonResourceURLs.every((path) =>
        verbs.every((verb) => authz.allows(user, { verb, group: '', resource: '', path })),
      );
    else
      held = (r.apiGroups ?? []).every((group) =>
        (r.resources ?? []).every((res) => {
          const [resource, subresource] = res.split('/') as [string, string | undefined];
          const names = r.resourceNames?.length ? r.resourceNames : [undefined];
          return verbs.every((verb) =>
            names.every((name) =>
              authz.allows(user, {
                verb,
                group,
                resource,
                subresource,
                namespace: kind === 'Role' || kind === 'RoleBinding' ? ns : undefined,
                name,
              }),
            ),
          );
        }),
      );
    if (!held) missing.push(r);
  }
  if (!missing.length) return undefined;
  return `user "${user.name}" (groups=[${user.groups.map((g) => `"${g}"`).join(' ')}]) is attempting to grant RBAC permissions not currently held:\n${missing.map(ruleText).join('\n')}`;
}
