// The resource verbs: get/list (object, Table, metadata), create, update, patch, delete, deletecollection.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { UserInfo } from '../auth.ts';
import { negotiate, type Negotiated } from '../media.ts';
import { groupVersion, type ResourceKind } from '../registry.ts';
import { Resources } from '../resources.ts';
import { errors } from '../status.ts';
import type { KubeObject } from '../store.ts';
import { toTable } from '../tables.ts';
import { listJson } from '../json-cache.ts';
import { readBody, readObject, readObjectChecked, duplicateWarnings } from './body.ts';
import type { HttpContext } from './context.ts';
import { deleteOptions, includeObject, intParam, patchTypeOf, writeOptions } from './options.ts';
import type { Target } from './paths.ts';
import { reviewAnswer } from './reviews.ts';
import { send, warningHeaders } from './respond.ts';
import { serveWatch } from './watch.ts';

/** Storage for one resource request (no subresource), after authentication, authorization and method checks. */
export async function serveVerb(
  ctx: HttpContext,
  req: IncomingMessage,
  res: ServerResponse,
  target: Target,
  q: URLSearchParams,
  watch: boolean,
  user: UserInfo,
): Promise<void> {
  const method = req.method ?? 'GET';
  const r = ctx.resources;
  const { rk, namespace: ns, name } = target;
  switch (method) {
    case 'GET':
    case 'HEAD': {
      const n = negotiate(req.headers.accept, true);
      if (watch) return serveWatch(ctx, req, res, target, q, n);
      if (name) {
        const o = r.get(rk, ns, name);
        return send(res, 200, shape(rk, o, n, q), n);
      }
      const list = r.list(rk, ns, {
        labelSelector: q.get('labelSelector') ?? undefined,
        fieldSelector: q.get('fieldSelector') ?? undefined,
        limit: intParam(q, 'limit'),
        continue: q.get('continue') ?? undefined,
      });
      const meta: Record<string, unknown> = { resourceVersion: list.resourceVersion };
      if (list.continue) meta.continue = list.continue;
      // Unknown (so absent) when a selector filtered the list, as kube-apiserver says.
      if (list.remainingItemCount !== undefined && !q.get('labelSelector') && !q.get('fieldSelector'))
        meta.remainingItemCount = list.remainingItemCount;
      if (n.shape === 'table') return send(res, 200, toTable(rk, list.items, meta, includeObject(q)), n);
      if (n.shape === 'partial')
        return send(
          res,
          200,
          {
            kind: 'PartialObjectMetadataList',
            apiVersion: 'meta.k8s.io/v1',
            metadata: meta,
            items: list.items.map((o) => ({
              kind: 'PartialObjectMetadata',
              apiVersion: 'meta.k8s.io/v1',
              metadata: o.metadata,
            })),
          },
          n,
        );
      if (!n.yaml) {
        res.writeHead(200, { 'Content-Type': n.contentType, 'Cache-Control': 'no-cache, private' });
        res.end(
          listJson(
            { kind: rk.listKind, apiVersion: groupVersion(rk), metadata: meta },
            list.items,
            !rk.crdName,
          ),
        );
        return;
      }
      return send(
        res,
        200,
        {
          kind: rk.listKind,
          apiVersion: groupVersion(rk),
          metadata: meta,
          items: rk.crdName ? list.items : list.items.map(({ apiVersion: _a, kind: _k, ...rest }) => rest),
        },
        n,
      );
    }
    case 'POST': {
      if (name) throw errors.methodNotAllowed();
      if (rk.review)
        return send(
          res,
          201,
          reviewAnswer(
            ctx,
            rk,
            (await readObject(req)) as Record<string, unknown>,
            user,
            writeOptions(q, undefined, req.headers['user-agent']).fieldManager,
          ),
          negotiate(req.headers.accept, false),
        );
      const { object: body, duplicates } = await readObjectChecked(req);
      const n = negotiate(req.headers.accept, false);
      const options = writeOptions(q, undefined, req.headers['user-agent']);
      const dup = duplicateWarnings(rk, duplicates, q);
      const result = r.create(rk, ns, body, { ...options, actor: user });
      return send(res, 201, result.object, n, warningHeaders([...dup, ...result.warnings]));
    }
    case 'PUT': {
      if (!name) throw errors.methodNotAllowed();
      const { object: body, duplicates } = await readObjectChecked(req);
      const n = negotiate(req.headers.accept, false);
      const options = writeOptions(q, undefined, req.headers['user-agent'], 'PUT');
      const dup = duplicateWarnings(rk, duplicates, q);
      const result = r.update(rk, ns, name, body, { ...options, actor: user });
      return send(res, 200, result.object, n, warningHeaders([...dup, ...result.warnings]));
    }
    case 'PATCH': {
      if (!name) throw errors.methodNotAllowed();
      const type = patchTypeOf(req.headers['content-type']);
      const body = Resources.decode(await readBody(req), type === 'apply' ? 'yaml' : 'json');
      const n = negotiate(req.headers.accept, false);
      const result = r.patch(rk, ns, name, type, body, {
        ...writeOptions(q, type, req.headers['user-agent']),
        actor: user,
      });
      return send(res, result.created ? 201 : 200, result.object, n, warningHeaders(result.warnings));
    }
    case 'DELETE': {
      const raw = await readBody(req);
      const opts = deleteOptions(raw, q);
      const n = negotiate(req.headers.accept, false);
      if (!name) {
        const deleted = r.deleteCollection(
          rk,
          ns,
          {
            labelSelector: q.get('labelSelector') ?? undefined,
            fieldSelector: q.get('fieldSelector') ?? undefined,
          },
          opts,
        );
        return send(
          res,
          200,
          {
            kind: rk.listKind,
            apiVersion: groupVersion(rk),
            metadata: { resourceVersion: String(r.store.currentRv()) },
            items: rk.crdName ? deleted : deleted.map(({ apiVersion: _a, kind: _k, ...rest }) => rest),
          },
          n,
        );
      }
      const result = r.delete(rk, ns, name, opts);
      return send(res, 200, result.object ?? result.status, n);
    }
    default:
      throw errors.methodNotAllowed();
  }
}

function shape(rk: ResourceKind, o: KubeObject, n: Negotiated, q: URLSearchParams): unknown {
  if (n.shape === 'table')
    return toTable(rk, [o], { resourceVersion: o.metadata.resourceVersion }, includeObject(q));
  if (n.shape === 'partial')
    return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata };
  return o;
}
