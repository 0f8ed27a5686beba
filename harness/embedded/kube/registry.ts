// The resource kinds the server knows: built-ins at boot, CRD-defined ones at runtime.
export interface ResourceKind {
  group: string; // '' for the core group
  version: string;
  resource: string; // plural, e.g. 'deployments'
  singular: string;
  kind: string;
  listKind: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  verbs: string[];
  subresources: string[]; // e.g. ['status', 'scale']
  /** Name of the OpenAPI schema (client-node model class) for built-ins. */
  model?: string;
  /** For CRDs: the openAPIV3Schema of this version. */
  crdSchema?: Record<string, unknown>;
  /** For CRDs: additionalPrinterColumns. */
  printerColumns?: PrinterColumn[];
  /** Whether unknown fields are kept (CRD x-kubernetes-preserve-unknown-fields at the root). */
  preserveUnknown?: boolean;
  crdName?: string;
  /**
   * For a built-in served in several versions with different shapes: converts between this
   * version and the storage (hub) version. Storage holds the hub form; objects in another
   * version pass through toStorage on write and fromStorage on read.
   */
  convert?: { toStorage(o: KubeObject): KubeObject; fromStorage(o: KubeObject): KubeObject };
  /** Create-only review resources answered from the request's identity, never stored. */
  review?:
    'selfsubjectaccessreviews' | 'subjectaccessreviews' | 'selfsubjectrulesreviews' | 'selfsubjectreviews';
}

export interface PrinterColumn {
  name: string;
  type: string;
  jsonPath: string;
  description?: string;
  priority?: number;
  format?: string;
}

import type { KubeObject } from './store.ts';
import { hpaV1Conversion } from './autoscaling.ts';

const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

function k(
  group: string,
  version: string,
  resource: string,
  kind: string,
  namespaced: boolean,
  model: string,
  extra: Partial<ResourceKind> = {},
): ResourceKind {
  return {
    group,
    version,
    resource,
    singular: kind.toLowerCase(),
    kind,
    listKind: `${kind}List`,
    namespaced,
    shortNames: [],
    categories: [],
    verbs: ALL_VERBS,
    subresources: [],
    model,
    ...extra,
  };
}

export function builtinKinds(): ResourceKind[] {
  const all = ['all'];
  return [
    k('', 'v1', 'namespaces', 'Namespace', false, 'V1Namespace', {
      shortNames: ['ns'],
      verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
      subresources: ['status', 'finalize'],
    }),
    k('', 'v1', 'pods', 'Pod', true, 'V1Pod', {
      shortNames: ['po'],
      categories: all,
      subresources: [
        'status',
        'ephemeralcontainers',
        'log',
        'eviction',
        'binding',
        'exec',
        'attach',
        'portforward',
      ],
    }),
    k('', 'v1', 'services', 'Service', true, 'V1Service', {
      shortNames: ['svc'],
      categories: all,
      verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
      subresources: ['status'],
    }),
    k('', 'v1', 'endpoints', 'Endpoints', true, 'V1Endpoints', { shortNames: ['ep'], singular: 'endpoints' }),
    k('', 'v1', 'configmaps', 'ConfigMap', true, 'V1ConfigMap', { shortNames: ['cm'] }),
    k('', 'v1', 'secrets', 'Secret', true, 'V1Secret'),
    // kubectl certificate approve/deny; the signer in controllers.ts issues approved client certs.
    k(
      'certificates.k8s.io',
      'v1',
      'certificatesigningrequests',
      'CertificateSigningRequest',
      false,
      'V1CertificateSigningRequest',
      {
        shortNames: ['csr'],
        subresources: ['status', 'approval'],
      },
    ),
    // Kept for old manifests and for `kubectl apply --prune`, which lists them.
    k('', 'v1', 'replicationcontrollers', 'ReplicationController', true, 'V1ReplicationController', {
      shortNames: ['rc'],
      categories: all,
      subresources: ['status', 'scale'],
    }),
    k('', 'v1', 'serviceaccounts', 'ServiceAccount', true, 'V1ServiceAccount', {
      shortNames: ['sa'],
      subresources: ['token'],
    }),
    k('', 'v1', 'events', 'Event', true, 'CoreV1Event', { shortNames: ['ev'] }),
    k('', 'v1', 'nodes', 'Node', false, 'V1Node', { shortNames: ['no'], subresources: ['status'] }),
    k('apps', 'v1', 'deployments', 'Deployment', true, 'V1Deployment', {
      shortNames: ['deploy'],
      categories: all,
      subresources: ['status', 'scale'],
    }),
    k('apps', 'v1', 'replicasets', 'ReplicaSet', true, 'V1ReplicaSet', {
      shortNames: ['rs'],
      categories: all,
      subresources: ['status', 'scale'],
    }),
    k('apps', 'v1', 'statefulsets', 'StatefulSet', true, 'V1StatefulSet', {
      shortNames: ['sts'],
      categories: all,
      subresources: ['status', 'scale'],
    }),
    k('apps', 'v1', 'daemonsets', 'DaemonSet', true, 'V1DaemonSet', {
      shortNames: ['ds'],
      categories: all,
      subresources: ['status'],
    }),
    k('batch', 'v1', 'jobs', 'Job', true, 'V1Job', { categories: all, subresources: ['status'] }),
    k('batch', 'v1', 'cronjobs', 'CronJob', true, 'V1CronJob', {
      shortNames: ['cj'],
      categories: all,
      subresources: ['status'],
    }),
    k('', 'v1', 'persistentvolumeclaims', 'PersistentVolumeClaim', true, 'V1PersistentVolumeClaim', {
      shortNames: ['pvc'],
      subresources: ['status'],
    }),
    k('', 'v1', 'persistentvolumes', 'PersistentVolume', false, 'V1PersistentVolume', {
      shortNames: ['pv'],
      subresources: ['status'],
    }),
    k('', 'v1', 'limitranges', 'LimitRange', true, 'V1LimitRange', { shortNames: ['limits'] }),
    k('', 'v1', 'resourcequotas', 'ResourceQuota', true, 'V1ResourceQuota', {
      shortNames: ['quota'],
      subresources: ['status'],
    }),
    k('storage.k8s.io', 'v1', 'storageclasses', 'StorageClass', false, 'V1StorageClass', {
      shortNames: ['sc'],
    }),
    k('policy', 'v1', 'poddisruptionbudgets', 'PodDisruptionBudget', true, 'V1PodDisruptionBudget', {
      shortNames: ['pdb'],
      subresources: ['status'],
    }),
    k('networking.k8s.io', 'v1', 'networkpolicies', 'NetworkPolicy', true, 'V1NetworkPolicy', {
      shortNames: ['netpol'],
      singular: 'networkpolicy',
    }),
    k('networking.k8s.io', 'v1', 'ingressclasses', 'IngressClass', false, 'V1IngressClass'),
    // autoscaling/v2 is the storage version; v1 (what `kubectl autoscale` 1.32 posts) converts to it.
    k(
      'autoscaling',
      'v2',
      'horizontalpodautoscalers',
      'HorizontalPodAutoscaler',
      true,
      'V2HorizontalPodAutoscaler',
      {
        shortNames: ['hpa'],
        categories: all,
        subresources: ['status'],
      },
    ),
    k(
      'autoscaling',
      'v1',
      'horizontalpodautoscalers',
      'HorizontalPodAutoscaler',
      true,
      'V1HorizontalPodAutoscaler',
      {
        shortNames: ['hpa'],
        categories: all,
        subresources: ['status'],
        convert: hpaV1Conversion,
      },
    ),
    k(
      'admissionregistration.k8s.io',
      'v1',
      'validatingadmissionpolicies',
      'ValidatingAdmissionPolicy',
      false,
      'V1ValidatingAdmissionPolicy',
      { subresources: ['status'] },
    ),
    k(
      'admissionregistration.k8s.io',
      'v1',
      'validatingadmissionpolicybindings',
      'ValidatingAdmissionPolicyBinding',
      false,
      'V1ValidatingAdmissionPolicyBinding',
    ),
    k('scheduling.k8s.io', 'v1', 'priorityclasses', 'PriorityClass', false, 'V1PriorityClass', {
      shortNames: ['pc'],
    }),
    k('discovery.k8s.io', 'v1', 'endpointslices', 'EndpointSlice', true, 'V1EndpointSlice'),
    k('coordination.k8s.io', 'v1', 'leases', 'Lease', true, 'V1Lease'),
    k('networking.k8s.io', 'v1', 'ingresses', 'Ingress', true, 'V1Ingress', {
      shortNames: ['ing'],
      subresources: ['status'],
    }),
    k('rbac.authorization.k8s.io', 'v1', 'roles', 'Role', true, 'V1Role'),
    k('rbac.authorization.k8s.io', 'v1', 'rolebindings', 'RoleBinding', true, 'V1RoleBinding'),
    k('rbac.authorization.k8s.io', 'v1', 'clusterroles', 'ClusterRole', false, 'V1ClusterRole'),
    k(
      'rbac.authorization.k8s.io',
      'v1',
      'clusterrolebindings',
      'ClusterRoleBinding',
      false,
      'V1ClusterRoleBinding',
    ),
    ...(['selfsubjectaccessreviews', 'subjectaccessreviews', 'selfsubjectrulesreviews'] as const).map((r) =>
      k(
        'authorization.k8s.io',
        'v1',
        r,
        r === 'subjectaccessreviews'
          ? 'SubjectAccessReview'
          : r === 'selfsubjectaccessreviews'
            ? 'SelfSubjectAccessReview'
            : 'SelfSubjectRulesReview',
        false,
        `V1${r === 'subjectaccessreviews' ? 'SubjectAccessReview' : r === 'selfsubjectaccessreviews' ? 'SelfSubjectAccessReview' : 'SelfSubjectRulesReview'}`,
        { verbs: ['create'], review: r },
      ),
    ),
    k(
      'authentication.k8s.io',
      'v1',
      'selfsubjectreviews',
      'SelfSubjectReview',
      false,
      'V1SelfSubjectReview',
      { verbs: ['create'], review: 'selfsubjectreviews' },
    ),
    k(
      'apiextensions.k8s.io',
      'v1',
      'customresourcedefinitions',
      'CustomResourceDefinition',
      false,
      'V1CustomResourceDefinition',
      {
        shortNames: ['crd', 'crds'],
        subresources: ['status'],
      },
    ),
  ];
}

export function groupVersion(rk: Pick<ResourceKind, 'group' | 'version'>): string {
  return rk.group ? `${rk.group}/${rk.version}` : rk.version;
}

/** Lookup of kinds by group/version/resource and by apiVersion+kind; changes when CRDs come and go. */
export class KindRegistry {
  private byGvr = new Map<string, ResourceKind>();
  private listeners: Array<() => void> = [];
  /** Bumped on every change so discovery/OpenAPI caches know when to rebuild. */
  generation = 0;

  constructor(kinds: ResourceKind[] = builtinKinds()) {
    for (const rk of kinds) this.byGvr.set(this.key(rk.group, rk.version, rk.resource), rk);
  }

  private key(group: string, version: string, resource: string): string {
    return `${group}/${version}/${resource}`;
  }

  get(group: string, version: string, resource: string): ResourceKind | undefined {
    return this.byGvr.get(this.key(group, version, resource));
  }

  byKind(apiVersion: string, kind: string): ResourceKind | undefined {
    for (const rk of this.byGvr.values()) if (groupVersion(rk) === apiVersion && rk.kind === kind) return rk;
    return undefined;
  }

  /** Any served version of group/resource (storage is shared across versions). */
  anyVersion(group: string, resource: string): ResourceKind | undefined {
    for (const rk of this.byGvr.values()) if (rk.group === group && rk.resource === resource) return rk;
    return undefined;
  }

  all(): ResourceKind[] {
    return [...this.byGvr.values()];
  }

  groupVersions(): Map<string, ResourceKind[]> {
    const out = new Map<string, ResourceKind[]>();
    for (const rk of this.byGvr.values()) {
      const gv = groupVersion(rk);
      const list = out.get(gv) ?? [];
      list.push(rk);
      out.set(gv, list);
    }
    return out;
  }

  add(rk: ResourceKind): void {
    this.byGvr.set(this.key(rk.group, rk.version, rk.resource), rk);
    this.changed();
  }

  removeWhere(pred: (rk: ResourceKind) => boolean): void {
    for (const [key, rk] of this.byGvr) if (pred(rk)) this.byGvr.delete(key);
    this.changed();
  }

  onChange(fn: () => void): void {
    this.listeners.push(fn);
  }

  private changed(): void {
    this.generation++;
    for (const fn of this.listeners) fn();
  }
}
