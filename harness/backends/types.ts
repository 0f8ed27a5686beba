/**
 * The two backend interfaces. The gateway and listener only ever see `ChainHandle.url`
 * and `ClusterHandle.kubeconfigPath`, whatever backend produced them.
 */
export type ChainKind = 'embedded' | 'localnet' | 'docker' | 'remote';
export type ClusterKind = 'embedded' | 'kind' | 'k3s' | 'kubeconfig' | 'apiserver';
export const CHAIN_KINDS: readonly ChainKind[] = ['embedded', 'localnet', 'docker', 'remote'];
export const CLUSTER_KINDS: readonly ClusterKind[] = ['embedded', 'kind', 'k3s', 'kubeconfig', 'apiserver'];

export interface ChainHandle {
  readonly kind: ChainKind;
  /** Sui gRPC (grpc-web) base URL. */
  readonly url: string;
  readonly faucetUrl: string | undefined;
  /** Secret keys (`suiprivkey…`) of accounts that already hold SUI, if the backend has any. */
  readonly fundedKeys: readonly string[];
  /** Embedded only: state snapshots for per-scenario isolation. */
  snapshot?(): Promise<string>;
  revert?(id: string): Promise<void>;
  /** Recent log lines of the node (empty for remote). */
  logs(): string;
  /** Separate-process backends: signals the node's process group (SIGSTOP/SIGCONT pause it). */
  signal?(signal: NodeJS.Signals): void;
  stop(): Promise<void>;
}

export interface ClusterHandle {
  readonly kind: ClusterKind;
  /** Path to a kubeconfig file whose current context reaches the cluster. */
  readonly kubeconfigPath: string;
  /** The API server URL from that kubeconfig. */
  readonly url: string;
  /** apiserver only: kube-apiserver's audit log (JSON lines, the admin user's requests). */
  readonly auditLogPath?: string;
  snapshot?(): Promise<string>;
  revert?(id: string): Promise<void>;
  logs(): string;
  stop(): Promise<void>;
}

export interface ChainOptions {
  kind: ChainKind;
  /** remote: gRPC URL (e.g. https://fullnode.devnet.sui.io:443). */
  url?: string;
  /** remote: faucet URL; localnet/docker: derived. */
  faucetUrl?: string;
  /** remote: a funded key (`suiprivkey…`) used instead of (or besides) a faucet. */
  fundedKey?: string;
  /** localnet: path or name of the `sui` binary. */
  suiBinary?: string;
  rpcPort?: number;
  faucetPort?: number;
  /** docker: image reference of the Sui tools image. */
  image?: string;
  readyTimeoutMs?: number;
  /** embedded: run the node as its own process (no snapshot/revert) instead of in this one. */
  separateProcess?: boolean;
  /** embedded: finalization latency to imitate ('none' default, 'mainnet'; see harness/embedded/sui/latency-profile.ts). */
  latencyProfile?: 'none' | 'mainnet';
  /** embedded: the Sui release whose gRPC methods the node serves ('current' default, '1.71'; see harness/embedded/sui/rpc-profile.ts). */
  rpcProfile?: RpcProfile;
  /** embedded: epoch length in ms (the node's default otherwise; 0 = never). */
  epochDurationMs?: number;
}

/** Sui releases the embedded node can imitate at the gRPC level. */
export const RPC_PROFILES = ['1.71', 'current'] as const;
export type RpcProfile = (typeof RPC_PROFILES)[number];

export interface ClusterOptions {
  kind: ClusterKind;
  /** kind: cluster name; kubeconfig: context name. */
  name?: string;
  /** kind: keep the cluster on exit and reuse an existing one of that name. */
  reuse?: boolean;
  /** kubeconfig: path to the file (default $KUBECONFIG or ~/.kube/config). */
  kubeconfigPath?: string;
  context?: string;
  kindBinary?: string;
  /** k3s: image reference. */
  image?: string;
  /** Where generated files (kubeconfigs, kind config) go. */
  workDir?: string;
  readyTimeoutMs?: number;
  /** apiserver: keep certificates, kubeconfigs and etcd data after stop. */
  keep?: boolean;
  /** embedded: authorize with RBAC (and check impersonation) as kube-apiserver does; off by default. */
  rbac?: boolean;
}
