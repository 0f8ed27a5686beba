/**
 * The Seal bindings: id and AAD bytes (held equal to the Move side through
 * tests/seal_vectors.move), the EncryptedObject reader against what the
 * unmodified SealClient writes, the setting and its on-chain encoding, and
 * the policy PTBs SessionKey-signed key requests carry.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { EncryptedObject } from '@mysten/seal';
import { bcs } from '@mysten/sui/bcs';
import { Transaction } from '@mysten/sui/transactions';
import { describe, expect, it } from 'vitest';
import { ClusterBcs } from './bcs.ts';
import * as calls from './calls.ts';
import {
  clusterConfidentiality,
  headerMismatch,
  newSealNonce,
  parseSealHeader,
  parseSealObject,
  parseSealPayloadId,
  parseSealResponseId,
  payloadAad,
  sealedPayloadProblem,
  sealedResponseProblem,
  PayloadAadBcs,
  responseAad,
  sealApprovePayload,
  sealApproveResponse,
  sealApproveTxBytes,
  sealIdFromHex,
  sealIdHex,
  sealPayloadId,
  sealResponseId,
  settingArgs,
  validateSetting,
  type PayloadAadFields,
} from './confidentiality.ts';
import { MOVE_SOURCE } from './gen-aborts.ts';
import { encryptOnlySealClient } from './testing/seal-encryptor.ts';
import { renderSealVectors, sealVectors, VECTOR_INPUT } from './testing/seal-vectors.ts';

const PKG = '0x' + '42'.repeat(32);
const CLUSTER = '0x' + 'c1'.repeat(32);
const ALICE = '0x' + 'a1'.repeat(32);
const KS = ['0x' + '51'.repeat(32), '0x' + '52'.repeat(32), '0x' + '53'.repeat(32)];
const NONCE = Uint8Array.from({ length: 16 }, (_, i) => 100 + i);

const header: PayloadAadFields = {
  clusterId: CLUSTER,
  requester: ALICE,
  requestId: 'r-1',
  verb: 'create',
  apiGroup: '',
  version: 'v1',
  resource: 'secrets',
  subresource: '',
  namespace: 'dev',
  name: '',
  query: '',
  contentType: 'application/json',
  accept: 'application/json',
  contentEncoding: '',
};

describe('Seal ids', () => {
  it('a payload id is [1][cluster][epoch u64 LE][requester][nonce len][nonce] and parses back', () => {
    const id = sealPayloadId({ clusterId: CLUSTER, epoch: 258n, requester: ALICE, nonce: NONCE });
    expect(id.length).toBe(1 + 32 + 8 + 32 + 1 + 16);
    expect(id[0]).toBe(1);
    expect(Buffer.from(id.subarray(1, 33)).toString('hex')).toBe('c1'.repeat(32));
    expect([...id.subarray(33, 41)]).toEqual([2, 1, 0, 0, 0, 0, 0, 0]);
    expect(Buffer.from(id.subarray(41, 73)).toString('hex')).toBe('a1'.repeat(32));
    expect(id[73]).toBe(16);
    expect(parseSealPayloadId(id)).toEqual({
      clusterId: CLUSTER,
      epoch: 258n,
      requester: ALICE,
      nonce: NONCE,
    });
  });

  it('a response id is [2][cluster][requester][nonce len][nonce] and parses back', () => {
    const id = sealResponseId({ clusterId: CLUSTER, requester: ALICE, nonce: NONCE });
    expect(id.length).toBe(1 + 32 + 32 + 1 + 16);
    expect(id[0]).toBe(2);
    expect(parseSealResponseId(id)).toEqual({ clusterId: CLUSTER, requester: ALICE, nonce: NONCE });
  });

  it('refuses what the contract refuses: wrong kind, nonce length, trailing bytes', () => {
    const p = sealPayloadId({ clusterId: CLUSTER, epoch: 0, requester: ALICE, nonce: NONCE });
    const r = sealResponseId({ clusterId: CLUSTER, requester: ALICE, nonce: NONCE });
    expect(parseSealPayloadId(r)).toBeUndefined();
    expect(parseSealResponseId(p)).toBeUndefined();
    expect(parseSealPayloadId(Uint8Array.from([...p, 0]))).toBeUndefined();
    expect(() =>
      sealPayloadId({ clusterId: CLUSTER, epoch: 0, requester: ALICE, nonce: new Uint8Array(15) }),
    ).toThrow(/16 to 32 bytes, got 15/);
    expect(() => sealResponseId({ clusterId: CLUSTER, requester: ALICE, nonce: new Uint8Array(33) })).toThrow(
      /got 33/,
    );
    expect(newSealNonce().length).toBe(16);
    expect(newSealNonce()).not.toEqual(newSealNonce());
  });

  it('hex form for SealClient (no 0x) round-trips', () => {
    const id = sealResponseId({ clusterId: CLUSTER, requester: ALICE, nonce: NONCE });
    expect(sealIdHex(id)).toMatch(/^02c1c1/);
    expect(sealIdFromHex(sealIdHex(id))).toEqual(id);
    expect(sealIdFromHex('0x' + sealIdHex(id))).toEqual(id);
    expect(() => sealIdFromHex('xyz')).toThrow(/not a hex Seal id/);
  });
});

describe('AAD', () => {
  it('the payload AAD is BCS of PayloadAad with its domain and every header field', () => {
    const aad = payloadAad({ ...header, impersonateUser: 'jane', impersonateGroups: ['ops'] });
    const parsed = PayloadAadBcs.parse(aad);
    expect(new TextDecoder().decode(Uint8Array.from(parsed.domain))).toBe('k3s-daas/payload-aad/v1');
    expect(parsed).toMatchObject({
      cluster_id: CLUSTER,
      requester: ALICE,
      request_id: 'r-1',
      namespace: 'dev',
    });
    expect(parsed.impersonate_groups).toEqual(['ops']);
    // Any header change changes the AAD (what stops a replay into another request).
    expect(payloadAad({ ...header, namespace: 'prod' })).not.toEqual(payloadAad(header));
    expect(payloadAad({ ...header, requester: CLUSTER })).not.toEqual(payloadAad(header));
  });

  it('ids and AADs equal the bytes the Move tests check (tests/seal_vectors.move is current)', () => {
    const file = path.join(path.dirname(MOVE_SOURCE), '..', 'tests', 'seal_vectors.move');
    expect(readFileSync(file, 'utf8'), 'run npm run gen:seal-vectors').toBe(renderSealVectors());
    const moveTest = readFileSync(path.join(path.dirname(file), 'confidentiality_tests.move'), 'utf8');
    expect(moveTest).toContain('fun ids_and_aad_match_the_typescript_builders()');
    expect(moveTest).toContain('fun an_encrypted_object_serialised_by_the_seal_sdk_parses()');
    const v = sealVectors();
    expect(parseSealObject(v.sdk_object!)?.aad).toEqual(v.payload_aad);
    expect(
      responseAad({
        clusterId: VECTOR_INPUT.cluster,
        requestObjectId: VECTOR_INPUT.requestObject,
        requester: VECTOR_INPUT.requester,
        statusCode: 201,
        contentType: 'application/json',
        contentEncoding: 'gzip',
      }),
    ).toEqual(v.response_aad);
  });
});

describe('EncryptedObject reader (the contract’s checks in TypeScript)', () => {
  const client = encryptOnlySealClient(PKG, KS);
  const id = sealPayloadId({ clusterId: CLUSTER, epoch: 0, requester: ALICE, nonce: NONCE });
  const aad = payloadAad(header);

  it('accepts what the unmodified SealClient.encrypt writes, with our id, key servers, threshold and AAD', async () => {
    const { encryptedObject } = await client.encrypt({
      threshold: 2,
      packageId: PKG,
      id: sealIdHex(id),
      data: new TextEncoder().encode('{"data":{"password":"aHVudGVyMg=="}}'),
      aad,
    });
    const h = parseSealObject(encryptedObject);
    expect(h).toBeDefined();
    expect(h?.packageId).toBe(PKG);
    expect(h?.id).toEqual(id);
    expect(h?.services).toEqual(KS);
    expect(h?.threshold).toBe(2);
    expect(h?.aad).toEqual(aad);
    expect(headerMismatch(h!, PKG, { mode: 'seal', keyServers: KS, threshold: 2 })).toBeUndefined();
    // Only the header, as a response's first chunk carries it.
    expect(parseSealHeader(encryptedObject.subarray(0, 300))?.id).toEqual(id);
    // The SDK's own parser agrees.
    expect(EncryptedObject.parse(encryptedObject).id).toBe(sealIdHex(id));
    // Trailing or missing bytes are refused, as on chain.
    expect(parseSealObject(Uint8Array.from([...encryptedObject, 0]))).toBeUndefined();
    expect(parseSealObject(encryptedObject.subarray(0, encryptedObject.length - 1))).toBeUndefined();
  });

  it('names what does not fit the cluster: package, threshold, foreign key server', async () => {
    const { encryptedObject } = await client.encrypt({
      threshold: 2,
      packageId: PKG,
      id: sealIdHex(id),
      data: new Uint8Array([1]),
      aad,
    });
    const h = parseSealObject(encryptedObject)!;
    expect(headerMismatch(h, '0x99', { mode: 'seal', keyServers: KS, threshold: 2 })).toMatch(/package/);
    expect(headerMismatch(h, PKG, { mode: 'seal', keyServers: KS, threshold: 3 })).toMatch(/threshold/);
    expect(headerMismatch(h, PKG, { mode: 'seal', keyServers: KS.slice(0, 2), threshold: 2 })).toMatch(
      /not one of the cluster's/,
    );
  });

  it('sealedPayloadProblem / sealedResponseProblem name the abort the contract would raise', async () => {
    const setting = { mode: 'seal' as const, keyServers: KS, threshold: 2, executorEpoch: 0n };
    const c = { packageId: PKG, clusterId: CLUSTER, setting, requester: ALICE, aad };
    const { encryptedObject } = await client.encrypt({
      threshold: 2,
      packageId: PKG,
      id: sealIdHex(id),
      data: new Uint8Array([1]),
      aad,
    });
    expect(sealedPayloadProblem(encryptedObject, c)).toBeUndefined();
    expect(sealedPayloadProblem(new Uint8Array(), c)).toBeUndefined();
    expect(sealedPayloadProblem(new TextEncoder().encode('{}'), c)?.abort).toBe('EClearPayload');
    expect(
      sealedPayloadProblem(encryptedObject, { ...c, setting: { ...setting, threshold: 3 } })?.abort,
    ).toBe('ESealSettingMismatch');
    expect(
      sealedPayloadProblem(encryptedObject, { ...c, setting: { ...setting, executorEpoch: 1n } })?.abort,
    ).toBe('EStalePayloadId');
    expect(sealedPayloadProblem(encryptedObject, { ...c, requester: CLUSTER })?.abort).toBe(
      'EStalePayloadId',
    );
    expect(
      sealedPayloadProblem(encryptedObject, { ...c, aad: payloadAad({ ...header, namespace: 'prod' }) })
        ?.abort,
    ).toBe('EPayloadAadMismatch');
    const rid = sealResponseId({ clusterId: CLUSTER, requester: ALICE, nonce: NONCE });
    const answer = (
      await client.encrypt({ threshold: 2, packageId: PKG, id: sealIdHex(rid), data: new Uint8Array(40_000) })
    ).encryptedObject;
    expect(sealedResponseProblem(answer, { packageId: PKG, setting, responseSealId: rid })).toBeUndefined();
    expect(sealedResponseProblem(answer, { packageId: PKG, setting, responseSealId: id })).toMatch(
      /another id/,
    );
    expect(sealedResponseProblem(new Uint8Array(), { packageId: PKG, setting, responseSealId: rid })).toMatch(
      /does not start/,
    );
  });

  it('refuses clear bytes and a Plain object', () => {
    expect(parseSealObject(new TextEncoder().encode('{"kind":"Secret"}'))).toBeUndefined();
    const plain = EncryptedObject.serialize({
      version: 0,
      packageId: PKG,
      id: sealIdHex(id),
      services: [[KS[0]!, 1]],
      threshold: 1,
      encryptedShares: {
        BonehFranklinBLS12381: {
          nonce: new Uint8Array(96),
          encryptedShares: [new Uint8Array(32)],
          encryptedRandomness: new Uint8Array(32),
        },
      },
      ciphertext: { Plain: {} },
    }).toBytes();
    expect(parseSealHeader(plain)).toBeDefined();
    expect(parseSealObject(plain)).toBeUndefined();
  });
});

describe('setting', () => {
  it('seal needs 1..16 distinct key servers and 1 ≤ threshold ≤ their number; none needs nothing', () => {
    expect(() => validateSetting({ mode: 'none' })).not.toThrow();
    expect(() => validateSetting({ mode: 'seal', keyServers: KS, threshold: 2 })).not.toThrow();
    expect(() => validateSetting({ mode: 'seal', keyServers: [], threshold: 1 })).toThrow(
      /--seal-key-servers/,
    );
    expect(() => validateSetting({ mode: 'seal', keyServers: [KS[0]!, KS[0]!], threshold: 1 })).toThrow(
      /distinct/,
    );
    expect(() => validateSetting({ mode: 'seal', keyServers: KS, threshold: 4 })).toThrow(
      /between 1 and .*3.*got 4/,
    );
    expect(settingArgs({ mode: 'none' })).toEqual({ mode: 0, keyServers: [], threshold: 0 });
    expect(settingArgs({ mode: 'seal', keyServers: ['0x5e1'], threshold: 1 })).toEqual({
      mode: 1,
      keyServers: ['0x' + '0'.repeat(61) + '5e1'],
      threshold: 1,
    });
  });

  it('reads the setting and epoch off a Cluster object', () => {
    const cluster = ClusterBcs.serialize({
      id: CLUSTER,
      name: 'c',
      config: {
        min_write_stake: 0,
        min_executor_stake: 0,
        request_fee: 0,
        max_payload_bytes: 0,
        max_response_bytes: 0,
        claim_lease_ms: 0,
        max_hold_ms: 0,
        executor_unbonding_ms: 0,
        stake_cooldown_ms: 0,
        slash_penalty: 0,
      },
      paused: false,
      revoked: { id: CLUSTER, size: 0 },
      active_executors: 1,
      slashed: { value: 0 },
      confidentiality: { mode: 1, key_servers: KS, threshold: 2, executor_epoch: 5 },
    }).toBytes();
    expect(clusterConfidentiality(ClusterBcs.parse(cluster))).toEqual({
      mode: 'seal',
      keyServers: KS,
      threshold: 2,
      executorEpoch: 5n,
    });
    expect(
      clusterConfidentiality({
        confidentiality: { mode: 0, key_servers: [], threshold: 0, executor_epoch: '0' },
      }),
    ).toEqual({ mode: 'none', executorEpoch: 0n });
    expect(() =>
      clusterConfidentiality({
        confidentiality: { mode: 9, key_servers: [], threshold: 0, executor_epoch: '0' },
      }),
    ).toThrow(/unknown confidentiality mode 9/);
  });
});

type MoveCallData = { package: string; module: string; function: string; arguments: { Input?: number }[] };
function pureArgs(tx: Transaction): Uint8Array[] {
  const data = tx.getData();
  const call = (data.commands.at(-1) as unknown as { MoveCall: MoveCallData }).MoveCall;
  return call.arguments.map((a) => {
    const input = data.inputs[a.Input ?? -1];
    return input?.$kind === 'Pure' ? Buffer.from(input.Pure.bytes, 'base64') : new Uint8Array();
  });
}

describe('transactions', () => {
  const config = {
    minWriteStake: 1n,
    minExecutorStake: 1n,
    requestFee: 0n,
    maxPayloadBytes: 1000,
    maxResponseBytes: 1000,
    claimLeaseMs: 10,
    maxHoldMs: 10,
    executorUnbondingMs: 0,
    stakeCooldownMs: 0,
    slashPenalty: 0n,
  };

  it('create_cluster carries mode, key servers and threshold after the config', () => {
    const tx = new Transaction();
    calls.createCluster(tx, PKG, {
      name: 'c',
      config,
      confidentiality: { mode: 'seal', keyServers: KS, threshold: 2 },
    });
    const args = pureArgs(tx);
    expect(args.length).toBe(14);
    expect([...args[11]!]).toEqual([1]);
    expect(bcs.vector(bcs.Address).parse(args[12]!)).toEqual(KS);
    expect([...args[13]!]).toEqual([2]);
    const none = new Transaction();
    calls.createCluster(none, PKG, { name: 'c', config, confidentiality: { mode: 'none' } });
    expect(
      pureArgs(none)
        .slice(11)
        .map((a) => [...a]),
    ).toEqual([[0], [0], [0]]);
    expect(() =>
      calls.createCluster(new Transaction(), PKG, {
        name: 'c',
        config,
        confidentiality: { mode: 'seal', keyServers: KS, threshold: 0 },
      }),
    ).toThrow(/threshold/);
  });

  it('execute carries the response Seal id after the payload digest (empty when omitted)', () => {
    const rid = sealResponseId({ clusterId: CLUSTER, requester: ALICE, nonce: NONCE });
    const base = {
      cluster: CLUSTER,
      token: '0x' + '70'.repeat(32),
      requestId: 'r-1',
      verb: 'get',
      apiGroup: '',
      version: 'v1',
      resource: 'pods',
      subresource: '',
      namespace: 'dev',
      name: '',
      query: '',
      contentType: '',
      accept: '',
      contentEncoding: '',
      payload: new Uint8Array(),
      fee: 0n,
    };
    const tx = new Transaction();
    calls.executeKubectlCommand(tx, PKG, { ...base, responseSealId: rid });
    expect(Uint8Array.from(bcs.vector(bcs.u8()).parse(pureArgs(tx)[18]!))).toEqual(rid);
    const clear = new Transaction();
    calls.executeKubectlCommand(clear, PKG, base);
    expect(bcs.vector(bcs.u8()).parse(pureArgs(clear)[18]!)).toEqual([]);
  });

  it('the policy PTBs call seal_approve_* with the id first, and build as transaction-kind bytes', async () => {
    const pid = sealPayloadId({ clusterId: CLUSTER, epoch: 3, requester: ALICE, nonce: NONCE });
    const rid = sealResponseId({ clusterId: CLUSTER, requester: ALICE, nonce: NONCE });
    const tx = new Transaction();
    const shared = (objectId: string) =>
      tx.sharedObjectRef({ objectId, initialSharedVersion: 3, mutable: false });
    sealApprovePayload(tx, PKG, {
      id: pid,
      cluster: shared(CLUSTER),
      executor: shared('0x' + 'e0'.repeat(32)),
    });
    sealApproveResponse(tx, PKG, { id: rid, cluster: shared(CLUSTER) });
    const kind = bcs.TransactionKind.parse(await sealApproveTxBytes(tx));
    const commands = kind.ProgrammableTransaction?.commands ?? [];
    expect(commands.map((c) => c.MoveCall?.function)).toEqual([
      'seal_approve_payload',
      'seal_approve_response',
    ]);
    expect(commands.every((c) => c.MoveCall?.module === 'k8s_gateway' && c.MoveCall.package === PKG)).toBe(
      true,
    );
    const inputs = kind.ProgrammableTransaction?.inputs ?? [];
    const first = commands[0]?.MoveCall?.arguments[0];
    const idInput = inputs[first?.$kind === 'Input' ? first.Input : -1];
    // Pure input bytes decode as base64 (BCS of vector<u8>).
    const pure = Buffer.from(String(idInput?.Pure?.bytes ?? ''), 'base64');
    expect(Uint8Array.from(bcs.vector(bcs.u8()).parse(pure))).toEqual(pid);
  });

  it('the Move policies take exactly (id, objects the caller passes by id, ctx)', () => {
    const source = readFileSync(MOVE_SOURCE, 'utf8');
    expect(source).toMatch(
      /entry fun seal_approve_payload\(id: vector<u8>, cluster: &Cluster, executor: &Executor, ctx: &TxContext\)/,
    );
    expect(source).toMatch(
      /entry fun seal_approve_response\(id: vector<u8>, cluster: &Cluster, ctx: &TxContext\)/,
    );
  });
});
