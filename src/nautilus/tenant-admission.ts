/**
 * Admission for tenants (#18): what Kubernetes refuses even when RBAC allows it.
 *
 *   - Pod Security Admission: every namespace a live token can write to is labelled
 *     `pod-security.kubernetes.io/enforce=<level>` (default `restricted`; the listener's
 *     `--pod-security`) and `k3s-daas.io/tenant=<cluster>`.
 *   - One ValidatingAdmissionPolicy + binding (CEL), for requests of any K3s-DaaS requester
 *     (a `k3s-daas:cluster:` group) and for pods created in a tenant namespace by anyone (a
 *     Deployment's pods are created by the controller-manager): no `spec.nodeName` (skips the
 *     scheduler), no hostPID/hostIPC/hostNetwork, no hostPath volumes; no (Cluster)RoleBinding to
 *     `cluster-admin`, no ClusterRoleBinding to a ServiceAccount and no RoleBinding to a
 *     ServiceAccount of another namespace.
 * A RoleBinding of `cluster-admin` inside a namespace passes RBAC's escalation check for a
 * token with `*` there (it holds `bind` on every role of its namespace), so only the policy
 * stops it.
 */
import {
  TENANT_LABEL,
  clusterLabels,
  idLabel,
  type ObjectMeta,
  type PodSecurityLevel,
} from './rbac-mirror.ts';

export const POLICY_NAME = 'k3s-daas-tenant-guard';
const ADMISSION_GROUP = 'admissionregistration.k8s.io';

export interface Validation {
  expression: string;
  message: string;
  reason: 'Forbidden' | 'Invalid';
}

const TENANT_REQUEST = "request.userInfo.groups.exists(g, g.startsWith('k3s-daas:cluster:'))";
const IN_TENANT_NAMESPACE = `namespaceObject != null && has(namespaceObject.metadata.labels) && '${TENANT_LABEL}' in namespaceObject.metadata.labels`;

const isPod = "object.kind == 'Pod'";
const isBinding = "(object.kind == 'RoleBinding' || object.kind == 'ClusterRoleBinding')";

/** Each validation names the rule in its message (kubectl shows it). */
export const TENANT_VALIDATIONS: readonly Validation[] = [
  {
    expression: `!(${isPod}) || !has(object.spec.nodeName) || object.spec.nodeName == ''`,
    message:
      'k3s-daas tenant policy: spec.nodeName is not allowed (it bypasses the scheduler); leave it empty',
    reason: 'Forbidden',
  },
  {
    expression: `!(${isPod}) || !((has(object.spec.hostPID) && object.spec.hostPID) || (has(object.spec.hostIPC) && object.spec.hostIPC) || (has(object.spec.hostNetwork) && object.spec.hostNetwork))`,
    message: 'k3s-daas tenant policy: host namespaces (hostPID, hostIPC, hostNetwork) are not allowed',
    reason: 'Forbidden',
  },
  {
    expression: `!(${isPod}) || !has(object.spec.volumes) || object.spec.volumes.all(v, !has(v.hostPath))`,
    message: 'k3s-daas tenant policy: hostPath volumes are not allowed',
    reason: 'Forbidden',
  },
  {
    expression: `!(${isBinding}) || object.roleRef.name != 'cluster-admin'`,
    message: 'k3s-daas tenant policy: a binding to the cluster-admin role is not allowed',
    reason: 'Forbidden',
  },
  {
    expression: `!(${isBinding}) || !has(object.subjects) || object.subjects.all(s, s.kind != 'ServiceAccount' || (object.kind == 'RoleBinding' && (!has(s.namespace) || s.namespace == '' || s.namespace == object.metadata.namespace)))`,
    message:
      'k3s-daas tenant policy: a binding to a ServiceAccount of another namespace (or any ServiceAccount in a ClusterRoleBinding) is not allowed',
    reason: 'Forbidden',
  },
];

export interface AdmissionObject {
  apiVersion: 'admissionregistration.k8s.io/v1';
  kind: 'ValidatingAdmissionPolicy' | 'ValidatingAdmissionPolicyBinding';
  metadata: ObjectMeta;
  spec: Record<string, unknown>;
}

/** The policy and its binding (cluster-wide, one for all K3s-DaaS clusters on this Kubernetes). */
export function tenantAdmissionObjects(clusterId: string): AdmissionObject[] {
  const labels = clusterLabels(clusterId);
  return [
    {
      apiVersion: `${ADMISSION_GROUP}/v1`,
      kind: 'ValidatingAdmissionPolicy',
      metadata: { name: POLICY_NAME, labels },
      spec: {
        failurePolicy: 'Fail',
        matchConstraints: {
          resourceRules: [
            { apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['pods'] },
            {
              apiGroups: ['rbac.authorization.k8s.io'],
              apiVersions: ['v1'],
              operations: ['CREATE', 'UPDATE'],
              resources: ['rolebindings', 'clusterrolebindings'],
            },
          ],
        },
        matchConditions: [
          { name: 'k3s-daas-tenant', expression: `${TENANT_REQUEST} || (${IN_TENANT_NAMESPACE})` },
        ],
        validations: TENANT_VALIDATIONS.map((v) => ({ ...v })),
      },
    },
    {
      apiVersion: `${ADMISSION_GROUP}/v1`,
      kind: 'ValidatingAdmissionPolicyBinding',
      metadata: { name: POLICY_NAME, labels },
      spec: { policyName: POLICY_NAME, validationActions: ['Deny'] },
    },
  ];
}

/** The labels a tenant namespace carries. */
export function tenantNamespaceLabels(clusterId: string, level: PodSecurityLevel): Record<string, string> {
  return {
    'pod-security.kubernetes.io/enforce': level,
    'pod-security.kubernetes.io/enforce-version': 'latest',
    'pod-security.kubernetes.io/warn': level,
    'pod-security.kubernetes.io/warn-version': 'latest',
    [TENANT_LABEL]: idLabel(clusterId),
  };
}
