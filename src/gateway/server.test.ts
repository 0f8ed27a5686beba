/**
 * Unit tests of the HTTP front of the gateway with an in-memory ChainPort
 * (the end-to-end tests in harness/e2e drive the real chain + cluster).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'node:https';
import { REQUEST_ID_HEADER, TRACE_HEADER, type GatewayServer } from './server.ts';
import type { ChainOutcome, ChainPort, ChainRequest, ReadinessCheck } from './chain-port.ts';
import type { TlsMaterial } from '../shared/tls.ts';
import { fuzzCases, sendRaw } from './testing/fuzz-requests.ts';
import { startTestGateway } from './testing/test-gateway.ts';
import { IdentityStore, newBearerToken } from '../shared/identities.ts';

class RecordingPort implements ChainPort {
  calls: ChainRequest[] = [];
  delayMs = 0;
  statusCode = 200;
  ready: ReadinessCheck[] | Error = [{ name: 'chain', ok: true }];
  async readiness(): Promise<ReadinessCheck[]> {
    if (this.ready instanceof Error) throw this.ready;
    return this.ready;
  }
  async execute(req: ChainRequest): Promise<ChainOutcome> {
    this.calls.push(req);
    req.trace.mark('tx_submitted');
    if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs));
    return {
      kind: 'response',
      txDigest: `D${this.calls.length}`,
      requestObjectId: '0x1',
      statusCode: this.statusCode,
      contentType: 'application/json',
      body: Buffer.from(JSON.stringify({ echo: req.fields })),
    };
  }
}

let tls: TlsMaterial;
let gw: GatewayServer;
let port: RecordingPort;
let base: { host: string; port: number };
let token: string;

beforeAll(async () => {
  port = new RecordingPort();
  ({ gw, tls, token, base } = await startTestGateway(port, { bodyTimeoutMs: 500 }));
});
afterAll(async () => gw.close());

function call(
  method: string,
  path: string,
  opts: { token?: string | null; body?: string; headers?: Record<string, string> } = {},
) {
  return new Promise<{ code: number; json: Record<string, unknown>; headers: Record<string, unknown> }>(
    (resolve, reject) => {
      const headers: Record<string, string> = { ...(opts.headers ?? {}) };
      const t = opts.token === undefined ? token : opts.token;
      if (t !== null) headers.authorization = `Bearer ${t}`;
      const req = request(
        { host: base.host, port: base.port, method, path, ca: tls.caCert, headers },
        (res) => {
          let s = '';
          res.on('data', (c: Buffer) => (s += c.toString()));
          res.on('end', () =>
            resolve({
              code: res.statusCode ?? 0,
              json: s.startsWith('{') ? (JSON.parse(s) as Record<string, unknown>) : { text: s },
              headers: res.headers,
            }),
          );
        },
      );
      req.on('error', reject);
      req.end(opts.body);
    },
  );
}

describe('gateway HTTP front', () => {
  it('401 without, with malformed, and with unknown tokens — chain never called', async () => {
    const before = port.calls.length;
    for (const t of [null, 'nope']) {
      const r = await call('GET', '/api/v1/namespaces/default/pods', { token: t });
      expect(r.code).toBe(401);
      expect(r.json).toMatchObject({ kind: 'Status', reason: 'Unauthorized' });
    }
    const r = await call('GET', '/api/v1/pods', { token: null, headers: { authorization: 'Basic eDp5' } });
    expect(r.code).toBe(401);
    expect(port.calls.length).toBe(before);
  });

  it('passes the structured request and the Accept negotiation to the chain', async () => {
    const r = await call('GET', '/api/v1/namespaces/default/pods?limit=500', {
      headers: { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json' },
    });
    expect(r.code).toBe(200);
    const last = port.calls.at(-1)!;
    expect(last.fields).toEqual({
      verb: 'list',
      apiGroup: '',
      version: 'v1',
      resource: 'pods',
      subresource: '',
      namespace: 'default',
      name: '',
      query: 'limit=500',
    });
    expect(last.media).toEqual({
      contentType: '',
      accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json',
    });
    expect(last.identity.name).toBe('alice');
    expect(r.headers['x-k3s-daas-tx-digest']).toMatch(/^D/);
    expect(JSON.parse(String(r.headers[TRACE_HEADER]))).toHaveProperty('tx_submitted');
  });

  it('create carries the body and its content type', async () => {
    await call('POST', '/api/v1/namespaces/default/pods', {
      body: '{"kind":"Pod"}',
      headers: { 'content-type': 'application/json' },
    });
    const last = port.calls.at(-1)!;
    expect(last.fields.verb).toBe('create');
    expect(last.body.toString()).toBe('{"kind":"Pod"}');
    expect(last.media.contentType).toBe('application/json');
  });

  it('logs -f is refused at once with what to run instead, without touching the chain', async () => {
    const before = port.calls.length;
    const r = await call('GET', '/api/v1/namespaces/default/pods/web/log?follow=true');
    expect(r.code).toBe(400);
    expect(String(r.json.message)).toMatch(
      /kubectl logs -f needs a live stream.*run kubectl logs without -f/,
    );
    expect(port.calls.length).toBe(before);
    expect((await call('GET', '/api/v1/namespaces/default/pods/web/log?tailLines=5')).code).toBe(200);
  });

  it('exec → 405, unknown non-resource → 404, bad path → 400', async () => {
    expect((await call('POST', '/api/v1/namespaces/default/pods/x/exec')).json).toMatchObject({
      code: 405,
      reason: 'MethodNotAllowed',
    });
    // As kubectl exec sends it: the refusal names the reason, not exec's query parameters.
    const exec = await call(
      'POST',
      '/api/v1/namespaces/default/pods/x/exec?command=ls&container=c&stdin=true&stdout=true&tty=true',
    );
    expect(exec.code).toBe(405);
    expect(String(exec.json.message)).toMatch(/exec needs a streaming connection/);
    expect((await call('GET', '/metrics')).code).toBe(404);
    expect((await call('GET', '/api/v1/namespaces/default/pods/%2e%2e/x')).code).toBe(400);
    expect((await call('GET', '/api/v1/pods?evil=1')).json.message).toMatch(/evil/);
  });

  it('metrics and traces need a registered bearer token; a trace is shown only to its requester', async () => {
    const unauthenticated = await call('GET', '/k3s-daas/metrics', { token: null });
    expect(unauthenticated.code).toBe(401);
    expect(unauthenticated.json).toMatchObject({ kind: 'Status', reason: 'Unauthorized' });
    expect((await call('GET', '/k3s-daas/metrics', { token: 'nope' })).code).toBe(401);
    const metrics = await call('GET', '/k3s-daas/metrics');
    expect(metrics.code).toBe(200);
    expect(String(metrics.json.text)).toMatch(/k3s_daas_gateway_requests_total/);

    const r = await call('GET', '/api/v1/namespaces/default/configmaps');
    const id = String(r.headers[REQUEST_ID_HEADER]);
    const path = `/k3s-daas/traces/${id}`;
    expect((await call('GET', path, { token: null })).code).toBe(401);
    const own = await call('GET', path);
    expect(own.code).toBe(200);
    expect(own.json).toMatchObject({ requestId: id });
    // Request ids are public on chain: another identity learns nothing from one.
    const bobToken = newBearerToken();
    const ids = new IdentityStore();
    ids.upsert({ name: 'alice', token, address: '0xa11ce', sealTokenId: '0x5ea1', clusterId: '0xc1' });
    ids.upsert({ name: 'bob', token: bobToken, address: '0xb0b', sealTokenId: '0x5eb0', clusterId: '0xc1' });
    gw.setIdentities(ids);
    expect((await call('GET', path, { token: bobToken })).code).toBe(404);
  });

  it('a CRD write drops the discovery cache, so the new kind is known to the next command', async () => {
    await call('GET', '/api/v1');
    const cached = port.calls.length;
    await call('GET', '/api/v1');
    expect(port.calls.length).toBe(cached);
    // A failed CRD write (here: refused by the fake chain) changes nothing.
    port.statusCode = 403;
    await call('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', { body: '{}' });
    port.statusCode = 200;
    await call('GET', '/api/v1');
    expect(port.calls.length).toBe(cached + 1);
    await call('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', { body: '{}' });
    await call('GET', '/api/v1');
    expect(port.calls.length).toBe(cached + 3);
    // Other writes leave it alone.
    await call('POST', '/api/v1/namespaces/default/configmaps', { body: '{}' });
    await call('GET', '/api/v1');
    expect(port.calls.length).toBe(cached + 4);
  });

  it('impersonation the contract cannot carry is refused (403) before the chain; --as is passed on', async () => {
    const before = port.calls.length;
    const refused: Record<string, string>[] = [
      { 'impersonate-uid': '42' },
      { 'impersonate-extra-scopes': 'x' },
      { 'impersonate-group': 'g' },
    ];
    for (const headers of refused) {
      const r = await call('GET', '/api/v1/namespaces/default/pods', { headers });
      expect(r.code).toBe(403);
      expect(String(r.json.message)).toMatch(/impersonat/);
    }
    expect(port.calls.length).toBe(before);
    await call('GET', '/api/v1/namespaces/default/pods', { headers: { 'impersonate-user': 'bob' } });
    expect(port.calls.at(-1)?.impersonate).toEqual({ user: 'bob', groups: [] });
  });

  it('/livez, /readyz, /healthz answer without a token, as kube-apiserver does', async () => {
    const text = (path: string) =>
      new Promise<{ code: number; body: string }>((resolve, reject) => {
        request({ host: base.host, port: base.port, path, ca: tls.caCert }, (res) => {
          let b = '';
          res.on('data', (c: Buffer) => (b += c.toString()));
          res.on('end', () => resolve({ code: res.statusCode ?? 0, body: b }));
        })
          .on('error', reject)
          .end();
      });
    expect(await text('/livez')).toEqual({ code: 200, body: 'ok' });
    expect(await text('/readyz')).toEqual({ code: 200, body: 'ok' });
    expect((await text('/readyz?verbose')).body).toBe('[+]ping ok\n[+]chain ok\nreadyz check passed\n');
    port.ready = [
      { name: 'chain', ok: true },
      { name: 'executors', ok: false, reason: 'no executor is registered' },
    ];
    expect(await text('/readyz')).toEqual({
      code: 500,
      body: '[+]ping ok\n[+]chain ok\n[-]executors failed: no executor is registered\nreadyz check failed\n',
    });
    expect((await text('/healthz')).code).toBe(500);
    // Liveness does not depend on the chain.
    expect(await text('/livez')).toEqual({ code: 200, body: 'ok' });
    port.ready = new Error('connect ECONNREFUSED 127.0.0.1:9000');
    expect((await text('/readyz')).body).toContain('[-]chain failed: connect ECONNREFUSED');
    port.ready = [{ name: 'chain', ok: true }];
  });

  it('discovery goes through the chain once, then is served from the TTL cache', async () => {
    const before = port.calls.length;
    const a = await call('GET', '/apis');
    const b = await call('GET', '/apis');
    expect(a.code).toBe(200);
    expect(b.json).toEqual(a.json);
    expect(port.calls.length).toBe(before + 1);
    expect(port.calls.at(-1)!.fields).toMatchObject({ apiGroup: 'discovery.k3s-daas.io', name: 'apis' });
  });

  it('the same request id is executed once, even when retried concurrently', async () => {
    port.delayMs = 50;
    const before = port.calls.length;
    const h = { [REQUEST_ID_HEADER]: 'retry-1' };
    const [a, b] = await Promise.all([
      call('DELETE', '/api/v1/namespaces/default/pods/x', { headers: h }),
      call('DELETE', '/api/v1/namespaces/default/pods/x', { headers: h }),
    ]);
    const c = await call('DELETE', '/api/v1/namespaces/default/pods/x', { headers: h });
    port.delayMs = 0;
    expect(port.calls.length).toBe(before + 1);
    expect(a.headers['x-k3s-daas-tx-digest']).toBe(b.headers['x-k3s-daas-tx-digest']);
    expect(c.headers['x-k3s-daas-tx-digest']).toBe(a.headers['x-k3s-daas-tx-digest']);
    expect((await call('GET', '/api/v1/pods', { headers: { [REQUEST_ID_HEADER]: '../x' } })).code).toBe(400);
  });

  it('oversized bodies → 413 before the chain', async () => {
    const before = port.calls.length;
    const r = await call('POST', '/api/v1/namespaces/default/configmaps', {
      body: 'x'.repeat(1_100_000),
      headers: { 'content-type': 'application/json' },
    });
    expect(r.code).toBe(413);
    expect(r.json.reason).toBe('RequestEntityTooLarge');
    expect(port.calls.length).toBe(before);
  });

  it('1,000 malformed or random requests are each answered and the server stays up', async () => {
    const cases = fuzzCases(1000, token, 99);
    const results = [];
    for (let i = 0; i < cases.length; i += 25) {
      results.push(
        ...(await Promise.all(
          cases.slice(i, i + 25).map((c) => sendRaw(base.host, base.port, tls.caCert, c.raw)),
        )),
      );
    }
    const unanswered = results.filter((r) => r.code === 0);
    expect(unanswered).toEqual([]);
    for (const r of results) {
      if (r.code >= 400 && r.body.length > 0)
        expect(JSON.parse(r.body)).toMatchObject({ kind: 'Status', code: r.code });
    }
    const health = await call('GET', '/k3s-daas/healthz');
    expect(health.code).toBe(200);
  });
});
