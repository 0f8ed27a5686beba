/** A minimal HTTPS client for the control plane's own probes: client certificate, pinned CA. */
import { request } from 'node:https';

export interface TlsClient {
  readonly caPem: string;
  readonly certPem: string;
  readonly keyPem: string;
}

export interface ApiResponse {
  readonly status: number;
  readonly body: string;
}

export function httpsRequest(
  url: string,
  tls: TlsClient,
  opts: { method?: string; body?: unknown; timeoutMs?: number } = {},
): Promise<ApiResponse> {
  const payload = opts.body === undefined ? undefined : JSON.stringify(opts.body);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: opts.method ?? 'GET',
        ca: tls.caPem,
        cert: tls.certPem,
        key: tls.keyPem,
        headers: payload
          ? { 'content-type': 'application/json', accept: 'application/json' }
          : { accept: 'application/json' },
        timeout: opts.timeoutMs ?? 5_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () =>
      req.destroy(new Error(`no answer from ${url} within ${opts.timeoutMs ?? 5_000} ms`)),
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** Resolves when the URL answers 200, else throws with the status and body (for waitUntil). */
export async function expectOk(url: string, tls: TlsClient): Promise<string> {
  const r = await httpsRequest(url, tls);
  if (r.status !== 200) throw new Error(`${url} answered ${r.status}: ${r.body.slice(0, 300)}`);
  return r.body;
}
