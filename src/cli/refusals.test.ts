/** Decoding refused attempts from failed transactions (the bytes a node's ListTransactions gives). */
import { describe, expect, it } from 'vitest';
import { Inputs, Transaction } from '@mysten/sui/transactions';
import { abortByName, executeKubectlCommand } from '../contract/index.ts';
import { refusalOf } from './refusals.ts';

const PKG = '0x' + '42'.repeat(32);
const CLUSTER = '0x' + 'c1'.repeat(32);
const OTHER_CLUSTER = '0x' + 'c2'.repeat(32);
const TOKEN = '0x' + '70'.repeat(32);
const ALICE = '0x' + 'a1'.repeat(32);
const DIGEST = '11111111111111111111111111111111';

async function kubectlTx(cluster: string): Promise<Uint8Array> {
  const tx = new Transaction();
  tx.setSender(ALICE);
  tx.setGasPrice(1000);
  tx.setGasBudget(200_000_000);
  tx.setGasPayment([{ objectId: '0x' + '9a'.repeat(32), version: '3', digest: DIGEST }]);
  executeKubectlCommand(tx, PKG, {
    cluster: tx.object(
      Inputs.SharedObjectRef({ objectId: cluster, initialSharedVersion: 1, mutable: false }),
    ),
    token: tx.object(Inputs.ObjectRef({ objectId: TOKEN, version: '5', digest: DIGEST })),
    requestId: 'r-1',
    verb: 'delete',
    apiGroup: 'apps',
    version: 'v1',
    resource: 'deployments',
    subresource: 'scale',
    namespace: 'prod',
    name: 'web',
    query: '',
    contentType: '',
    accept: 'application/json',
    contentEncoding: '',
    payload: new Uint8Array(),
    fee: 1000n,
  });
  return tx.build();
}

const denied = abortByName('EPermissionDenied')!;
const failed = (bytes: Uint8Array, module = 'k8s_gateway') => ({
  digest: 'Dg1',
  transaction: { bcs: { value: bytes } },
  effects: {
    status: {
      success: false,
      error: {
        errorDetails: { oneofKind: 'abort', abort: { abortCode: BigInt(denied.code), location: { module } } },
      },
    },
  },
  timestamp: { seconds: 1_700_000_000n, nanos: 5_000_000 },
});

describe('refusalOf', () => {
  it('names time, sender, SealToken, verb/resource and the abort of a refused kubectl command', async () => {
    const r = refusalOf(failed(await kubectlTx(CLUSTER)), PKG, CLUSTER);
    expect(r).toEqual({
      time: '2023-11-14T22:13:20.005Z',
      txDigest: 'Dg1',
      sender: ALICE,
      function: 'execute_kubectl_command_with_id',
      sealTokenId: TOKEN,
      requestId: 'r-1',
      verb: 'delete',
      resource: 'deployments/scale.apps',
      namespace: 'prod',
      name: 'web',
      abortCode: denied.code,
      abort: 'EPermissionDenied',
      status: 403,
    });
  });

  it('skips successful transactions and those of another cluster; names no abort of another module', async () => {
    const bytes = await kubectlTx(CLUSTER);
    const ok = { ...failed(bytes), effects: { status: { success: true } } };
    expect(refusalOf(ok, PKG, CLUSTER)).toBeUndefined();
    expect(refusalOf(failed(await kubectlTx(OTHER_CLUSTER)), PKG, CLUSTER)).toBeUndefined();
    expect(refusalOf(failed(bytes), '0x' + '43'.repeat(32), CLUSTER)).toBeUndefined();
    const foreign = refusalOf(failed(bytes, 'coin'), PKG, CLUSTER)!;
    expect(foreign.abort).toBeUndefined();
    expect(foreign.abortCode).toBe(denied.code);
  });
});
