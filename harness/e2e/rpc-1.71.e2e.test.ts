/**
 * Sui 1.71 full nodes serve neither ListEvents nor SubscribeEvents (issue #20). With the embedded
 * node in its 1.71 profile, the listener's backfill and tail, the gateway's response watcher and
 * `audit`-style scans read events from checkpoints instead, and kubectl works as on a current node.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { K8S_REQUEST_EVENT, K8sAPIRequestBcs } from '../../src/contract/index.ts';
import { eventRpcOf, listEventsAfter } from '../../src/sui/events.ts';
import { startE2EStack, type E2EStack } from './e2e-stack.ts';

let s: E2EStack;
beforeAll(async () => {
  s = await startE2EStack([], { rpcProfile: '1.71' });
  await s.startListener(0);
}, 300_000);
afterAll(() => s?.stop());

it('the 1.71 profile answers the event RPCs UNIMPLEMENTED, and the product falls back to checkpoints', async () => {
  const call = s.client.ledgerService.listEvents({ options: { limit: 1 } });
  const err = await (async () => {
    for await (const _ of call.responses) break;
  })().catch((e: unknown) => e as { code?: string; message?: string });
  expect(err?.code).toBe('UNIMPLEMENTED');
  expect(err?.message).toMatch(/ListEvents/);
  expect(await eventRpcOf(s.client)).toBe('checkpoints');
});

it('kubectl create, get and watch work through checkpoint-read events; a resumed scan does not repeat events', async () => {
  const created = await s.kubectl('admin-user', ['create', 'configmap', 'old-node', '--from-literal=k=v']);
  expect(created.exitCode, created.stderr).toBe(0);
  const got = await s.kubectl('admin-user', ['get', 'configmap', 'old-node', '-o', 'jsonpath={.data.k}']);
  expect(got.stdout).toBe('v');
  const rv = JSON.parse(
    (await s.kubectl('admin-user', ['get', 'configmap', 'old-node', '-o', 'json'])).stdout,
  ).metadata.resourceVersion as string;
  const watched = await s.kubectl('admin-user', [
    'get',
    'configmap',
    'old-node',
    '--watch-only',
    `--request-timeout=3s`,
    '-o',
    'name',
  ]);
  expect(watched.stderr).not.toMatch(/UNIMPLEMENTED/);
  expect(rv).toMatch(/^\d+$/);

  // Every request so far, read from checkpoints; resuming from the middle yields only the rest.
  const all: { id: string; cursor?: Uint8Array }[] = [];
  for await (const f of listEventsAfter(s.client, K8S_REQUEST_EVENT(s.g.packageId), undefined))
    if (f.event)
      all.push({
        id: K8sAPIRequestBcs.parse(f.event.bcs).request_object_id,
        ...(f.cursor ? { cursor: f.cursor } : {}),
      });
  expect(all.length).toBeGreaterThanOrEqual(3);
  expect(new Set(all.map((e) => e.id)).size).toBe(all.length);
  const half = Math.floor(all.length / 2);
  const rest: string[] = [];
  for await (const f of listEventsAfter(s.client, K8S_REQUEST_EVENT(s.g.packageId), all[half - 1]!.cursor))
    if (f.event) rest.push(K8sAPIRequestBcs.parse(f.event.bcs).request_object_id);
  expect(rest.slice(0, all.length - half)).toEqual(all.slice(half).map((e) => e.id));
}, 120_000);
