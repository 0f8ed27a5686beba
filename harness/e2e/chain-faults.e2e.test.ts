/**
 * Chain faults injected at the HTTP boundary with msw (the gRPC-web calls
 * of SuiGrpcClient go through fetch): dropped and stalled event streams,
 * failing transaction submission. Everything else passes through to the
 * real embedded Sui node; the cluster and kubectl are real.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setupServer } from 'msw/node';
import { http, HttpResponse, passthrough } from 'msw';
import { startE2EStack, type E2EStack } from './e2e-stack.ts';

let s: E2EStack;
const msw = setupServer();

beforeAll(async () => {
  s = await startE2EStack([]);
  msw.listen({ onUnhandledRequest: 'bypass' });
}, 300_000);
afterEach(() => msw.resetHandlers());
afterAll(async () => {
  msw.close();
  await s?.stop();
}, 60_000);

const rpc = (service: string, method: string) => `${s.g.chain.url}/sui.rpc.v2.${service}/${method}`;

async function metric(
  n: Awaited<ReturnType<E2EStack['startListener']>>,
  name: string,
  labels: Record<string, string> = {},
): Promise<number> {
  const m = await n.listener.metrics.registry.getSingleMetric(name)!.get();
  return m.values
    .filter((v) => Object.entries(labels).every(([k, val]) => v.labels[k] === val))
    .reduce((a, v) => a + v.value, 0);
}

describe('event stream faults', () => {
  it('dropped event streams: requests still complete (listener backfills, gateway polls objects)', async () => {
    let refused = 0;
    msw.use(
      http.post(rpc('SubscriptionService', 'SubscribeEvents'), () => {
        refused++;
        return HttpResponse.error();
      }),
    );
    await s.restartGateway();
    const n = await s.startListener(0);
    const r = await s.kubectl('admin-user', ['create', 'configmap', 'no-stream', '--from-literal=a=b']);
    expect(r.stdout.trim()).toBe('configmap/no-stream created');
    expect(refused).toBeGreaterThan(1);
    expect(await metric(n, 'k3s_daas_listener_stream_reconnects_total', { cause: 'error' })).toBeGreaterThan(
      0,
    );
    await s.stopListeners();
  }, 180_000);

  it('a stalled stream (open, silent) is detected and re-opened; backfill catches up', async () => {
    msw.use(
      http.post(
        rpc('SubscriptionService', 'SubscribeEvents'),
        () =>
          new HttpResponse(new ReadableStream({ start() {} }), {
            headers: { 'content-type': 'application/grpc-web+proto' },
          }),
      ),
    );
    const n = await s.startListener(0, { stallMs: 800 });
    const r = await s.kubectl('admin-user', ['create', 'configmap', 'stalled', '--from-literal=a=b']);
    expect(r.stdout.trim()).toBe('configmap/stalled created');
    expect(await metric(n, 'k3s_daas_listener_stream_reconnects_total', { cause: 'stall' })).toBeGreaterThan(
      0,
    );
    await s.stopListeners();
  }, 180_000);
});

describe('transaction submission faults', () => {
  it('transient ExecuteTransaction failures are retried and the request executes once', async () => {
    await s.startListener(0);
    let failures = 0;
    msw.use(
      http.post(rpc('TransactionExecutionService', 'ExecuteTransaction'), () => {
        if (failures < 2) {
          failures++;
          return HttpResponse.error();
        }
        return passthrough();
      }),
    );
    // Let anything left over by earlier tests finish first, so the audit slice is ours alone.
    for (let last = -1; last !== s.kube.audit().length;) {
      last = s.kube.audit().length;
      await new Promise((r) => setTimeout(r, 2_000));
    }
    const before = s.kube.audit().length;
    const r = await s.kubectl('admin-user', ['create', 'configmap', 'flaky-chain', '--from-literal=a=b']);
    expect(r.stdout.trim()).toBe('configmap/flaky-chain created');
    expect(failures).toBe(2);
    const posts = s.kube
      .audit()
      .slice(before)
      .filter((a) => a.method === 'POST' && a.path.split('?')[0] === '/api/v1/namespaces/default/configmaps');
    expect(posts.map((p) => p.code)).toEqual([201]);
    await s.stopListeners();
  }, 180_000);

  it('a chain that stays unreachable gives kubectl a 503 Status, not a hang or a crash', async () => {
    msw.use(http.post(rpc('TransactionExecutionService', 'ExecuteTransaction'), () => HttpResponse.error()));
    const r = await s.kubectl('admin-user', ['create', 'configmap', 'down-chain', '--from-literal=a=b']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/could not submit the transaction to Sui/);
  }, 180_000);
});
