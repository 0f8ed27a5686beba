import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Transaction } from '@mysten/sui/transactions';
import { SimulationError } from '@mysten/sui/client';
import {
  abortByName,
  appendResponseChunks,
  cancelRequest,
  claimRequest,
  ClusterBcs,
  configure,
  deregisterExecutor,
  destroySealToken,
  K8sAPIRequestBcs,
  revokeSealToken,
  setPaused,
  slashExecutor,
  storeK8sResponse,
  unstakeSealToken,
  withdrawSlashed,
  withdrawUnstaked,
  stakeSealToken,
  withdrawExecutorStake,
  RequestBcs,
  K8sAPIResponseChunkBcs,
  chunksDigest,
  answerIntentBytes,
} from '../../../../src/contract/index.ts';
import { fromBase58 } from '@mysten/sui/utils';
import { AnswerReader } from '../../../../src/gateway/answer-reader.ts';
import { AnswerSigner } from '../../../../src/nautilus/answer-signer.ts';
import {
  CONFIG,
  kubectlCreate,
  publishGateway,
  run,
  storeSignedAnswer,
  type Gateway,
} from './contract-setup.ts';

// The remaining k8s_gateway entry points, each through tx.build() + signAndExecuteTransaction.
describe('embedded sui: k8s_gateway administration and lifecycle calls', () => {
  let g: Gateway;
  const text = (s: string) => new TextEncoder().encode(s);

  // Short lease, cooldown and unbonding so the lifecycle test can wait them out.
  const TIMES = { claimLeaseMs: 2_000, maxHoldMs: 4_000, stakeCooldownMs: 1_000, executorUnbondingMs: 1_000 };
  beforeAll(async () => {
    g = await publishGateway({ checkpointIntervalMs: 20, config: TIMES });
  });
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  afterAll(() => g.chain.stop());

  async function cluster() {
    const { objects } = await g.client.getObjects({ objectIds: [g.clusterId], include: { content: true } });
    return ClusterBcs.parse((objects[0] as { content: Uint8Array }).content);
  }

  async function abortCodeOf(build: (tx: Transaction) => void, signer = g.user): Promise<string | undefined> {
    const tx = new Transaction();
    build(tx);
    const err = await g.client
      .signAndExecuteTransaction({ transaction: tx, signer })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SimulationError);
    return (err as SimulationError).executionError?.MoveAbort?.abortCode;
  }

  it('configure and set_paused change the cluster; a paused cluster refuses requests', async () => {
    await run(g.client, g.admin, (tx) =>
      configure(tx, g.packageId, {
        adminCap: g.adminCapId,
        cluster: g.clusterId,
        config: { ...CONFIG, ...TIMES, requestFee: 20n },
      }),
    );
    expect((await cluster()).config.request_fee).toBe('20');
    await run(g.client, g.admin, (tx) =>
      setPaused(tx, g.packageId, { adminCap: g.adminCapId, cluster: g.clusterId, paused: true }),
    );
    expect(await abortCodeOf((tx) => kubectlCreate(g, tx, 'while-paused', new Uint8Array()))).toBe(
      String(abortByName('EPaused')!.code),
    );
    await run(g.client, g.admin, (tx) =>
      setPaused(tx, g.packageId, { adminCap: g.adminCapId, cluster: g.clusterId, paused: false }),
    );
    await run(g.client, g.admin, (tx) =>
      configure(tx, g.packageId, {
        adminCap: g.adminCapId,
        cluster: g.clusterId,
        config: { ...CONFIG, ...TIMES },
      }),
    );
  });

  it('append_response_chunks then store_k8s_response: a two-segment body, digest chained over its chunks, in events', async () => {
    const r = await run(g.client, g.user, (tx) => kubectlCreate(g, tx, 'chunked', text('{}')));
    const req = K8sAPIRequestBcs.parse(r.events!.find((e) => e.eventType.endsWith('::K8sAPIRequest'))!.bcs);
    const on = { cluster: g.clusterId, executor: g.executorObjectId, request: req.request_object_id };
    await run(g.client, g.executor, (tx) => claimRequest(tx, g.packageId, on));
    const first = new Uint8Array(15_000).fill(97);
    const last = new Uint8Array(9_000).fill(98);
    const appended = await run(g.client, g.executor, (tx) =>
      appendResponseChunks(tx, g.packageId, { ...on, chunks: [first] }),
    );
    const chunkEvent = K8sAPIResponseChunkBcs.parse(
      appended.events!.find((e) => e.eventType.endsWith('::K8sAPIResponseChunk'))!.bcs,
    );
    expect(chunkEvent.chunks.map((c) => Uint8Array.from(c))).toEqual([first]);
    const digest = chunksDigest([first, last]);
    const answer = {
      statusCode: 200,
      contentType: 'text/plain',
      contentEncoding: '',
      bodySize: first.length + last.length,
      bodyDigest: digest,
      signedAtMs: Number(req.timestamp_ms),
    };
    const stored = await run(g.client, g.executor, (tx) =>
      storeK8sResponse(tx, g.packageId, {
        ...on,
        statusCode: 200,
        contentType: 'text/plain',
        contentEncoding: '',
        chunks: [last],
        totalSize: answer.bodySize,
        digest,
        segmentTxDigests: [fromBase58(appended.digest)],
        signedAtMs: answer.signedAtMs,
        signature: g.answerSigner.sign(answerIntentBytes(req, answer)),
      }),
    );
    const { objects } = await g.client.getObjects({
      objectIds: [req.request_object_id],
      include: { content: true },
    });
    const obj = RequestBcs.parse((objects[0] as { content: Uint8Array }).content);
    expect(obj.response_size).toBe(String(answer.bodySize));
    expect(obj.response_segments).toBe('2');
    // The gateway's reader assembles and checks the body from the two transactions' events.
    const reader = new AnswerReader(g.client, g.clusterId);
    const ev = await reader.responseEventIn(stored.digest, req.request_object_id);
    const verified = await reader.verify(req, ev!);
    expect(verified.body).toEqual(new Uint8Array([...first, ...last]));
  });

  it('a forged answer (valid digest, wrong signing key) is refused on chain with EBadAnswerSignature', async () => {
    const r = await run(g.client, g.user, (tx) => kubectlCreate(g, tx, 'forged', text('{}')));
    const req = K8sAPIRequestBcs.parse(r.events!.find((e) => e.eventType.endsWith('::K8sAPIRequest'))!.bcs);
    const on = { cluster: g.clusterId, executor: g.executorObjectId, request: req.request_object_id };
    await run(g.client, g.executor, (tx) => claimRequest(tx, g.packageId, on));
    const body = text('{"kind":"Secret","data":{"password":"aHVudGVyMg=="}}');
    const code = await abortCodeOf(
      (tx) => storeSignedAnswer(tx, g.packageId, on, req, body, AnswerSigner.generate()),
      g.executor,
    );
    expect(code).toBe(String(abortByName('EBadAnswerSignature')!.code));
  });

  it('cancel_request refunds the fee of an open request', async () => {
    const r = await run(g.client, g.user, (tx) => kubectlCreate(g, tx, 'to-cancel', new Uint8Array()));
    const requestId = K8sAPIRequestBcs.parse(
      r.events!.find((e) => e.eventType.endsWith('::K8sAPIRequest'))!.bcs,
    ).request_object_id;
    const cancelled = await run(g.client, g.user, (tx) =>
      cancelRequest(tx, g.packageId, { request: requestId }),
    );
    expect(cancelled.events!.map((e) => e.eventType.split('::').pop())).toContain('RequestCancelled');
    expect(cancelled.effects!.changedObjects.find((c) => c.objectId === requestId)?.idOperation).toBe(
      'Deleted',
    );
  });

  it('slash_executor (bounded by the slash penalty) and withdraw_slashed move stake to the admin', async () => {
    const slash = (amount: number) => (tx: Transaction) =>
      slashExecutor(tx, g.packageId, {
        adminCap: g.adminCapId,
        cluster: g.clusterId,
        executor: g.executorObjectId,
        amount,
        note: 'test',
      });
    expect(await abortCodeOf(slash(Number(CONFIG.slashPenalty) + 1), g.admin)).toBe(
      String(abortByName('ESlashTooLarge')!.code),
    );
    const slashed = await run(g.client, g.admin, slash(Number(CONFIG.slashPenalty)));
    expect(slashed.events!.map((e) => e.eventType.split('::').pop())).toContain('ExecutorSlashed');
    expect((await cluster()).slashed.value).toBe(String(CONFIG.slashPenalty));
    const withdrawn = await run(g.client, g.admin, (tx) => {
      withdrawSlashed(tx, g.packageId, {
        adminCap: g.adminCapId,
        cluster: g.clusterId,
        amount: CONFIG.slashPenalty,
      });
    });
    const coinType = Object.entries(withdrawn.objectTypes!).find(
      ([id, t]) =>
        t.includes('::coin::Coin<') &&
        withdrawn.effects!.changedObjects.find((c) => c.objectId === id)?.idOperation === 'Created',
    );
    expect(coinType).toBeDefined();
    expect((await cluster()).slashed.value).toBe('0');
  });

  it('flash loan: stake, write, unstake and withdraw in one PTB is refused (EStakeLocked)', async () => {
    const code = await abortCodeOf((tx) => {
      stakeSealToken(tx, g.packageId, { token: g.tokenId, coin: 5_000n });
      kubectlCreate(g, tx, 'flash', text('{}'));
      unstakeSealToken(tx, g.packageId, { cluster: g.clusterId, token: g.tokenId, amount: 5_000n });
      withdrawUnstaked(tx, g.packageId, { token: g.tokenId });
    });
    expect(code).toBe(String(abortByName('EStakeLocked')!.code));
  });

  it('unstake, revoke, deregister and destroy', async () => {
    // Unstaking locks the SUI for the cooldown: nothing is paid out in the same transaction.
    const unstaked = await run(g.client, g.user, (tx) =>
      unstakeSealToken(tx, g.packageId, { cluster: g.clusterId, token: g.tokenId, amount: 1_000 }),
    );
    expect(unstaked.effects!.changedObjects.some((c) => c.idOperation === 'Created')).toBe(false);
    expect(await abortCodeOf((tx) => withdrawUnstaked(tx, g.packageId, { token: g.tokenId }))).toBe(
      String(abortByName('EStakeLocked')!.code),
    );
    await sleep(TIMES.stakeCooldownMs + 200);
    const withdrawn = await run(g.client, g.user, (tx) =>
      withdrawUnstaked(tx, g.packageId, { token: g.tokenId }),
    );
    expect(withdrawn.effects!.changedObjects.some((c) => c.idOperation === 'Created')).toBe(true);

    await run(g.client, g.admin, (tx) =>
      revokeSealToken(tx, g.packageId, { adminCap: g.adminCapId, cluster: g.clusterId, tokenId: g.tokenId }),
    );
    expect(await abortCodeOf((tx) => kubectlCreate(g, tx, 'revoked', new Uint8Array()))).toBe(
      String(abortByName('ETokenRevoked')!.code),
    );

    await sleep(TIMES.claimLeaseMs); // the earlier tests' leases end
    const dereg = await run(g.client, g.executor, (tx) =>
      deregisterExecutor(tx, g.packageId, { cluster: g.clusterId, executor: g.executorObjectId }),
    );
    expect(dereg.events!.map((e) => e.eventType.split('::').pop())).toContain('ExecutorDeregistered');
    expect(
      await abortCodeOf(
        (tx) => withdrawExecutorStake(tx, g.packageId, { executor: g.executorObjectId }),
        g.executor,
      ),
    ).toBe(String(abortByName('EStakeLocked')!.code));
    await sleep(TIMES.executorUnbondingMs + 200);
    const out = await run(g.client, g.executor, (tx) =>
      withdrawExecutorStake(tx, g.packageId, { executor: g.executorObjectId }),
    );
    expect(out.effects!.changedObjects.find((c) => c.objectId === g.executorObjectId)?.idOperation).toBe(
      'Deleted',
    );

    const destroyed = await run(g.client, g.user, (tx) =>
      destroySealToken(tx, g.packageId, { token: g.tokenId }),
    );
    expect(destroyed.effects!.changedObjects.find((c) => c.objectId === g.tokenId)?.idOperation).toBe(
      'Deleted',
    );
    const { objects } = await g.client.getObjects({ objectIds: [g.tokenId] });
    expect(objects[0]).toBeInstanceOf(Error);
  });
});
