/**
 * A write whose executor stops answering after running it is taken over by another executor once
 * the lease lapses. A named create carries its request id (k3s-daas.io/request), so the successor
 * re-runs it: Kubernetes refuses a second object of the name, the successor finds the object is
 * this request's own and answers 201 with it — a definite answer. A merge patch (kubectl label)
 * carries the tag too: the successor reads the object and, finding its tag, answers 200. A write
 * that cannot carry it (a JSON patch) is never run again: the successor answers 500 "ran at most once".
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startE2EStack, type E2EStack } from './e2e-stack.ts';

const LEASE_MS = 3_000;
let s: E2EStack;

beforeAll(async () => {
  s = await startE2EStack([], { claimLeaseMs: LEASE_MS });
});
afterAll(() => s?.stop());

/** Executor 0 claims and runs the next write, then hangs before storing (as if it died); executor 1 is the successor. */
async function stallingHolder(): Promise<{
  stalled: () => string | undefined;
  release: () => void;
  successor: Awaited<ReturnType<E2EStack['startListener']>>;
}> {
  await s.stopListeners();
  let release!: () => void;
  const hung = new Promise<void>((r) => (release = r));
  let stalledOn: string | undefined;
  await s.startListener(0, {
    faultHook: async (point, id) => {
      if (point !== 'after-execute' || stalledOn) return;
      stalledOn = id;
      await hung;
    },
  });
  const successor = await s.startListener(1);
  return { stalled: () => stalledOn, release, successor };
}

const writesTo = (before: number, method: string, path: string) =>
  s.kube
    .audit()
    .slice(before)
    .filter((a) => a.method === method && a.path.split('?')[0] === path);

it('a lapsed lease on an executed create: the successor re-runs it and answers 201 with the object the holder made', async () => {
  const { stalled, release, successor } = await stallingHolder();
  const before = s.kube.audit().length;
  const r = await s.kubectl('admin-user', ['create', 'configmap', 'taken-over', '--from-literal=a=b'], {
    timeoutMs: 60_000,
  });
  release();
  expect(stalled()).toBeDefined();
  expect(r.stderr).toBe('');
  expect(r.stdout.trim()).toBe('configmap/taken-over created');
  // The holder's create made the object; the successor's re-run was refused (409) and read it back.
  const posts = writesTo(before, 'POST', '/api/v1/namespaces/default/configmaps');
  expect(posts.map((p) => p.code)).toEqual([201, 409]);
  // The successor re-read the request's fields from its origin transaction, not by scanning all events.
  const scans = await successor.listener.metrics.eventScans.get();
  expect(scans.values.reduce((n, v) => n + v.value, 0)).toBe(0);
  const back = await s.kubectl('admin-user', ['get', 'configmap', 'taken-over', '-o', 'json']);
  expect(JSON.parse(back.stdout)).toMatchObject({
    metadata: { name: 'taken-over', annotations: { 'k3s-daas.io/request': stalled() } },
  });
}, 120_000);

it('a lapsed lease on an executed label (merge patch, tagged): the successor reads the object, finds its tag and answers 200', async () => {
  const { stalled, release } = await stallingHolder();
  const before = s.kube.audit().length;
  const r = await s.kubectl('admin-user', ['label', 'configmap', 'taken-over', 'x=y'], { timeoutMs: 60_000 });
  release();
  expect(stalled()).toBeDefined();
  expect(r.stderr).toBe('');
  expect(r.stdout.trim()).toBe('configmap/taken-over labeled');
  // Run once, by the holder; the successor only read it.
  expect(writesTo(before, 'PATCH', '/api/v1/namespaces/default/configmaps/taken-over')).toHaveLength(1);
}, 120_000);

it('a lapsed lease on an executed JSON patch (no tag possible): the successor answers 500 "ran at most once" and never runs it again', async () => {
  const { stalled, release } = await stallingHolder();
  const before = s.kube.audit().length;
  const r = await s.kubectl(
    'admin-user',
    ['patch', 'configmap', 'taken-over', '--type=json', '-p', '[{"op":"add","path":"/data/j","value":"1"}]'],
    { timeoutMs: 60_000 },
  );
  release();
  expect(stalled()).toBeDefined();
  expect(r.exitCode).not.toBe(0);
  expect(r.stderr).toMatch(/stopped answering before storing a result; it ran at most once/);
  expect(writesTo(before, 'PATCH', '/api/v1/namespaces/default/configmaps/taken-over')).toHaveLength(1);
}, 120_000);
