// The scale subresource (autoscaling/v1 Scale) of workloads.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Negotiated } from '../media.ts';
import { applyJsonPatch, applyMergePatch, applyStrategicMergePatch } from '../patch.ts';
import { Resources } from '../resources.ts';
import { ApiError, errors } from '../status.ts';
import type { KubeObject } from '../store.ts';
import { readBody } from './body.ts';
import type { HttpContext } from './context.ts';
import { patchTypeOf, writeOptions } from './options.ts';
import type { Target } from './paths.ts';
import { send } from './respond.ts';

export async function serveScale(
  ctx: HttpContext,
  req: IncomingMessage,
  res: ServerResponse,
  t: Target,
  method: string,
  q: URLSearchParams,
  n: Negotiated,
): Promise<void> {
  const r = ctx.resources;
  const { rk, namespace: ns, name } = t;
  const toScale = (o: KubeObject): Record<string, unknown> => {
    const spec = (o.spec ?? {}) as { replicas?: number; selector?: unknown };
    const status = (o.status ?? {}) as { replicas?: number };
    // A ReplicationController's selector is the map itself.
    const sel = (
      rk.resource === 'replicationcontrollers' ? { matchLabels: spec.selector } : spec.selector
    ) as { matchLabels?: Record<string, string> } | undefined;
    return {
      kind: 'Scale',
      apiVersion: 'autoscaling/v1',
      metadata: {
        name: o.metadata.name,
        namespace: o.metadata.namespace,
        uid: o.metadata.uid,
        resourceVersion: o.metadata.resourceVersion,
        creationTimestamp: o.metadata.creationTimestamp,
      },
      spec: { replicas: spec.replicas ?? 0 },
      status: {
        replicas: status.replicas ?? 0,
        selector: Object.entries(sel?.matchLabels ?? {})
          .map(([k, v]) => `${k}=${v}`)
          .join(','),
      },
    };
  };
  const cur = r.get(rk, ns, name!);
  if (method === 'GET') return send(res, 200, toScale(cur), n);
  let scale: Record<string, unknown>;
  if (method === 'PUT')
    scale = Resources.decode(await readBody(req), 'application/json') as Record<string, unknown>;
  else if (method === 'PATCH') {
    const type = patchTypeOf(req.headers['content-type']);
    const body = Resources.decode(await readBody(req), type === 'apply' ? 'yaml' : 'json');
    const base = toScale(cur);
    scale = (
      type === 'json'
        ? applyJsonPatch(base, body)
        : type === 'merge'
          ? applyMergePatch(base, body)
          : applyStrategicMergePatch(base, body)
    ) as Record<string, unknown>;
  } else throw errors.methodNotAllowed();
  const replicas = (scale?.spec as { replicas?: unknown } | undefined)?.replicas;
  if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0)
    throw new ApiError(
      422,
      'Invalid',
      `Scale.autoscaling "${name}" is invalid: spec.replicas: Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0`,
    );
  const rv = (scale.metadata as { resourceVersion?: string } | undefined)?.resourceVersion;
  if (rv && rv !== cur.metadata.resourceVersion) throw errors.conflict(rk, name!);
  const next = { ...cur, spec: { ...(cur.spec as object), replicas } };
  const result = r.update(rk, ns, name!, next, writeOptions(q, undefined, req.headers['user-agent'], 'PUT'));
  return send(res, 200, toScale(result.object), n);
}
