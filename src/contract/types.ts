/**
 * Names and plain TypeScript shapes of the k8s_gateway contract. The Move
 * package README (move/k8s_gateway/README.md) is the source of truth; these
 * mirror it for the gateway, the listener and the harness.
 */

export const MODULE = 'k8s_gateway';

/** Fully qualified type of a struct of the k8s_gateway module. */
export function contractType(packageId: string, struct: string): string {
  return `${packageId}::${MODULE}::${struct}`;
}

/** Event type the Nautilus listener filters on. */
export const K8S_REQUEST_EVENT = (packageId: string): string => contractType(packageId, 'K8sAPIRequest');
export const K8S_RESPONSE_EVENT = (packageId: string): string => contractType(packageId, 'K8sAPIResponse');
export const K8S_RESPONSE_CHUNK_EVENT = (packageId: string): string =>
  contractType(packageId, 'K8sAPIResponseChunk');

export const EVENT_NAMES = [
  'K8sAPIRequest',
  'K8sAPIResponse',
  'K8sAPIResponseChunk',
  'RequestClaimed',
  'RequestCancelled',
  'ClusterCreated',
  'SealTokenIssued',
  'SealTokenRevoked',
  'ExecutorAdmitted',
  'ExecutorRegistered',
  'ExecutorDeregistered',
  'ExecutorRemoved',
  'ExecutorWithdrawn',
  'ExecutorSlashed',
] as const;
export type EventName = (typeof EVENT_NAMES)[number];

/** Request.state values. */
export const RequestState = { Open: 0, Claimed: 1, Answered: 2 } as const;
export type RequestStateValue = (typeof RequestState)[keyof typeof RequestState];

export const READ_VERBS = ['get', 'list', 'watch'] as const;
export const WRITE_VERBS = ['create', 'update', 'patch', 'delete', 'deletecollection'] as const;
export type Verb = (typeof READ_VERBS)[number] | (typeof WRITE_VERBS)[number];

/** Cluster configuration; amounts in MIST, sizes in bytes, times in ms. */
export interface ClusterConfig {
  minWriteStake: bigint;
  minExecutorStake: bigint;
  requestFee: bigint;
  maxPayloadBytes: number;
  maxResponseBytes: number;
  claimLeaseMs: number;
  /** total time one executor may hold a request, renewals included (≥ claimLeaseMs) */
  maxHoldMs: number;
  /** executor stake stays locked and slashable this long after deregistration */
  executorUnbondingMs: number;
  /** a SealToken's unstaked SUI is withdrawable this long after unstaking */
  stakeCooldownMs: number;
  /** penalty of a lapsed claim, and the cap of one discretionary slash (MIST) */
  slashPenalty: bigint;
}

/** A Kubernetes RBAC PolicyRule as the contract stores it (`*` wildcard, "" = core group / cluster scope). */
export interface RbacRule {
  verbs: string[];
  apiGroups: string[];
  resources: string[];
  /** Namespace names; `*` = all namespaces and cluster-scoped; "" = cluster-scoped (and all-namespace) requests only. */
  namespaces: string[];
  /** Empty = any name. */
  resourceNames: string[];
}

/** The structured request the contract checks and the listener rebuilds the URL from. */
export interface StructuredRequest {
  verb: string;
  apiGroup: string;
  version: string;
  resource: string;
  subresource: string;
  namespace: string;
  name: string;
  /** Query string without the leading `?`. */
  query: string;
}

/** What the abort table says about one abort code. */
export interface AbortInfo {
  /** Move abort code. */
  code: number;
  /** Constant name in k8s_gateway, e.g. `EPermissionDenied`. */
  name: string;
  /** HTTP status the gateway answers with. */
  httpStatus: number;
  /** Kubernetes StatusReason, e.g. `Forbidden`. */
  reason: string;
  message: string;
}
