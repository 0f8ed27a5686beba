/**
 * `k3s-daas cluster bootstrap` (#18): with the administrator's credential, once per
 * Kubernetes cluster, create
 *   - namespace `k3s-daas-system` with two ServiceAccounts:
 *     `k3s-daas-executor` — bound to the ClusterRole `k3s-daas:executor:<cluster>`: `impersonate`
 *       on the users/groups of live SealTokens only (kept current by the RBAC mirror), nothing else;
 *     `k3s-daas-rbac-sync` — bound to `k3s-daas:rbac-sync`: manage Roles/ClusterRoles and their
 *       bindings (with `bind`/`escalate`: it grants what tokens allow), label namespaces, apply the
 *       admission policy. That is RBAC-admin; it is the mirror's, never the request path's.
 *   - the tenant admission policy and its binding (tenant-admission.ts),
 * and return a bearer token (TokenRequest) per ServiceAccount for the kubeconfigs.
 */
import type { KubeObjects } from './kube-objects.ts';
import { type KubeObject } from './kube-objects.ts';
import { RBAC_GROUP, clusterLabels, executorRole, executorRoleName, type RoleObject } from './rbac-mirror.ts';
import { tenantAdmissionObjects } from './tenant-admission.ts';

export const SYSTEM_NAMESPACE = 'k3s-daas-system';
export const EXECUTOR_SA = 'k3s-daas-executor';
export const RBAC_SYNC_SA = 'k3s-daas-rbac-sync';
export const RBAC_SYNC_ROLE = 'k3s-daas:rbac-sync';

export function rbacSyncRole(clusterId: string): RoleObject {
  return {
    apiVersion: `${RBAC_GROUP}/v1`,
    kind: 'ClusterRole',
    metadata: { name: RBAC_SYNC_ROLE, labels: clusterLabels(clusterId) },
    rules: [
      {
        apiGroups: [RBAC_GROUP],
        resources: ['roles', 'rolebindings', 'clusterroles', 'clusterrolebindings'],
        verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'bind', 'escalate'],
      },
      { apiGroups: [''], resources: ['namespaces'], verbs: ['get', 'list', 'create', 'update', 'patch'] },
      {
        apiGroups: ['admissionregistration.k8s.io'],
        resources: ['validatingadmissionpolicies', 'validatingadmissionpolicybindings'],
        verbs: ['get', 'list', 'create', 'update', 'patch'],
      },
    ],
  };
}

function serviceAccount(name: string, clusterId: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name, namespace: SYSTEM_NAMESPACE, labels: clusterLabels(clusterId) },
  };
}

function bindingTo(role: string, sa: string, clusterId: string): KubeObject & Record<string, unknown> {
  return {
    apiVersion: `${RBAC_GROUP}/v1`,
    kind: 'ClusterRoleBinding',
    metadata: { name: role, labels: clusterLabels(clusterId) },
    roleRef: { apiGroup: RBAC_GROUP, kind: 'ClusterRole', name: role },
    subjects: [{ kind: 'ServiceAccount', name: sa, namespace: SYSTEM_NAMESPACE }],
  };
}

/** Everything bootstrap applies, in order. */
export function bootstrapObjects(clusterId: string): KubeObject[] {
  return [
    {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: SYSTEM_NAMESPACE, labels: clusterLabels(clusterId) },
    },
    serviceAccount(EXECUTOR_SA, clusterId),
    serviceAccount(RBAC_SYNC_SA, clusterId),
    executorRole(clusterId, []),
    bindingTo(executorRoleName(clusterId), EXECUTOR_SA, clusterId),
    rbacSyncRole(clusterId),
    bindingTo(RBAC_SYNC_ROLE, RBAC_SYNC_SA, clusterId),
    ...tenantAdmissionObjects(clusterId),
  ];
}

export interface BootstrapResult {
  objects: string[];
  executorToken: string;
  rbacSyncToken: string;
  /** seconds the tokens are valid (the apiserver may shorten what was asked) */
  expirationTimestamp: { executor: string; rbacSync: string };
}

async function requestToken(
  kube: KubeObjects,
  sa: string,
  seconds: number,
): Promise<{ token: string; expires: string }> {
  const r = (await kube.post(`/api/v1/namespaces/${SYSTEM_NAMESPACE}/serviceaccounts/${sa}/token`, {
    apiVersion: 'authentication.k8s.io/v1',
    kind: 'TokenRequest',
    spec: { expirationSeconds: seconds },
  })) as { status?: { token?: string; expirationTimestamp?: string } };
  if (!r.status?.token)
    throw new Error(`the TokenRequest for ServiceAccount ${SYSTEM_NAMESPACE}/${sa} returned no token`);
  return { token: r.status.token, expires: r.status.expirationTimestamp ?? '' };
}

export async function bootstrapCluster(
  kube: KubeObjects,
  o: { clusterId: string; tokenSeconds: number },
): Promise<BootstrapResult> {
  const objects: string[] = [];
  for (const obj of bootstrapObjects(o.clusterId)) {
    await kube.apply(obj);
    objects.push(
      `${obj.kind} ${obj.metadata.namespace ? `${obj.metadata.namespace}/` : ''}${obj.metadata.name}`,
    );
  }
  const executor = await requestToken(kube, EXECUTOR_SA, o.tokenSeconds);
  const rbacSync = await requestToken(kube, RBAC_SYNC_SA, o.tokenSeconds);
  return {
    objects,
    executorToken: executor.token,
    rbacSyncToken: rbacSync.token,
    expirationTimestamp: { executor: executor.expires, rbacSync: rbacSync.expires },
  };
}
