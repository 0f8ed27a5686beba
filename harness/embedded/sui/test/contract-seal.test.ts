import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Transaction } from '@mysten/sui/transactions';
import { SimulationError } from '@mysten/sui/client';
import {
  abortByName,
  ClusterBcs,
  clusterConfidentiality,
  contractAbort,
  executeKubectlCommand,
  K8sAPIRequestBcs,
  newSealNonce,
  parseMoveAbort,
  payloadAad,
  removeExecutor,
  sealApprovePayload,
  sealApproveResponse,
  sealApproveTxBytes,
  sealIdHex,
  sealPayloadId,
  sealResponseId,
  type ExecuteArgs,
} from '../../../../src/contract/index.ts';
import { encryptOnlySealClient } from '../../../../src/contract/testing/seal-encryptor.ts';
import { publishGateway, run, type Gateway } from './contract-setup.ts';

// A Seal cluster on the embedded chain: the policies as key servers run them (a simulated
// transaction built from the kind bytes SealClient sends), and the request path's checks.
describe('embedded sui: k8s_gateway confidentiality (Seal)', () => {
  const KS = ['0x' + '51'.repeat(32), '0x' + '52'.repeat(32), '0x' + '53'.repeat(32)];
  let g: Gateway;

  beforeAll(async () => {
    g = await publishGateway({
      checkpointIntervalMs: 20,
      confidentiality: { mode: 'seal', keyServers: KS, threshold: 2 },
    });
  });
  afterAll(() => g.chain.stop());

  async function setting() {
    const { objects } = await g.client.getObjects({ objectIds: [g.clusterId], include: { content: true } });
    return clusterConfidentiality(ClusterBcs.parse((objects[0] as { content: Uint8Array }).content));
  }

  /** What a key server does with fetch_key's PTB: simulate it as the session key's address. */
  async function approve(sender: string, build: (tx: Transaction) => void): Promise<number | undefined> {
    const kindTx = new Transaction();
    build(kindTx);
    const tx = Transaction.fromKind(await sealApproveTxBytes(kindTx, g.client));
    tx.setSender(sender);
    try {
      const sim = await g.client.simulateTransaction({ transaction: tx });
      if (sim.$kind === 'Transaction') return undefined;
      return contractAbort(sim)?.code ?? -1;
    } catch (e) {
      if (!(e instanceof SimulationError)) throw e;
      return contractAbort(e)?.code ?? Number(parseMoveAbort(e)?.code ?? -1);
    }
  }

  const code = (name: string) => abortByName(name)!.code;

  function request(payload: Uint8Array, responseSealId: Uint8Array, namespace = 'dev'): ExecuteArgs {
    return {
      cluster: g.clusterId,
      token: g.tokenId,
      requestId: 'secret-1',
      verb: 'create',
      apiGroup: '',
      version: 'v1',
      resource: 'secrets',
      subresource: '',
      namespace,
      name: '',
      query: '',
      contentType: 'application/json',
      accept: 'application/json',
      contentEncoding: '',
      payload,
      responseSealId,
      fee: 10n,
    };
  }

  it('records seal, the key servers, the threshold and epoch 0 on the Cluster', async () => {
    expect(await setting()).toEqual({ mode: 'seal', keyServers: KS, threshold: 2, executorEpoch: 0n });
  });

  it('takes a real SealClient ciphertext for this cluster, epoch, requester and header; refuses clear bytes', async () => {
    const user = g.user.toSuiAddress();
    const nonce = newSealNonce();
    const id = sealPayloadId({ clusterId: g.clusterId, epoch: 0n, requester: user, nonce });
    const responseSealId = sealResponseId({ clusterId: g.clusterId, requester: user, nonce });
    const args = request(new Uint8Array(), responseSealId);
    const { encryptedObject } = await encryptOnlySealClient(g.packageId, KS).encrypt({
      threshold: 2,
      packageId: g.packageId,
      id: sealIdHex(id),
      data: new TextEncoder().encode('{"stringData":{"password":"hunter2"}}'),
      aad: payloadAad({ ...args, clusterId: g.clusterId, requester: user }),
    });
    const done = await run(g.client, g.user, (tx) =>
      executeKubectlCommand(tx, g.packageId, { ...args, payload: encryptedObject }),
    );
    const ev = K8sAPIRequestBcs.parse(done.events!.find((e) => e.eventType.endsWith('::K8sAPIRequest'))!.bcs);
    expect(Uint8Array.from(ev.payload)).toEqual(encryptedObject);
    expect(Uint8Array.from(ev.response_seal_id)).toEqual(responseSealId);
    expect(Buffer.from(ev.payload).toString('latin1')).not.toContain('hunter2');

    const clear = new Transaction();
    executeKubectlCommand(clear, g.packageId, {
      ...args,
      payload: new TextEncoder().encode('{"stringData":{"password":"hunter2"}}'),
    });
    const err = await g.client
      .signAndExecuteTransaction({ transaction: clear, signer: g.user })
      .catch((e: unknown) => e);
    expect(contractAbort(err)?.name).toBe('EClearPayload');

    // The same ciphertext under another namespace: the AAD no longer matches.
    const replay = new Transaction();
    executeKubectlCommand(replay, g.packageId, { ...request(encryptedObject, responseSealId, 'prod') });
    const replayErr = await g.client
      .signAndExecuteTransaction({ transaction: replay, signer: g.user })
      .catch((e: unknown) => e);
    expect(contractAbort(replayErr)?.name).toBe('EPayloadAadMismatch');
  });

  it('payload keys: the executor yes, anyone presenting its Executor no; response keys: the requester only', async () => {
    const user = g.user.toSuiAddress();
    const executor = g.executor.toSuiAddress();
    const nonce = newSealNonce();
    const pid = sealPayloadId({ clusterId: g.clusterId, epoch: 0n, requester: user, nonce });
    const rid = sealResponseId({ clusterId: g.clusterId, requester: user, nonce });
    const payloadCall = (tx: Transaction) =>
      sealApprovePayload(tx, g.packageId, { id: pid, cluster: g.clusterId, executor: g.executorObjectId });
    const responseCall = (tx: Transaction) =>
      sealApproveResponse(tx, g.packageId, { id: rid, cluster: g.clusterId });
    expect(await approve(executor, payloadCall)).toBeUndefined();
    expect(await approve(user, payloadCall)).toBe(code('ESealPayloadDenied'));
    expect(await approve(user, responseCall)).toBeUndefined();
    expect(await approve(executor, responseCall)).toBe(code('ESealResponseDenied'));
  });

  it('a removed executor gets no key, old or new epoch, and payloads for the old epoch are refused', async () => {
    const user = g.user.toSuiAddress();
    const executor = g.executor.toSuiAddress();
    const nonce = newSealNonce();
    const oldId = sealPayloadId({ clusterId: g.clusterId, epoch: 0n, requester: user, nonce });
    await run(g.client, g.admin, (tx) =>
      removeExecutor(tx, g.packageId, {
        adminCap: g.adminCapId,
        cluster: g.clusterId,
        executor: g.executorObjectId,
      }),
    );
    const after = await setting();
    expect(after.executorEpoch).toBe(1n);
    const newId = sealPayloadId({
      clusterId: g.clusterId,
      epoch: after.executorEpoch,
      requester: user,
      nonce,
    });
    for (const id of [oldId, newId]) {
      expect(
        await approve(executor, (tx) =>
          sealApprovePayload(tx, g.packageId, { id, cluster: g.clusterId, executor: g.executorObjectId }),
        ),
      ).toBe(code('ESealPayloadDenied'));
    }
    const responseSealId = sealResponseId({ clusterId: g.clusterId, requester: user, nonce });
    const args = request(new Uint8Array(), responseSealId);
    const { encryptedObject } = await encryptOnlySealClient(g.packageId, KS).encrypt({
      threshold: 2,
      packageId: g.packageId,
      id: sealIdHex(oldId),
      data: new Uint8Array([1, 2, 3]),
      aad: payloadAad({ ...args, clusterId: g.clusterId, requester: user }),
    });
    const stale = new Transaction();
    executeKubectlCommand(stale, g.packageId, { ...args, payload: encryptedObject });
    const err = await g.client
      .signAndExecuteTransaction({ transaction: stale, signer: g.user })
      .catch((e: unknown) => e);
    expect(contractAbort(err)?.name).toBe('EStalePayloadId');
  });
});
