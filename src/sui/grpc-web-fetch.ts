/**
 * The `fetch` the SDK's grpc-web transport (`@protobuf-ts/grpcweb-transport`, option `fetch`)
 * calls, over node:http(s) with kept-alive connections.
 *
 * Why not the global fetch: undici's WHATWG fetch spends ~0.5–1 ms of CPU per call here on
 * Request/Response/web-stream objects (measured with `npm run bench:chain`), and every
 * gateway request and listener answer makes several Sui calls. The transport only needs a POST
 * with a byte body and a response whose body it can iterate; protobuf-ts reads Node streams
 * through their async iterator, so the response body is the `IncomingMessage` itself.
 *
 * Only that subset is supported: a string/URL target, method POST, a byte or string body,
 * `Headers` or a plain record, an `AbortSignal`. Anything else is refused loudly.
 */
import http from 'node:http';
import https from 'node:https';

export type GrpcWebFetch = (input: string | URL, init?: RequestInit) => Promise<Response>;

interface Agents {
  http: http.Agent;
  https: https.Agent;
}

export function createGrpcWebFetch(): GrpcWebFetch {
  // Free kept-alive sockets are unref'd by the agent, so they never hold the process open.
  const agents: Agents = {
    http: new http.Agent({ keepAlive: true }),
    https: new https.Agent({ keepAlive: true }),
  };
  return async (input, init = {}) => grpcWebFetch(agents, input, init);
}

function grpcWebFetch(agents: Agents, input: string | URL, init: RequestInit): Promise<Response> {
  const url = typeof input === 'string' ? new URL(input) : input;
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return Promise.reject(new TypeError(`grpc-web fetch needs an http(s) URL, got ${url.href}`));
  const method = init.method ?? 'GET';
  const body = requestBody(init.body);
  const headers = requestHeaders(init.headers);
  if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
  const signal = init.signal ?? undefined;
  if (signal?.aborted) return Promise.reject(abortError(signal));

  const transport = url.protocol === 'https:' ? https : http;
  return new Promise<Response>((resolve, reject) => {
    const req = transport.request(
      url,
      { method, headers, agent: url.protocol === 'https:' ? agents.https : agents.http },
      (res) => {
        signal?.removeEventListener('abort', onAbort);
        // Abort during the body: the iterator the transport reads from throws the AbortError.
        if (signal) {
          const onBodyAbort = () => res.destroy(abortError(signal));
          signal.addEventListener('abort', onBodyAbort, { once: true });
          res.once('close', () => signal.removeEventListener('abort', onBodyAbort));
        }
        resolve(toResponse(res));
      },
    );
    const onAbort = () => {
      const error = abortError(signal!);
      req.destroy(error);
      reject(error);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    req.once('error', (error: Error) => {
      signal?.removeEventListener('abort', onAbort);
      // Node's message ("connect ECONNREFUSED 127.0.0.1:9000") names the cause; say where it went.
      reject(new Error(`${method} ${url.origin}${url.pathname} failed: ${error.message}`, { cause: error }));
    });
    req.end(body);
  });
}

function requestBody(body: RequestInit['body']): Uint8Array | string | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string' || body instanceof Uint8Array) return body;
  throw new TypeError('grpc-web fetch sends only byte or string bodies');
}

function requestHeaders(init: RequestInit['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  if (!init) return out;
  if (init instanceof Headers) init.forEach((value, key) => (out[key] = value));
  else if (Array.isArray(init)) for (const [key, value] of init) out[key!.toLowerCase()] = value!;
  else for (const [key, value] of Object.entries(init)) out[key.toLowerCase()] = String(value);
  return out;
}

/** The fields `@protobuf-ts/grpcweb-transport` reads; the body stays a Node stream. */
function toResponse(res: http.IncomingMessage): Response {
  const headers = new Headers();
  for (const [key, value] of Object.entries(res.headers)) {
    if (typeof value === 'string') headers.set(key, value);
    else if (Array.isArray(value)) for (const v of value) headers.append(key, v);
  }
  const status = res.statusCode ?? 0;
  return {
    type: 'basic',
    url: '',
    ok: status >= 200 && status < 300,
    status,
    statusText: res.statusMessage ?? '',
    headers,
    body: res,
  } as unknown as Response;
}

function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  const error = new Error(reason instanceof Error ? reason.message : 'the operation was aborted', {
    cause: reason,
  });
  error.name = 'AbortError';
  return error;
}
