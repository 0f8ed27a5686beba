/**
 * Executes a rebuilt request against the Kubernetes API with
 * @kubernetes/client-node's kubeconfig auth (client certs, bearer tokens, CA,
 * exec plugins — whatever the kubeconfig says). Every request of a requester is sent with
 * Impersonate-User/-Group (kube-identity.ts), so Kubernetes RBAC and admission re-check it as
 * that requester; only the listener's own calls (its credential check, the RBAC mirror) say `as:
 * 'self'`.
 */
// Default imports (the CJS module objects), looked up per call, so HTTP-level
// fault injection (msw in tests) sees the requests.
import { createHash } from 'node:crypto';
import https, { type Agent as HttpsAgent, type RequestOptions } from 'node:https';
import http from 'node:http';
import { KubeConfig } from '@kubernetes/client-node';
import { withRetry, isTransientNetworkError } from '../shared/retry.ts';
import type { KubeIdentity } from './kube-identity.ts';

export interface K8sCall {
  method: string;
  /** path + query relative to the server URL */
  path: string;
  contentType?: string;
  accept: string;
  body?: Uint8Array;
  /**
   * Whom Kubernetes authorizes the call as: an identity is sent as Impersonate-User /
   * Impersonate-Group (the requester, or the `kubectl --as` the contract allowed); `self` is the
   * kubeconfig's own credential, for the listener's own calls only.
   */
  as: KubeIdentity | 'self';
  /** Whether retrying after a network failure is safe (reads) */
  idempotent: boolean;
}

export interface K8sAnswer {
  statusCode: number;
  contentType: string;
  body: Buffer;
}

export interface K8sExecutorOptions {
  kubeconfigPath?: string;
  kubeconfigYaml?: string;
  context?: string;
  timeoutMs?: number;
  retries?: number;
}

export class K8sExecutor {
  private readonly kc = new KubeConfig();
  private readonly server: URL;
  /**
   * client-node builds a fresh https.Agent on every applyToHTTPSOptions call, i.e. a TLS
   * handshake per request. One keep-alive agent per distinct TLS material (CA, client cert
   * and key can change when an exec plugin rotates them) keeps connections open instead.
   */
  private readonly agents = new Map<string, HttpsAgent>();

  constructor(private readonly opts: K8sExecutorOptions) {
    if (opts.kubeconfigYaml) this.kc.loadFromString(opts.kubeconfigYaml);
    else if (opts.kubeconfigPath) this.kc.loadFromFile(opts.kubeconfigPath);
    else this.kc.loadFromDefault();
    if (opts.context) this.kc.setCurrentContext(opts.context);
    const cluster = this.kc.getCurrentCluster();
    if (!cluster) throw new Error('the kubeconfig has no current cluster; pass --kubeconfig and --context');
    this.server = new URL(cluster.server);
  }

  get serverUrl(): string {
    return this.server.toString();
  }

  async execute(call: K8sCall): Promise<K8sAnswer> {
    const once = () => this.send(call);
    return withRetry(once, {
      retries: this.opts.retries ?? 3,
      baseMs: 100,
      maxMs: 2_000,
      // Writes are retried only when the connection was never established (nothing can have executed).
      isRetryable: (e) =>
        call.idempotent
          ? isTransientNetworkError(e)
          : /ECONNREFUSED|EAI_AGAIN|ENOTFOUND/.test(
              String((e as NodeJS.ErrnoException).code ?? (e as Error).message),
            ),
    });
  }

  private agentFor(options: RequestOptions): HttpsAgent {
    const key = createHash('sha256')
      .update(
        JSON.stringify([
          options.ca,
          options.cert,
          options.key,
          options.rejectUnauthorized,
          options.servername,
        ]),
      )
      .digest('hex');
    let agent = this.agents.get(key);
    if (!agent) {
      if (this.agents.size >= 8) {
        for (const old of this.agents.values()) old.destroy();
        this.agents.clear();
      }
      const tls = {
        ca: options.ca,
        cert: options.cert,
        key: options.key,
        servername: options.servername,
        ...(options.rejectUnauthorized !== undefined
          ? { rejectUnauthorized: options.rejectUnauthorized }
          : {}),
      };
      agent = new https.Agent({ ...tls, keepAlive: true, maxSockets: 32 });
      this.agents.set(key, agent);
    }
    return agent;
  }

  /** Closes kept-alive connections (shutdown). */
  close(): void {
    for (const agent of this.agents.values()) agent.destroy();
    this.agents.clear();
  }

  /** Request options for a call: server, path, kubeconfig auth, kept-alive agent, headers. */
  private async requestOptions(call: K8sCall): Promise<RequestOptions> {
    const basePath = this.server.pathname.replace(/\/$/, '');
    const options: RequestOptions = {
      protocol: this.server.protocol,
      hostname: this.server.hostname.replace(/^\[|\]$/g, ''),
      port: this.server.port || (this.server.protocol === 'https:' ? 443 : 80),
      method: call.method,
      path: basePath + call.path,
      headers: { Accept: call.accept, 'User-Agent': 'k3s-daas-nautilus' },
    };
    await this.kc.applyToHTTPSOptions(options);
    if (this.server.protocol === 'https:') options.agent = this.agentFor(options);
    const headers = options.headers as Record<string, string | string[]>;
    if (call.body && call.body.length > 0) {
      headers['Content-Type'] = call.contentType ?? 'application/json';
      headers['Content-Length'] = String(call.body.length);
    }
    if (call.as !== 'self') {
      headers['Impersonate-User'] = call.as.user;
      if (call.as.groups.length > 0) headers['Impersonate-Group'] = [...call.as.groups];
    }
    return options;
  }

  private request(options: RequestOptions) {
    return (this.server.protocol === 'https:' ? https.request : http.request)(options);
  }

  private async send(call: K8sCall): Promise<K8sAnswer> {
    const options = await this.requestOptions(call);
    return new Promise<K8sAnswer>((resolve, reject) => {
      const req = this.request(options);
      req.once('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            statusCode: res.statusCode ?? 500,
            contentType: String(res.headers['content-type'] ?? 'application/json'),
            body: Buffer.concat(chunks),
          }),
        );
        res.on('error', reject);
        res.on('aborted', () =>
          reject(Object.assign(new Error('Kubernetes API response aborted'), { code: 'ECONNRESET' })),
        );
      });
      // Wall-clock deadline for the whole exchange (socket idle timeouts miss slow trickles).
      const timer = setTimeout(
        () =>
          req.destroy(Object.assign(new Error('Kubernetes API request timed out'), { code: 'ETIMEDOUT' })),
        this.opts.timeoutMs ?? 30_000,
      );
      req.on('close', () => clearTimeout(timer));
      req.on('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
      req.end(call.body && call.body.length > 0 ? Buffer.from(call.body) : undefined);
    });
  }

  /**
   * A watch, cut to one window: the contract stores one response per request, so the events
   * that arrive within the window become that response (newline-delimited watch events, as
   * kube-apiserver streams them); the gateway then asks for the next window from the last
   * resourceVersion (src/gateway/watch-stream.ts). The window closes `settleMs` after the
   * first event (a burst travels together, the client sees it soon), after `maxMs` without
   * events, when the server ends the watch (its own timeoutSeconds), or before `maxBytes`.
   * Only whole events are kept. A non-200 answer (410 Gone, 403, …) is returned as is.
   */
  async watch(call: K8sCall, window: WatchWindow): Promise<K8sAnswer> {
    const options = await this.requestOptions(call);
    return new Promise<K8sAnswer>((resolve, reject) => {
      const req = this.request(options);
      let settled = false;
      const finish = (answer: K8sAnswer) => {
        if (settled) return;
        settled = true;
        clearTimeout(maxTimer);
        clearTimeout(settleTimer);
        req.destroy(); // ends the server-side watch; the socket is not reused
        resolve(answer);
      };
      const fail = (e: Error) => {
        if (settled) return;
        settled = true;
        clearTimeout(headersTimer);
        clearTimeout(maxTimer);
        clearTimeout(settleTimer);
        req.destroy();
        reject(e);
      };
      let settleTimer: NodeJS.Timeout | undefined;
      let maxTimer: NodeJS.Timeout | undefined;
      // A server that accepts the connection but never answers must not hold the window forever.
      const headersTimer = setTimeout(
        () => fail(Object.assign(new Error('Kubernetes API did not open the watch'), { code: 'ETIMEDOUT' })),
        this.opts.timeoutMs ?? 30_000,
      );
      req.once('response', (res) => {
        clearTimeout(headersTimer);
        const contentType = String(res.headers['content-type'] ?? 'application/json');
        const chunks: Buffer[] = [];
        let size = 0;
        const answer = (): K8sAnswer => {
          const body = Buffer.concat(chunks);
          if (res.statusCode !== 200) return { statusCode: res.statusCode ?? 500, contentType, body };
          // Whole events only: everything up to the last newline.
          const events = body.subarray(0, body.lastIndexOf(0x0a) + 1);
          const bookmark = window.closingBookmark ? closingBookmark(events) : undefined;
          return {
            statusCode: 200,
            contentType,
            body: bookmark ? Buffer.concat([events, bookmark]) : events,
          };
        };
        maxTimer = setTimeout(() => finish(answer()), window.maxMs);
        // Shutting down: answer with what the window holds instead of keeping the process up.
        if (window.signal?.aborted) return finish(answer());
        window.signal?.addEventListener('abort', () => finish(answer()), { once: true });
        res.on('data', (c: Buffer) => {
          if (res.statusCode === 200 && size + c.length > window.maxBytes) return finish(answer());
          chunks.push(c);
          size += c.length;
          if (res.statusCode === 200 && !settleTimer && c.includes(0x0a))
            settleTimer = setTimeout(() => finish(answer()), window.settleMs);
        });
        res.on('end', () => finish(answer()));
        res.on('error', (e) => (size > 0 ? finish(answer()) : fail(e)));
      });
      req.on('error', fail);
      req.end();
    });
  }
}

/**
 * client-go's reflector (kubectl wait, rollout status) acts on the last event of a watch only
 * once it reads what follows it — with a stream that ends right after, that is the next
 * window's first event, seconds later (measured: 5 s, the next bookmark). Ending the window
 * with a BOOKMARK at the last event's resourceVersion (what kube-apiserver sends to clients
 * that allow bookmarks, as this one did) lets it act at once.
 */
function closingBookmark(events: Buffer): Buffer | undefined {
  const end = events.length - 1;
  if (end < 0) return undefined;
  const last = events.subarray(events.lastIndexOf(0x0a, end - 1) + 1, end).toString('utf8');
  let event: {
    type?: unknown;
    object?: { kind?: unknown; apiVersion?: unknown; metadata?: { resourceVersion?: unknown } };
  };
  try {
    event = JSON.parse(last) as typeof event;
  } catch {
    return undefined;
  }
  const { kind, apiVersion } = event.object ?? {};
  const resourceVersion = event.object?.metadata?.resourceVersion;
  if (event.type === 'BOOKMARK' || event.type === 'ERROR') return undefined;
  if (typeof kind !== 'string' || typeof apiVersion !== 'string' || typeof resourceVersion !== 'string')
    return undefined;
  const bookmark = { type: 'BOOKMARK', object: { kind, apiVersion, metadata: { resourceVersion } } };
  return Buffer.from(JSON.stringify(bookmark) + '\n');
}

export interface WatchWindow {
  /** Longest time a watch request stays open when nothing happens. */
  maxMs: number;
  /** After the first event, how long to wait for more before answering. */
  settleMs: number;
  /** Answer before the body would exceed this (the contract's response limit). */
  maxBytes: number;
  /** The client allows bookmarks: close the window with one (see closingBookmark). */
  closingBookmark?: boolean;
  /** Closes the window early (the listener is stopping). */
  signal?: AbortSignal;
}
