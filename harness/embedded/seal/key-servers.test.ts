/**
 * The unmodified @mysten/seal SealClient against the embedded key servers on the embedded chain:
 * registration read by the SDK, proof of possession verified by the SDK, a policy (test
 * package `seal_policy::allowlist`) checked by simulation, keys verified by the SDK's pairing
 * check and used to decrypt; refusals carry the real server's error names.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromHex, toHex } from '@mysten/bcs';
import { SuiGrpcClient } from '@mysten/sui/grpc';
import { Transaction } from '@mysten/sui/transactions';
import type { Ed25519Keypair } from '@mysten/sui/keypairs/ed25519';
import {
  ExpiredSessionKeyError,
  InvalidKeyServerError,
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
import { publishPackage, registerKeyServer } from './registration.ts';
import { EmbeddedKeyServer } from './key-server.ts';
import { deriveMasterKey } from './crypto.ts';

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

async function run(signer: Ed25519Keypair, build: (tx: Transaction) => void) {
  const tx = new Transaction();
  build(tx);
  const r = await client.signAndExecuteTransaction({
    transaction: tx,
    signer,
    include: { objectTypes: true },
  });
  if (r.$kind !== 'Transaction')
    throw new Error(`transaction failed: ${r.FailedTransaction.status.error?.message}`);
  return r.Transaction;
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
});

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

  it('V1 registrations (KeyServer 1..1 + KeyServerV1) are read and verified by the SDK too', async () => {
    const v1 = await startSealKeyServers({
      client,
      signer: operator,
      count: 1,
      threshold: 1,
      version: 1,
      packageId: ks.packageId,
      namePrefix: 'embedded-seal-v1',
    });
    try {
      const c = new SealClient({
        suiClient: client,
        serverConfigs: v1.serverConfigs,
        verifyKeyServers: true,
      });
      const loaded = await c.getKeyServers();
      expect(loaded.get(v1.server(0).objectId)?.url).toBe(v1.server(0).url);
      const df = await client.core.getDynamicField({
        parentId: v1.server(0).objectId,
        name: { type: 'u64', bcs: new Uint8Array([1, 0, 0, 0, 0, 0, 0, 0]) },
      });
      expect(df.dynamicField.value.type).toMatch(/::key_server::KeyServerV1$/);
    } finally {
      await v1.stop();
    }
  });

  it('a server registered with a public key it does not hold fails the SDK proof-of-possession check', async () => {
    const impostor = new EmbeddedKeyServer({
      name: 'impostor',
      master: deriveMasterKey(new Uint8Array(32).fill(5), 0n),
      client,
    });
    await impostor.start();
    try {
      impostor.objectId = await registerKeyServer(client, operator, ks.packageId, {
        name: 'impostor',
        url: impostor.url,
        publicKey: ks.server(0).publicKey, // someone else's key
      });
      const c = new SealClient({
        suiClient: client,
        serverConfigs: [{ objectId: impostor.objectId, weight: 1 }],
        verifyKeyServers: true,
      });
      await expect(c.getKeyServers()).rejects.toBeInstanceOf(InvalidKeyServerError);
    } finally {
      await impostor.stop();
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
    // the dry run's abort, kept for the log as the real server logs it
    expect(ks.server(0).server.stats.lastRefusal?.error).toBe('NoAccess');
    expect(ks.server(0).server.stats.lastRefusal?.detail).toMatch(/abort 1 .*::allowlist::seal_approve/i);
    expect(ks.server(0).server.stats.lastRefusal?.requestId).toMatch(/^[0-9a-f-]{36}$/); // the SDK's Request-Id
  });

  it('an id outside the allowlist prefix is refused with NoAccess even for the allowed identity', async () => {
    const other = toHex(new Uint8Array(33).fill(7));
    const data = await encrypt(other, 'wrong prefix');
    const sk = await session(alice);
    await expect(
      sealClient().decrypt({ data, sessionKey: sk, txBytes: await approveTx(other) }),
    ).rejects.toBeInstanceOf(NoAccessError);
  });

  it('an owned input changed after the PTB was built is checked at its current version (as the real server strips versions)', async () => {
    const issued = await run(operator, (tx) =>
      tx.moveCall({
        target: `${policyPkg}::allowlist::issue`,
        arguments: [tx.pure.address(alice.toSuiAddress())],
      }),
    );
    const passId = Object.entries(issued.objectTypes ?? {}).find(([, t]) =>
      t.endsWith('::allowlist::Pass'),
    )![0];
    const id = toHex(new Uint8Array([...fromHex(passId), 1]));
    const data = await encrypt(id, 'owned');
    const tx = new Transaction();
    tx.moveCall({
      target: `${policyPkg}::allowlist::seal_approve_pass`,
      arguments: [tx.pure.vector('u8', fromHex(id)), tx.object(passId)],
    });
    const txBytes = await tx.build({ client, onlyTransactionKind: true });
    await run(alice, (t) =>
      t.moveCall({ target: `${policyPkg}::allowlist::touch`, arguments: [t.object(passId)] }),
    );
    const plain = await sealClient().decrypt({ data, sessionKey: await session(alice), txBytes });
    expect(new TextDecoder().decode(plain)).toBe('owned');
  });

  it('serves sequential key fetches (latency per server in the log)', async () => {
    const id = keyId(6);
    const data = await encrypt(id, 'latency');
    const before = ks.servers.map((h) => h.server.stats.served);
    const sk = await session(alice);
    const txBytes = await approveTx(id);
    const wall: number[] = [];
    const rounds = 10;
    for (let i = 0; i < rounds; i++) {
      const t0 = performance.now();
      await sealClient().decrypt({ data, sessionKey: sk, txBytes }); // a fresh client: no cached keys
      wall.push(performance.now() - t0);
    }
    const served = ks.servers.map((h, i) => h.server.stats.served - before[i]!);
    expect(served.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(rounds * ks.threshold);
    const p50 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!.toFixed(1);
    const phases = ks.servers.flatMap((h, i) => h.server.stats.recentPhasesMs.slice(-served[i]!));
    const ph = (k: 'checks' | 'signatures' | 'policy' | 'derive') => p50(phases.map((x) => x[k]));
    console.log(
      `seal decrypt p50 ${p50(wall)} ms (client view, ${rounds} rounds, fresh SealClient each); fetch_key p50 per server: ` +
        ks.servers
          .map((h, i) => `${h.name} ${p50(h.server.stats.recentMs.slice(-served[i]!))} ms`)
          .join(', ') +
        `; phases p50: checks ${ph('checks')}, signatures ${ph('signatures')}, policy ${ph('policy')}, derive ${ph('derive')} ms`,
    );
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
    tx?: Uint8Array,
  ): Promise<Response> {
    const key = sk ?? (await session(alice));
    const txBytes = tx ?? (await approveTx(keyId(9)));
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

  /** A seal_approve-shaped PTB built offline (fully resolved inputs), signed like any other. */
  async function offlinePtb(target: string, list: { objectId: string; initialSharedVersion: number }) {
    const tx = new Transaction();
    tx.moveCall({
      target,
      arguments: [tx.pure.vector('u8', fromHex(keyId(9))), tx.sharedObjectRef({ ...list, mutable: false })],
    });
    return tx.build({ onlyTransactionKind: true });
  }

  async function allowlistRef() {
    const { object } = await client.core.getObject({ objectId: allowlistId, include: { json: false } });
    const owner = object.owner as { $kind: string; Shared?: { initialSharedVersion: string } };
    return { objectId: allowlistId, initialSharedVersion: Number(owner.Shared!.initialSharedVersion) };
  }

  it('a package that does not exist → InvalidPackage', async () => {
    const tx = await offlinePtb(`0x${'42'.repeat(32)}::allowlist::seal_approve`, await allowlistRef());
    const res = await request(() => {}, undefined, tx);
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ error: 'InvalidPackage', message: 'Invalid package ID' });
  });

  it('a seal_approve function the module lacks → InvalidPTB (function not found)', async () => {
    const tx = await offlinePtb(`${policyPkg}::allowlist::seal_approve_missing`, await allowlistRef());
    const res = await request(() => {}, undefined, tx);
    const body = (await res.json()) as { error: string; message: string };
    expect(body.error).toBe('InvalidPTB');
    expect(body.message).toBe('Invalid PTB: The seal_approve function was not found on the module');
  });

  it('an object the chain does not have → InvalidParameter', async () => {
    const tx = await offlinePtb(`${policyPkg}::allowlist::seal_approve`, {
      objectId: `0x${'43'.repeat(32)}`,
      initialSharedVersion: 1,
    });
    const res = await request(() => {}, undefined, tx);
    const body = (await res.json()) as { error: string; message: string };
    expect(res.status).toBe(403);
    expect(body.error).toBe('InvalidParameter');
  });

  it('an MVR name in the certificate → InvalidMVRName (no MVR registry here)', async () => {
    const res = await request((b) => {
      (b.certificate as { mvr_name?: string }).mvr_name = '@k3s/policy';
    });
    expect(((await res.json()) as { error: string }).error).toBe('InvalidMVRName');
  });

  it('a ttl above the 30-minute maximum → InvalidCertificate', async () => {
    const res = await request((b) => {
      (b.certificate as { ttl_min: number }).ttl_min = 31;
    });
    expect(((await res.json()) as { error: string }).error).toBe('InvalidCertificate');
  });

  it('a fetch_key body that is not declared JSON → 415 (axum), before any Seal check', async () => {
    const res = await fetch(`${ks.server(0).url}/v1/fetch_key`, {
      method: 'POST',
      headers: {
        'client-sdk-type': 'typescript',
        'client-sdk-version': '1.4.12',
        'content-type': 'text/plain',
      },
      body: '{}',
    });
    expect(res.status).toBe(415);
    expect(res.headers.get('x-keyserver-version')).toBe('0.6.10');
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

describe('cli.ts: the key servers as their own process', () => {
  it('registers on the chain at --grpc-url and serves the SealClient', async () => {
    const cli = path.join(path.dirname(fileURLToPath(import.meta.url)), 'cli.ts');
    const secret = chain.accounts[3]!.keypair.getSecretKey();
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        cli,
        '--grpc-url',
        chain.url,
        '--count',
        '2',
        '--threshold',
        '2',
        '--package-id',
        ks.packageId,
      ],
      { env: { ...process.env, SEAL_KS_SECRET_KEY: secret }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    try {
      const line = await new Promise<string>((resolve, reject) => {
        createInterface({ input: child.stdout }).once('line', resolve);
        child.once('exit', (code) => reject(new Error(`cli exited with ${code}: ${stderr}`)));
      });
      const banner = JSON.parse(line) as {
        packageId: string;
        threshold: number;
        servers: { objectId: string; url: string }[];
      };
      expect(banner.packageId).toBe(ks.packageId);
      expect(banner.servers).toHaveLength(2);
      const c = new SealClient({
        suiClient: client,
        serverConfigs: banner.servers.map((x) => ({ objectId: x.objectId, weight: 1 })),
        verifyKeyServers: true,
      });
      const id = keyId(8);
      const { encryptedObject } = await c.encrypt({
        threshold: 2,
        packageId: policyPkg,
        id,
        data: new Uint8Array([42]),
      });
      const plain = await c.decrypt({
        data: encryptedObject,
        sessionKey: await session(alice),
        txBytes: await approveTx(id),
      });
      expect(Array.from(plain)).toEqual([42]);
    } finally {
      child.kill('SIGTERM');
    }
  });
});

describe('against a node serving only what a Sui 1.71 full node serves (rpcProfile 1.71)', () => {
  it('registers, verifies and releases keys with the same code', async () => {
    const node = await startEmbeddedSui({
      accounts: 2,
      rpcProfile: '1.71',
      frameworkModules: await frameworkModules(),
    });
    const c171 = new SuiGrpcClient({ network: 'localnet', baseUrl: node.url });
    const [op, user] = node.accounts.map((a) => a.keypair) as [Ed25519Keypair, Ed25519Keypair];
    const servers = await startSealKeyServers({ client: c171, signer: op, count: 2, threshold: 2 });
    try {
      const pkg = await publishPackage(
        c171,
        op,
        await compiledPackage(TEST_POLICY_PACKAGE_DIR),
        'seal_policy',
      );
      const create = new Transaction();
      create.moveCall({
        target: `${pkg}::allowlist::create`,
        arguments: [create.pure.vector('address', [user.toSuiAddress()])],
      });
      const r = await c171.signAndExecuteTransaction({
        transaction: create,
        signer: op,
        include: { objectTypes: true },
      });
      const list = Object.entries(r.Transaction?.objectTypes ?? {}).find(([, t]) =>
        t.endsWith('::allowlist::Allowlist'),
      )![0];
      const id = toHex(new Uint8Array([...fromHex(list), 1]));
      const seal = new SealClient({
        suiClient: c171,
        serverConfigs: servers.serverConfigs,
        verifyKeyServers: true,
      });
      const { encryptedObject } = await seal.encrypt({
        threshold: 2,
        packageId: pkg,
        id,
        data: new Uint8Array([7]),
      });
      const tx = new Transaction();
      tx.moveCall({
        target: `${pkg}::allowlist::seal_approve`,
        arguments: [tx.pure.vector('u8', fromHex(id)), tx.object(list)],
      });
      const sk = await SessionKey.create({
        address: user.toSuiAddress(),
        packageId: pkg,
        ttlMin: 5,
        signer: user,
        suiClient: c171,
      });
      const plain = await seal.decrypt({
        data: encryptedObject,
        sessionKey: sk,
        txBytes: await tx.build({ client: c171, onlyTransactionKind: true }),
      });
      expect(Array.from(plain)).toEqual([7]);
    } finally {
      await servers.stop();
      await node.stop();
    }
  });
});
