/**
 * startStack(): the whole K3s-DaaS system on chosen backends, as it runs in production —
 * a chain with the k8s_gateway package published and a Cluster created, a Kubernetes cluster,
 * registered executor, identities with SealTokens, the gateway and the Nautilus listener as
 * separate `k3s-daas` processes — plus what tests need to look at it: a kubeconfig per
 * identity, SDK clients, an event recorder and per-hop latency traces.
 */
import { createHash, type Hash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import type { Signer } from '@mysten/sui/cryptography';
import { SuiGrpcClient } from '@mysten/sui/grpc';
import { Ed25519Keypair } from '@mysten/sui/keypairs/ed25519';
import type { ClusterConfig, ConfidentialitySetting } from '../src/contract/index.ts';
import { startSealKeyServers, type SealKeyServers } from './embedded/seal/index.ts';
import { GatewaySeal } from '../src/confidentiality/gateway-seal.ts';
import { clusterSettingReader } from '../src/confidentiality/cluster-setting.ts';
import { Keystore } from '../src/sui/keystore.ts';
import { IdentityStore } from '../src/shared/identities.ts';
import { createThrowawayTls, type TlsMaterial } from '../src/shared/tls.ts';
import { AnswerSigner } from '../src/nautilus/answer-signer.ts';
import { buildKubeconfig } from '../src/cli/commands/access.ts';
import {
  startChain,
  startCluster,
  type ChainHandle,
  type ChainKind,
  type ChainOptions,
  type ClusterHandle,
  type ClusterKind,
  type ClusterOptions,
} from './backends/index.ts';
import {
  abortOfTransaction,
  readStoredResponse,
  type AnswerOpener,
  type StoredResponse,
} from './backends/onchain/chain-reader.ts';
import { EventRecorder } from './backends/onchain/event-recorder.ts';
import { Funder, keypairFromSecret } from './backends/onchain/funding.ts';
import { issueIdentities, type IdentityRequest, type IssuedIdentity } from './backends/onchain/identities.ts';
import {
  createClusterObject,
  publishPackage,
  admitAndRegisterExecutor,
  type CompiledPackage,
  type Deployment,
} from './backends/onchain/publish.ts';
import {
  gatewayComponent,
  listenerComponent,
  runClusterBootstrap,
  type RunningComponent,
} from './backends/product/components.ts';
import type { ListenerConfig } from './backends/product/commands.ts';
import { inProcessGateway, inProcessListener } from './backends/product/in-process.ts';
import { freePortOnLoopback } from './backends/ports.ts';
import { makeWorkDir } from './backends/workdir.ts';

export type { IdentityRequest } from './backends/onchain/identities.ts';

const SUI = 1_000_000_000n;
/** Largest single transfer when funding test accounts (genesis coins hold 1,000 SUI). */
const FUNDING_PART = 900n * SUI;

/** Cluster config the harness uses unless told otherwise: small fee and stakes, Sui's size limits. */
export const DEFAULT_CLUSTER_CONFIG: ClusterConfig = {
  minWriteStake: SUI / 10n,
  minExecutorStake: SUI / 10n,
  requestFee: 1_000n,
  maxPayloadBytes: 112_000,
  maxResponseBytes: 240_000,
  claimLeaseMs: 5_000,
  maxHoldMs: 30_000,
  executorUnbondingMs: 60_000,
  stakeCooldownMs: 10_000,
  slashPenalty: SUI / 100n,
};

/**
 * How long the gateway waits for a stored response. Longer than the product default (30 s):
 * scenarios stop the listener on purpose, and restarting a `k3s-daas` process on a loaded
 * two-core machine can take tens of seconds.
 */
export const GATEWAY_RESPONSE_TIMEOUT_S = 120;

export interface StackOptions {
  chain?: ChainKind | ChainOptions;
  cluster?: ClusterKind | ClusterOptions;
  /** Every identity the run needs; issued before the gateway starts. */
  identities?: IdentityRequest[];
  clusterConfig?: Partial<ClusterConfig>;
  /** Compiled package; default: harness/toolchain builds move/k8s_gateway with the shim framework. */
  compiled?: CompiledPackage;
  workDir?: string;
  /** Run the gateway and listener inside this process instead of as `k3s-daas` child processes. */
  inProcess?: boolean;
  /**
   * How the listener meets Kubernetes (#18). Default: the cluster's admin kubeconfig with
   * `--allow-admin-credential`, plus the RBAC mirror on every cluster that enforces RBAC
   * (all but the embedded one; Pod Security `baseline`). `bootstrap`: as in production —
   * `k3s-daas cluster bootstrap` first, then the listener on the executor's impersonate-only
   * kubeconfig with the mirror on the rbac-sync one.
   */
  kubernetesAccess?: {
    bootstrap: true;
    podSecurity?: 'privileged' | 'baseline' | 'restricted';
    rbacReconcile?: string;
  };
  /** Progress callback: one line per boot phase. */
  onPhase?: (phase: StackPhase) => void;
  /**
   * Confidentiality of the Cluster: `seal` (default) starts embedded Seal key servers on the
   * chain (3, threshold 2) and creates the Cluster with them; `none` is the explicit opt-out.
   */
  confidentiality?: 'seal' | 'none';
  seal?: { count?: number; threshold?: number };
}

export interface StackPhase {
  name:
    | 'chain'
    | 'cluster'
    | 'build'
    | 'publish'
    | 'seal'
    | 'executor'
    | 'identities'
    | 'gateway'
    | 'listener'
    | 'recorder';
  ms: number;
  detail: string;
}

export interface StackIdentity {
  name: string;
  bearerToken: string;
  address?: string;
  sealTokenId?: string;
  /** kubeconfig: HTTPS to the gateway with this identity's bearer token. */
  kubeconfigPath: string;
  request: IdentityRequest;
  setupDigests: string[];
}

export interface Stack {
  readonly chain: ChainHandle;
  readonly cluster: ClusterHandle;
  readonly client: SuiGrpcClient;
  /** Direct access to the cluster (not through the gateway), for setup and cluster-state checks. */
  readonly kube: KubeConfig;
  readonly deployment: Deployment;
  readonly config: ClusterConfig;
  readonly admin: Signer;
  readonly executorAddress: string;
  readonly identities: ReadonlyMap<string, StackIdentity>;
  readonly gateway: RunningComponent & { url: string };
  /** `signal` when it is a child process (not in-process): fault injection */
  readonly listener: RunningComponent & { healthUrl: string; signal?(signal: NodeJS.Signals): boolean };
  readonly events: EventRecorder;
  readonly tls: TlsMaterial;
  readonly workDir: string;
  /** Keystore files (0600): the gateway's (identities' keys only) and the listener's (the executor's only). */
  readonly keystores: { gateway: string; listener: string };
  /** The embedded Seal key servers of a Seal cluster (stop/refuse them to test failures). */
  readonly keyServers?: SealKeyServers;
  readonly phases: StackPhase[];
  identity(name: string): StackIdentity;
  readStoredResponse(requestObjectId: string): Promise<StoredResponse>;
  abortOfTransaction(digest: string): Promise<{ code: number; module?: string } | undefined>;
  stop(): Promise<void>;
}

function asChainOptions(c: StackOptions['chain']): ChainOptions {
  return typeof c === 'string' ? { kind: c } : (c ?? { kind: 'embedded' });
}
function asClusterOptions(c: StackOptions['cluster'], workDir: string): ClusterOptions {
  const o = typeof c === 'string' ? { kind: c } : (c ?? { kind: 'embedded' as const });
  return { workDir, ...o };
}

/** Hash of every source file under dir (skipping build output), for the build cache key. */
function hashTree(dir: string, h: Hash): void {
  for (const name of readdirSync(dir).sort()) {
    if (name === 'build' || name.startsWith('.')) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) hashTree(p, h);
    else h.update(p).update(readFileSync(p));
  }
}

/**
 * move/k8s_gateway compiled by harness/toolchain (WASM compiler, shim framework). Cached in the
 * OS temp dir by source hash: a warm run skips the compiler; any source change rebuilds.
 * K3S_DAAS_NO_BUILD_CACHE=1 forces a build (cold-start measurements).
 */
export async function defaultCompiledPackage(): Promise<CompiledPackage> {
  const { buildMovePackage, DEFAULT_PACKAGE_DIR, SHIM_ROOT } = await import('./toolchain/index.ts');
  const h = createHash('sha256');
  hashTree(DEFAULT_PACKAGE_DIR, h);
  hashTree(SHIM_ROOT, h);
  const file = join(tmpdir(), 'k3s-daas-harness', `k8s_gateway-${h.digest('hex').slice(0, 16)}.json`);
  if (!process.env.K3S_DAAS_NO_BUILD_CACHE && existsSync(file))
    return JSON.parse(readFileSync(file, 'utf8')) as CompiledPackage;
  const r = await buildMovePackage(DEFAULT_PACKAGE_DIR, { framework: 'shim' });
  const out = { modules: r.modules, dependencies: r.dependencies };
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, JSON.stringify(out));
  return out;
}

async function chainNowMs(client: SuiGrpcClient): Promise<number> {
  const { object } = await client.getObject({ objectId: '0x6', include: { content: true } });
  // Clock { id: UID (32 bytes), timestamp_ms: u64 }
  return Number(Buffer.from(object.content).readBigUInt64LE(32));
}

/** An identity's kubeconfig for the gateway: the product's own writer (`k3s-daas kubeconfig`). */
export function kubeconfigYaml(server: string, caPem: string, user: string, token: string): string {
  return buildKubeconfig({ server, caPem, user, token });
}

/** Boots everything; on any failure, stops what was already started and rethrows. */
export async function startStack(opts: StackOptions = {}): Promise<Stack> {
  const workDir = opts.workDir
    ? await mkdir(opts.workDir, { recursive: true }).then(() => opts.workDir!)
    : await makeWorkDir('stack');
  const phases: StackPhase[] = [];
  const stoppers: Array<() => Promise<void>> = [];
  const phase = async <T>(
    name: StackPhase['name'],
    fn: () => Promise<T>,
    detail: (v: T) => string,
  ): Promise<T> => {
    const t = performance.now();
    const v = await fn();
    const p = { name, ms: performance.now() - t, detail: detail(v) };
    phases.push(p);
    opts.onPhase?.(p);
    return v;
  };
  const stopAll = async (): Promise<void> => {
    for (const s of stoppers.reverse()) await s().catch(() => {});
    stoppers.length = 0;
  };

  try {
    const [chain, cluster, compiled] = await Promise.all([
      phase(
        'chain',
        () => startChain(asChainOptions(opts.chain)),
        (c) => `${c.kind} chain at ${c.url}`,
      ).then((c) => (stoppers.push(() => c.stop()), c)),
      phase(
        'cluster',
        () => startCluster(asClusterOptions(opts.cluster, workDir)),
        (c) => `${c.kind} cluster at ${c.url}`,
      ).then((c) => (stoppers.push(() => c.stop()), c)),
      phase(
        'build',
        () => (opts.compiled ? Promise.resolve(opts.compiled) : defaultCompiledPackage()),
        (p) => `${p.modules.length} module(s) compiled`,
      ),
    ]);
    const client = new SuiGrpcClient({ network: 'localnet', baseUrl: chain.url });
    // The listener pays gas for a claim and a store per request, including storage for every stored
    // response (7,600 MIST per byte as on Sui: ~0.8 SUI for a 100 KB body), and needs coins above
    // its gas budget (5 SUI) for every transaction. A whole suite is hundreds of transactions with
    // large responses: 500 SUI ran dry in some orderings. A genesis coin holds 1,000 SUI, so
    // the amount is sent in parts of at most 900 SUI. The embedded genesis accounts are rich;
    // on other chains keep it modest (faucet amounts apply).
    const funding =
      chain.kind === 'embedded'
        ? { executor: 2_700n * SUI, identity: 10n * SUI }
        : { executor: 50n * SUI, identity: 5n * SUI };
    const funder = new Funder(client, chain);
    const config: ClusterConfig = { ...DEFAULT_CLUSTER_CONFIG, ...opts.clusterConfig };

    let keyServers: SealKeyServers | undefined;
    const admin: Signer = chain.fundedKeys[0] ? keypairFromSecret(chain.fundedKeys[0]) : new Ed25519Keypair();
    const executor = new Ed25519Keypair();
    const deployment = await phase(
      'publish',
      async () => {
        const toFund = [executor.toSuiAddress()];
        if (!chain.fundedKeys[0]) toFund.unshift(admin.toSuiAddress());
        for (let left = funding.executor; left > 0n; left -= FUNDING_PART) {
          await funder.fund(toFund, left < FUNDING_PART ? left : FUNDING_PART);
        }
        const pub = await publishPackage(client, admin, compiled);
        if (opts.confidentiality !== 'none') {
          const t0 = performance.now();
          keyServers = await startSealKeyServers({ client, signer: admin, ...opts.seal });
          stoppers.push(() => keyServers!.stop());
          opts.onPhase?.({
            name: 'seal',
            ms: performance.now() - t0,
            detail: `${keyServers.servers.length} embedded Seal key servers, threshold ${keyServers.threshold}`,
          });
        }
        const confidentiality: ConfidentialitySetting = keyServers
          ? {
              mode: 'seal',
              keyServers: keyServers.servers.map((k) => k.objectId),
              threshold: keyServers.threshold,
            }
          : { mode: 'none' };
        const cl = await createClusterObject(
          client,
          admin,
          pub.packageId,
          'k3s-daas-harness',
          config,
          confidentiality,
        );
        return {
          ...pub,
          publishDigest: pub.digest,
          clusterDigest: cl.digest,
          clusterId: cl.clusterId,
          adminCapId: cl.adminCapId,
        } satisfies Deployment & { digest: string };
      },
      (d) => `package ${d.packageId}, Cluster ${d.clusterId}`,
    );
    // The listener signs answers with its own ed25519 key, kept in its state directory.
    const stateDir = join(workDir, 'nautilus');
    const answerSigner = AnswerSigner.fromFile(join(stateDir, 'answer-signing.key'));
    await phase(
      'executor',
      () =>
        admitAndRegisterExecutor(
          client,
          admin,
          executor,
          deployment,
          config.minExecutorStake,
          answerSigner.publicKey,
        ),
      (d) => `executor ${executor.toSuiAddress()} admitted and registered (Executor ${d.executorObjectId})`,
    );

    const issued = await phase(
      'identities',
      () =>
        issueIdentities(
          {
            client,
            admin,
            packageId: deployment.packageId,
            clusterId: deployment.clusterId,
            adminCapId: deployment.adminCapId,
            chainNowMs: () => chainNowMs(client),
          },
          opts.identities ?? [],
          (addresses) => funder.fund(addresses, funding.identity),
        ),
      (ids) => `${ids.length} identit${ids.length === 1 ? 'y' : 'ies'} issued`,
    );

    // Files the product reads. Keystores are separate files: the gateway's holds the identities' keys
    // only, the listener's the executor's key only (the listener refuses anything else). The gateway is
    // the documented multi-user test gateway (`--shared`, custodial), see harness/README.md.
    const tls = await createThrowawayTls();
    const keystore = Keystore.fromEntries([]);
    const store = new IdentityStore();
    for (const id of issued) {
      if (!id.keypair) continue;
      keystore.add(id.keypair);
      store.upsert({
        name: id.name,
        token: id.bearerToken,
        address: id.address!,
        sealTokenId: id.sealTokenId!,
        clusterId: deployment.clusterId,
      });
    }
    const keystorePath = join(workDir, 'gateway', 'sui.keystore');
    const listenerKeystorePath = join(stateDir, 'sui.keystore');
    const identitiesPath = join(workDir, 'identities.json');
    await keystore.save(keystorePath);
    const listenerKeystore = Keystore.fromEntries([]);
    listenerKeystore.add(executor);
    await listenerKeystore.save(listenerKeystorePath);
    await store.save(identitiesPath);
    const tlsDir = join(workDir, 'tls');
    await mkdir(tlsDir, { recursive: true });
    await writeFile(join(tlsDir, 'tls.crt'), tls.cert);
    await writeFile(join(tlsDir, 'tls.key'), tls.key, { mode: 0o600 });
    await writeFile(join(tlsDir, 'ca.crt'), tls.caCert);

    // The product's own flag, as an operator passes it (URLs are also on chain in the KeyServer objects).
    const sealFlag = keyServers ? sealKeyServersFlag(keyServers) : undefined;
    const gatewayPort = await freePortOnLoopback();
    const healthPort = await freePortOnLoopback();
    const access = await listenerKubernetesAccess(
      opts.kubernetesAccess,
      cluster,
      deployment.clusterId,
      workDir,
    );
    const gateway = opts.inProcess
      ? inProcessGateway({
          client,
          packageId: deployment.packageId,
          clusterId: deployment.clusterId,
          keystore,
          identities: store,
          tls,
          host: '127.0.0.1',
          port: gatewayPort,
          requestFeeMist: config.requestFee,
          responseTimeoutS: GATEWAY_RESPONSE_TIMEOUT_S,
        })
      : gatewayComponent(
          {
            grpcUrl: chain.url,
            packageId: deployment.packageId,
            clusterId: deployment.clusterId,
            keystorePath,
            identitiesPath,
            tlsDir,
            requestFeeMist: config.requestFee,
            responseTimeoutS: GATEWAY_RESPONSE_TIMEOUT_S,
            host: '127.0.0.1',
            port: gatewayPort,
            shared: true,
            ...(sealFlag ? { sealKeyServers: sealFlag } : {}),
          },
          tls.caCert,
        );
    const listener = opts.inProcess
      ? inProcessListener({
          client,
          packageId: deployment.packageId,
          clusterId: deployment.clusterId,
          signer: executor,
          ...access,
          stateDir,
          healthPort,
        })
      : listenerComponent({
          grpcUrl: chain.url,
          packageId: deployment.packageId,
          clusterId: deployment.clusterId,
          keystorePath: listenerKeystorePath,
          address: executor.toSuiAddress(),
          ...access,
          stateDir,
          healthPort,
          ...(sealFlag ? { sealKeyServers: sealFlag } : {}),
        });
    // Both are separate processes that only need the chain and the files above: start them together.
    stoppers.push(
      () => gateway.stop(),
      () => listener.stop(),
    );
    await Promise.all([
      phase(
        'gateway',
        () => gateway.start(),
        () => `gateway at ${gateway.url}`,
      ),
      phase(
        'listener',
        () => listener.start(),
        () => `listener subscribed (health ${listener.healthUrl})`,
      ),
    ]);

    const events = new EventRecorder(client, deployment.packageId);
    await phase(
      'recorder',
      async () => (await events.poll(), events.start()),
      () => `recording ${deployment.packageId}::k8s_gateway events`,
    );
    stoppers.push(() => events.stop());

    const identities = new Map<string, StackIdentity>();
    for (const id of issued)
      identities.set(id.name, await writeIdentityKubeconfig(workDir, gateway.url, tls.caCert, id));

    // Reading answers back from the chain as their requesters (the harness holds their keys).
    const readerSeal = new GatewaySeal({
      client,
      packageId: deployment.packageId,
      clusterId: deployment.clusterId,
      readSetting: clusterSettingReader(client, deployment.clusterId),
    });
    const opener: AnswerOpener = async (body, a) => {
      const signer = keystore.get(a.requester);
      if (!signer)
        throw new Error(`the harness holds no key of requester ${a.requester}: cannot read its answer`);
      return readerSeal.openResponse({
        signer,
        header: { clusterId: deployment.clusterId, ...a },
        body,
        what: `reading the answer to ${a.requestObjectId} as its requester`,
      });
    };

    const kube = new KubeConfig();
    kube.loadFromFile(cluster.kubeconfigPath);

    return {
      chain,
      cluster,
      client,
      kube,
      deployment,
      config,
      admin,
      executorAddress: executor.toSuiAddress(),
      identities,
      gateway,
      listener,
      events,
      tls,
      workDir,
      keystores: { gateway: keystorePath, listener: listenerKeystorePath },
      ...(keyServers ? { keyServers } : {}),
      phases,
      identity(name) {
        const id = identities.get(name);
        if (!id)
          throw new Error(`no identity "${name}" in this stack (have: ${[...identities.keys()].join(', ')})`);
        return id;
      },
      readStoredResponse: (id) => readStoredResponse(client, id, opener),
      abortOfTransaction: (d) => abortOfTransaction(client, d),
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

/** The listener's Kubernetes access for StackOptions.kubernetesAccess (see there). */
async function listenerKubernetesAccess(
  o: StackOptions['kubernetesAccess'],
  cluster: ClusterHandle,
  clusterId: string,
  workDir: string,
): Promise<Pick<ListenerConfig, 'kubeconfigPath' | 'allowAdminCredential' | 'rbac'>> {
  if (!o) {
    return {
      kubeconfigPath: cluster.kubeconfigPath,
      allowAdminCredential: true,
      ...(cluster.kind === 'embedded'
        ? {}
        : { rbac: { kubeconfigPath: cluster.kubeconfigPath, podSecurity: 'baseline' } }),
    };
  }
  const kc = await runClusterBootstrap({
    clusterId,
    adminKubeconfigPath: cluster.kubeconfigPath,
    outDir: join(workDir, 'bootstrap'),
  });
  return {
    kubeconfigPath: kc.executor,
    rbac: {
      kubeconfigPath: kc.rbacSync,
      ...(o.podSecurity ? { podSecurity: o.podSecurity } : {}),
      ...(o.rbacReconcile ? { reconcile: o.rbacReconcile } : {}),
    },
  };
}

async function writeIdentityKubeconfig(
  workDir: string,
  gatewayUrl: string,
  caPem: string,
  id: IssuedIdentity,
): Promise<StackIdentity> {
  const dir = join(workDir, 'kubeconfigs');
  await mkdir(dir, { recursive: true });
  const path = join(dir, `${id.name.replace(/[^A-Za-z0-9_.-]/g, '_')}.yaml`);
  await writeFile(path, kubeconfigYaml(gatewayUrl, caPem, id.name, id.bearerToken), { mode: 0o600 });
  return {
    name: id.name,
    bearerToken: id.bearerToken,
    address: id.address,
    sealTokenId: id.sealTokenId,
    kubeconfigPath: path,
    request: id.request,
    setupDigests: id.digests,
  };
}

/** `--seal-key-servers` for the product's processes: `<object id>=<url>,…` of the embedded servers. */
export function sealKeyServersFlag(keyServers: SealKeyServers): string {
  return keyServers.servers.map((k) => `${k.objectId}=${k.url}`).join(',');
}
