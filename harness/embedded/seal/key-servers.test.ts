/**
 * The unmodified @mysten/seal SealClient against the embedded key servers on the embedded chain:
 * registration read by the SDK, proof of possession verified by the SDK, a policy (test
 * package `seal_policy::allowlist`) checked by simulation, keys verified by the SDK's pairing
 * check and used to decrypt; refusals carry the real server's error names.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromHex, toHex } from '@mysten/bcs';
import { SuiGrpcClient } from '@mysten/sui/grpc';
import { Transaction } from '@mysten/sui/transactions';
import type { Ed25519Keypair } from '@mysten/sui/keypairs/ed25519';
import {
  ExpiredSessionKeyError,
  InvalidPTBError,
  InvalidSessionKeySignatureError,
  NoAccessError,
  SealAPIError,
  SealClient,
  SessionKey,
} from '@mysten/seal';
import { startEmbeddedSui, type EmbeddedSui } from '../sui/index.ts';
import { frameworkModules } from '../sui/compiled.ts';
import { startSealKeyServers, type SealKeyServers } from './index.ts';
import { compiledPackage, TEST_POLICY_PACKAGE_DIR } from './compiled.ts';
import { publishPackage } from './registration.ts';

let chain: EmbeddedSui;
let client: SuiGrpcClient;
let ks: SealKeyServers;
let operator: Ed25519Keypair;
let alice: Ed25519Keypair;
let mallory: Ed25519Keypair;
let policyPkg: string;
let allowlistId: string;

async function createAllowlist(allowed: string[]): Promise<string> {
  const tx = new Transaction();
  tx.moveCall({ target: `${policyPkg}::allowlist::create`, arguments: [tx.pure.vector('address', allowed)] });
  const r = await client.signAndExecuteTransaction({
    transaction: tx,
    signer: operator,
    include: { objectTypes: true },
  });
  if (r.$kind !== 'Transaction')
    throw new Error(`allowlist::create failed: ${r.FailedTransaction.status.error?.message}`);
  const hit = Object.entries(r.Transaction.objectTypes ?? {}).find(([, t]) =>
    t.endsWith('::allowlist::Allowlist'),
  );
  if (!hit) throw new Error('no Allowlist created');
  return hit[0];
}

function sealClient(): SealClient {
  return new SealClient({
    suiClient: client,
    serverConfigs: ks.serverConfigs,
    verifyKeyServers: true,
    timeout: 10_000,
  });
}

/** A key id under the allowlist: its object id ‖ a nonce. */
function keyId(nonce: number): string {
  return toHex(new Uint8Array([...fromHex(allowlistId), nonce]));
}

async function approveTx(id: string, list = allowlistId): Promise<Uint8Array> {
  const tx = new Transaction();
  tx.moveCall({
    target: `${policyPkg}::allowlist::seal_approve`,
    arguments: [tx.pure.vector('u8', fromHex(id)), tx.object(list)],
  });
  return tx.build({ client, onlyTransactionKind: true });
}

function session(who: Ed25519Keypair, ttlMin = 10): Promise<SessionKey> {
  return SessionKey.create({
    address: who.toSuiAddress(),
    packageId: policyPkg,
    ttlMin,
    signer: who,
    suiClient: client,
  });
}

async function encrypt(id: string, text: string): Promise<Uint8Array> {
  const { encryptedObject } = await sealClient().encrypt({
    threshold: ks.threshold,
    packageId: policyPkg,
    id,
    data: new TextEncoder().encode(text),
  });
  return encryptedObject;
}

beforeAll(async () => {
  chain = await startEmbeddedSui({ accounts: 4, frameworkModules: await frameworkModules() });
  client = new SuiGrpcClient({ network: 'localnet', baseUrl: chain.url });
  [operator, alice, mallory] = chain.accounts.map((a) => a.keypair) as [
    Ed25519Keypair,
    Ed25519Keypair,
    Ed25519Keypair,
  ];
  ks = await startSealKeyServers({ client, signer: operator });
  policyPkg = await publishPackage(
    client,
    operator,
    await compiledPackage(TEST_POLICY_PACKAGE_DIR),
    'seal_policy',
  );
  allowlistId = await createAllowlist([alice.toSuiAddress()]);
}, 120_000);

afterAll(async () => {
  await ks?.stop();
  await chain?.stop();
});

describe('embedded Seal key servers with the unmodified SealClient', () => {
  it('registers 3 servers (threshold 2) that the SDK reads and verifies (proof of possession)', async () => {
    expect(ks.servers).toHaveLength(3);
    expect(ks.threshold).toBe(2);
    const servers = await sealClient().getKeyServers();
    for (const h of ks.servers) {
      const s = servers.get(h.objectId);
      expect(s, `SDK did not load ${h.objectId}`).toBeDefined();
      expect(s!.url).toBe(h.url);
      expect(s!.name).toBe(h.name);
      expect(toHex(s!.pk)).toBe(toHex(h.publicKey));
    }
  });

  it('an allowed identity encrypts and decrypts', async () => {
    const id = keyId(1);
    const data = await encrypt(id, 'hunter2');
    const sk = await session(alice);
    const plain = await sealClient().decrypt({ data, sessionKey: sk, txBytes: await approveTx(id) });
    expect(new TextDecoder().decode(plain)).toBe('hunter2');
    for (const h of ks.servers) expect(h.server.stats.served).toBeGreaterThan(0);
  });

  it('a second identity is refused with NoAccess', async () => {
    const id = keyId(2);
    const data = await encrypt(id, 'not for mallory');
    const sk = await session(mallory);
    await expect(
      sealClient().decrypt({ data, sessionKey: sk, txBytes: await approveTx(id) }),
    ).rejects.toBeInstanceOf(NoAccessError);
    for (const h of ks.servers) expect(h.server.stats.refused.NoAccess).toBeGreaterThan(0);
  });

  it('an id outside the allowlist prefix is refused with NoAccess even for the allowed identity', async () => {
    const other = toHex(new Uint8Array(33).fill(7));
    const data = await encrypt(other, 'wrong prefix');
    const sk = await session(alice);
    await expect(
      sealClient().decrypt({ data, sessionKey: sk, txBytes: await approveTx(other) }),
    ).rejects.toBeInstanceOf(NoAccessError);
  });

  it('one server down (2 of 3 up) still decrypts; two down fails', async () => {
    // verifyKeyServers: true makes the SDK fetch every server's PoP when it first loads them,
    // so the client is loaded while all are up (a down server then fails the whole load).
    const c = sealClient();
    await c.getKeyServers();
    const data = await encrypt(keyId(3), 'threshold');
    const data2 = await encrypt(keyId(5), 'below threshold');
    await ks.server(0).stop();
    let belowThreshold: unknown;
    try {
      const plain = await c.decrypt({
        data,
        sessionKey: await session(alice),
        txBytes: await approveTx(keyId(3)),
      });
      expect(new TextDecoder().decode(plain)).toBe('threshold');
      await ks.server(1).stop();
      belowThreshold = await c
        .decrypt({ data: data2, sessionKey: await session(alice), txBytes: await approveTx(keyId(5)) })
        .then(
          () => undefined,
          (e: unknown) => e,
        );
    } finally {
      await ks.server(0).start();
      await ks.server(1).start();
    }
    expect(belowThreshold).toBeInstanceOf(Error);
    expect(String(belowThreshold)).toMatch(/fetch failed|ECONNREFUSED|TooManyFailed/i);
    // back up on the same ports: the registered URLs work again
    const plain = await c.decrypt({
      data: data2,
      sessionKey: await session(alice),
      txBytes: await approveTx(keyId(5)),
    });
    expect(new TextDecoder().decode(plain)).toBe('below threshold');
  });
});

/** Raw fetch_key requests built from an SDK session key, to refuse them one check at a time. */
describe('fetch_key refusals carry the real server error names', () => {
  async function request(
    mutate: (body: Record<string, unknown>) => void,
    sk?: SessionKey,
  ): Promise<Response> {
    const key = sk ?? (await session(alice));
    const txBytes = await approveTx(keyId(9));
    const params = await key.createRequestParams(txBytes);
    const body: Record<string, unknown> = {
      ptb: Buffer.from(txBytes.slice(1)).toString('base64'),
      enc_key: Buffer.from(params.encKeyPk).toString('base64'),
      enc_verification_key: Buffer.from(params.encVerificationKey).toString('base64'),
      request_signature: params.requestSignature,
      certificate: await key.getCertificate(),
    };
    mutate(body);
    return fetch(`${ks.server(2).url}/v1/fetch_key`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'client-sdk-type': 'typescript',
        'client-sdk-version': '1.4.12',
      },
      body: JSON.stringify(body),
    });
  }

  async function sdkError(res: Response): Promise<unknown> {
    expect(res.headers.get('x-keyserver-version')).toBe('0.6.10');
    try {
      await SealAPIError.assertResponse(res, 'test');
    } catch (e) {
      return e;
    }
    return undefined;
  }

  it('a valid request is answered with one key per id', async () => {
    const res = await request(() => {});
    expect(res.status).toBe(200);
    const json = (await res.json()) as { decryption_keys: { id: number[]; encrypted_key: string[] }[] };
    expect(json.decryption_keys).toHaveLength(1);
    expect(toHex(Uint8Array.from(json.decryption_keys[0]!.id))).toBe(toHex(fromHex(policyPkg)) + keyId(9));
    expect(json.decryption_keys[0]!.encrypted_key).toHaveLength(2);
  });

  it('malformed PTB → 403 InvalidPTB', async () => {
    const res = await request((b) => {
      b.ptb = Buffer.from([1, 2, 3]).toString('base64');
    });
    expect(res.status).toBe(403);
    const body = (await res.clone().json()) as { error: string; message: string };
    expect(body).toEqual({ error: 'InvalidPTB', message: 'Invalid PTB: Invalid BCS' });
    expect(await sdkError(res)).toBeInstanceOf(InvalidPTBError);
  });

  it('a PTB calling a non-seal_approve function → InvalidPTB', async () => {
    const tx = new Transaction();
    tx.moveCall({
      target: `${policyPkg}::allowlist::create`,
      arguments: [tx.pure.vector('u8', [1]), tx.pure.vector('address', [])],
    });
    const bytes = await tx.build({ client, onlyTransactionKind: true });
    const res = await request((b) => {
      b.ptb = Buffer.from(bytes.slice(1)).toString('base64');
    });
    expect(((await res.json()) as { error: string; message: string }).message).toBe(
      'Invalid PTB: Invalid function or package id',
    );
  });

  it('expired certificate → 403 InvalidCertificate (the SDK: ExpiredSessionKeyError)', async () => {
    const sk = await session(alice, 1);
    const res = await request((b) => {
      const cert = b.certificate as { creation_time: number };
      cert.creation_time -= 2 * 60_000; // older than its 1-minute ttl
    }, sk);
    expect(res.status).toBe(403);
    expect(((await res.clone().json()) as { error: string }).error).toBe('InvalidCertificate');
    expect(await sdkError(res)).toBeInstanceOf(ExpiredSessionKeyError);
  });

  it('a certificate whose user signature does not match → InvalidSignature', async () => {
    const res = await request((b) => {
      (b.certificate as { user: string }).user = mallory.toSuiAddress();
    });
    expect(((await res.json()) as { error: string }).error).toBe('InvalidSignature');
  });

  it('bad request signature → 403 InvalidSessionSignature', async () => {
    const other = await (await session(alice)).createRequestParams(await approveTx(keyId(9)));
    const res = await request((b) => {
      b.request_signature = other.requestSignature; // signed by another session key
    });
    expect(res.status).toBe(403);
    expect(((await res.clone().json()) as { error: string }).error).toBe('InvalidSessionSignature');
    expect(await sdkError(res)).toBeInstanceOf(InvalidSessionKeySignatureError);
  });

  it('no SDK version header → 400 MissingRequiredHeader; /v1/service of another object → InvalidServiceId', async () => {
    const res = await fetch(`${ks.server(0).url}/v1/service?service_id=${ks.server(1).objectId}`, {
      headers: { 'client-sdk-version': '1.4.12' },
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toBe('InvalidServiceId');
    const bare = await fetch(`${ks.server(0).url}/v1/service?service_id=${ks.server(0).objectId}`);
    expect(bare.status).toBe(400);
    expect(await bare.json()).toEqual({
      error: 'MissingRequiredHeader',
      message: 'Missing required header: Client-Sdk-Version',
    });
  });

  it('a refusing server answers its refusal; the others still reach the threshold', async () => {
    const id = keyId(4);
    const data = await encrypt(id, 'refusal');
    ks.server(1).refuse({ error: 'Failure', detail: 'harness' });
    try {
      const plain = await sealClient().decrypt({
        data,
        sessionKey: await session(alice),
        txBytes: await approveTx(id),
      });
      expect(new TextDecoder().decode(plain)).toBe('refusal');
      expect(ks.server(1).server.stats.refused.Failure).toBeGreaterThan(0);
    } finally {
      ks.server(1).refuse(undefined);
    }
  });
});
