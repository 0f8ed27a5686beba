/**
 * The hold-forever attack (issue #14): in v1 a claimant could renew its own
 * lease without limit and the requester could not cancel while it held one.
 * Here an admitted executor claims a user's request and keeps renewing it
 * without answering; the contract stops the renewals at the hold deadline,
 * an honest listener takes the request over, and the user's real kubectl
 * gets the real answer. And the forged-answer attack: the same executor
 * answers with made-up content under a foreign or mismatched signature, which
 * the contract refuses, so kubectl only ever sees the real object.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { K8S_REQUEST_EVENT, K8sAPIRequestBcs, claimRequest } from '../../src/contract/index.ts';
import { AnswerSigner } from '../../src/nautilus/answer-signer.ts';
import { listEventsAfter } from '../../src/sui/events.ts';
import { TxRunner } from '../../src/sui/tx-runner.ts';
import { startE2EStack, type E2EStack } from './e2e-stack.ts';
import { storeSignedAnswer } from '../embedded/sui/test/contract-setup.ts';

const LEASE_MS = 1_000;
const HOLD_MS = 4_000;

let s: E2EStack;
beforeAll(async () => {
  s = await startE2EStack([], { config: { claimLeaseMs: LEASE_MS, maxHoldMs: HOLD_MS } });
}, 300_000);
afterAll(() => s?.stop());

it('an executor that holds a request without answering loses it at the hold deadline; kubectl still gets the answer', async () => {
  await s.startListener(1);
  const created = await s.kubectl('admin-user', ['create', 'configmap', 'held', '--from-literal=k=v']);
  expect(created.exitCode, created.stderr).toBe(0);
  await s.stopListeners();
  // --raw skips discovery, so the hostile executor has exactly one request to hold.
  const reading = s.kubectl('admin-user', ['get', '--raw', '/api/v1/namespaces/default/configmaps/held']);

  // The hostile executor (executor 0, admitted and staked): claim, then renew every 300 ms.
  const hostile = new TxRunner(s.client, s.executors[0]!);
  let target: string | undefined;
  while (!target) {
    for await (const frame of listEventsAfter(s.client, K8S_REQUEST_EVENT(s.g.packageId), undefined)) {
      const ev = frame.event && K8sAPIRequestBcs.parse(frame.event.bcs);
      if (ev && ev.name === 'held' && ev.verb === 'get') target = ev.request_object_id;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const on = { cluster: s.g.clusterId, executor: s.g.executorObjectId, request: target };
  const started = Date.now();
  const renewals: string[] = [];
  for (;;) {
    const o = await hostile.run((tx) => claimRequest(tx, s.g.packageId, on));
    if (!o.success) {
      renewals.push(o.abort?.name ?? o.error ?? 'failed');
      break;
    }
    renewals.push('ok');
    await new Promise((r) => setTimeout(r, 300));
  }
  const heldMs = Date.now() - started;
  expect(renewals.at(-1)).toBe('EHoldTimeExceeded');
  expect(heldMs).toBeGreaterThanOrEqual(HOLD_MS - 500);

  // An honest listener (executor 1) takes it over once the last lease ends.
  await s.startListener(1, { reconcileMs: 500 });
  const r = await reading;
  expect(r.exitCode, r.stderr).toBe(0);
  expect(JSON.parse(r.stdout)).toMatchObject({
    kind: 'ConfigMap',
    metadata: { name: 'held' },
    data: { k: 'v' },
  });
  console.log(
    `hostile executor held the request ${heldMs} ms (${renewals.length - 1} claims/renewals) before EHoldTimeExceeded`,
  );
}, 180_000);

it("an admitted executor's forged answers are refused on chain and never reach kubectl", async () => {
  await s.stopListeners();
  await s.startListener(1);
  await s.kubectl('admin-user', ['create', 'secret', 'generic', 'db', '--from-literal=password=real']);
  await s.stopListeners();
  const reading = s.kubectl('admin-user', ['get', '--raw', '/api/v1/namespaces/default/secrets/db']);

  const hostile = new TxRunner(s.client, s.executors[0]!);
  let req: ReturnType<typeof K8sAPIRequestBcs.parse> | undefined;
  while (!req) {
    for await (const frame of listEventsAfter(s.client, K8S_REQUEST_EVENT(s.g.packageId), undefined)) {
      const ev = frame.event && K8sAPIRequestBcs.parse(frame.event.bcs);
      if (ev && ev.name === 'db' && ev.verb === 'get' && ev.resource === 'secrets') req = ev;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const on = { cluster: s.g.clusterId, executor: s.g.executorObjectId, request: req.request_object_id };
  expect((await hostile.run((tx) => claimRequest(tx, s.g.packageId, on))).success).toBe(true);
  // Well-formed for the cluster (Seal ciphertexts for the requester, as the contract requires):
  // what is wrong is the signature.
  const forged = await s.sealAnswer(
    req,
    new TextEncoder().encode(
      JSON.stringify({
        kind: 'Secret',
        apiVersion: 'v1',
        metadata: { name: 'db' },
        data: { password: 'Zm9yZ2Vk' },
      }),
    ),
  );
  const honest = await s.sealAnswer(req, new TextEncoder().encode('{"kind":"Secret"}'));
  const store = (signer: AnswerSigner, signedBody: Uint8Array) =>
    hostile.run((tx) => storeSignedAnswer(tx, s.g.packageId, on, req!, forged, signer, signedBody));
  // Valid digest, content signed with someone else's key.
  const foreign = await store(AnswerSigner.generate(), forged);
  expect(foreign.abort?.name).toBe('EBadAnswerSignature');
  // Valid digest, the executor's own signature but over other content.
  const swapped = await store(s.g.answerSigner, honest);
  expect(swapped.abort?.name).toBe('EBadAnswerSignature');

  // The honest listener answers once the hostile lease ends; kubectl prints the real Secret.
  await s.startListener(1, { reconcileMs: 500 });
  const r = await reading;
  expect(r.exitCode, r.stderr).toBe(0);
  const secret = JSON.parse(r.stdout) as { data: { password: string } };
  expect(Buffer.from(secret.data.password, 'base64').toString()).toBe('real');
}, 180_000);
