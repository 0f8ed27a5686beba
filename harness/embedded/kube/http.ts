// The request pipeline of the embedded API server, in kube-apiserver's filter order:
// authentication → impersonation → authorization → (admission and storage, in the handlers:
// Resources runs admission before it writes). One module per job under http/.
import { performance } from 'node:perf_hooks';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  authenticate,
  forbiddenError,
  impersonationHeaders,
  resolveIdentity,
  type RequestIdentity,
  type UserInfo,
} from './auth.ts';
import type { Attributes, Decision } from './rbac.ts';
import { ApiError, errors } from './status.ts';
import type { HttpContext } from './http/context.ts';
import { refuseUnacceptable } from './negotiation.ts';
import { serveNonResource } from './http/non-resource.ts';
import { boolParam, verbOf } from './http/options.ts';
import { parseResourcePath } from './http/paths.ts';
import { sendError } from './http/respond.ts';
import { serveSubresource } from './http/subresources.ts';
import { serveVerb } from './http/verbs.ts';

export type { AuditRecord, HttpContext } from './http/context.ts';

export class HttpApi {
  constructor(private readonly ctx: HttpContext) {}

  handle = (req: IncomingMessage, res: ServerResponse): void => {
    const started = Date.now();
    const startedPerf = performance.now();
    let identity: RequestIdentity | undefined;
    let verb = (req.method ?? 'GET').toLowerCase();
    res.on('finish', () => {
      if (!identity) return;
      const a = this.ctx.audit;
      a.push({
        time: new Date(started).toISOString(),
        user: identity.user.name,
        groups: identity.user.groups,
        ...(identity.impersonator ? { impersonatedBy: identity.impersonator.name } : {}),
        verb,
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        code: res.statusCode,
        durationMs: Number((performance.now() - startedPerf).toFixed(3)),
      });
      if (a.length > this.ctx.auditLimit) a.splice(0, a.length - this.ctx.auditLimit);
    });
    this.route(req, res, (id, v) => {
      identity = id;
      if (v) verb = v;
    }).catch((e: unknown) => {
      if (e instanceof ApiError) sendError(res, e, req.headers.accept);
      else {
        sendError(res, errors.internal((e as Error)?.message ?? String(e)), req.headers.accept);
      }
    });
  };

  private async route(
    req: IncomingMessage,
    res: ServerResponse,
    setIdentity: (id: RequestIdentity, verb?: string) => void,
  ): Promise<void> {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://embedded');
    } catch {
      throw errors.badRequest('malformed request URL');
    }
    const path = url.pathname.replace(/\/+$/, '') || '/';
    const q = url.searchParams;
    const method = req.method ?? 'GET';

    // 1. Authentication.
    const caller = authenticate(req, this.ctx.tokens, this.ctx.plainHttpUser);
    if (!caller) throw errors.unauthorized();

    // What the request does, as kube-apiserver's RequestInfo resolver sees it.
    const nonResource =
      path === '/' ||
      path === '/version' ||
      path === '/api' ||
      path === '/apis' ||
      path.startsWith('/openapi') ||
      /^\/apis\/[^/]+$/.test(path) ||
      /^\/(api\/v1|apis\/[^/]+\/[^/]+)$/.test(path);
    const target = nonResource ? undefined : parseResourcePath(this.ctx.registry, path);
    const watch = !!target && (target.watchPrefix || boolParam(q, 'watch'));
    const verb = target ? verbOf(method, target, watch) : method.toLowerCase();
    const attributes: Attributes = target
      ? {
          verb,
          group: target.rk.group,
          resource: target.rk.resource,
          subresource: target.subresource,
          namespace: target.namespace,
          name: target.name,
        }
      : (unknownResourceAttributes(url.pathname, method, q) ?? {
          verb,
          group: '',
          resource: '',
          path: url.pathname,
        });

    // 2. Impersonation (checked by the same authorizer as the request).
    const identity = resolveIdentity(
      caller,
      impersonationHeaders(req),
      attributes,
      this.decide,
      this.impersonationModes,
    );
    setIdentity(identity, target ? verb : undefined);

    if (['/healthz', '/livez', '/readyz'].includes(path)) {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end('ok');
      return;
    }

    // 3. Authorization.
    const d = this.decide(identity.user, attributes);
    if (!d.allowed) throw forbiddenError(identity.user.name, attributes, d.reason);

    // 4. Handlers; admission runs inside Resources, before storage.
    if (nonResource) {
      if (method !== 'GET' && method !== 'HEAD') throw errors.methodNotAllowed();
      return serveNonResource(this.ctx, req, res, path, q);
    }
    if (!target) throw errors.pageNotFound();
    // Watching a single object is a list+watch with a name selector, allowed wherever watch is.
    if (!target.rk.verbs.includes(verb) && !target.subresource) throw errors.methodNotAllowed();

    if (target.subresource) return serveSubresource(this.ctx, req, res, target, method, q);
    refuseUnacceptable(req.headers.accept, target.rk.crdName !== undefined);
    return serveVerb(this.ctx, req, res, target, q, watch, identity.user);
  }

  /** Requestor name → the impersonation mode that last worked for it (kube-apiserver's modeIndexCache). */
  private readonly impersonationModes = new Map<string, string>();

  /** The authorizer (everything is allowed while RBAC is switched off). */
  private readonly decide = (user: UserInfo, a: Attributes): Decision =>
    this.ctx.rbacEnabled() ? this.ctx.rbac.authorize(user, a) : { allowed: true, reason: '' };
}

/**
 * RequestInfo of an /api or /apis path no kind serves (so the answer is 404 only for those
 * allowed to ask, 403 for the others, as kube-apiserver authorizes before routing).
 */
function unknownResourceAttributes(
  pathname: string,
  method: string,
  q: URLSearchParams,
): Attributes | undefined {
  const segs = pathname.split('/').filter(Boolean);
  let group: string;
  let rest: string[];
  if (segs[0] === 'api' && segs.length >= 3) {
    group = '';
    rest = segs.slice(2);
  } else if (segs[0] === 'apis' && segs.length >= 4) {
    group = segs[1]!;
    rest = segs.slice(3);
  } else return undefined;
  let watchPrefix = false;
  if (rest[0] === 'watch') {
    watchPrefix = true;
    rest = rest.slice(1);
  }
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const [resource, name, subresource] = rest;
  if (!resource) return undefined;
  const verb = verbOf(method, { name }, watchPrefix || boolParam(q, 'watch'));
  return { verb, group, resource, subresource, namespace, name };
}
