/**
 * Confidentiality end to end (issue #17): real kubectl → gateway → k8s_gateway on the embedded
 * Sui node → listener → embedded Kubernetes, on a Seal cluster served by three embedded key
 * servers (threshold 2). Planted plaintexts — a Secret value, a ConfigMap value, a pod env
 * value — go in with create/apply and come back with get -o yaml; other identities, a removed
 * executor and an unrelated reader of the whole chain then try to read them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { Transaction } from '@mysten/sui/transactions';
import type { Keypair } from '@mysten/sui/cryptography';
import {
  K8sAPIRequestBcs,
  K8sAPIResponseBcs,
  contractType,
  joinChunks,
  removeExecutor,
  sealApprovePayload,
  sealApproveResponse,
  sealApproveTxBytes,
  sealIdFromHex,
  type K8sAPIRequestEvent,
} from '../../src/contract/index.ts';
import { listEventsAfter } from '../../src/sui/events.ts';
import { clusterSettingReader } from '../../src/confidentiality/cluster-setting.ts';
import { settingsOf } from '../../src/confidentiality/gateway-seal.ts';
import { SealParty } from '../../src/confidentiality/seal-party.ts';
import { SealFailure } from '../../src/confidentiality/seal-failure.ts';
import { run } from '../embedded/sui/test/contract-setup.ts';
import { ALL, startE2EStack, type E2EStack } from './e2e-stack.ts';
import { findPlaintexts, readWholeChain } from './chain-reader.ts';

const tag = randomBytes(4).toString('hex');
const SECRET = `hunter2-${tag}`;
const CONFIG = `cfg-value-${tag}`;
const ENV = `env-value-${tag}`;
const LATER = `after-removal-${tag}`;

const POD = `apiVersion: v1
kind: Pod
metadata: { name: app }
spec:
  containers:
    - name: app
      image: busybox:1.36
      env:
        - { name: TOKEN, value: "${ENV}" }
`;

let s: E2EStack;

beforeAll(async () => {
  s = await startE2EStack([
    { name: 'owner', rules: [ALL], stake: 1_000_000n },
    { name: 'other', rules: [ALL], stake: 1_000_000n },
    { name: 'late', rules: [ALL], stake: 1_000_000n },
  ]);
  await s.startListener(0);
}, 300_000);

afterAll(async () => {
  await s?.stop();
}, 60_000);

const keyOf = (name: string): Keypair => s.keystore.require(s.identities.byName(name)!.address);

/** A decrypting party of `signer` with the cluster's key servers (its own SealClient). */
async function partyOf(signer: Keypair): Promise<SealParty> {
  const setting = await clusterSettingReader(s.client, s.g.clusterId)();
  if (setting.mode !== 'seal') throw new Error('the e2e cluster is not a Seal cluster');
  return new SealParty({
    client: s.client,
    packageId: s.g.packageId,
    settings: settingsOf(setting, {}),
    signer,
  });
}

async function events<T>(name: string, parse: (b: Uint8Array) => T): Promise<T[]> {
  const out: T[] = [];
  for await (const f of listEventsAfter(s.client, contractType(s.g.packageId, name), undefined))
    if (f.event) out.push(parse(f.event.bcs));
  return out;
}

/** The `nth` (−1: last) create of `resource` with a payload by `identity`. */
const createOf = async (identity: string, resource: string, nth: number): Promise<K8sAPIRequestEvent> => {
  const address = s.identities.byName(identity)!.address;
  const all = (await events('K8sAPIRequest', (b) => K8sAPIRequestBcs.parse(b))).filter(
    (e) => e.requester === address && e.resource === resource && e.verb === 'create' && e.payload.length > 0,
  );
  const hit = all.at(nth);
  if (!hit) throw new Error(`no create of ${resource} with a payload by ${identity}`);
  return hit;
};

const payloadApproval = (executorObjectId: string) => async (id: string) => {
  const tx = new Transaction();
  sealApprovePayload(tx, s.g.packageId, {
    id: sealIdFromHex(id),
    cluster: s.g.clusterId,
    executor: executorObjectId,
  });
  return sealApproveTxBytes(tx, s.client);
};

describe('confidentiality with Seal through the real kubectl', () => {
  it('the requester reads its own answers: Secret, ConfigMap and pod env round-trip in clear for kubectl', async () => {
    const steps: string[][] = [
      ['create', 'secret', 'generic', 's', `--from-literal=password=${SECRET}`, '-n', 'default'],
      ['create', 'configmap', 'c', `--from-literal=key=${CONFIG}`, '-n', 'default'],
      ['get', 'secret', 's', '-o', 'yaml', '-n', 'default'],
      ['get', 'configmap', 'c', '-o', 'json', '-n', 'default'],
    ];
    for (const args of steps) {
      const r = await s.kubectl('owner', args);
      expect(r.exitCode, `kubectl ${args.join(' ')}: ${r.stderr}`).toBe(0);
    }
    const applied = await s.kubectl('owner', ['apply', '-f', '-', '-n', 'default'], { input: POD });
    expect(applied.exitCode, applied.stderr).toBe(0);
    const pod = await s.kubectl('owner', ['get', 'pod', 'app', '-o', 'yaml', '-n', 'default']);
    expect(pod.exitCode, pod.stderr).toBe(0);
    expect(pod.stdout).toContain(ENV);
    const secret = await s.kubectl('owner', [
      'get',
      'secret',
      's',
      '-o',
      'jsonpath={.data.password}',
      '-n',
      'default',
    ]);
    expect(Buffer.from(secret.stdout, 'base64').toString()).toBe(SECRET);
    // The SDK's own key-server check (verifyKeyServers: proof of possession) accepts the servers.
    expect(await (await partyOf(keyOf('owner'))).verify()).toEqual([]);
    // Encrypted on the way, and key fetches amortised: one round per session, not per answer.
    const stats = s.gateway.chain.sealStats();
    expect(stats.decryptions).toBeGreaterThan(5);
    expect(stats.keyFetchRounds).toBeLessThanOrEqual(2);
  });

  it("a second identity cannot decrypt another identity's response (the key servers refuse it the key)", async () => {
    const answers = await events('K8sAPIResponse', (b) => K8sAPIResponseBcs.parse(b));
    const req = await createOf('owner', 'secrets', 0);
    const answer = answers.find((a) => a.request_object_id === req.request_object_id)!;
    const body = joinChunks(answer.body.map((c) => Uint8Array.from(c)));
    const approve = async (id: string) => {
      const tx = new Transaction();
      sealApproveResponse(tx, s.g.packageId, { id: sealIdFromHex(id), cluster: s.g.clusterId });
      return sealApproveTxBytes(tx, s.client);
    };
    const other = await partyOf(keyOf('other'));
    const refused = await other.decrypt(body, approve, 'other reads owner').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(SealFailure);
    expect((refused as SealFailure).code).toBe(403);
    expect((refused as SealFailure).message).toMatch(/NoAccess/);
    // The requester's own key opens the same bytes (the refusal is the policy, not the bytes).
    const owner = await partyOf(keyOf('owner'));
    await expect(owner.decrypt(body, approve, 'owner reads owner')).resolves.toBeInstanceOf(Uint8Array);
  });

  it('a removed executor cannot decrypt payloads sent after its removal (it could before)', async () => {
    const second = await s.startListener(1);
    const executorObjectId = second.executorObjectId;
    await s.stopListeners();
    await s.startListener(0);
    const removed = await partyOf(s.executors[1]!);
    const before = await createOf('owner', 'configmaps', 0);
    await expect(
      removed.decrypt(Uint8Array.from(before.payload), payloadApproval(executorObjectId), 'before removal'),
    ).resolves.toBeInstanceOf(Uint8Array);

    await run(s.client, s.g.admin, (tx) =>
      removeExecutor(tx, s.g.packageId, {
        adminCap: s.g.adminCapId,
        cluster: s.g.clusterId,
        executor: executorObjectId,
      }),
    );
    const r = await s.kubectl('owner', [
      'create',
      'configmap',
      'later',
      `--from-literal=k=${LATER}`,
      '-n',
      'default',
    ]);
    expect(r.exitCode, r.stderr).toBe(0);
    const after = await createOf('owner', 'configmaps', -1);
    const refused = await removed
      .decrypt(Uint8Array.from(after.payload), payloadApproval(executorObjectId), 'after removal')
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(SealFailure);
    expect((refused as SealFailure).code).toBe(403);
  });

  it('below threshold: kubectl gets a 503 naming the key servers that are down, and nothing runs', async () => {
    const [a, b] = [s.g.keyServers!.server(0), s.g.keyServers!.server(1)];
    await Promise.all([a.stop(), b.stop()]);
    try {
      // A fresh identity: no key of its session is cached anywhere.
      const r = await s.kubectl('late', [
        'create',
        'configmap',
        'never',
        '--from-literal=k=v',
        '-n',
        'default',
      ]);
      expect(r.exitCode).not.toBe(0);
      expect(r.stderr).toMatch(/too few Seal key servers answered .*0 of 3 answered, 2 needed/);
      expect(r.stderr).toContain(a.objectId);
      expect(r.stderr).toContain(b.objectId);
      expect(r.stderr).toMatch(/nothing was sent in clear/);
      const get = await s.kubectl('late', ['get', 'configmap', 'c', '-n', 'default']);
      expect(get.exitCode).not.toBe(0);
      expect(get.stderr).toMatch(/ServiceUnavailable|503/);
    } finally {
      await Promise.all([a.start(), b.start()]);
    }
    // The listener refused the payload it could not decrypt: the ConfigMap was never created.
    const never = await s.kubectl('owner', ['get', 'configmap', 'never', '-n', 'default']);
    expect(never.stderr).toMatch(/NotFound/);
  });

  it('a key server refusing (policy denied) is a 403 naming it', async () => {
    const servers = s.g.keyServers!.servers;
    servers.forEach((k) => k.refuse('NoAccess'));
    try {
      const r = await s.kubectl('late', ['get', 'configmap', 'c', '-n', 'default', '--v=0']);
      expect(r.exitCode).not.toBe(0);
      expect(r.stderr).toMatch(/Forbidden/);
      expect(r.stderr).toContain(servers[0]!.objectId);
    } finally {
      servers.forEach((k) => k.refuse(undefined));
    }
  });

  it('a session certificate the key servers reject (expired / invalid) is renewed once, then a 403 naming them', async () => {
    const servers = s.g.keyServers!.servers;
    servers.forEach((k) => k.refuse('InvalidCertificate'));
    try {
      const r = await s.kubectl('late', ['get', 'configmap', 'c', '-n', 'default', '-o', 'name']);
      expect(r.exitCode).not.toBe(0);
      expect(r.stderr).toMatch(/stale or expired session/);
      expect(r.stderr).toContain(servers[1]!.objectId);
    } finally {
      servers.forEach((k) => k.refuse(undefined));
    }
    // Servers back: the same identity reads again (a fresh session key was made).
    const ok = await s.kubectl('late', ['get', 'configmap', 'c', '-n', 'default', '-o', 'name']);
    expect(ok.exitCode, ok.stderr).toBe(0);
  });

  it('an unrelated reader of the whole chain finds none of the planted plaintexts (raw, base64, gzip)', async () => {
    const blobs = await readWholeChain(s.client);
    expect(blobs.length).toBeGreaterThan(20);
    const findings = findPlaintexts(blobs, [SECRET, CONFIG, ENV, LATER]);
    expect(findings, findings.map((f) => `${f.needle} in ${f.where}`).join('\n')).toEqual([]);
    // What the contract checks stays readable by design: the reader does see verbs and resources.
    expect(findPlaintexts(blobs, ['configmaps', 'secrets']).length).toBeGreaterThan(0);
  });
});
