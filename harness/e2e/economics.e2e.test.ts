/**
 * The storage-rebate drain (issue #14): in v1 the executor paid the storage of
 * each response body kept in the Request, and the requester collected the
 * rebate with close_request — a read-only identity gained +0.50 SUI net per
 * read of a 66 KB ConfigMap. Here a read-only identity reads a 60 KB
 * ConfigMap 20 times with the real kubectl, then closes every Request it
 * made: its balance must not rise, and the executor must not lose more than
 * its transactions' gas per answer.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Transaction } from '@mysten/sui/transactions';
import { K8S_REQUEST_EVENT, K8sAPIRequestBcs, closeRequest } from '../../src/contract/index.ts';
import { listEventsAfter } from '../../src/sui/events.ts';
import { configMapReader, startE2EStack, type E2EStack } from './e2e-stack.ts';

let s: E2EStack;
beforeAll(async () => {
  s = await startE2EStack([configMapReader('reader')]);
  await s.startListener(0);
}, 300_000);
afterAll(() => s?.stop());

const balanceOf = async (owner: string) => BigInt((await s.client.getBalance({ owner })).balance.balance);

it('a read-only identity cannot profit by reading: 20 reads of a 60 KB ConfigMap, then closing every Request', async () => {
  // ~60 KB that gzip cannot shrink much (base64 of random bytes).
  const data = randomBytes(45_000).toString('base64');
  const manifest = JSON.stringify({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'big' },
    data: { blob: data },
  });
  const created = await s.kubectl('admin-user', ['create', '-f', '-'], { input: manifest });
  expect(created.exitCode, created.stderr).toBe(0);

  const reader = s.identities.byName('reader')!.address;
  const executor = s.g.executor.toSuiAddress();
  const [readerBefore, executorBefore] = [await balanceOf(reader), await balanceOf(executor)];
  for (let i = 0; i < 20; i++) {
    const r = await s.kubectl('reader', ['get', 'configmap', 'big', '-o', 'jsonpath={.data.blob}']);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toBe(data);
  }
  // The attack's second half: delete every Request the reader made, for the storage rebate.
  const mine: string[] = [];
  for await (const frame of listEventsAfter(s.client, K8S_REQUEST_EVENT(s.g.packageId), undefined)) {
    if (!frame.event) continue;
    const ev = K8sAPIRequestBcs.parse(frame.event.bcs);
    if (ev.requester === reader) mine.push(ev.request_object_id);
  }
  expect(mine.length).toBeGreaterThanOrEqual(20);
  const keypair = s.keystore.require(reader);
  for (let i = 0; i < mine.length; i += 50) {
    const tx = new Transaction();
    for (const id of mine.slice(i, i + 50)) closeRequest(tx, s.g.packageId, { request: id });
    const done = await s.client.signAndExecuteTransaction({
      transaction: tx,
      signer: keypair,
      include: { effects: true },
    });
    expect(done.$kind, JSON.stringify(done.FailedTransaction?.status)).toBe('Transaction');
  }
  const [readerAfter, executorAfter] = [await balanceOf(reader), await balanceOf(executor)];
  const readerNet = readerAfter - readerBefore;
  const executorNet = executorAfter - executorBefore;
  console.log(
    `20 reads of a ${manifest.length} B ConfigMap (${mine.length} requests incl. discovery), then closing them: reader ${readerNet} MIST, executor ${executorNet} MIST`,
  );
  expect(readerNet).toBeLessThan(0n);
  // The executor pays gas for its answers, with no storage left to pay for bodies: a small loss at most.
  expect(-executorNet).toBeLessThan(BigInt(mine.length) * 20_000_000n);
}, 300_000);
