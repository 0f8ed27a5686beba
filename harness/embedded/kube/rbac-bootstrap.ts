// The default RBAC objects every kube-apiserver creates at start-up (its bootstrap policy), and
// kube-controller-manager's ClusterRole aggregation. rbac-bootstrap.json holds the user-facing
// ClusterRoles (cluster-admin, admin, edit, view, the aggregate-to-* parts, system:basic-user,
// system:discovery, system:public-info-viewer, …) and their ClusterRoleBindings exactly as
// kube-apiserver v1.36.3 serves them (dumped with kubectl from the real binary); the controller
// and node roles are left out (nothing here runs as them).
import type { Resources } from './resources.ts';
import type { KubeObject } from './store.ts';
import { aggregatedRules } from './rbac.ts';
import bootstrap from './rbac-bootstrap.json' with { type: 'json' };

const GROUP = 'rbac.authorization.k8s.io';

export function createBootstrapRbac(r: Resources): void {
  for (const o of bootstrap as unknown as KubeObject[]) {
    const resource = o.kind === 'ClusterRole' ? 'clusterroles' : 'clusterrolebindings';
    const rk = r.registry.get(GROUP, 'v1', resource)!;
    if (!r.tryGet(rk, undefined, o.metadata.name!)) r.create(rk, undefined, structuredClone(o));
  }
  aggregateClusterRoles(r);
}

/** Writes the aggregated rules of every ClusterRole with an aggregationRule (idempotent). */
export function aggregateClusterRoles(r: Resources): void {
  const rk = r.registry.get(GROUP, 'v1', 'clusterroles')!;
  const roles = r.store.list(`${GROUP}/clusterroles`);
  for (const [name, rules] of aggregatedRules(roles)) {
    const cur = r.store.get(`${GROUP}/clusterroles`, undefined, name);
    if (cur) r.writeRaw(rk, { ...cur, rules } as KubeObject);
  }
}
