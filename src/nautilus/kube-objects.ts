/**
 * The few object operations the RBAC mirror, the credential check and `cluster bootstrap`
 * need, on the listener's Kubernetes client with its own credential (never impersonating):
 * server-side apply (idempotent: the same object applied twice is no change), list by label,
 * delete, create. Errors carry Kubernetes' own Status message.
 */
import type { K8sAnswer, K8sCall } from './k8s-executor.ts';

export interface KubeClient {
  execute(call: K8sCall): Promise<K8sAnswer>;
}

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
}

export const FIELD_MANAGER = 'k3s-daas';

/** kind → resource path of the kinds used here (group/version from apiVersion). */
const RESOURCES: Record<string, { plural: string; namespaced: boolean }> = {
  Namespace: { plural: 'namespaces', namespaced: false },
  ServiceAccount: { plural: 'serviceaccounts', namespaced: true },
  Role: { plural: 'roles', namespaced: true },
  RoleBinding: { plural: 'rolebindings', namespaced: true },
  ClusterRole: { plural: 'clusterroles', namespaced: false },
  ClusterRoleBinding: { plural: 'clusterrolebindings', namespaced: false },
  ValidatingAdmissionPolicy: { plural: 'validatingadmissionpolicies', namespaced: false },
  ValidatingAdmissionPolicyBinding: { plural: 'validatingadmissionpolicybindings', namespaced: false },
};

export class KubeRequestError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
  }
}

function base(apiVersion: string): string {
  return apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
}

/** The collection path of `kind` (in `namespace`, or across all namespaces when undefined). */
export function collectionPath(apiVersion: string, kind: string, namespace?: string): string {
  const r = RESOURCES[kind];
  if (!r) throw new Error(`kube-objects: no resource path known for kind ${kind}`);
  const ns = r.namespaced && namespace !== undefined ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  return `${base(apiVersion)}${ns}/${r.plural}`;
}

export function objectPath(o: KubeObject): string {
  return `${collectionPath(o.apiVersion, o.kind, o.metadata.namespace)}/${encodeURIComponent(o.metadata.name)}`;
}

function statusMessage(a: K8sAnswer): string {
  try {
    const s = JSON.parse(a.body.toString('utf8')) as { message?: string };
    if (s.message) return s.message;
  } catch {
    // not a Status
  }
  return a.body.toString('utf8').slice(0, 300);
}

export class KubeObjects {
  constructor(private readonly k8s: KubeClient) {}

  async request(
    method: string,
    path: string,
    body?: unknown,
    contentType = 'application/json',
  ): Promise<K8sAnswer> {
    const call: K8sCall = {
      method,
      path,
      accept: 'application/json',
      as: 'self',
      idempotent: method === 'GET',
    };
    if (body !== undefined) {
      call.body = Buffer.from(JSON.stringify(body));
      call.contentType = contentType;
    }
    return this.k8s.execute(call);
  }

  private async ok(method: string, path: string, body?: unknown, contentType?: string): Promise<unknown> {
    const a = await this.request(method, path, body, contentType);
    if (a.statusCode >= 300)
      throw new KubeRequestError(a.statusCode, `${method} ${path}: ${a.statusCode} ${statusMessage(a)}`);
    return a.body.length ? (JSON.parse(a.body.toString('utf8')) as unknown) : undefined;
  }

  /** Server-side apply (force: this manager owns these objects). */
  async apply(o: KubeObject): Promise<void> {
    await this.ok(
      'PATCH',
      `${objectPath(o)}?fieldManager=${FIELD_MANAGER}&force=true`,
      o,
      'application/apply-patch+yaml',
    );
  }

  async create(o: KubeObject): Promise<'created' | 'exists'> {
    const a = await this.request('POST', collectionPath(o.apiVersion, o.kind, o.metadata.namespace), o);
    if (a.statusCode === 409) return 'exists';
    if (a.statusCode >= 300)
      throw new KubeRequestError(
        a.statusCode,
        `create ${o.kind} ${o.metadata.name}: ${a.statusCode} ${statusMessage(a)}`,
      );
    return 'created';
  }

  async get(o: KubeObject): Promise<unknown> {
    const a = await this.request('GET', objectPath(o));
    if (a.statusCode === 404) return undefined;
    if (a.statusCode >= 300)
      throw new KubeRequestError(
        a.statusCode,
        `get ${o.kind} ${o.metadata.name}: ${a.statusCode} ${statusMessage(a)}`,
      );
    return JSON.parse(a.body.toString('utf8')) as unknown;
  }

  /** Objects of `kind` with these labels, in every namespace. */
  async list(apiVersion: string, kind: string, labelSelector: string): Promise<KubeObject[]> {
    const path = `${collectionPath(apiVersion, kind)}?labelSelector=${encodeURIComponent(labelSelector)}`;
    const list = (await this.ok('GET', path)) as { items?: { metadata: KubeObject['metadata'] }[] };
    return (list.items ?? []).map((i) => ({ apiVersion, kind, metadata: i.metadata }));
  }

  /** Deletes; an object already gone is fine. */
  async delete(o: KubeObject): Promise<void> {
    const a = await this.request('DELETE', objectPath(o));
    if (a.statusCode === 404) return;
    if (a.statusCode >= 300)
      throw new KubeRequestError(
        a.statusCode,
        `delete ${o.kind} ${o.metadata.name}: ${a.statusCode} ${statusMessage(a)}`,
      );
  }

  /** POST to an API that answers in place (reviews). */
  async post(path: string, body: unknown): Promise<unknown> {
    return this.ok('POST', path, body);
  }
}
