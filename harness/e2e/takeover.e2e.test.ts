/**
 * A write whose executor stops answering after running it must not run again when another
 * executor takes the lapsed lease over: the second executor answers with a Status instead.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startE2EStack, type E2EStack } from './e2e-stack.ts';

const LEASE_MS = 3_000;
let s: E2EStack;

beforeAll(async () => {
  s = await startE2EStack([], { claimLeaseMs: LEASE_MS });
});
afterAll(() => s?.stop());

it('a lapsed lease on an executed write is taken over without executing the write again', async () => {
  let release!: () => void;
  const hung = new Promise<void>((r) => (release = r));
  let stalledOn: string | undefined;
  // Executor 0 claims and runs the create, then hangs before storing (as if it died).
  await s.startListener(0, {
    faultHook: async (point, id) => {
      if (point !== 'after-execute' || stalledOn) return;
      stalledOn = id;
      await hung;
    },
  });
  const successor = await s.startListener(1);
  const before = s.kube.audit().length;
  const r = await s.kubectl('admin-user', ['create', 'configmap', 'taken-over', '--from-literal=a=b'], {
    timeoutMs: 60_000,
  });
  release();
  expect(stalledOn).toBeDefined();
  expect(r.exitCode).not.toBe(0);
  expect(r.stderr).toMatch(/stopped answering before storing a result; it ran at most once/);
  const posts = s.kube
    .audit()
    .slice(before)
    .filter((a) => a.method === 'POST' && a.path.split('?')[0] === '/api/v1/namespaces/default/configmaps');
  expect(posts.map((p) => p.code)).toEqual([201]);
  // The successor re-read the request's fields from its origin transaction, not by scanning all events.
  const scans = await successor.listener.metrics.eventScans.get();
  expect(scans.values.reduce((n, v) => n + v.value, 0)).toBe(0);
  const back = await s.kubectl('admin-user', ['get', 'configmap', 'taken-over', '-o', 'json']);
  expect(JSON.parse(back.stdout)).toMatchObject({ metadata: { name: 'taken-over' } });
}, 120_000);
