// The request pipeline of the embedded API server, in kube-apiserver's filter order:
// authentication → impersonation → authorization → (admission and storage, in the handlers:
// Resources runs admission before it writes). One module per job under http/.
import { performance } from 'node:perf_hooks';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  authenticate,
  impersonationHeaders,
  resolveIdentity,
  type RequestIdentity,
  type UserInfo,
} from './auth.ts';
import type { Attributes } from './rbac.ts';
import { ApiError, errors } from './status.ts';
import type { HttpContext } from './http/context.ts';
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
      if (e instanceof ApiError) sendError(res, e);
      else {
        sendError(res, errors.internal((e as Error)?.message ?? String(e)));
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

    const caller = authenticate(req, this.ctx.tokens, this.ctx.plainHttpUser);
    if (!caller) throw errors.unauthorized();
    const identity = resolveIdentity(
      caller,
      impersonationHeaders(req),
      (c, resource, name) =>
        !this.ctx.rbacEnabled() ||
        this.ctx.rbac.allows(c, { verb: 'impersonate', group: '', resource, name }),
    );
    setIdentity(identity);

    if (['/healthz', '/livez', '/readyz'].includes(path)) {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end('ok');
      return;
    }

    const nonResource =
      path === '/' ||
      path === '/version' ||
      path === '/api' ||
      path === '/apis' ||
      path.startsWith('/openapi') ||
      /^\/apis\/[^/]+$/.test(path) ||
      /^\/(api\/v1|apis\/[^/]+\/[^/]+)$/.test(path);
    if (nonResource) {
      this.authorize(identity.user, {
        verb: method === 'GET' ? 'get' : method.toLowerCase(),
        group: '',
        resource: '',
        path,
      });
      if (method !== 'GET' && method !== 'HEAD') throw errors.methodNotAllowed();
      return serveNonResource(this.ctx, req, res, path, q);
    }

    const target = parseResourcePath(this.ctx.registry, path);
    if (!target) throw errors.pageNotFound();
    const watch = target.watchPrefix || boolParam(q, 'watch');
    const verb = verbOf(method, target, watch);
    setIdentity(identity, verb);
    this.authorize(identity.user, {
      verb,
      group: target.rk.group,
      resource: target.rk.resource,
      subresource: target.subresource,
      namespace: target.namespace,
      name: target.name,
    });
    // Watching a single object is a list+watch with a name selector, allowed wherever watch is.
    if (!target.rk.verbs.includes(verb) && !target.subresource) throw errors.methodNotAllowed();

    if (target.subresource) return serveSubresource(this.ctx, req, res, target, method, q);
    return serveVerb(this.ctx, req, res, target, q, watch, identity.user);
  }

  private authorize(user: UserInfo, a: Attributes): void {
    if (!this.ctx.rbacEnabled() || this.ctx.rbac.allows(user, a)) return;
    if (a.path !== undefined)
      throw errors.forbidden(user.name, a.verb, undefined, undefined, undefined, undefined, a.path);
    throw errors.forbidden(
      user.name,
      a.verb,
      { group: a.group, resource: a.resource },
      a.name,
      a.namespace,
      a.subresource,
    );
  }
}
