/**
 * The HTTPS front of the Contract API Gateway: speaks the Kubernetes API to
 * kubectl and turns each request into one contract call (via a ChainPort).
 *
 * Never crashes on input: every failure is answered with a Kubernetes Status.
 * A watch is a chain of windows, each one contract call like any read, streamed into one
 * response (see watch() and watch-stream.ts) — documented in README.md.
 */
import { isSealStatus } from '../confidentiality/status.ts';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes, randomUUID } from 'node:crypto';
import { impersonationOf } from './impersonation.ts';
import type { Logger } from '../shared/logger.ts';
import type { IdentityStore, Identity } from '../shared/identities.ts';
import { parseRequest, STREAMING_SUBRESOURCES } from '../k8s/request-info.ts';
import { RequestRefused, type K8sRequestFields } from '../k8s/request.ts';
import { failureStatus, statuses, type K8sStatus } from '../k8s/status.ts';
import { changesDiscovery, discoveryFields } from '../k8s/discovery-fields.ts';
import { SELF_REVIEW_GROUP, SELF_REVIEW_RESOURCE, selfSubjectReview } from './self-review.ts';
import { mediaFields, watchContentType } from '../k8s/media.ts';
import { lastResourceVersion, nextWindowQuery, watchDeadline, watchErrorEvent } from './watch-stream.ts';
import {
  ACCESS_REVIEW_GROUP,
  ACCESS_REVIEW_RESOURCE,
  RULES_REVIEW_RESOURCE,
  reviewAnswer,
  reviewedRequest,
  isWildcardReview,
  wildcardVerdict,
  rulesReviewAnswer,
  rulesReviewNamespace,
} from './access-review.ts';
import { Trace, TraceStore, hopDurations } from '../shared/trace.ts';
import type { ChainOutcome, ChainPort, ChainRequest, ReadinessCheck } from './chain-port.ts';
import { TtlCache } from './response-cache.ts';
import { GatewayMetrics } from './metrics.ts';
import type { GasAdvisor } from './gas.ts';

export const REQUEST_ID_HEADER = 'x-k3s-daas-request-id';
export const TX_DIGEST_HEADER = 'x-k3s-daas-tx-digest';
export const TRACE_HEADER = 'x-k3s-daas-trace';
const SAFE_REQUEST_ID = /^[A-Za-z0-9._:@-]{1,128}$/;
/** kube-apiserver's health endpoints, with an optional query (`?verbose`). */
const HEALTH_PATH = /^\/(livez|readyz|healthz)\/?(?:\?(.*))?$/;
type HealthEndpoint = 'livez' | 'readyz' | 'healthz';

export interface GatewayOptions {
  chain: ChainPort;
  identities: IdentityStore;
  tls: { cert: string; key: string };
  logger: Logger;
  /** default 127.0.0.1 (loopback only) */
  host?: string;
  /** default 0 (ephemeral) */
  port?: number;
  /** TTL of the discovery/OpenAPI cache; 0 disables it. Default 60 s. */
  discoveryTtlMs?: number;
  /** Raw bodies larger than this are refused with 413 before touching the chain. Default 1 MiB (compressed bodies must still fit the contract's 112,000-byte cap). */
  maxBodyBytes?: number;
  metrics?: GatewayMetrics;
  /** A request body must arrive within this time (408 otherwise). Default 30 s. */
  bodyTimeoutMs?: number;
  /** Longest a watch stays open (window after window); the client's timeoutSeconds if shorter. Default 30 min. */
  watchMaxMs?: number;
  /** Explains a signer that cannot pay gas (Status naming balance, budget, fund command) and adds `/readyz` check `gas`. */
  gas?: GasAdvisor;
}

interface Answer {
  statusCode: number;
  contentType: string;
  body: Buffer;
  txDigest?: string;
}

function statusAnswer(status: K8sStatus, txDigest?: string): Answer {
  const a: Answer = {
    statusCode: status.code,
    contentType: 'application/json',
    body: Buffer.from(JSON.stringify(status)),
  };
  if (txDigest) a.txDigest = txDigest;
  return a;
}

/**
 * A failure as text/plain: client-go reads discovery documents with Result.Raw(), which keeps
 * a server's message only from a text body (a JSON Status there prints as "unknown" or, for a
 * 503, "the server is currently unable to handle the request").
 */
function textAnswer(status: K8sStatus): Answer {
  return {
    statusCode: status.code,
    contentType: 'text/plain; charset=utf-8',
    body: Buffer.from(status.message),
  };
}

function jsonAnswer(statusCode: number, value: object): Answer {
  return { statusCode, contentType: 'application/json', body: Buffer.from(JSON.stringify(value)) };
}

function describe(f: K8sRequestFields): string {
  const target = f.subresource ? `${f.resource}/${f.subresource}` : f.resource;
  const group = f.apiGroup ? `.${f.apiGroup}` : '';
  const name = f.name ? ` "${f.name}"` : '';
  const ns = f.namespace ? ` in namespace "${f.namespace}"` : ' (cluster-scoped)';
  return `${f.verb} ${target}${group}${name}${ns}`;
}

class BodyTooLarge extends Error {}
class BodyTimeout extends Error {}

function readBody(req: IncomingMessage, limit: number, timeoutMs: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    let failed = false;
    const timer = setTimeout(() => {
      failed = true;
      reject(new BodyTimeout());
    }, timeoutMs);
    timer.unref();
    const declared = Number(req.headers['content-length'] ?? '0');
    if (Number.isFinite(declared) && declared > limit) {
      clearTimeout(timer);
      reject(new BodyTooLarge());
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      if (failed) return;
      size += c.length;
      if (size > limit) {
        failed = true;
        clearTimeout(timer);
        reject(new BodyTooLarge());
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      clearTimeout(timer);
      if (!failed) resolve(Buffer.concat(chunks));
    });
    req.on('error', (e) => {
      clearTimeout(timer);
      if (!failed) reject(e);
    });
  });
}

export class GatewayServer {
  readonly metrics: GatewayMetrics;
  readonly traces = new TraceStore();
  private readonly server: Server;
  private readonly discoveryCache: TtlCache<Answer>;
  /** Bumped when a CRD/APIService write succeeds: a discovery answer fetched before is not cached. */
  private discoveryGeneration = 0;
  /** in-flight and recently completed requests by (address, request id): a retry never executes twice */
  private readonly byRequestId = new Map<string, Promise<Answer>>();
  private readonly completedOrder: string[] = [];

  constructor(private opts: GatewayOptions) {
    this.metrics = opts.metrics ?? new GatewayMetrics();
    this.discoveryCache = new TtlCache(opts.discoveryTtlMs ?? 60_000);
    this.server = createServer({ cert: opts.tls.cert, key: opts.tls.key }, (req, res) => {
      this.handle(req, res).catch((e: unknown) => {
        opts.logger.error({ err: e }, 'unhandled gateway error');
        this.send(res, statusAnswer(statuses.internal('internal gateway error')));
      });
    });
    // Garbage that is not even HTTP gets a 400 instead of a dropped socket or a crash.
    this.server.on('clientError', (_err, socket) => {
      if (socket.writable)
        socket.end(
          'HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n' +
            JSON.stringify(statuses.badRequest('malformed HTTP request')),
        );
      else socket.destroy();
    });
    this.server.on('tlsClientError', () => undefined);
    // CONNECT would otherwise close the socket without an answer.
    this.server.on('connect', (_req, socket) => {
      const body = JSON.stringify(statuses.methodNotAllowed('CONNECT is not supported'));
      socket.end(
        `HTTP/1.1 405 Method Not Allowed\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    });
  }

  /** Swap the identities (e.g. after `k3s-daas token issue` rewrote the file); in-flight requests are unaffected. */
  setIdentities(identities: IdentityStore): void {
    this.opts.identities = identities;
  }

  async listen(): Promise<{ url: string; port: number; host: string }> {
    const host = this.opts.host ?? '127.0.0.1';
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.opts.port ?? 0, host, () => resolve());
    });
    const { port } = this.server.address() as AddressInfo;
    const urlHost = host.includes(':') ? `[${host}]` : host;
    return { url: `https://${urlHost}:${port}`, port, host };
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  private send(res: ServerResponse, a: Answer, extra: Record<string, string> = {}): void {
    if (res.headersSent) {
      res.end();
      return;
    }
    const headers: Record<string, string | number> = {
      'Content-Type': a.contentType || 'application/octet-stream',
      'Content-Length': a.body.length,
      ...extra,
    };
    if (a.txDigest) headers[TX_DIGEST_HEADER] = a.txDigest;
    res.writeHead(a.statusCode, headers);
    res.end(a.body);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = Date.now();
    const method = (req.method ?? 'GET').toUpperCase();
    const url = req.url ?? '/';
    const log = this.opts.logger;

    if (url === '/k3s-daas/healthz')
      return this.send(res, { statusCode: 200, contentType: 'text/plain', body: Buffer.from('ok') });
    const probe = HEALTH_PATH.exec(url);
    if (probe) return this.send(res, await this.health(probe[1] as HealthEndpoint, probe[2] ?? ''));
    // Ops endpoints take the same bearer tokens as the API, as kube-apiserver's /metrics does:
    // request ids are public on chain, and latency per hop says what an identity is doing.
    if (url === '/k3s-daas/metrics' || url.startsWith('/k3s-daas/traces/')) {
      const who = this.authenticate(req);
      if ('status' in who) return this.send(res, statusAnswer(who.status));
      return this.send(res, await this.opsAnswer(url, who.identity));
    }

    const clientRequestId = req.headers[REQUEST_ID_HEADER];
    let requestId: string;
    if (typeof clientRequestId === 'string' && clientRequestId !== '') {
      if (!SAFE_REQUEST_ID.test(clientRequestId))
        return this.send(
          res,
          statusAnswer(
            statuses.badRequest(`header ${REQUEST_ID_HEADER} must be 1-128 characters of [A-Za-z0-9._:@-]`),
          ),
        );
      requestId = clientRequestId;
    } else requestId = `gw-${randomUUID()}`;
    const trace = new Trace(requestId);
    trace.mark('gateway_received', started);

    let verb = 'unknown';
    let answer: Answer;
    try {
      const r = await this.route(req, method, url, requestId, trace, res);
      verb = r.verb;
      answer = r.answer;
    } catch (e) {
      if (e instanceof BodyTooLarge)
        answer = statusAnswer(
          statuses.tooLarge(`request body exceeds the gateway limit of ${this.maxBody} bytes`),
        );
      else if (e instanceof BodyTimeout)
        answer = statusAnswer(
          failureStatus(408, `request body not received within ${this.bodyTimeoutMs} ms`, 'Timeout'),
        );
      else throw e;
    }
    trace.mark('gateway_replied');
    const durations = trace.durations();
    if (res.headersSent)
      res.end(answer.statusCode === 200 ? answer.body : watchErrorEvent(answer.statusCode, answer.body));
    else
      this.send(res, answer, { [REQUEST_ID_HEADER]: requestId, [TRACE_HEADER]: JSON.stringify(durations) });
    if (trace.record.marks.tx_submitted !== undefined) {
      if (answer.txDigest) trace.record.txDigest = answer.txDigest;
      this.traces.put(trace.record);
      this.metrics.observeTrace(trace.record);
    }
    this.metrics.requests.labels(verb, String(answer.statusCode)).inc();
    this.metrics.latency.labels(verb).observe((Date.now() - started) / 1000);
    log.info(
      {
        requestId,
        method,
        url,
        verb,
        code: answer.statusCode,
        txDigest: answer.txDigest,
        ms: Date.now() - started,
        hops: durations,
      },
      'request',
    );
  }

  private get bodyTimeoutMs(): number {
    return this.opts.bodyTimeoutMs ?? 30_000;
  }

  private get maxBody(): number {
    return this.opts.maxBodyBytes ?? 1_048_576;
  }

  private async route(
    req: IncomingMessage,
    method: string,
    url: string,
    requestId: string,
    trace: Trace,
    res: ServerResponse,
  ): Promise<{ verb: string; answer: Answer }> {
    const identity = this.authenticate(req);
    if ('status' in identity) return { verb: 'unauthenticated', answer: statusAnswer(identity.status) };
    trace.record.requester = identity.identity.address;
    let parsed;
    try {
      parsed = parseRequest(method, url);
    } catch (e) {
      if (e instanceof RequestRefused)
        return { verb: 'invalid', answer: statusAnswer(failureStatus(e.httpStatus, e.message)) };
      throw e;
    }

    // kubectl --as: the contract checks the SealToken's impersonate rules and records the user;
    // discovery is the same for everyone and is served as the holder.
    const asked = impersonationOf(req.headers, req.headersDistinct);
    if (asked.refused && parsed.kind === 'resource')
      return { verb: 'impersonate', answer: statusAnswer(statuses.forbidden(asked.refused)) };
    const impersonate = parsed.kind === 'resource' ? asked.impersonate : undefined;

    let fields: K8sRequestFields;
    let cacheKey: string | undefined;
    if (parsed.kind === 'nonResource') {
      const f = parsed.verb === 'get' ? discoveryFields(parsed.path, parsed.query) : undefined;
      if (!f)
        return {
          verb: parsed.verb,
          answer: statusAnswer(
            statuses.notFound(
              `${method} ${parsed.path} is not served by the K3s-DaaS gateway (only Kubernetes resources and discovery documents)`,
            ),
          ),
        };
      fields = f;
      cacheKey = `${identity.identity.address} ${url} ${req.headers.accept ?? ''}`;
      const hit = this.discoveryCache.get(cacheKey);
      if (hit) {
        this.metrics.discoveryCacheHits.inc();
        return { verb: 'discovery', answer: hit };
      }
    } else {
      const { kind: _kind, ...resourceFields } = parsed;
      fields = resourceFields;
      if (parsed.verb === 'proxy' || STREAMING_SUBRESOURCES.has(parsed.subresource)) {
        return {
          verb: parsed.verb,
          answer: statusAnswer(
            statuses.methodNotAllowed(
              `${parsed.subresource || parsed.verb} needs a streaming connection, which the K3s-DaaS contract does not carry`,
            ),
          ),
        };
      }
      // A followed log never ends, and a request gets one stored answer: say so at once instead
      // of holding kubectl until the response timeout.
      if (parsed.subresource === 'log' && /(^|&)follow=(true|1)(&|$)/i.test(parsed.query)) {
        return {
          verb: parsed.verb,
          answer: statusAnswer(
            statuses.badRequest(
              'kubectl logs -f needs a live stream, which the K3s-DaaS contract does not carry (one stored answer per request); run kubectl logs without -f, e.g. with --since=1m to see what is new',
            ),
          ),
        };
      }
    }

    const body = await readBody(req, this.maxBody, this.bodyTimeoutMs);
    if (
      fields.verb === 'create' &&
      fields.apiGroup === ACCESS_REVIEW_GROUP &&
      fields.resource === ACCESS_REVIEW_RESOURCE &&
      this.opts.chain.authorize
    )
      return {
        verb: 'can-i',
        answer: await this.accessReview(identity.identity, body, req.headers['content-type']),
      };
    if (
      fields.verb === 'create' &&
      fields.apiGroup === ACCESS_REVIEW_GROUP &&
      fields.resource === RULES_REVIEW_RESOURCE &&
      this.opts.chain.tokenRules
    ) {
      const namespace = rulesReviewNamespace(body, req.headers['content-type']);
      const rules = await this.opts.chain.tokenRules(identity.identity);
      return { verb: 'can-i', answer: jsonAnswer(201, rulesReviewAnswer(namespace, rules)) };
    }
    if (
      fields.verb === 'create' &&
      fields.apiGroup === SELF_REVIEW_GROUP &&
      fields.resource === SELF_REVIEW_RESOURCE
    )
      return {
        verb: 'whoami',
        answer: jsonAnswer(201, selfSubjectReview(fields.version, identity.identity)),
      };
    const media = mediaFields(body.length > 0, req.headers['content-type'], req.headers.accept);
    const key = `${identity.identity.address} ${requestId}`;
    const existing = this.byRequestId.get(key);
    if (existing) return { verb: fields.verb, answer: await existing };

    const request = {
      identity: identity.identity,
      requestId,
      fields,
      media,
      body,
      trace,
      ...(impersonate ? { impersonate } : {}),
    };
    const generation = this.discoveryGeneration;
    const run =
      fields.verb === 'watch'
        ? this.watch(request, res)
        : this.opts.chain
            .execute({ ...request, description: describe(fields) })
            .then((o) => this.explained(o, identity.identity, parsed.kind === 'nonResource'));
    this.remember(key, run);
    const answer = await run;
    if (cacheKey && answer.statusCode === 200 && generation === this.discoveryGeneration)
      this.discoveryCache.set(cacheKey, answer);
    // A new CRD must be usable by the next command (kubectl refetches discovery when a kind is
    // unknown), not a --discovery-ttl later.
    if (answer.statusCode < 300 && parsed.kind === 'resource' && changesDiscovery(fields)) {
      this.discoveryCache.clear();
      this.discoveryGeneration++;
    }
    return { verb: parsed.kind === 'nonResource' ? 'discovery' : fields.verb, answer };
  }

  /**
   * A watch: window after window (see watch-stream.ts), each its own contract call, streamed
   * into one response until the client leaves, its timeoutSeconds (capped by watchMaxMs) is
   * over, or a window fails (sent as an ERROR event). The 200 goes out once the first window is
   * recorded on chain; a refusal before that (403, 401, …) is answered as usual.
   */
  private async watch(first: Omit<ChainRequest, 'description'>, res: ServerResponse): Promise<Answer> {
    // 200 as soon as the first window is recorded, as kube-apiserver opens a watch at once:
    // clients need the headers before they can stop a watch (kubectl rollout status, wait) and
    // would otherwise hang until the window closes.
    const open = (txDigest: string) => {
      if (res.headersSent) return;
      res.writeHead(200, {
        'Content-Type': watchContentType(first.media.accept),
        [REQUEST_ID_HEADER]: first.requestId,
        [TX_DIGEST_HEADER]: txDigest,
      });
      res.flushHeaders();
    };
    let gone = false;
    res.once('close', () => (gone = true));
    const deadline = watchDeadline(first.fields.query, this.opts.watchMaxMs ?? 30 * 60_000);
    let fields = first.fields;
    for (let window = 0; ; window++) {
      // Window ids carry a random part: labels are not unique on chain, but nobody should be
      // able to predict (and pre-record requests under) the ids of another user's watch.
      const requestId =
        window === 0
          ? first.requestId
          : `${first.requestId.slice(0, 100)}.w${window}-${randomBytes(6).toString('hex')}`;
      const outcome = await this.opts.chain.execute({
        ...first,
        requestId,
        fields,
        trace: window === 0 ? first.trace : new Trace(requestId),
        description: describe(fields),
        onRecorded: open,
      });
      const answer = await this.explained(outcome, first.identity, false);
      if (!res.headersSent || answer.statusCode !== 200 || gone || Date.now() >= deadline) return answer;
      res.write(answer.body);
      // Resume from the last event; a window without events resumes from where it started.
      const rv = lastResourceVersion(answer.body);
      if (rv) fields = { ...fields, query: nextWindowQuery(fields.query, rv) };
    }
  }

  /**
   * `/livez`, `/readyz`, `/healthz` as kube-apiserver answers them (scripts wait on
   * `kubectl get --raw /readyz`), unauthenticated: live = this process serves; ready = the
   * chain checks of ChainPort.readiness pass. `?verbose` lists each check.
   */
  private async health(endpoint: HealthEndpoint, query: string): Promise<Answer> {
    const checks: ReadinessCheck[] = [{ name: 'ping', ok: true }];
    if (endpoint !== 'livez' && this.opts.chain.readiness) {
      try {
        checks.push(...(await this.opts.chain.readiness()));
      } catch (e) {
        checks.push({ name: 'chain', ok: false, reason: (e as Error).message });
      }
      if (this.opts.gas) checks.push(await this.opts.gas.readiness(this.opts.identities.identities));
    }
    const ok = checks.every((c) => c.ok);
    const verbose = new URLSearchParams(query).has('verbose');
    const text =
      ok && !verbose
        ? 'ok'
        : [
            ...checks.map((c) =>
              c.ok ? `[+]${c.name} ok` : `[-]${c.name} failed: ${c.reason ?? 'unknown'}`,
            ),
            `${endpoint} check ${ok ? 'passed' : 'failed'}`,
          ].join('\n') + '\n';
    return { statusCode: ok ? 200 : 500, contentType: 'text/plain; charset=utf-8', body: Buffer.from(text) };
  }

  /** `/k3s-daas/metrics` for any identity; `/k3s-daas/traces/<id>` only for the identity that sent the request. */
  private async opsAnswer(url: string, identity: Identity): Promise<Answer> {
    if (url === '/k3s-daas/metrics')
      return {
        statusCode: 200,
        contentType: this.metrics.registry.contentType,
        body: Buffer.from(await this.metrics.registry.metrics()),
      };
    const id = /^\/k3s-daas\/traces\/([A-Za-z0-9._:@-]{1,128})$/.exec(url)?.[1];
    const t = id ? this.traces.get(id) : undefined;
    if (!t || t.requester !== identity.address)
      return statusAnswer(statuses.notFound(`no trace of a request of yours with id ${id ?? '(malformed)'}`));
    return jsonAnswer(200, { ...t, durations: hopDurations(t.marks) });
  }

  /** kubectl auth can-i: the contract's verdict on the reviewed request (see access-review.ts). */
  private async accessReview(identity: Identity, body: Buffer, contentType?: string): Promise<Answer> {
    const review = reviewedRequest(body, contentType);
    if (review.invalid) return statusAnswer(statuses.badRequest(review.invalid));
    let verdict = { allowed: false, reason: review.denied ?? '' };
    if (review.fields)
      verdict = isWildcardReview(review.fields)
        ? wildcardVerdict(review.fields, await this.opts.chain.tokenRules!(identity))
        : await this.opts.chain.authorize!({ identity, fields: review.fields });
    return jsonAnswer(201, reviewAnswer(review.spec, verdict.allowed, verdict.reason));
  }

  /** The chain's outcome as an answer; a signer out of gas gets a Status that says so and how to fix it. */
  private async explained(o: ChainOutcome, identity: Identity, discovery: boolean): Promise<Answer> {
    if (o.kind === 'status' && this.opts.gas) {
      const gas = await this.opts.gas.explain(identity, o.status);
      if (gas) return discovery ? textAnswer(gas) : statusAnswer(gas, o.txDigest);
    }
    // Key servers down or refusing: kubectl's discovery shows the message only from text.
    if (o.kind === 'status' && discovery && isSealStatus(o.status)) return textAnswer(o.status);
    return this.toAnswer(o);
  }

  private toAnswer(o: ChainOutcome): Answer {
    if (o.kind === 'status') return statusAnswer(o.status, o.txDigest);
    return { statusCode: o.statusCode, contentType: o.contentType, body: o.body, txDigest: o.txDigest };
  }

  private remember(key: string, p: Promise<Answer>): void {
    this.byRequestId.set(key, p);
    this.completedOrder.push(key);
    while (this.completedOrder.length > 10_000) this.byRequestId.delete(this.completedOrder.shift()!);
  }

  private authenticate(req: IncomingMessage): { identity: Identity } | { status: K8sStatus } {
    const header = req.headers.authorization;
    if (!header)
      return {
        status: statuses.unauthorized(
          'no bearer token: configure the kubeconfig user with a K3s-DaaS token (k3s-daas kubeconfig)',
        ),
      };
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!m) return { status: statuses.unauthorized('the Authorization header must be "Bearer <token>"') };
    const identity = this.opts.identities.lookup(m[1]!);
    if (!identity)
      return {
        status: statuses.unauthorized(
          'unknown bearer token: it is not registered with this gateway (k3s-daas token issue)',
        ),
      };
    return { identity };
  }
}
