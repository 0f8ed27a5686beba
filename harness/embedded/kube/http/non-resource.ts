// Non-resource paths: /, /version, discovery and OpenAPI documents.
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  aggregatedDiscovery,
  aggregatedMediaType,
  apiGroup,
  apiGroupList,
  apiResourceList,
  legacyApiVersions,
  versionInfo,
  wantsAggregated,
} from '../discovery.ts';
import { OPENAPI_V2_PROTO_TYPE, wantsOpenApiV2Protobuf } from '../openapi-v2-proto.ts';
import { errors } from '../status.ts';
import type { HttpContext } from './context.ts';
import { plainNotFound, send } from './respond.ts';

export function serveNonResource(
  ctx: HttpContext,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  q: URLSearchParams,
): void {
  const reg = ctx.registry;
  const accept = req.headers.accept;
  if (path === '/version') return send(res, 200, versionInfo());
  if (path === '/')
    return send(res, 200, {
      paths: [
        '/api',
        '/api/v1',
        '/apis',
        '/healthz',
        '/livez',
        '/openapi/v2',
        '/openapi/v3',
        '/readyz',
        '/version',
      ],
    });
  if (path === '/api' || path === '/apis') {
    const agg = wantsAggregated(accept);
    if (agg)
      return send(res, 200, aggregatedDiscovery(reg, path === '/api', agg), undefined, {
        'Content-Type': aggregatedMediaType(agg),
        Vary: 'Accept',
      });
    return send(
      res,
      200,
      path === '/api' ? legacyApiVersions(ctx.serverAddress) : apiGroupList(reg),
      undefined,
      { Vary: 'Accept' },
    );
  }
  if (path === '/openapi/v2') {
    const a = (accept ?? '').toLowerCase();
    if (wantsOpenApiV2Protobuf(a)) {
      res.writeHead(200, { 'Content-Type': OPENAPI_V2_PROTO_TYPE, Vary: 'Accept' });
      res.end(ctx.openapi.swaggerProtobuf());
      return;
    }
    if (a && !a.includes('json') && !a.includes('*/*'))
      throw errors.notAcceptable(
        'only application/json and application/com.github.proto-openapi.spec.v2@v1.0+protobuf are served for /openapi/v2',
      );
    const body = ctx.openapi.swagger();
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(body);
    return;
  }
  if (path === '/openapi/v3') return send(res, 200, ctx.openapi.index());
  if (path.startsWith('/openapi/v3/')) {
    const doc = ctx.openapi.groupVersion(path.slice('/openapi/v3/'.length));
    // kube-apiserver answers an unknown OpenAPI v3 group-version with an empty 404.
    if (!doc) return plainNotFound(res, '');
    const headers: Record<string, string> = { 'Content-Type': 'application/json', Etag: `"${doc.hash}"` };
    if (q.get('hash') === doc.hash) headers['Cache-Control'] = 'public, immutable';
    res.writeHead(200, headers);
    res.end(doc.body);
    return;
  }
  let m: RegExpMatchArray | null;
  if ((m = path.match(/^\/apis\/([^/]+)$/))) {
    const g = apiGroup(reg, m[1]!);
    if (!g) return plainNotFound(res);
    return send(res, 200, g);
  }
  if (path === '/api/v1' || (m = path.match(/^\/apis\/([^/]+)\/([^/]+)$/))) {
    const gv = path === '/api/v1' ? 'v1' : `${m![1]}/${m![2]}`;
    const rks = reg.groupVersions().get(gv);
    if (!rks) return plainNotFound(res);
    return send(res, 200, apiResourceList(rks, gv));
  }
  throw errors.pageNotFound();
}
