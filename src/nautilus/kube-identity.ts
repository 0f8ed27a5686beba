/**
 * Who a request runs as in Kubernetes (#18): always the requester, never the executor. The user
 * is `sui:<address>`; the groups name the cluster and the SealToken the contract checked, so
 * the RBAC mirrored from that token (rbac-mirror.ts, bound to the token's group) is exactly
 * what Kubernetes re-checks. `system:authenticated` is sent explicitly (kube-apiserver adds it
 * anyway) so discovery (`system:discovery`, bound to it by default) works the same on every
 * cluster implementation.
 */
export interface KubeIdentity {
  user: string;
  groups: readonly string[];
}

export const USER_PREFIX = 'sui:';
export const AUTHENTICATED_GROUP = 'system:authenticated';

export function clusterGroup(clusterId: string): string {
  return `k3s-daas:cluster:${clusterId}`;
}

export function tokenGroup(tokenId: string): string {
  return `k3s-daas:token:${tokenId}`;
}

export function requesterUser(address: string): string {
  return `${USER_PREFIX}${address}`;
}

/** The identity a request of `requester` under SealToken `tokenId` of cluster `clusterId` runs as. */
export function requesterIdentity(r: {
  requester: string;
  tokenId: string;
  clusterId: string;
}): KubeIdentity {
  return {
    user: requesterUser(r.requester),
    groups: [clusterGroup(r.clusterId), tokenGroup(r.tokenId), AUTHENTICATED_GROUP],
  };
}
