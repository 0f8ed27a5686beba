// Subresources: status/finalize/approval/ephemeralcontainers writes, token, eviction, binding.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { negotiate } from '../media.ts';
import { Resources } from '../resources.ts';
import { errors } from '../status.ts';
import type { KubeObject } from '../store.ts';
import { issueToken } from '../token-request.ts';
import { readBody, readObject } from './body.ts';
import type { HttpContext } from './context.ts';
import { serveLogs } from './log-stream.ts';
import { defaultManager, patchTypeOf, writeOptions } from './options.ts';
import type { Target } from './paths.ts';
import { send } from './respond.ts';
import { serveScale } from './scale.ts';

export async function serveSubresource(
  ctx: HttpContext,
  req: IncomingMessage,
  res: ServerResponse,
  t: Target,
  method: string,
  q: URLSearchParams,
): Promise<void> {
  const r = ctx.resources;
  const { rk, namespace: ns, name } = t;
  if (!name) throw errors.pageNotFound();
  const sub = t.subresource!;
  const n = negotiate(req.headers.accept, false);
  if (sub === 'status' || sub === 'finalize' || sub === 'ephemeralcontainers' || sub === 'approval') {
    // A CSR's approval is a status write limited to its conditions (kubectl certificate approve).
    const subName = sub === 'finalize' ? undefined : sub === 'approval' ? 'status' : sub;
    if (method === 'GET') return send(res, 200, r.get(rk, ns, name), n);
    if (method === 'PUT') {
      const body = await readObject(req);
      if (sub === 'finalize') {
        const cur = r.get(rk, ns, name);
        const spec = ((body as KubeObject).spec ?? {}) as Record<string, unknown>;
        const next = { ...cur, spec: { ...(cur.spec as object), finalizers: spec.finalizers ?? [] } };
        return send(
          res,
          200,
          r.update(rk, ns, name, next, writeOptions(q, undefined, req.headers['user-agent'], 'PUT')).object,
          n,
        );
      }
      return send(
        res,
        200,
        r.update(rk, ns, name, body, writeOptions(q, undefined, req.headers['user-agent'], 'PUT'), subName)
          .object,
        n,
      );
    }
    if (method === 'PATCH') {
      const type = patchTypeOf(req.headers['content-type']);
      const body = Resources.decode(await readBody(req), type === 'apply' ? 'yaml' : 'json');
      return send(
        res,
        200,
        r.patch(rk, ns, name, type, body, writeOptions(q, type, req.headers['user-agent']), subName).object,
        n,
      );
    }
    throw errors.methodNotAllowed();
  }
  if (sub === 'scale') return serveScale(ctx, req, res, t, method, q, n);
  if (sub === 'log') {
    if (method !== 'GET') throw errors.methodNotAllowed();
    return serveLogs(ctx, req, res, t, q);
  }
  if (sub === 'token') {
    if (method !== 'POST') throw errors.methodNotAllowed();
    const sa = r.get(rk, ns, name);
    const body = await readObject(req);
    return send(
      res,
      201,
      issueToken(sa, body, ctx.tokens, q.get('fieldManager') ?? defaultManager(req.headers['user-agent'])),
      n,
    );
  }
  if (sub === 'eviction') {
    if (method !== 'POST') throw errors.methodNotAllowed();
    // kubectl drain --dry-run=server puts dryRun in the Eviction's deleteOptions, not the query.
    const raw = await readBody(req);
    const eviction = (
      raw.length ? Resources.decode(raw, req.headers['content-type'] ?? 'application/json') : {}
    ) as {
      metadata?: { name?: string };
      deleteOptions?: { dryRun?: string[] };
    };
    if (eviction.metadata?.name && eviction.metadata.name !== name)
      throw errors.badRequest(`name in URL does not match name in Eviction object`);
    const dryRun = q.getAll('dryRun').length > 0 || (eviction.deleteOptions?.dryRun?.length ?? 0) > 0;
    r.delete(rk, ns, name, { dryRun });
    return send(
      res,
      201,
      { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 },
      n,
    );
  }
  if (sub === 'exec' || sub === 'attach' || sub === 'portforward') {
    throw errors.badRequest(
      `${sub} is not supported by the embedded API server: its pods are simulated and have no container runtime (use kubectl logs, or a real cluster backend)`,
    );
  }
  if (sub === 'binding') {
    if (method !== 'POST') throw errors.methodNotAllowed();
    const body = Resources.decode(await readBody(req), 'application/json') as {
      target?: { name?: string };
    };
    const node = body.target?.name;
    if (!node)
      throw errors.invalid(rk, name, [
        { field: 'target.name', reason: 'FieldValueRequired', message: 'Required value' },
      ]);
    const pod = r.get(rk, ns, name);
    if ((pod.spec as { nodeName?: string }).nodeName)
      throw errors.conflict(
        rk,
        name,
        `pod ${name} is already assigned to node "${(pod.spec as { nodeName?: string }).nodeName}"`,
      );
    r.writeRaw(rk, { ...pod, spec: { ...(pod.spec as object), nodeName: node } });
    return send(
      res,
      201,
      { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 },
      n,
    );
  }
  throw errors.pageNotFound();
}
