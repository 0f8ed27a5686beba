/** Public entry of the Nautilus listener: `startNautilus()`. */
import type { SuiGrpcClient } from '@mysten/sui/grpc';
import type { Keypair } from '@mysten/sui/cryptography';
import type { Logger } from '../shared/logger.ts';
import { createLogger } from '../shared/logger.ts';
import { TxRunner } from '../sui/tx-runner.ts';
import { K8sExecutor } from './k8s-executor.ts';
import { NautilusListener, type ListenerOptions } from './listener.ts';
import { StateStore } from './state-store.ts';
import { AnswerSigner } from './answer-signer.ts';
import path from 'node:path';
import { credentialRefusal, inspectCredential, type CredentialInfo } from './credential-check.ts';
import type { KubeIdentity } from './kube-identity.ts';
import { KubeObjects } from './kube-objects.ts';
import type { PodSecurityLevel } from './rbac-mirror.ts';
import { RbacReconciler } from './rbac-reconciler.ts';
import { SuiTokenSource } from './token-source.ts';
import { ListenerSeal } from '../confidentiality/listener-seal.ts';
import { startConfidentiality } from '../confidentiality/startup-check.ts';
import type { KeyServerSpec } from '../confidentiality/key-servers.ts';

export { NautilusListener } from './listener.ts';
export { rebuildUrl } from './url-rebuilder.ts';
export { AnswerSigner } from './answer-signer.ts';

export interface StartNautilusOptions {
  client: SuiGrpcClient;
  packageId: string;
  clusterId: string;
  signer: Keypair;
  /** kubeconfig file (or YAML) for the Kubernetes API; context optional */
  kubeconfigPath?: string;
  kubeconfigYaml?: string;
  context?: string;
  /**
   * Run although the kubeconfig's credential is an administrator (system:masters or
   * cluster-admin); /healthz, /readyz and every log line then say so. Default: refuse.
   */
  allowAdminCredential?: boolean;
  /**
   * The RBAC mirror in this process (rbac-reconciler.ts): its own kubeconfig (RBAC-admin: the
   * `k3s-daas-rbac-sync` one `cluster bootstrap` writes), the Pod Security level of tenant
   * namespaces (default restricted) and the reconcile period (default 3 s).
   */
  rbac?: {
    kubeconfigPath?: string;
    kubeconfigYaml?: string;
    context?: string;
    podSecurity?: PodSecurityLevel;
    periodMs?: number;
  };
  stateDir: string;
  /**
   * The answer-signing key (ed25519), or the file holding it (hex, 0600; created when
   * missing). Default: <stateDir>/answer-signing.key.
   */
  answerSigner?: AnswerSigner;
  signingKeyFile?: string;
  concurrency?: number;
  /** Watch windows (see ListenerOptions.watch). */
  watch?: ListenerOptions['watch'];
  registerStake?: bigint;
  stallMs?: number;
  reconcileMs?: number;
  useSubscription?: boolean;
  health?: { host?: string; port: number };
  logger?: Logger;
  faultHook?: ListenerOptions['faultHook'];
  /** Gas budget per listener transaction (MIST). Default 5 SUI. */
  gasBudget?: bigint;
  shard?: { index: number; count: number };
  /** Seal: URLs for the cluster's key servers and the expected threshold (see startGateway). */
  seal?: { keyServers?: KeyServerSpec[]; threshold?: number; fetch?: typeof fetch };
}

export interface NautilusHandle {
  listener: NautilusListener;
  address: string;
  /** its Executor object */
  executorObjectId: string;
  healthUrl?: string;
  stop(): Promise<void>;
}

export async function startNautilus(o: StartNautilusOptions): Promise<NautilusHandle> {
  const k8sOpts: ConstructorParameters<typeof K8sExecutor>[0] = {};
  if (o.kubeconfigPath) k8sOpts.kubeconfigPath = o.kubeconfigPath;
  if (o.kubeconfigYaml) k8sOpts.kubeconfigYaml = o.kubeconfigYaml;
  if (o.context) k8sOpts.context = o.context;
  const k8s = new K8sExecutor(k8sOpts);
  const baseLogger = o.logger ?? createLogger('nautilus');
  const credential = await inspectCredential(new KubeObjects(k8s)).catch((e: unknown) => {
    throw new Error(
      `could not tell who the executor's Kubernetes credential is (SelfSubjectReview on ${k8s.serverUrl}): ${(e as Error).message}; check --kubeconfig`,
    );
  });
  const refused = credentialRefusal(credential, o.allowAdminCredential ?? false);
  if (refused) {
    k8s.close();
    throw new Error(`k3s-daas nautilus refused to start: ${refused}`);
  }
  const adminWarning = credential.admin
    ? `the executor runs with an administrator Kubernetes credential (${credential.user}: ${credential.adminBecause ?? ''}; --allow-admin-credential): a compromised executor is cluster-admin`
    : undefined;
  // Every log line of an admin-credential listener carries the warning.
  const logger = adminWarning ? baseLogger.child({ adminCredential: credential.user }) : baseLogger;
  if (adminWarning) logger.warn({ user: credential.user, groups: credential.groups }, adminWarning);
  const mirror = o.rbac ? await startRbacMirror(o, o.rbac, logger) : undefined;
  const lo: ListenerOptions = {
    client: o.client,
    packageId: o.packageId,
    clusterId: o.clusterId,
    // Large responses pay storage: a generous budget (only what is used is charged).
    runner: new TxRunner(o.client, o.signer, { gasBudget: o.gasBudget ?? 5_000_000_000n }),
    k8s,
    state: new StateStore(o.stateDir),
    logger,
    answerSigner:
      o.answerSigner ??
      AnswerSigner.fromFile(o.signingKeyFile ?? path.join(o.stateDir, 'answer-signing.key')),
  };
  if (o.concurrency !== undefined) lo.concurrency = o.concurrency;
  if (o.watch) lo.watch = o.watch;
  if (o.registerStake !== undefined) lo.registerStake = o.registerStake;
  if (o.stallMs !== undefined) lo.stallMs = o.stallMs;
  if (o.reconcileMs !== undefined) lo.reconcileMs = o.reconcileMs;
  if (o.useSubscription !== undefined) lo.useSubscription = o.useSubscription;
  if (o.health) lo.health = o.health;
  if (o.faultHook) lo.faultHook = o.faultHook;
  if (o.shard) lo.shard = o.shard;
  if (mirror) {
    const probe = new KubeObjects(k8s);
    lo.beforeSend = async (f, as) => {
      if (await mirror.reconciler.ensureToken(f.tokenId)) await untilImpersonable(probe, as);
    };
  }
  lo.healthNotes = {
    warnings: () => (adminWarning ? [adminWarning] : []),
    details: () => healthDetails(credential, mirror?.reconciler),
  };
  const { party } = await startConfidentiality(o, logger);
  const seal = new ListenerSeal({ ...party, signer: o.signer });
  lo.confidentiality = seal.port();
  const listener = new NautilusListener(lo);
  let healthUrl: string | undefined;
  try {
    ({ healthUrl } = await listener.start());
  } catch (e) {
    mirror?.stop();
    throw e;
  }
  const handle: NautilusHandle = {
    listener,
    address: listener.address,
    executorObjectId: listener.executorObjectId,
    stop: async () => {
      mirror?.stop();
      await listener.stop();
      k8s.close();
    },
  };
  if (healthUrl) handle.healthUrl = healthUrl;
  return handle;
}

function healthDetails(c: CredentialInfo, r: RbacReconciler | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = { kubernetesUser: c.user, adminCredential: c.admin };
  if (r) out.rbacMirror = { periodMs: r.periodMs, lastPass: r.lastPass ?? null };
  return out;
}

/**
 * The RBAC mirror alone (`k3s-daas cluster rbac-sync`, or inside the listener with
 * `--rbac-kubeconfig`): admission policy, first pass, then every period.
 */
export async function startRbacMirror(
  o: Pick<StartNautilusOptions, 'client' | 'packageId' | 'clusterId'>,
  rbac: NonNullable<StartNautilusOptions['rbac']>,
  logger: Logger,
): Promise<{ reconciler: RbacReconciler; stop(): void }> {
  const opts: ConstructorParameters<typeof K8sExecutor>[0] = {};
  if (rbac.kubeconfigPath) opts.kubeconfigPath = rbac.kubeconfigPath;
  if (rbac.kubeconfigYaml) opts.kubeconfigYaml = rbac.kubeconfigYaml;
  if (rbac.context) opts.context = rbac.context;
  const k8s = new K8sExecutor(opts);
  const reconcilerOpts: ConstructorParameters<typeof RbacReconciler>[0] = {
    kube: new KubeObjects(k8s),
    tokens: new SuiTokenSource(o.client, { packageId: o.packageId, clusterId: o.clusterId }),
    clusterId: o.clusterId,
    podSecurity: rbac.podSecurity ?? 'restricted',
    logger: logger.child({ component: 'rbac-mirror' }),
  };
  if (rbac.periodMs !== undefined) reconcilerOpts.periodMs = rbac.periodMs;
  const reconciler = new RbacReconciler(reconcilerOpts);
  try {
    const first = await reconciler.start();
    logger.info({ ...first, podSecurity: reconcilerOpts.podSecurity }, 'RBAC mirror started');
  } catch (e) {
    k8s.close();
    throw new Error(
      `the RBAC mirror could not converge on ${k8s.serverUrl}: ${(e as Error).message}; the --rbac-kubeconfig credential must manage RBAC, namespaces and admission policies (k3s-daas cluster bootstrap writes one)`,
    );
  }
  return {
    reconciler,
    stop: () => {
      reconciler.stop();
      k8s.close();
    },
  };
}

/**
 * Right after a token's RBAC is created, kube-apiserver's authorizer may not have seen it yet
 * (its informers lag by milliseconds): wait until the executor may impersonate the requester
 * (at most 5 s), so a new token's first request is not refused for that.
 */
async function untilImpersonable(kube: KubeObjects, as: KubeIdentity): Promise<void> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const r = (await kube.post('/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SelfSubjectAccessReview',
      spec: { resourceAttributes: { verb: 'impersonate', resource: 'users', name: as.user } },
    })) as { status?: { allowed?: boolean } };
    if (r.status?.allowed || Date.now() > deadline) return;
    await new Promise((res) => setTimeout(res, 100));
  }
}
