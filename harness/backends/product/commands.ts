/**
 * How the harness starts the product: `k3s-daas gateway` and `k3s-daas nautilus`, exactly as an
 * operator would (bin/k3s-daas.js). The flags are the CLI's documented ones; they are kept in this
 * one file so a CLI change is one edit here.
 */
export interface GatewayConfig {
  grpcUrl: string;
  packageId: string;
  clusterId: string;
  /** sui.keystore holding the identities' keys only (never the executor's or the admin's). */
  keystorePath: string;
  /** identities file: bearer token hashes → address + SealToken. */
  identitiesPath: string;
  /** Directory with ca.crt, tls.crt and tls.key. */
  tlsDir: string;
  host: string;
  port: number;
  /** Fee paid per request in MIST (must cover the Cluster's request_fee). */
  requestFeeMist: bigint;
  /** Seconds the gateway waits for a stored response. */
  responseTimeoutS?: number;
  /** `--shared`: one gateway serving several identities (custodial; the harness's test gateway). */
  shared?: boolean;
  /** `--seal-key-servers` (objectId=url,…): the harness's embedded key servers. */
  sealKeyServers?: string;
}

export interface ListenerConfig {
  grpcUrl: string;
  packageId: string;
  clusterId: string;
  keystorePath: string;
  /** The executor's address (its key is in the keystore). */
  address: string;
  kubeconfigPath: string;
  /** Where the listener persists its event cursor (survives a restart). */
  stateDir: string;
  healthPort: number;
  /** `--allow-admin-credential`: kubeconfigPath is the cluster's admin kubeconfig (#18). */
  allowAdminCredential?: boolean;
  /** The RBAC mirror in the listener (#18): its kubeconfig, Pod Security level, period. */
  rbac?: { kubeconfigPath: string; podSecurity?: string; reconcile?: string };
  sealKeyServers?: string;
}

// prettier-ignore
export function gatewayArgs(c: GatewayConfig): string[] {
  const args = [
    'gateway',
    '--grpc-url', c.grpcUrl,
    '--network', 'localnet',
    '--package', c.packageId,
    '--cluster', c.clusterId,
    '--keystore', c.keystorePath,
    '--identities', c.identitiesPath,
    '--tls-dir', c.tlsDir,
    '--host', c.host,
    '--port', String(c.port),
    '--request-fee', String(c.requestFeeMist),
  ];
  if (c.responseTimeoutS !== undefined) args.push('--timeout', `${c.responseTimeoutS}s`);
  if (c.shared) args.push('--shared');
  if (c.sealKeyServers) args.push('--seal-key-servers', c.sealKeyServers);
  return args;
}

// prettier-ignore
export function listenerArgs(c: ListenerConfig): string[] {
  const args = [
    'nautilus',
    '--grpc-url', c.grpcUrl,
    '--network', 'localnet',
    '--package', c.packageId,
    '--cluster', c.clusterId,
    '--keystore', c.keystorePath,
    '--signer', c.address,
    '--kubeconfig', c.kubeconfigPath,
    '--state-dir', c.stateDir,
    '--health-port', String(c.healthPort),
  ];
  if (c.allowAdminCredential) args.push('--allow-admin-credential');
  if (c.rbac) {
    args.push('--rbac-kubeconfig', c.rbac.kubeconfigPath);
    if (c.rbac.podSecurity) args.push('--pod-security', c.rbac.podSecurity);
    if (c.rbac.reconcile) args.push('--rbac-reconcile', c.rbac.reconcile);
  }
  if (c.sealKeyServers) args.push('--seal-key-servers', c.sealKeyServers);
  return args;
}

/** `k3s-daas cluster bootstrap` (#18): the executor's and the RBAC mirror's kubeconfigs into outDir. */
// prettier-ignore
export function bootstrapArgs(c: { clusterId: string; adminKubeconfigPath: string; outDir: string }): string[] {
  return [
    'cluster', 'bootstrap',
    '--cluster', c.clusterId,
    '--kubeconfig', c.adminKubeconfigPath,
    '--out-dir', c.outDir,
    '--json',
  ];
}
