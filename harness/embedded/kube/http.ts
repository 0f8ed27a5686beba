// HTTP routing for the embedded API server: authentication, impersonation,
// authorization, discovery, OpenAPI, resource verbs, subresources and watch.
import { performance } from 'node:perf_hooks';
import type { IncomingMessage, ServerResponse } from 'node:http';
import YAML from 'yaml';
import {
  authenticate,
  impersonationHeaders,
  resolveIdentity,
  type RequestIdentity,
  type StaticToken,
  type UserInfo,
} from './auth.ts';
import {
  aggregatedDiscovery,
  aggregatedMediaType,
  apiGroup,
  apiGroupList,
  apiResourceList,
  legacyApiVersions,
  versionInfo,
  wantsAggregated,
} from './discovery.ts';
import { negotiate, type Negotiated } from './media.ts';
import type { OpenApiDocuments } from './openapi.ts';
import { OPENAPI_V2_PROTO_TYPE, wantsOpenApiV2Protobuf } from './openapi-v2-proto.ts';
import type { RbacAuthorizer, Attributes } from './rbac.ts';
import { groupVersion, type KindRegistry, type ResourceKind } from './registry.ts';
import { duplicateFields } from './field-validation.ts';
import { issueToken } from './token-request.ts';
import { Resources, grKey, type FieldValidation, type PatchType, type WriteOptions } from './resources.ts';
import { parseFieldSelector, parseLabelSelector } from './selectors.ts';
import { ApiError, errors } from './status.ts';
import { encodeStatusProtobuf, PROTOBUF, refuseUnacceptable, statusInProtobuf } from './negotiation.ts';
import { ResourceVersionTooOld, type KubeObject, type StoreEvent } from './store.ts';
import { columnDefinitions, tableRow, toTable, type IncludeObject } from './tables.ts';
import { podLogs } from './logs.ts';
import { decodeProtobufObject, isProtobuf } from './protobuf.ts';
import { cachedJson, cachedJsonBuffer, listJson } from './json-cache.ts';

const MAX_BODY = 3 * 1024 * 1024;

export interface AuditRecord {
  time: string;
  user: string;
  groups: string[];
  impersonatedBy?: string;
  verb: string;
  method: string;
  path: string;
  code: number;
  /** Time from request arrival to the last byte handed to the socket. */
  durationMs: number;
}

export interface HttpContext {
  registry: KindRegistry;
  resources: Resources;
  openapi: OpenApiDocuments;
  tokens: Map<string, StaticToken>;
  rbac: RbacAuthorizer;
  rbacEnabled: () => boolean;
  audit: AuditRecord[];
  auditLimit: number;
  bookmarkIntervalMs: number;
  /** Identity given to plain-HTTP callers without credentials (in-process use). */
  plainHttpUser?: UserInfo;
  serverAddress: string;
  /** Open watch/follow responses, closed on stop(). */
  streams: Set<ServerResponse>;
}

interface Target {
  rk: ResourceKind;
  namespace?: string;
  name?: string;
  subresource?: string;
  watchPrefix: boolean;
}

function send(
  res: ServerResponse,
  code: number,
  body: unknown,
  n?: Negotiated,
  extraHeaders: Record<string, string | string[]> = {},
): void {
  if (res.headersSent) return;
  const yaml = n?.yaml ?? false;
  const text = yaml
    ? YAML.stringify(body)
    : typeof body === 'object' && body !== null
      ? cachedJsonBuffer(body)
      : JSON.stringify(body);
  res.writeHead(code, {
    'Content-Type': n?.contentType ?? 'application/json',
    'Cache-Control': 'no-cache, private',
    ...extraHeaders,
  });
  res.end(text);
}

function sendError(res: ServerResponse, e: ApiError, accept?: string): void {
  if (!statusInProtobuf(accept)) return send(res, e.code, e.toStatus());
  res.writeHead(e.code, { 'Content-Type': PROTOBUF, 'Cache-Control': 'no-cache, private' });
  res.end(
    encodeStatusProtobuf({
      status: 'Failure',
      message: e.message,
      reason: e.reason,
      code: e.code,
      details: e.details,
    }),
  );
}

/** Reads and decodes a request body: JSON, YAML (apply) or Kubernetes protobuf. */
/** The Go mux's 404 for paths no API group serves (not a Status: kube-apiserver's own answer). */
function plainNotFound(res: ServerResponse, body = '404 page not found\n'): void {
  res.writeHead(
    404,
    body ? { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' } : {},
  );
  res.end(body);
}

async function readObject(req: IncomingMessage, yaml = false): Promise<unknown> {
  return (await readObjectChecked(req, yaml)).object;
}

/** The decoded body and the fields a JSON body repeats (for fieldValidation). */
async function readObjectChecked(
  req: IncomingMessage,
  yaml = false,
): Promise<{ object: unknown; duplicates: string[] }> {
  const buf = await readBuffer(req);
  const object = decodeObject(req, buf, yaml);
  const json =
    !yaml && !isProtobuf(req.headers['content-type']) && !/yaml/i.test(req.headers['content-type'] ?? '');
  return { object, duplicates: json ? duplicateFields(buf.toString('utf8')) : [] };
}

/** Strict: a repeated field is a 400 like kube-apiserver's; Warn: a warning each; Ignore: nothing. */
function duplicateWarnings(rk: ResourceKind, duplicates: string[], q: URLSearchParams): string[] {
  if (!duplicates.length) return [];
  const mode = (q.get('fieldValidation') ?? 'Warn').toLowerCase();
  const each = duplicates.map((d) => `duplicate field "${d}"`);
  if (mode === 'strict')
    throw errors.badRequest(
      `${rk.kind} in version "${rk.version}" cannot be handled as a ${rk.kind}: strict decoding error: ${each.join(', ')}`,
    );
  return mode === 'warn' ? each : [];
}

function decodeObject(req: IncomingMessage, buf: Buffer, yaml: boolean): unknown {
  const ct = req.headers['content-type'];
  if (isProtobuf(ct)) return decodeProtobufObject(buf);
  const media = (ct ?? '').split(';')[0]!.trim().toLowerCase();
  if (!yaml && media && !/^application\/(json|yaml|.*\+json|.*\+yaml)$/.test(media) && media !== '*/*')
    throw new ApiError(
      415,
      'UnsupportedMediaType',
      'the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf',
    );
  return Resources.decode(buf.toString('utf8'), yaml ? 'yaml' : (ct ?? 'application/json'));
}

async function readBody(req: IncomingMessage): Promise<string> {
  return (await readBuffer(req)).toString('utf8');
}

function readBuffer(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(errors.tooLarge());
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function boolParam(q: URLSearchParams, name: string): boolean {
  const v = q.get(name);
  return v === 'true' || v === '1' || (v === '' && q.has(name));
}

function intParam(q: URLSearchParams, name: string): number | undefined {
  const v = q.get(name);
  if (v === null || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n)) throw errors.badRequest(`invalid value for ${name}: "${v}" is not an integer`);
  return n;
}

/** The default field manager: the User-Agent's product token ("kubectl/v1.32 …" → "kubectl"), as the server derives it. */
function defaultManager(userAgent: string | undefined): string | undefined {
  const m = (userAgent ?? '').match(/^([^/\s]+)/);
  return m ? m[1]!.slice(0, 128) : undefined;
}

/** kube-apiserver validates query options as an object of its own: 422 on `<Kind>Options.meta.k8s.io`. */
function invalidOptions(kind: string, field: string, reason: string, message: string): ApiError {
  return new ApiError(422, 'Invalid', `${kind}.meta.k8s.io "" is invalid: ${field}: ${message}`, {
    group: 'meta.k8s.io',
    kind,
    causes: [{ reason, message, field }],
  });
}

function optionsKind(method: string | undefined): string {
  return method === 'PATCH' ? 'PatchOptions' : method === 'PUT' ? 'UpdateOptions' : 'CreateOptions';
}

function writeOptions(
  q: URLSearchParams,
  patchType?: PatchType,
  userAgent?: string,
  method: string = patchType ? 'PATCH' : 'POST',
): WriteOptions {
  const dry = q.getAll('dryRun');
  const kind = optionsKind(method);
  if (dry.some((d) => d !== 'All'))
    throw invalidOptions(
      kind,
      'dryRun',
      'FieldValueNotSupported',
      `Unsupported value: ${JSON.stringify(dry)}: supported values: "All"`,
    );
  const fv = q.get('fieldValidation');
  let fieldValidation: FieldValidation | undefined;
  if (fv) {
    const canon = fv.charAt(0).toUpperCase() + fv.slice(1).toLowerCase();
    if (canon !== 'Strict' && canon !== 'Warn' && canon !== 'Ignore')
      throw invalidOptions(
        kind,
        'fieldValidation',
        'FieldValueNotSupported',
        `Unsupported value: "${fv}": supported values: "", "Ignore", "Strict", "Warn"`,
      );
    fieldValidation = canon;
  }
  const fieldManager =
    q.get('fieldManager') ?? (patchType === 'apply' ? undefined : defaultManager(userAgent));
  if (fieldManager && fieldManager.length > 128)
    throw errors.badRequest('fieldManager: Too long: may not be more than 128 bytes');
  return {
    dryRun: dry.length > 0,
    fieldValidation: fieldValidation ?? (patchType === 'apply' ? 'Strict' : undefined),
    fieldManager,
    force: boolParam(q, 'force'),
  };
}

function verbOf(method: string, t: Target, watch: boolean): string {
  switch (method) {
    case 'GET':
    case 'HEAD':
      return watch ? 'watch' : t.name ? 'get' : 'list';
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return t.name ? 'delete' : 'deletecollection';
    default:
      return method.toLowerCase();
  }
}

function patchTypeOf(contentType: string | undefined): PatchType {
  const ct = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  switch (ct) {
    case 'application/json-patch+json':
      return 'json';
    case 'application/merge-patch+json':
      return 'merge';
    case 'application/strategic-merge-patch+json':
      return 'strategic';
    case 'application/apply-patch+yaml':
    case 'application/apply-patch+cbor':
      return 'apply';
    default:
      // kube-apiserver's wording for a PATCH of an unknown patch type.
      throw new ApiError(415, 'UnsupportedMediaType', '415: Unsupported Media Type', {});
  }
}

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
      return this.nonResource(req, res, path, q);
    }

    const target = this.parseResourcePath(path);
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

    if (target.subresource) return this.subresource(req, res, target, method, q);
    refuseUnacceptable(req.headers.accept, target.rk.crdName !== undefined);
    const r = this.ctx.resources;
    const { rk, namespace: ns, name } = target;
    switch (method) {
      case 'GET':
      case 'HEAD': {
        const n = negotiate(req.headers.accept, true);
        if (watch) return this.watch(req, res, target, q, n);
        if (name) {
          const o = r.get(rk, ns, name);
          return send(res, 200, this.shape(rk, o, n, q), n);
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
        if (n.shape === 'table')
          return send(res, 200, toTable(rk, list.items, meta, this.includeObject(q)), n);
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
            this.review(rk, (await readObject(req)) as Record<string, unknown>, identity.user),
            negotiate(req.headers.accept, false),
          );
        const { object: body, duplicates } = await readObjectChecked(req);
        const n = negotiate(req.headers.accept, false);
        const options = writeOptions(q, undefined, req.headers['user-agent']);
        const dup = duplicateWarnings(rk, duplicates, q);
        const result = r.create(rk, ns, body, { ...options, actor: identity.user });
        return send(res, 201, result.object, n, warningHeaders([...dup, ...result.warnings]));
      }
      case 'PUT': {
        if (!name) throw errors.methodNotAllowed();
        const { object: body, duplicates } = await readObjectChecked(req);
        const n = negotiate(req.headers.accept, false);
        const options = writeOptions(q, undefined, req.headers['user-agent'], 'PUT');
        const dup = duplicateWarnings(rk, duplicates, q);
        const result = r.update(rk, ns, name, body, { ...options, actor: identity.user });
        return send(res, 200, result.object, n, warningHeaders([...dup, ...result.warnings]));
      }
      case 'PATCH': {
        if (!name) throw errors.methodNotAllowed();
        const type = patchTypeOf(req.headers['content-type']);
        const body = Resources.decode(await readBody(req), type === 'apply' ? 'yaml' : 'json');
        const n = negotiate(req.headers.accept, false);
        const result = r.patch(rk, ns, name, type, body, {
          ...writeOptions(q, type, req.headers['user-agent']),
          actor: identity.user,
        });
        return send(res, result.created ? 201 : 200, result.object, n, warningHeaders(result.warnings));
      }
      case 'DELETE': {
        const raw = await readBody(req);
        const opts = this.deleteOptions(raw, q);
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

  /** Answers the create-only review kinds (kubectl auth can-i / whoami) from RBAC. */
  private review(rk: ResourceKind, body: Record<string, unknown>, user: UserInfo): Record<string, unknown> {
    if (!body || typeof body !== 'object')
      throw errors.badRequest(`the body of a ${rk.kind} must be a JSON object`);
    const spec = (body.spec ?? {}) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- review specs are small free-form trees
    const out = { kind: rk.kind, apiVersion: groupVersion(rk), metadata: { creationTimestamp: null }, spec };
    const allows = (u: UserInfo, a: Attributes): boolean =>
      !this.ctx.rbacEnabled() || this.ctx.rbac.allows(u, a);
    const attrs = (): Attributes => {
      const ra = spec.resourceAttributes as Record<string, string> | undefined;
      const nra = spec.nonResourceAttributes as Record<string, string> | undefined;
      if (ra)
        return {
          verb: ra.verb ?? '',
          group: ra.group ?? '',
          resource: ra.resource ?? '',
          subresource: ra.subresource || undefined,
          namespace: ra.namespace || undefined,
          name: ra.name || undefined,
        };
      if (nra) return { verb: nra.verb ?? '', group: '', resource: '', path: nra.path ?? '/' };
      throw errors.invalid(rk, '', [
        {
          field: 'spec.resourceAttributes',
          reason: 'FieldValueRequired',
          message:
            'Required value: exactly one of nonResourceAttributes or resourceAttributes must be specified',
        },
      ]);
    };
    switch (rk.review) {
      case 'selfsubjectaccessreviews': {
        const ok = allows(user, attrs());
        return {
          ...out,
          status: { allowed: ok, ...(ok && this.ctx.rbacEnabled() ? { reason: 'allowed by RBAC' } : {}) },
        };
      }
      case 'subjectaccessreviews': {
        const subject: UserInfo = {
          name: String(spec.user ?? ''),
          groups: (spec.groups as string[] | undefined) ?? [],
        };
        const ok = allows(subject, attrs());
        return { ...out, status: { allowed: ok } };
      }
      case 'selfsubjectrulesreviews': {
        const ns = String(spec.namespace ?? 'default');
        const rules = this.ctx.rbacEnabled()
          ? this.ctx.rbac.rulesFor(user, ns)
          : [
              { verbs: ['*'], apiGroups: ['*'], resources: ['*'] },
              { verbs: ['*'], nonResourceURLs: ['*'] },
            ];
        return {
          ...out,
          status: {
            resourceRules: rules
              .filter((r) => r.resources)
              .map((r) => ({
                verbs: r.verbs,
                apiGroups: r.apiGroups,
                resources: r.resources,
                ...(r.resourceNames ? { resourceNames: r.resourceNames } : {}),
              })),
            nonResourceRules: rules
              .filter((r) => r.nonResourceURLs)
              .map((r) => ({ verbs: r.verbs, nonResourceURLs: r.nonResourceURLs })),
            incomplete: false,
          },
        };
      }
      default:
        return {
          ...out,
          status: {
            userInfo: {
              username: user.name,
              ...(user.uid ? { uid: user.uid } : {}),
              groups: user.groups,
              ...(user.extra ? { extra: user.extra } : {}),
            },
          },
        };
    }
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

  private includeObject(q: URLSearchParams): IncludeObject {
    const v = q.get('includeObject');
    if (v === 'None' || v === 'Object' || v === 'Metadata') return v;
    if (v) throw errors.badRequest(`includeObject must be one of None, Metadata or Object, got "${v}"`);
    return 'Metadata';
  }

  private shape(rk: ResourceKind, o: KubeObject, n: Negotiated, q: URLSearchParams): unknown {
    if (n.shape === 'table')
      return toTable(rk, [o], { resourceVersion: o.metadata.resourceVersion }, this.includeObject(q));
    if (n.shape === 'partial')
      return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata };
    return o;
  }

  private deleteOptions(raw: string, q: URLSearchParams): Parameters<Resources['delete']>[3] {
    let body: Record<string, unknown> = {};
    if (raw.trim()) {
      const parsed = Resources.decode(raw, 'application/json');
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
        body = parsed as Record<string, unknown>;
    }
    const dry = [...q.getAll('dryRun'), ...((body.dryRun as string[] | undefined) ?? [])];
    if (dry.some((d) => d !== 'All'))
      throw invalidOptions(
        'DeleteOptions',
        'dryRun',
        'FieldValueNotSupported',
        `Unsupported value: ${JSON.stringify(dry)}: supported values: "All"`,
      );
    const pp = (q.get('propagationPolicy') ?? body.propagationPolicy) as string | undefined;
    if (pp && !['Orphan', 'Background', 'Foreground'].includes(pp))
      throw errors.badRequest(
        `propagationPolicy: Unsupported value: "${pp}": supported values: "Foreground", "Background", "Orphan"`,
      );
    const orphan = (q.get('orphanDependents') ?? body.orphanDependents) as string | boolean | undefined;
    return {
      dryRun: dry.length > 0,
      propagationPolicy:
        (pp as 'Orphan' | 'Background' | 'Foreground' | undefined) ??
        (orphan === true || orphan === 'true' ? 'Orphan' : undefined),
      preconditions: body.preconditions as { uid?: string; resourceVersion?: string } | undefined,
    };
  }

  /** Maps a URL path onto a resource kind, namespace, name and subresource. */
  private parseResourcePath(path: string): Target | undefined {
    let segs: string[];
    try {
      segs = path
        .split('/')
        .filter(Boolean)
        .map((s) => decodeURIComponent(s));
    } catch {
      throw errors.badRequest(`malformed percent-encoding in path "${path}"`);
    }
    let group: string;
    let version: string;
    let rest: string[];
    if (segs[0] === 'api' && segs.length >= 2) {
      group = '';
      version = segs[1]!;
      rest = segs.slice(2);
    } else if (segs[0] === 'apis' && segs.length >= 3) {
      group = segs[1]!;
      version = segs[2]!;
      rest = segs.slice(3);
    } else return undefined;
    let watchPrefix = false;
    if (rest[0] === 'watch') {
      watchPrefix = true;
      rest = rest.slice(1);
    }
    const reg = this.ctx.registry;
    let namespace: string | undefined;
    if (rest[0] === 'namespaces' && rest.length >= 3 && reg.get(group, version, rest[2]!)?.namespaced) {
      namespace = rest[1];
      rest = rest.slice(2);
    }
    const [resource, name, subresource, ...extra] = rest;
    if (!resource || extra.length) return undefined;
    const rk = reg.get(group, version, resource);
    if (!rk) return undefined;
    if (subresource && !rk.subresources.includes(subresource)) return undefined;
    if (rk.namespaced && !namespace && name) return undefined;
    return { rk, namespace, name, subresource, watchPrefix };
  }

  private nonResource(req: IncomingMessage, res: ServerResponse, path: string, q: URLSearchParams): void {
    const reg = this.ctx.registry;
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
        path === '/api' ? legacyApiVersions(this.ctx.serverAddress) : apiGroupList(reg),
        undefined,
        { Vary: 'Accept' },
      );
    }
    if (path === '/openapi/v2') {
      const a = (accept ?? '').toLowerCase();
      if (wantsOpenApiV2Protobuf(a)) {
        res.writeHead(200, { 'Content-Type': OPENAPI_V2_PROTO_TYPE, Vary: 'Accept' });
        res.end(this.ctx.openapi.swaggerProtobuf());
        return;
      }
      if (a && !a.includes('json') && !a.includes('*/*'))
        throw errors.notAcceptable(
          'only application/json and application/com.github.proto-openapi.spec.v2@v1.0+protobuf are served for /openapi/v2',
        );
      const body = this.ctx.openapi.swagger();
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(body);
      return;
    }
    if (path === '/openapi/v3') return send(res, 200, this.ctx.openapi.index());
    if (path.startsWith('/openapi/v3/')) {
      const doc = this.ctx.openapi.groupVersion(path.slice('/openapi/v3/'.length));
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

  private async subresource(
    req: IncomingMessage,
    res: ServerResponse,
    t: Target,
    method: string,
    q: URLSearchParams,
  ): Promise<void> {
    const r = this.ctx.resources;
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
    if (sub === 'scale') return this.scale(req, res, t, method, q, n);
    if (sub === 'log') {
      if (method !== 'GET') throw errors.methodNotAllowed();
      return this.logs(req, res, t, q);
    }
    if (sub === 'token') {
      if (method !== 'POST') throw errors.methodNotAllowed();
      const sa = r.get(rk, ns, name);
      const body = await readObject(req);
      return send(
        res,
        201,
        issueToken(
          sa,
          body,
          this.ctx.tokens,
          q.get('fieldManager') ?? defaultManager(req.headers['user-agent']),
        ),
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

  private async scale(
    req: IncomingMessage,
    res: ServerResponse,
    t: Target,
    method: string,
    q: URLSearchParams,
    n: Negotiated,
  ): Promise<void> {
    const r = this.ctx.resources;
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
      const { applyJsonPatch, applyMergePatch, applyStrategicMergePatch } = await import('./patch.ts');
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
    const result = r.update(
      rk,
      ns,
      name!,
      next,
      writeOptions(q, undefined, req.headers['user-agent'], 'PUT'),
    );
    return send(res, 200, toScale(result.object), n);
  }

  private logs(req: IncomingMessage, res: ServerResponse, t: Target, q: URLSearchParams): void {
    const r = this.ctx.resources;
    const pod = r.get(t.rk, t.namespace, t.name!);
    const tail = intParam(q, 'tailLines');
    const { lines, container } = podLogs(pod, {
      container: q.get('container') ?? undefined,
      previous: boolParam(q, 'previous'),
      tailLines: tail,
      timestamps: boolParam(q, 'timestamps'),
    });
    let text = lines.map((l) => `${l}\n`).join('');
    const limit = intParam(q, 'limitBytes');
    if (limit !== undefined && limit >= 0) text = text.slice(0, limit);
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Transfer-Encoding': 'chunked' });
    if (!boolParam(q, 'follow')) {
      res.end(text);
      return;
    }
    res.write(text);
    // Follow: the stream stays open while the pod exists; it ends when the pod is deleted or the container restarts.
    this.ctx.streams.add(res);
    const gr = grKey(t.rk);
    const unwatch = r.store.watch(gr, r.store.currentRv(), (ev) => {
      if (ev.object.metadata.name !== t.name || ev.object.metadata.namespace !== t.namespace) return;
      if (ev.type === 'DELETED') finish();
    });
    const finish = (): void => {
      unwatch();
      this.ctx.streams.delete(res);
      if (!res.writableEnded) res.end();
    };
    req.on('close', finish);
    void container;
  }

  private watch(
    req: IncomingMessage,
    res: ServerResponse,
    t: Target,
    q: URLSearchParams,
    n: Negotiated,
  ): void {
    const r = this.ctx.resources;
    const { rk, namespace: ns } = t;
    const lm = parseLabelSelector(q.get('labelSelector') ?? undefined);
    let fieldSel = q.get('fieldSelector') ?? undefined;
    if (t.name) fieldSel = [fieldSel, `metadata.name=${t.name}`].filter(Boolean).join(',');
    const fm = parseFieldSelector(fieldSel, rk.resource);
    const matches = (o: KubeObject | undefined): boolean =>
      !!o && (!rk.namespaced || !ns || o.metadata.namespace === ns) && lm(o.metadata.labels) && fm(o);
    const include = this.includeObject(q);
    const rvParam = q.get('resourceVersion');
    const sendInitial = boolParam(q, 'sendInitialEvents');
    const bookmarks = boolParam(q, 'allowWatchBookmarks');
    const timeout = intParam(q, 'timeoutSeconds');
    if (rvParam && !/^\d+$/.test(rvParam)) throw errors.badRequest(`invalid resource version: ${rvParam}`);
    if (sendInitial && q.get('resourceVersionMatch') !== 'NotOlderThan') {
      const message = 'Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan';
      throw new ApiError(
        422,
        'Invalid',
        `ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: ${message}`,
        {
          group: 'meta.k8s.io',
          kind: 'ListOptions',
          causes: [{ reason: 'FieldValueForbidden', message, field: 'resourceVersionMatch' }],
        },
      );
    }

    res.writeHead(200, {
      'Content-Type': n.shape === 'table' ? n.contentType : 'application/json',
      'Transfer-Encoding': 'chunked',
      'Cache-Control': 'no-cache, private',
    });
    res.flushHeaders();
    this.ctx.streams.add(res);
    let first = true;
    const encode = (type: string, o: KubeObject): string => {
      let object: unknown = r.present(rk, o);
      if (n.shape === 'table') {
        object = {
          kind: 'Table',
          apiVersion: 'meta.k8s.io/v1',
          metadata: { resourceVersion: o.metadata.resourceVersion },
          ...(first ? { columnDefinitions: columnDefinitions(rk) } : { columnDefinitions: [] }),
          rows: [tableRow(rk, r.present(rk, o), include)],
        };
        first = false;
      } else if (n.shape === 'partial')
        object = { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata };
      // Plain objects come straight from the JSON cache (shared by every watcher of the event).
      if (object === o) return `{"type":"${type}","object":${cachedJson(o)}}\n`;
      return `${JSON.stringify({ type, object })}\n`;
    };
    const write = (chunk: string): void => {
      if (!res.writableEnded) res.write(chunk);
    };
    const bookmark = (extraAnnotations?: Record<string, string>): void => {
      const obj = {
        kind: rk.kind,
        apiVersion: groupVersion(rk),
        metadata: {
          resourceVersion: String(r.store.currentRv()),
          ...(extraAnnotations ? { annotations: extraAnnotations } : {}),
        },
      };
      write(`${JSON.stringify({ type: 'BOOKMARK', object: obj })}\n`);
    };

    let fromRv: number;
    if (!rvParam || rvParam === '0' || sendInitial) {
      fromRv = r.store.currentRv();
      if (sendInitial || !rvParam || rvParam === '0') {
        for (const o of r.store.list(grKey(rk), rk.namespaced ? ns : undefined))
          if (matches(o)) write(encode('ADDED', o));
      }
      if (sendInitial && bookmarks) bookmark({ 'k8s.io/initial-events-end': 'true' });
    } else fromRv = Number(rvParam);

    const onEvent = (ev: StoreEvent): void => {
      const now = matches(ev.object);
      const before = matches(ev.previous);
      if (ev.type === 'DELETED') {
        if (before || now) write(encode('DELETED', ev.object));
      } else if (ev.type === 'ADDED') {
        if (now) write(encode('ADDED', ev.object));
      } else if (now && before) write(encode('MODIFIED', ev.object));
      else if (now) write(encode('ADDED', ev.object));
      else if (before) write(encode('DELETED', ev.object));
    };
    let unwatch: () => void = () => undefined;
    try {
      unwatch = r.store.watch(grKey(rk), fromRv, onEvent);
    } catch (e) {
      if (!(e instanceof ResourceVersionTooOld)) throw e;
      write(
        `${JSON.stringify({ type: 'ERROR', object: errors.gone(`too old resource version: ${fromRv} (${r.store.currentRv()})`).toStatus() })}\n`,
      );
      this.ctx.streams.delete(res);
      res.end();
      return;
    }
    const timers: NodeJS.Timeout[] = [];
    const finish = (): void => {
      unwatch();
      for (const t2 of timers) clearTimeout(t2);
      this.ctx.streams.delete(res);
      if (!res.writableEnded) res.end();
    };
    if (bookmarks) timers.push(setInterval(() => bookmark(), this.ctx.bookmarkIntervalMs));
    if (timeout !== undefined && timeout > 0) timers.push(setTimeout(finish, timeout * 1000));
    req.on('close', finish);
    res.on('close', finish);
  }
}

function warningHeaders(warnings: string[]): Record<string, string[]> {
  if (!warnings.length) return {};
  return { Warning: warnings.map((w) => `299 - ${JSON.stringify(w)}`) };
}
