/**
 * Brings up a chain with k8s_gateway published through the SDK and a cluster ready to serve:
 * admin (account 0) creates the cluster, issues a SealToken to the user (account 1) and the
 * executor (account 2) registers with stake. Shared by the contract tests and the benchmark.
 */
import { SuiGrpcClient } from '@mysten/sui/grpc';
import { Transaction } from '@mysten/sui/transactions';
import type { Ed25519Keypair } from '@mysten/sui/keypairs/ed25519';
import { startEmbeddedSui, type EmbeddedSui, type EmbeddedSuiOptions } from '../index.ts';
import { contractModules, frameworkModules, type CompiledPackage } from '../compiled.ts';
import {
  admitExecutor,
  createCluster,
  issueSealToken,
  registerExecutor,
  stakeSealToken,
  executeKubectlCommand,
  answerIntentBytes,
  sha256,
  storeK8sResponse,
  type AnswerFields,
  type ConfidentialitySetting,
  type K8sAPIRequestEvent,
} from '../../../../src/contract/index.ts';
import { startSealKeyServers, type SealKeyServers } from '../../seal/index.ts';
import { AnswerSigner } from '../../../../src/nautilus/answer-signer.ts';

export const CONFIG = {
  minWriteStake: 100n,
  minExecutorStake: 100n,
  requestFee: 10n,
  maxPayloadBytes: 112_000,
  maxResponseBytes: 240_000,
  claimLeaseMs: 30_000,
  maxHoldMs: 120_000,
  executorUnbondingMs: 60_000,
  stakeCooldownMs: 10_000,
  slashPenalty: 50n,
};

export interface Gateway {
  chain: EmbeddedSui;
  client: SuiGrpcClient;
  packageId: string;
  clusterId: string;
  adminCapId: string;
  tokenId: string;
  admin: Ed25519Keypair;
  user: Ed25519Keypair;
  executor: Ed25519Keypair;
  /** the executor's answer-signing key and its Executor object */
  answerSigner: AnswerSigner;
  executorObjectId: string;
  publishMs: number;
  genesisMs: number;
  /** Seal clusters: the embedded key servers the cluster names (stop them with the chain). */
  keyServers?: SealKeyServers;
}

export async function run(client: SuiGrpcClient, signer: Ed25519Keypair, build: (tx: Transaction) => void) {
  const tx = new Transaction();
  build(tx);
  const result = await client.signAndExecuteTransaction({
    transaction: tx,
    signer,
    include: { effects: true, events: true, objectTypes: true, balanceChanges: true },
  });
  if (result.$kind !== 'Transaction')
    throw new Error(`transaction failed: ${result.FailedTransaction?.status.error?.message}`);
  return result.Transaction;
}

function createdOfType(types: Record<string, string> | undefined, suffix: string): string {
  const hit = Object.entries(types ?? {}).find(([, t]) => t.endsWith(suffix));
  if (!hit) throw new Error(`no created object of type …${suffix}`);
  return hit[0];
}

export async function publishGateway(
  opts: EmbeddedSuiOptions & {
    compiled?: CompiledPackage;
    config?: Partial<typeof CONFIG>;
    /** a Seal cluster served by N embedded key servers (started here, on this chain) */
    seal?: { count?: number; threshold?: number };
    /** an explicit setting (default none); ignored when `seal` starts key servers */
    confidentiality?: ConfidentialitySetting;
  } = {},
): Promise<Gateway> {
  const [fw, compiled] = await Promise.all([frameworkModules(), opts.compiled ?? contractModules()]);
  const g0 = performance.now();
  const chain = await startEmbeddedSui({ accounts: 4, ...opts, frameworkModules: fw });
  const genesisMs = performance.now() - g0;
  const client = new SuiGrpcClient({ network: 'localnet', baseUrl: chain.url });
  const keypairs = chain.accounts.map((a) => a.keypair) as Ed25519Keypair[];
  let keyServers: SealKeyServers | undefined;
  let confidentiality: ConfidentialitySetting = opts.confidentiality ?? { mode: 'none' };
  if (opts.seal) {
    keyServers = await startSealKeyServers({ client, signer: keypairs[0]!, ...opts.seal });
    confidentiality = {
      mode: 'seal',
      keyServers: keyServers.servers.map((s) => s.objectId),
      threshold: keyServers.threshold,
    };
  }
  const setup = await setupGateway(client, keypairs, compiled, opts.config, confidentiality);
  return { chain, genesisMs, ...setup, ...(keyServers ? { keyServers } : {}) };
}

export type GatewaySetup = Omit<Gateway, 'chain' | 'genesisMs'>;

/**
 * Publishes k8s_gateway and prepares a cluster on any node `client` talks to (in-process or a
 * separate process): accounts 0, 1, 2 become admin, user and executor.
 */
export async function setupGateway(
  client: SuiGrpcClient,
  keypairs: Ed25519Keypair[],
  compiled: CompiledPackage,
  config: Partial<typeof CONFIG> = {},
  confidentiality: ConfidentialitySetting = { mode: 'none' },
): Promise<GatewaySetup> {
  const [admin, user, executor] = keypairs as [Ed25519Keypair, Ed25519Keypair, Ed25519Keypair];
  const t0 = performance.now();
  const published = await run(client, admin, (tx) => {
    const cap = tx.publish({ modules: compiled.modules, dependencies: compiled.dependencies });
    tx.transferObjects([cap], tx.pure.address(admin.toSuiAddress()));
  });
  const publishMs = performance.now() - t0;
  const packageId = published.effects!.changedObjects.find((c) => c.outputState === 'PackageWrite')!.objectId;

  const created = await run(client, admin, (tx) =>
    createCluster(tx, packageId, { name: 'embedded', config: { ...CONFIG, ...config }, confidentiality }),
  );
  const clusterId = createdOfType(created.objectTypes, '::k8s_gateway::Cluster');
  const adminCapId = createdOfType(created.objectTypes, '::k8s_gateway::AdminCap');

  const issued = await run(client, admin, (tx) =>
    issueSealToken(tx, packageId, {
      adminCap: adminCapId,
      cluster: clusterId,
      recipient: user.toSuiAddress(),
      label: 'user',
      rules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'], namespaces: ['*'], resourceNames: [] }],
      expiresAtMs: 0,
    }),
  );
  const tokenId = createdOfType(issued.objectTypes, '::k8s_gateway::SealToken');
  await run(client, user, (tx) => stakeSealToken(tx, packageId, { token: tokenId, coin: 1_000n }));
  const answerSigner = AnswerSigner.generate();
  const executorObjectId = await admitAndRegister(
    client,
    { packageId, clusterId, adminCapId, admin },
    executor,
    answerSigner,
    1_000n,
  );
  return {
    client,
    packageId,
    clusterId,
    adminCapId,
    tokenId,
    admin,
    user,
    executor,
    answerSigner,
    executorObjectId,
    publishMs,
  };
}

/** The admin admits `executor`, which registers with `signer`'s public key; returns its Executor object. */
export async function admitAndRegister(
  client: SuiGrpcClient,
  g: { packageId: string; clusterId: string; adminCapId: string; admin: Ed25519Keypair },
  executor: Ed25519Keypair,
  signer: AnswerSigner,
  stake: bigint,
): Promise<string> {
  const admitted = await run(client, g.admin, (tx) =>
    admitExecutor(tx, g.packageId, {
      adminCap: g.adminCapId,
      cluster: g.clusterId,
      account: executor.toSuiAddress(),
    }),
  );
  const admission = createdOfType(admitted.objectTypes, '::k8s_gateway::ExecutorCap');
  const registered = await run(client, executor, (tx) =>
    registerExecutor(tx, g.packageId, {
      cluster: g.clusterId,
      admission,
      signingKey: signer.publicKey,
      stake,
    }),
  );
  return createdOfType(registered.objectTypes, '::k8s_gateway::Executor');
}

export function kubectlCreate(g: GatewaySetup, tx: Transaction, requestId: string, payload: Uint8Array) {
  return executeKubectlCommand(tx, g.packageId, {
    cluster: g.clusterId,
    token: g.tokenId,
    requestId,
    verb: 'create',
    apiGroup: '',
    version: 'v1',
    resource: 'configmaps',
    subresource: '',
    namespace: 'default',
    name: requestId,
    query: '',
    contentType: 'application/json',
    accept: 'application/json',
    contentEncoding: '',
    payload,
    fee: 10n,
  });
}

/** The answer fields of a one-segment 200 JSON answer with `body` to `req`, signed at its creation time. */
export function answerFields(req: K8sAPIRequestEvent, body: Uint8Array, statusCode = 200): AnswerFields {
  return {
    statusCode,
    contentType: 'application/json',
    contentEncoding: '',
    bodySize: body.length,
    bodyDigest: sha256(body),
    signedAtMs: Number(req.timestamp_ms),
  };
}

/**
 * `store_k8s_response` of a one-segment answer with `body` to `req`, signed by `signer` over the
 * intent of `signedBody` (default: `body` itself; another body makes a mismatched signature).
 */
export function storeSignedAnswer(
  tx: Transaction,
  packageId: string,
  on: { cluster: string; executor: string; request: string },
  req: K8sAPIRequestEvent,
  body: Uint8Array,
  signer: AnswerSigner,
  signedBody: Uint8Array = body,
) {
  const fields = answerFields(req, body);
  return storeK8sResponse(tx, packageId, {
    ...on,
    statusCode: fields.statusCode,
    contentType: fields.contentType,
    contentEncoding: fields.contentEncoding,
    chunks: [body],
    totalSize: body.length,
    digest: sha256(body),
    segmentTxDigests: [],
    signedAtMs: fields.signedAtMs,
    signature: signer.sign(answerIntentBytes(req, answerFields(req, signedBody))),
  });
}
