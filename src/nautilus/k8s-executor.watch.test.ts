/**
 * K8sExecutor.watch against a local HTTP server that streams watch events on a schedule: when a
 * window closes (settle after the first event, the maximum, the server's own end, the byte
 * limit), that only whole events are kept, and the closing bookmark.
 */
import { once } from 'node:events';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { K8sExecutor, type WatchWindow } from './k8s-executor.ts';

const event = (type: string, rv: string) =>
  JSON.stringify({
    type,
    object: { kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'c', resourceVersion: rv } },
  }) + '\n';

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r) ?? r(undefined));
});

/** Serves a watch that writes `script` entries at their times (ms after the request). */
async function watchServer(
  script: Array<[number, string]>,
  opts: { endAtMs?: number; status?: number; silent?: boolean; timeoutMs?: number } = {},
) {
  let closedByClient = false;
  server = createServer((_req, res: ServerResponse) => {
    if (opts.silent) return; // accepts, never answers
    res.writeHead(opts.status ?? 200, { 'content-type': 'application/json' });
    const timers = script.map(([at, data]) => setTimeout(() => res.write(data), at));
    if (opts.endAtMs !== undefined) timers.push(setTimeout(() => res.end(), opts.endAtMs));
    res.on('close', () => {
      if (!res.writableEnded) closedByClient = true;
      timers.forEach(clearTimeout);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const kubeconfigYaml = `apiVersion: v1
kind: Config
clusters: [{ name: c, cluster: { server: "http://127.0.0.1:${(server.address() as AddressInfo).port}", insecure-skip-tls-verify: true } }]
users: [{ name: u, user: { token: "t" } }]
contexts: [{ name: x, context: { cluster: c, user: u } }]
current-context: x
`;
  return {
    executor: new K8sExecutor({ kubeconfigYaml, ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}) }),
    closedByClient: () => closedByClient,
  };
}

const call = {
  method: 'GET',
  path: '/api/v1/configmaps?watch=true',
  accept: 'application/json',
  as: 'self' as const,
  idempotent: true,
};
const window = (w: Partial<WatchWindow> = {}): WatchWindow => ({
  maxMs: 3_000,
  settleMs: 100,
  maxBytes: 100_000,
  ...w,
});

async function timed<T>(p: Promise<T>): Promise<[T, number]> {
  const t = performance.now();
  const v = await p;
  return [v, performance.now() - t];
}

describe('K8sExecutor.watch', () => {
  it('answers settleMs after the first event, with the burst that came in between, and ends the watch', async () => {
    const s = await watchServer([
      [300, event('ADDED', '1')],
      [350, event('MODIFIED', '2')],
      [2_500, event('MODIFIED', '3')],
    ]);
    const [r, ms] = await timed(s.executor.watch(call, window()));
    expect(r.statusCode).toBe(200);
    expect(r.body.toString()).toBe(event('ADDED', '1') + event('MODIFIED', '2'));
    expect(ms).toBeGreaterThanOrEqual(390);
    expect(ms).toBeLessThan(2_400);
    await new Promise((res) => setTimeout(res, 50));
    expect(s.closedByClient()).toBe(true);
  });

  it('answers an empty body after maxMs without events, and whole events only', async () => {
    const s = await watchServer([[50, '{"type":"ADDED","obj']]);
    const [r, ms] = await timed(s.executor.watch(call, window({ maxMs: 400 })));
    expect(r.statusCode).toBe(200);
    expect(r.body.length).toBe(0);
    expect(ms).toBeGreaterThanOrEqual(390);
  });

  it('answers when the server ends the watch (its timeoutSeconds)', async () => {
    const s = await watchServer([], { endAtMs: 150 });
    const [r, ms] = await timed(s.executor.watch(call, window()));
    expect(r.body.length).toBe(0);
    expect(ms).toBeLessThan(1_500);
  });

  it('stops before the body would exceed maxBytes', async () => {
    const one = event('ADDED', '1');
    const s = await watchServer([
      [0, one],
      [10, one],
      [20, one],
    ]);
    const r = await s.executor.watch(call, window({ maxBytes: one.length * 2 + 1, settleMs: 500 }));
    expect(r.body.toString()).toBe(one + one);
  });

  it('closes with a BOOKMARK at the last resourceVersion when the client allows bookmarks', async () => {
    const s = await watchServer([[20, event('MODIFIED', '7')]]);
    const r = await s.executor.watch(call, window({ closingBookmark: true }));
    const lines = r.body
      .toString()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toEqual([
      JSON.parse(event('MODIFIED', '7')),
      {
        type: 'BOOKMARK',
        object: { kind: 'ConfigMap', apiVersion: 'v1', metadata: { resourceVersion: '7' } },
      },
    ]);
  });

  it('closes the window at once when the listener stops, with the events so far', async () => {
    const s = await watchServer([[20, event('ADDED', '3')]]);
    const stop = new AbortController();
    setTimeout(() => stop.abort(), 200);
    const [r, ms] = await timed(s.executor.watch(call, window({ settleMs: 10_000, signal: stop.signal })));
    expect(r.body.toString()).toBe(event('ADDED', '3'));
    expect(ms).toBeLessThan(2_000);
  });

  it('gives up on a server that never opens the watch', async () => {
    const s = await watchServer([], { silent: true, timeoutMs: 300 });
    await expect(s.executor.watch(call, window())).rejects.toMatchObject({ code: 'ETIMEDOUT' });
  });

  it('returns a non-200 answer (e.g. 410 Gone) as it is', async () => {
    const gone = '{"kind":"Status","code":410,"reason":"Expired"}';
    const s = await watchServer([[0, gone]], { status: 410, endAtMs: 10 });
    const r = await s.executor.watch(call, window());
    expect(r.statusCode).toBe(410);
    expect(r.body.toString()).toBe(gone);
  });
});
