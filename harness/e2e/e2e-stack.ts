/**
 * Test-only: boots the real pieces for the end-to-end tests — the embedded
 * Sui node with k8s_gateway published (harness), a Kubernetes cluster (the
 * embedded API server, or the real control plane with `cluster: 'apiserver'`),
 * and the product's gateway and listener — and writes a kubeconfig per
 * identity for the real kubectl.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { Ed25519Keypair } from '@mysten/sui/keypairs/ed25519';
import type { SuiGrpcClient } from '@mysten/sui/grpc';
import type { CONFIG } from '../embedded/sui/test/contract-setup.ts';
import { admitAndRegister, publishGateway, run, type Gateway } from '../embedded/sui/test/contract-setup.ts';
import { AnswerSigner } from '../../src/nautilus/answer-signer.ts';
import { startEmbeddedKube, type EmbeddedKube } from '../embedded/kube/index.ts';
import { startApiserverCluster } from '../backends/cluster/apiserver.ts';
import { AuditLogReader, type ApiAuditRecord } from '../backends/cluster/audit-log.ts';
import { e2eCluster, type E2EClusterKind } from './cluster-choice.ts';
import {
  issueSealToken,
  revokeSealToken,
  stakeSealToken,
  SealTokenIssuedBcs,
  type RbacRule,
} from '../../src/contract/index.ts';
import { Keystore } from '../../src/sui/keystore.ts';
import { IdentityStore, newBearerToken } from '../../src/shared/identities.ts';
import { DISCOVERY_RULE } from '../../src/k8s/discovery-fields.ts';
import { eventRpcOf, structName } from '../../src/sui/events.ts';
import { pino } from 'pino';
import { startGateway, type GatewayHandle } from '../../src/gateway/index.ts';
import { startNautilus, type NautilusHandle } from '../../src/nautilus/index.ts';
import { buildKubeconfig } from '../../src/cli/commands/access.ts';
import {
  newSealNonce,
  responseAad,
  sealIdHex,
  sealResponseId,
  type K8sAPIRequestEvent,
} from '../../src/contract/index.ts';
import { GatewaySeal, settingsOf } from '../../src/confidentiality/gateway-seal.ts';
import { SealParty } from '../../src/confidentiality/seal-party.ts';
import { clusterSettingReader } from '../../src/confidentiality/cluster-setting.ts';
import {
  readStoredResponse,
  type AnswerOpener,
  type StoredResponse,
} from '../backends/onchain/chain-reader.ts';

export const ALL: RbacRule = {
  verbs: ['*'],
  apiGroups: ['*'],
  resources: ['*'],
  namespaces: ['*'],
  resourceNames: [],
};

export interface IdentitySpec {
  name: string;
  rules: RbacRule[];
  stake: bigint;
  expiresInMs?: number;
  revoked?: boolean;
}

/** An unstaked identity that may only `get` ConfigMaps in `default`. */
export function configMapReader(name: string): IdentitySpec {
  return {
    name,
    rules: [
      {
        verbs: ['get'],
        apiGroups: [''],
        resources: ['configmaps'],
        namespaces: ['default'],
        resourceNames: [],
      },
    ],
    stake: 0n,
  };
}

export interface KubectlStream {
  /** Resolves once stdout contains `text`; rejects if kubectl exits first or after `ms`. */
  seen(text: string, ms?: number): Promise<void>;
  /** Still running (not exited). */
  running(): boolean;
  /** SIGINT, as Ctrl-C, and wait for the exit. */
  stop(): Promise<void>;
}

export type { E2EClusterKind };

/** The cluster behind the listener, whichever it is. */
export interface E2EKube {
  readonly kind: E2EClusterKind;
  /** Path of the admin kubeconfig (what the listener uses). */
  readonly kubeconfig: string;
  /** Requests the API server received, oldest first: the embedded server's record, or kube-apiserver's audit log. */
  audit(): ApiAuditRecord[];
  /** The embedded server itself, for what only it offers (snapshots, RBAC switch, tokens); absent on apiserver. */
  readonly embedded?: EmbeddedKube;
  stop(): Promise<void>;
}

async function startE2EKube(kind: E2EClusterKind): Promise<E2EKube> {
  if (kind === 'embedded') {
    const k = await startEmbeddedKube();
    return { kind, kubeconfig: k.kubeconfig, audit: () => k.audit(), embedded: k, stop: () => k.stop() };
  }
  const t0 = performance.now();
  const c = await startApiserverCluster({ onProgress: () => {} });
  process.stderr.write(`[e2e] apiserver cluster ready in ${Math.round(performance.now() - t0)} ms\n`);
  const log = new AuditLogReader(c.auditLogPath!);
  return { kind, kubeconfig: c.kubeconfigPath, audit: () => log.read(), stop: () => c.stop() };
}

export interface E2EStack {
  g: Gateway;
  kube: E2EKube;
  client: SuiGrpcClient;
  dir: string;
  keystore: Keystore;
  identities: IdentityStore;
  tokens: Map<string, string>;
  kubeconfigs: Map<string, string>;
  gateway: GatewayHandle;
  listeners: NautilusHandle[];
  executors: Ed25519Keypair[];
  kubectl(
    identity: string,
    args: string[],
    opts?: { input?: string; timeoutMs?: number },
  ): Promise<{ exitCode: number; stdout: string; stderr: string }>;
  /** A long-running kubectl (e.g. `get -w`) as `identity`: wait for its output, then stop it. */
  kubectlStream(identity: string, args: string[]): KubectlStream;
  startListener(i?: number, extra?: Partial<Parameters<typeof startNautilus>[0]>): Promise<NautilusHandle>;
  /** Executor i's answer-signing key file (for a listener run as a `k3s-daas nautilus` process). */
  signingKeyFile(i: number): string;
  /** Admit and register a new executor account (staking 1,000 MIST); returns its answer signer. */
  admitExecutor(account: Ed25519Keypair): Promise<AnswerSigner>;
  stopListeners(): Promise<void>;
  restartGateway(extra?: Partial<Parameters<typeof startGateway>[0]>): Promise<void>;
  /** A hand-made request's response Seal id for `requester` on a Seal cluster; undefined on a clear one. */
  responseSealIdFor(requester: string): Uint8Array | undefined;
  /** A hand-made answer body as it must go on chain: encrypted for the request's requester on a Seal cluster. */
  sealAnswer(
    req: K8sAPIRequestEvent,
    body: Uint8Array,
    statusCode?: number,
    contentType?: string,
  ): Promise<Uint8Array>;
  /** The answer stored for a request, decrypted as its requester on a Seal cluster. */
  readStoredResponse(requestObjectId: string): Promise<StoredResponse>;
  stop(): Promise<void>;
}

const quiet = pino({ level: process.env.E2E_LOG_LEVEL ?? 'silent' });

let defaultRpcProfile: '1.71' | 'current' | undefined;

/**
 * Makes every stack this test file starts serve the gRPC methods of that Sui release (unless a
 * test asks for one itself): how harness/e2e/rpc-1.71/ runs chosen suites on the 1.71 profile.
 */
export function useRpcProfile(profile: '1.71' | 'current'): void {
  defaultRpcProfile = profile;
}

export async function startE2EStack(
  specs: IdentitySpec[],
  opts: {
    responseTimeoutMs?: number;
    claimLeaseMs?: number;
    config?: Partial<typeof CONFIG>;
    /** the gRPC methods the embedded node serves, as that Sui release (harness/embedded/sui/rpc-profile.ts) */
    rpcProfile?: '1.71' | 'current';
    /** The cluster behind the listener (default: this test file's, cluster-choice.ts; embedded unless chosen). */
    cluster?: E2EClusterKind;
    /** Seal (default: 3 embedded key servers, threshold 2) or an explicit `none` cluster. */
    confidentiality?: 'seal' | 'none';
    seal?: { count?: number; threshold?: number };
  } = {},
): Promise<E2EStack> {
  const dir = await mkdtemp(join(tmpdir(), 'k3s-daas-e2e-'));
  const rpcProfile = opts.rpcProfile ?? defaultRpcProfile;
  const [g, kube] = await Promise.all([
    publishGateway({
      checkpointIntervalMs: 20,
      ...(rpcProfile ? { rpcProfile } : {}),
      ...(opts.confidentiality === 'none' ? {} : { seal: opts.seal ?? {} }),
      config: {
        ...opts.config,
        ...(opts.claimLeaseMs !== undefined ? { claimLeaseMs: opts.claimLeaseMs } : {}),
      },
    }),
    startE2EKube(opts.cluster ?? e2eCluster()),
  ]);
  const client = g.client;
  // The profile is what the product sees: on 1.71 it must be reading events from checkpoints.
  const expected = rpcProfile === '1.71' ? 'checkpoints' : 'events';
  const served = await eventRpcOf(client);
  if (served !== expected)
    throw new Error(
      `the embedded node in the ${rpcProfile ?? 'current'} profile serves events by ${served}, expected ${expected}`,
    );
  const keystore = Keystore.fromEntries([]);
  const identities = new IdentityStore();
  const tokens = new Map<string, string>();
  const kubeconfigs = new Map<string, string>();

  // The fixture's user (all rules, staked) is "admin-user".
  const builtin = newBearerToken();
  keystore.add(g.user);
  identities.upsert({
    name: 'admin-user',
    token: builtin,
    address: g.user.toSuiAddress(),
    sealTokenId: g.tokenId,
    clusterId: g.clusterId,
  });
  tokens.set('admin-user', builtin);

  for (const spec of specs) {
    const kp = new Ed25519Keypair();
    const chainNow = Date.now();
    const issued = await run(client, g.admin, (tx) => {
      issueSealToken(tx, g.packageId, {
        adminCap: g.adminCapId,
        cluster: g.clusterId,
        recipient: kp.toSuiAddress(),
        label: spec.name,
        rules: [...spec.rules, DISCOVERY_RULE],
        expiresAtMs: spec.expiresInMs ? chainNow + spec.expiresInMs : 0,
      });
      const [coin] = tx.splitCoins(tx.gas, [tx.pure.u64(2_000_000_000n)]);
      tx.transferObjects([coin!], tx.pure.address(kp.toSuiAddress()));
    });
    const ev = (issued.events ?? []).find((e) => structName(e.eventType) === 'SealTokenIssued')!;
    const tokenId = SealTokenIssuedBcs.parse(ev.bcs).token_id;
    if (spec.stake > 0n)
      await run(client, kp, (tx) => stakeSealToken(tx, g.packageId, { token: tokenId, coin: spec.stake }));
    if (spec.revoked)
      await run(client, g.admin, (tx) =>
        revokeSealToken(tx, g.packageId, { adminCap: g.adminCapId, cluster: g.clusterId, tokenId }),
      );
    const bearer = newBearerToken();
    keystore.add(kp);
    identities.upsert({
      name: spec.name,
      token: bearer,
      address: kp.toSuiAddress(),
      sealTokenId: tokenId,
      clusterId: g.clusterId,
    });
    tokens.set(spec.name, bearer);
  }
  tokens.set('unknown', newBearerToken());

  const gwOpts = (extra: Partial<Parameters<typeof startGateway>[0]> = {}) => ({
    client,
    packageId: g.packageId,
    clusterId: g.clusterId,
    keystore,
    identities,
    requestFee: 10n,
    responseTimeoutMs: opts.responseTimeoutMs ?? 30_000,
    logger: quiet,
    ...extra,
  });
  let gateway = await startGateway(gwOpts());
  const writeKubeconfigs = async () => {
    for (const [name, token] of tokens) {
      const path = join(dir, `kubeconfig-${name}`);
      await writeFile(
        path,
        buildKubeconfig({ server: gateway.url, caPem: gateway.caCert, user: name, token }),
        { mode: 0o600 },
      );
      kubeconfigs.set(name, path);
    }
  };
  await writeKubeconfigs();

  // A second registered executor for the "two listeners" test.
  const second = g.chain.accounts[3]!.keypair as Ed25519Keypair;
  const executors = [g.executor, second];
  const secondSigner = AnswerSigner.generate();
  await admitAndRegister(client, g, second, secondSigner, 1_000n);
  const answerSigners = [g.answerSigner, secondSigner];
  answerSigners.forEach((a, i) => a.save(join(dir, `executor-${i}.signing.key`)));

  const listeners: NautilusHandle[] = [];
  const readerSeal = new GatewaySeal({
    client,
    packageId: g.packageId,
    clusterId: g.clusterId,
    readSetting: clusterSettingReader(client, g.clusterId),
  });
  const stack: E2EStack = {
    g,
    kube,
    client,
    dir,
    keystore,
    identities,
    tokens,
    kubeconfigs,
    get gateway() {
      return gateway;
    },
    listeners,
    executors,
    async kubectl(identity, args, o = {}) {
      const r = await execa(
        'kubectl',
        ['--kubeconfig', kubeconfigs.get(identity)!, '--cache-dir', join(dir, `cache-${identity}`), ...args],
        {
          reject: false,
          timeout: o.timeoutMs ?? 90_000,
          ...(o.input !== undefined ? { input: o.input } : {}),
        },
      );
      return { exitCode: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr) };
    },
    signingKeyFile: (i) => join(dir, `executor-${i}.signing.key`),
    kubectlStream(identity, args) {
      const proc = execa('kubectl', ['--kubeconfig', kubeconfigs.get(identity)!, ...args], { reject: false });
      let out = '';
      let exited = false;
      proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
      void proc.then(() => (exited = true));
      return {
        async seen(text, ms = 30_000) {
          const deadline = Date.now() + ms;
          while (!out.includes(text)) {
            if (exited) throw new Error(`kubectl ${args.join(' ')} ended before "${text}":\n${out}`);
            if (Date.now() > deadline)
              throw new Error(`kubectl ${args.join(' ')} never printed "${text}":\n${out}`);
            await new Promise((r) => setTimeout(r, 50));
          }
        },
        running: () => !exited,
        async stop() {
          proc.kill('SIGINT');
          await proc;
        },
      };
    },
    async admitExecutor(account) {
      const signer = AnswerSigner.generate();
      await admitAndRegister(client, g, account, signer, 1_000n);
      return signer;
    },
    async startListener(i = 0, extra = {}) {
      const n = await startNautilus({
        client,
        packageId: g.packageId,
        clusterId: g.clusterId,
        signer: executors[i]!,
        answerSigner: answerSigners[i]!,
        kubeconfigPath: kube.kubeconfig,
        // the cluster's admin kubeconfig (#18: said on /readyz); a cluster that enforces RBAC
        // (kube-apiserver) needs the tokens mirrored into RBAC, as the harness stack does
        allowAdminCredential: true,
        ...(kube.kind === 'embedded'
          ? {}
          : { rbac: { kubeconfigPath: kube.kubeconfig, podSecurity: 'baseline' as const } }),
        stateDir: join(dir, `nautilus-${i}`),
        reconcileMs: 1_000,
        stallMs: 10_000,
        logger: quiet,
        ...extra,
      });
      listeners.push(n);
      return n;
    },
    async stopListeners() {
      await Promise.all(listeners.splice(0).map((l) => l.stop()));
    },
    async restartGateway(extra = {}) {
      await gateway.stop();
      gateway = await startGateway(gwOpts(extra));
      await writeKubeconfigs();
    },
    responseSealIdFor(requester) {
      return g.keyServers
        ? sealResponseId({ clusterId: g.clusterId, requester, nonce: newSealNonce() })
        : undefined;
    },
    async sealAnswer(req, body, statusCode = 200, contentType = 'application/json') {
      const setting = await clusterSettingReader(client, g.clusterId)();
      if (setting.mode === 'none') return body;
      // Anyone can encrypt for an id: an executor, honest or not, needs no key server for it.
      const party = new SealParty({ client, packageId: g.packageId, settings: settingsOf(setting, {}) });
      return party.encrypt(
        sealIdHex(Uint8Array.from(req.response_seal_id)),
        responseAad({
          clusterId: g.clusterId,
          requestObjectId: req.request_object_id,
          requester: req.requester,
          statusCode,
          contentType,
          contentEncoding: '',
        }),
        body,
      );
    },
    readStoredResponse(requestObjectId) {
      const open: AnswerOpener = (body, a) => {
        const signer = keystore.get(a.requester);
        if (!signer) throw new Error(`the e2e keystore holds no key of requester ${a.requester}`);
        return readerSeal.openResponse({
          signer,
          header: { clusterId: g.clusterId, ...a },
          body,
          what: `reading the answer to ${a.requestObjectId}`,
        });
      };
      return readStoredResponse(client, requestObjectId, g.keyServers ? open : undefined);
    },
    async stop() {
      await stack.stopListeners();
      await gateway.stop();
      await kube.stop();
      await g.keyServers?.stop();
      await g.chain.stop();
    },
  };
  return stack;
}
