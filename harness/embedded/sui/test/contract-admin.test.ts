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
  sha256,
  slashExecutor,
  storeK8sResponse,
  unstakeSealToken,
  withdrawSlashed,
  RequestBcs,
} from '../../../../src/contract/index.ts';
import { CONFIG, kubectlCreate, publishGateway, run, type Gateway } from './contract-setup.ts';

// The remaining k8s_gateway entry points, each through tx.build() + signAndExecuteTransaction.
describe('embedded sui: k8s_gateway administration and lifecycle calls', () => {
  let g: Gateway;
  const text = (s: string) => new TextEncoder().encode(s);

  beforeAll(async () => {
    g = await publishGateway({ checkpointIntervalMs: 20 });
  });
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
        config: { ...CONFIG, requestFee: 20n },
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
      configure(tx, g.packageId, { adminCap: g.adminCapId, cluster: g.clusterId, config: CONFIG }),
    );
  });

  it('append_response_chunks then store_k8s_response assemble a two-transaction response', async () => {
    const r = await run(g.client, g.user, (tx) => kubectlCreate(g, tx, 'chunked', text('{}')));
    const requestId = K8sAPIRequestBcs.parse(
      r.events!.find((e) => e.eventType.endsWith('::K8sAPIRequest'))!.bcs,
    ).request_object_id;
    await run(g.client, g.executor, (tx) =>
      claimRequest(tx, g.packageId, { cluster: g.clusterId, request: requestId }),
    );
    const first = new Uint8Array(15_000).fill(97);
    const last = new Uint8Array(9_000).fill(98);
    await run(g.client, g.executor, (tx) =>
      appendResponseChunks(tx, g.packageId, { cluster: g.clusterId, request: requestId, chunks: [first] }),
    );
    const whole = new Uint8Array([...first, ...last]);
    await run(g.client, g.executor, (tx) =>
      storeK8sResponse(tx, g.packageId, {
        cluster: g.clusterId,
        request: requestId,
        statusCode: 200,
        contentType: 'text/plain',
        contentEncoding: '',
        chunks: [last],
        totalSize: whole.length,
        digest: sha256(whole),
      }),
    );
    const { objects } = await g.client.getObjects({ objectIds: [requestId], include: { content: true } });
    const stored = RequestBcs.parse((objects[0] as { content: Uint8Array }).content);
    expect(stored.response_size).toBe(String(whole.length));
    expect(Uint8Array.from(stored.response_body)).toEqual(whole);
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

  it('slash_executor and withdraw_slashed move stake to the admin', async () => {
    const executor = g.executor.toSuiAddress();
    const slashed = await run(g.client, g.admin, (tx) =>
      slashExecutor(tx, g.packageId, { adminCap: g.adminCapId, cluster: g.clusterId, executor, amount: 100 }),
    );
    expect(slashed.events!.map((e) => e.eventType.split('::').pop())).toContain('ExecutorSlashed');
    expect((await cluster()).slashed.value).toBe('100');
    const withdrawn = await run(g.client, g.admin, (tx) => {
      withdrawSlashed(tx, g.packageId, { adminCap: g.adminCapId, cluster: g.clusterId, amount: 100 });
    });
    const coinType = Object.entries(withdrawn.objectTypes!).find(
      ([id, t]) =>
        t.includes('::coin::Coin<') &&
        withdrawn.effects!.changedObjects.find((c) => c.objectId === id)?.idOperation === 'Created',
    );
    expect(coinType).toBeDefined();
    expect((await cluster()).slashed.value).toBe('0');
  });

  it('unstake, revoke, deregister and destroy', async () => {
    const unstaked = await run(g.client, g.user, (tx) =>
      unstakeSealToken(tx, g.packageId, { token: g.tokenId, amount: 100 }),
    );
    expect(unstaked.effects!.changedObjects.some((c) => c.idOperation === 'Created')).toBe(true);

    await run(g.client, g.admin, (tx) =>
      revokeSealToken(tx, g.packageId, { adminCap: g.adminCapId, cluster: g.clusterId, tokenId: g.tokenId }),
    );
    expect(await abortCodeOf((tx) => kubectlCreate(g, tx, 'revoked', new Uint8Array()))).toBe(
      String(abortByName('ETokenRevoked')!.code),
    );

    const dereg = await run(g.client, g.executor, (tx) =>
      deregisterExecutor(tx, g.packageId, { cluster: g.clusterId }),
    );
    expect(dereg.events!.map((e) => e.eventType.split('::').pop())).toContain('ExecutorDeregistered');

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
