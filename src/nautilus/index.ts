/** Public entry of the Nautilus listener: `startNautilus()`. */
import type { SuiGrpcClient } from '@mysten/sui/grpc';
import type { Keypair } from '@mysten/sui/cryptography';
import type { Logger } from '../shared/logger.ts';
import { createLogger } from '../shared/logger.ts';
import { TxRunner } from '../shared/tx-runner.ts';
import { K8sExecutor } from './k8s-executor.ts';
import { NautilusListener, type ListenerOptions } from './listener.ts';
import { StateStore } from './state-store.ts';
import { AnswerSigner } from './answer-signer.ts';
import path from 'node:path';
import { ListenerSeal } from '../confidentiality/listener-seal.ts';
import { clusterSettingReader } from '../confidentiality/cluster-setting.ts';
import { checkSealSetup } from '../confidentiality/startup-check.ts';
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
  impersonate?: boolean;
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
  if (o.impersonate) k8sOpts.impersonate = true;
  const k8s = new K8sExecutor(k8sOpts);
  const lo: ListenerOptions = {
    client: o.client,
    packageId: o.packageId,
    clusterId: o.clusterId,
    // Large responses pay storage: a generous budget (only what is used is charged).
    runner: new TxRunner(o.client, o.signer, { gasBudget: o.gasBudget ?? 5_000_000_000n }),
    k8s,
    state: new StateStore(o.stateDir),
    logger: o.logger ?? createLogger('nautilus'),
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
  const readSetting = clusterSettingReader(o.client, o.clusterId);
  const logger = lo.logger;
  const sealStartup = await checkSealSetup({
    client: o.client,
    packageId: o.packageId,
    readSetting,
    ...(o.seal?.keyServers ? { keyServers: o.seal.keyServers } : {}),
    ...(o.seal?.threshold !== undefined ? { threshold: o.seal.threshold } : {}),
  });
  for (const w of sealStartup.warnings) logger.warn(w);
  logger.info({ confidentiality: sealStartup.summary }, 'confidentiality');
  const seal = new ListenerSeal({
    client: o.client,
    packageId: o.packageId,
    clusterId: o.clusterId,
    signer: o.signer,
    readSetting,
    ...(o.seal?.keyServers ? { keyServers: o.seal.keyServers } : {}),
    ...(o.seal?.threshold !== undefined ? { threshold: o.seal.threshold } : {}),
    ...(o.seal?.fetch ? { fetch: o.seal.fetch } : {}),
  });
  lo.confidentiality = seal.port();
  const listener = new NautilusListener(lo);
  const { healthUrl } = await listener.start();
  const handle: NautilusHandle = {
    listener,
    address: listener.address,
    executorObjectId: listener.executorObjectId,
    stop: async () => {
      await listener.stop();
      k8s.close();
    },
  };
  if (healthUrl) handle.healthUrl = healthUrl;
  return handle;
}
