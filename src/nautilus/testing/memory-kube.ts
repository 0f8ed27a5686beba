/**
 * A Kubernetes API in memory for the listener's unit and model tests: objects by URL, creates
 * (by name or generateName) refused with a 409 AlreadyExists Status when the name is taken, gets
 * (200 / 404 NotFound), updates and deletes. It records every call and every effect (a change of
 * the cluster), so a test can count how often a request's write took effect.
 */
import { failureStatus } from '../../k8s/status.ts';
import type { K8sAnswer, K8sCall } from '../k8s-executor.ts';
import type { KubernetesApi } from '../k8s-call.ts';
import { REQUEST_ANNOTATION } from '../write-tag.ts';

interface Meta {
  name?: string;
  generateName?: string;
  uid?: string;
  resourceVersion?: string;
  annotations?: Record<string, string>;
}
type Obj = { metadata?: Meta } & Record<string, unknown>;

export interface KubeEffect {
  method: string;
  path: string;
  /** the `k3s-daas.io/request` annotation the write carried, if any */
  tag?: string;
  /** the body sent (creates, updates) */
  body?: string;
}

const json = (code: number, v: unknown): K8sAnswer => ({
  statusCode: code,
  contentType: 'application/json',
  body: Buffer.from(JSON.stringify(v)),
});

export class MemoryKube implements KubernetesApi {
  readonly serverUrl = 'https://memory-kube.test';
  readonly objects = new Map<string, Obj>();
  readonly calls: K8sCall[] = [];
  readonly effects: KubeEffect[] = [];
  private rv = 0;

  /** Puts an object there as if someone created it outside K3s-DaaS. */
  seed(collection: string, name: string, annotations: Record<string, string> = {}): void {
    this.objects.set(`${collection}/${name}`, {
      kind: 'ConfigMap',
      metadata: { name, uid: `uid-${++this.rv}`, resourceVersion: String(this.rv), annotations },
    });
  }

  async execute(call: K8sCall): Promise<K8sAnswer> {
    this.calls.push(call);
    const path = call.path.split('?')[0]!;
    switch (call.method) {
      case 'GET': {
        const o = this.objects.get(path);
        return o ? json(200, o) : json(404, failureStatus(404, `${path} not found`));
      }
      case 'POST': {
        const body = JSON.parse(Buffer.from(call.body ?? new Uint8Array()).toString('utf8')) as Obj;
        const meta: Meta = { ...body.metadata };
        const name =
          meta.name || (meta.generateName ? `${meta.generateName}${(++this.rv).toString(36)}` : '');
        if (!name) return json(422, failureStatus(422, 'name or generateName is required'));
        const key = `${path}/${name}`;
        if (this.objects.has(key))
          return json(409, { ...failureStatus(409, `"${name}" already exists`), reason: 'AlreadyExists' });
        const obj: Obj = {
          ...body,
          metadata: { ...meta, name, uid: `uid-${++this.rv}`, resourceVersion: String(this.rv) },
        };
        this.objects.set(key, obj);
        this.effect(call, key, meta);
        return json(201, obj);
      }
      case 'PUT': {
        const body = JSON.parse(Buffer.from(call.body ?? new Uint8Array()).toString('utf8')) as Obj;
        const old = this.objects.get(path);
        if (!old) return json(404, failureStatus(404, `${path} not found`));
        const obj: Obj = { ...body, metadata: { ...body.metadata, resourceVersion: String(++this.rv) } };
        this.objects.set(path, obj);
        this.effect(call, path, body.metadata);
        return json(200, obj);
      }
      case 'DELETE': {
        const old = this.objects.get(path);
        if (!old) return json(404, failureStatus(404, `${path} not found`));
        this.objects.delete(path);
        this.effect(call, path, old.metadata);
        return json(200, old);
      }
      default:
        return json(405, failureStatus(405, `${call.method} is not served by MemoryKube`));
    }
  }

  async watch(call: K8sCall): Promise<K8sAnswer> {
    this.calls.push(call);
    return json(200, {});
  }

  /** Effects of the request with this object id (its tag). */
  effectsOf(requestObjectId: string): KubeEffect[] {
    return this.effects.filter((e) => e.tag === requestObjectId);
  }

  private effect(call: K8sCall, path: string, meta: Meta | undefined): void {
    const tag = meta?.annotations?.[REQUEST_ANNOTATION];
    const body = call.body && call.body.length > 0 ? Buffer.from(call.body).toString('utf8') : undefined;
    this.effects.push({ method: call.method, path, ...(tag ? { tag } : {}), ...(body ? { body } : {}) });
  }
}
