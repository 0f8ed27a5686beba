/**
 * Watches through the gateway with a scripted ChainPort: the 200 goes out once the first window
 * is recorded, windows are streamed back to back (each one contract call resuming from the last
 * resourceVersion), a failing window ends the stream with an ERROR event, a refusal before the
 * first window is an ordinary error answer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'node:https';
import type { GatewayServer } from './server.ts';
import type { ChainOutcome, ChainPort, ChainRequest } from './chain-port.ts';
import { failureStatus, statuses } from '../k8s/status.ts';
import type { TlsMaterial } from '../shared/tls.ts';
import { startTestGateway } from './testing/test-gateway.ts';
import { lastResourceVersion, nextWindowQuery, watchDeadline } from './watch-stream.ts';

const event = (type: string, name: string, rv: string) =>
  JSON.stringify({
    type,
    object: { kind: 'ConfigMap', apiVersion: 'v1', metadata: { name, resourceVersion: rv } },
  }) + '\n';

/** Answers window n with script[n] (after calling onRecorded, as the real port does once recorded). */
class ScriptedPort implements ChainPort {
  calls: ChainRequest[] = [];
  script: Array<{ recorded: boolean; outcome: ChainOutcome }> = [];
  async execute(req: ChainRequest): Promise<ChainOutcome> {
    const step = this.script[this.calls.length] ?? this.script.at(-1)!;
    this.calls.push(req);
    if (step.recorded) req.onRecorded?.(`D${this.calls.length}`);
    await new Promise((r) => setTimeout(r, 20));
    return step.outcome;
  }
}
const window = (body: string, statusCode = 200): { recorded: boolean; outcome: ChainOutcome } => ({
  recorded: true,
  outcome: {
    kind: 'response',
    txDigest: 'D',
    requestObjectId: '0x1',
    statusCode,
    contentType: 'application/json',
    body: Buffer.from(body),
  },
});

let tls: TlsMaterial;
let gw: GatewayServer;
let port: ScriptedPort;
let base: { host: string; port: number };
let token: string;

beforeAll(async () => {
  port = new ScriptedPort();
  ({ gw, tls, token, base } = await startTestGateway(port));
});
afterAll(async () => gw.close());

function get(path: string, accept = 'application/json') {
  return new Promise<{
    code: number;
    contentType: string;
    body: string;
    firstByteMs: number;
    totalMs: number;
  }>((resolve, reject) => {
    const t0 = Date.now();
    const req = request(
      {
        host: base.host,
        port: base.port,
        path,
        ca: tls.caCert,
        headers: { authorization: `Bearer ${token}`, accept },
      },
      (res) => {
        const firstByteMs = Date.now() - t0;
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () =>
          resolve({
            code: res.statusCode ?? 0,
            contentType: String(res.headers['content-type']),
            body,
            firstByteMs,
            totalMs: Date.now() - t0,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('watch through the gateway', () => {
  it('streams windows back to back, each resuming from the last resourceVersion, until a window fails', async () => {
    port.calls = [];
    port.script = [
      window(event('ADDED', 'a', '5') + event('MODIFIED', 'a', '7')),
      window(''), // a quiet window: the next one starts where it started
      window(event('DELETED', 'a', '9')),
      window(JSON.stringify(failureStatus(410, 'too old resource version: 9 (12)')), 410),
    ];
    const r = await get(
      '/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=3',
      'application/json;as=Table;v=v1;g=meta.k8s.io,application/json',
    );
    expect(r.code).toBe(200);
    // The headers left when the first window was recorded, not when the stream ended.
    expect(r.firstByteMs).toBeLessThan(r.totalMs - 40);
    expect(r.contentType).toBe('application/json;as=Table;v=v1;g=meta.k8s.io');
    const lines = r.body
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; object: { code?: number } });
    expect(lines.map((l) => l.type)).toEqual(['ADDED', 'MODIFIED', 'DELETED', 'ERROR']);
    expect(lines[3]!.object.code).toBe(410);
    expect(port.calls.map((c) => new URLSearchParams(c.fields.query).get('resourceVersion'))).toEqual([
      '3',
      '7',
      '7',
      '9',
    ]);
    expect(port.calls.every((c) => c.fields.verb === 'watch')).toBe(true);
    const ids = port.calls.map((c) => c.requestId);
    ids.slice(1).forEach((id, i) => expect(id).toMatch(new RegExp(`^${ids[0]}\\.w${i + 1}-[0-9a-f]{12}$`)));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('answers a refusal before the first window as an ordinary error', async () => {
    port.calls = [];
    port.script = [
      { recorded: false, outcome: { kind: 'status', status: statuses.forbidden('no watch for you') } },
    ];
    const r = await get('/api/v1/namespaces/default/configmaps?watch=true');
    expect(r.code).toBe(403);
    expect(JSON.parse(r.body)).toMatchObject({ kind: 'Status', code: 403, message: 'no watch for you' });
    expect(port.calls).toHaveLength(1);
  });

  it("stops at the client's timeoutSeconds", async () => {
    port.calls = [];
    port.script = [window(event('ADDED', 'b', '11'))];
    const r = await get('/api/v1/namespaces/default/configmaps?timeoutSeconds=1&watch=true');
    expect(r.code).toBe(200);
    expect(r.body.length).toBeGreaterThan(0);
    // ~20 ms per window: one second holds several windows, and then the watch ends.
    expect(port.calls.length).toBeGreaterThan(2);
    expect(port.calls.length).toBeLessThan(200);
  });
});

describe('watch window helpers', () => {
  it('finds the last resourceVersion, skipping lines without one', () => {
    expect(
      lastResourceVersion(Buffer.from(event('ADDED', 'a', '5') + event('MODIFIED', 'a', '8') + '\n')),
    ).toBe('8');
    expect(lastResourceVersion(Buffer.from('not json\n'))).toBeUndefined();
    expect(lastResourceVersion(Buffer.alloc(0))).toBeUndefined();
  });
  it('resumes from a resourceVersion and drops replay parameters', () => {
    expect(
      nextWindowQuery(
        'resourceVersion=0&resourceVersionMatch=NotOlderThan&sendInitialEvents=true&watch=true',
        '42',
      ),
    ).toBe('resourceVersion=42&watch=true');
  });
  it('caps the client timeout with the gateway maximum', () => {
    expect(watchDeadline('timeoutSeconds=5&watch=true', 60_000, 0)).toBe(5_000);
    expect(watchDeadline('timeoutSeconds=600&watch=true', 60_000, 0)).toBe(60_000);
    expect(watchDeadline('watch=true', 60_000, 0)).toBe(60_000);
  });
});
