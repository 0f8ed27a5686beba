/**
 * Public entry point of the backends: start a chain and a cluster by kind name.
 */
import { startDockerChain } from './chain/docker.ts';
import { startEmbeddedChain, startEmbeddedChainProcess } from './chain/embedded.ts';
import { startLocalnetChain } from './chain/localnet.ts';
import { connectRemoteChain } from './chain/remote.ts';
import { startApiserverCluster } from './cluster/apiserver.ts';
import { startEmbeddedCluster } from './cluster/embedded.ts';
import { useKubeconfigCluster } from './cluster/existing.ts';
import { startK3sCluster } from './cluster/k3s.ts';
import { startKindCluster } from './cluster/kind.ts';
import {
  CHAIN_KINDS,
  CLUSTER_KINDS,
  type ChainHandle,
  type ChainOptions,
  type ClusterHandle,
  type ClusterOptions,
} from './types.ts';

export * from './types.ts';
export { MissingToolError, BackendUnavailableError, BackendNotReadyError } from './errors.ts';
export { runCleanups, registerCleanup } from './cleanup.ts';
export { waitUntil, probeGrpcServiceInfo, probeFaucet, waitForSuiNetwork } from './readiness.ts';
export { localnetCommand } from './chain/localnet.ts';
export { kindCommands, kindConfig } from './cluster/kind.ts';
export { startApiserverCluster, lastApiserverBootMs } from './cluster/apiserver.ts';
export { EMBEDDED_SUI_PIECE } from './chain/embedded.ts';
export { EMBEDDED_KUBE_PIECE } from './cluster/embedded.ts';

export async function startChain(opts: ChainOptions): Promise<ChainHandle> {
  switch (opts.kind) {
    case 'embedded': {
      const node = {
        ...(opts.latencyProfile ? { latencyProfile: opts.latencyProfile } : {}),
        ...(opts.rpcProfile ? { rpcProfile: opts.rpcProfile } : {}),
        ...(opts.epochDurationMs !== undefined ? { epochDurationMs: opts.epochDurationMs } : {}),
      };
      return opts.separateProcess
        ? startEmbeddedChainProcess({ readyTimeoutMs: opts.readyTimeoutMs, ...node })
        : startEmbeddedChain(node);
    }
    case 'localnet':
      return startLocalnetChain(opts);
    case 'docker':
      return startDockerChain(opts);
    case 'remote':
      return connectRemoteChain(opts);
    default:
      throw new Error(`unknown chain backend "${String(opts.kind)}": use one of ${CHAIN_KINDS.join(', ')}`);
  }
}

export async function startCluster(opts: ClusterOptions): Promise<ClusterHandle> {
  switch (opts.kind) {
    case 'embedded':
      return startEmbeddedCluster({ workDir: opts.workDir, ...(opts.rbac ? { rbac: true } : {}) });
    case 'kind':
      return startKindCluster(opts);
    case 'k3s':
      return startK3sCluster(opts);
    case 'kubeconfig':
      return useKubeconfigCluster(opts);
    case 'apiserver':
      return startApiserverCluster({
        workDir: opts.workDir,
        readyTimeoutMs: opts.readyTimeoutMs,
        keep: opts.keep,
      });
    default:
      throw new Error(
        `unknown cluster backend "${String(opts.kind)}": use one of ${CLUSTER_KINDS.join(', ')}`,
      );
  }
}
