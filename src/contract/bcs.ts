/**
 * BCS layouts of the k8s_gateway events and objects. Field order is the Move
 * struct's field order (a test compares these against the Move source), so
 * `parse` works on event `bcs` bytes and on object contents.
 */
import { bcs } from '@mysten/sui/bcs';

/** sui::object::ID and UID are both one address on the wire; decoded as `0x…` strings. */
const ID = bcs.Address;
const UID = bcs.Address;
const Balance = bcs.struct('Balance', { value: bcs.u64() });
const Table = bcs.struct('Table', { id: UID, size: bcs.u64() });
const Bytes = bcs.vector(bcs.u8());
const Strings = bcs.vector(bcs.string());

/**
 * The request's Kubernetes target, laid out identically (same fields, same order) in the
 * K8sAPIRequest event and the Request object; spreading keeps BCS field order.
 */
const K8S_TARGET_FIELDS = {
  verb: bcs.string(),
  api_group: bcs.string(),
  version: bcs.string(),
  resource: bcs.string(),
  subresource: bcs.string(),
  namespace: bcs.string(),
  name: bcs.string(),
  query: bcs.string(),
  content_type: bcs.string(),
  accept: bcs.string(),
  content_encoding: bcs.string(),
};

// === Events ===

export const K8sAPIRequestBcs = bcs.struct('K8sAPIRequest', {
  request_id: bcs.string(),
  request_object_id: ID,
  cluster_id: ID,
  ...K8S_TARGET_FIELDS,
  payload: Bytes,
  payload_size: bcs.u64(),
  payload_digest: Bytes,
  requester: bcs.Address,
  token_id: ID,
  timestamp_ms: bcs.u64(),
  priority: bcs.u8(),
  fee: bcs.u64(),
});

export const K8sAPIResponseBcs = bcs.struct('K8sAPIResponse', {
  request_id: bcs.string(),
  request_object_id: ID,
  cluster_id: ID,
  executor: bcs.Address,
  status_code: bcs.u32(),
  content_type: bcs.string(),
  content_encoding: bcs.string(),
  body_size: bcs.u64(),
  body_digest: Bytes,
  timestamp_ms: bcs.u64(),
  fee_paid: bcs.u64(),
});

export const RequestClaimedBcs = bcs.struct('RequestClaimed', {
  request_object_id: ID,
  executor: bcs.Address,
  lease_expires_at_ms: bcs.u64(),
  takeover: bcs.bool(),
});

export const RequestCancelledBcs = bcs.struct('RequestCancelled', {
  request_id: bcs.string(),
  request_object_id: ID,
  cluster_id: ID,
  refunded: bcs.u64(),
});

export const ClusterCreatedBcs = bcs.struct('ClusterCreated', {
  cluster_id: ID,
  admin_cap_id: ID,
  name: bcs.string(),
});

export const SealTokenIssuedBcs = bcs.struct('SealTokenIssued', {
  cluster_id: ID,
  token_id: ID,
  recipient: bcs.Address,
  expires_at_ms: bcs.u64(),
});

export const SealTokenRevokedBcs = bcs.struct('SealTokenRevoked', { cluster_id: ID, token_id: ID });

export const ExecutorRegisteredBcs = bcs.struct('ExecutorRegistered', {
  cluster_id: ID,
  executor: bcs.Address,
  stake: bcs.u64(),
});

export const ExecutorDeregisteredBcs = bcs.struct('ExecutorDeregistered', {
  cluster_id: ID,
  executor: bcs.Address,
});

export const ExecutorSlashedBcs = bcs.struct('ExecutorSlashed', {
  cluster_id: ID,
  executor: bcs.Address,
  amount: bcs.u64(),
});

/** Every event layout by struct name (for decoding `eventType` generically). */
export const EVENT_BCS = {
  K8sAPIRequest: K8sAPIRequestBcs,
  K8sAPIResponse: K8sAPIResponseBcs,
  RequestClaimed: RequestClaimedBcs,
  RequestCancelled: RequestCancelledBcs,
  ClusterCreated: ClusterCreatedBcs,
  SealTokenIssued: SealTokenIssuedBcs,
  SealTokenRevoked: SealTokenRevokedBcs,
  ExecutorRegistered: ExecutorRegisteredBcs,
  ExecutorDeregistered: ExecutorDeregisteredBcs,
  ExecutorSlashed: ExecutorSlashedBcs,
} as const;

// === Objects ===

export const ConfigBcs = bcs.struct('Config', {
  min_write_stake: bcs.u64(),
  min_executor_stake: bcs.u64(),
  request_fee: bcs.u64(),
  max_payload_bytes: bcs.u64(),
  max_response_bytes: bcs.u64(),
  claim_lease_ms: bcs.u64(),
});

export const RuleBcs = bcs.struct('Rule', {
  verbs: Strings,
  api_groups: Strings,
  resources: Strings,
  namespaces: Strings,
  resource_names: Strings,
});

export const ClusterBcs = bcs.struct('Cluster', {
  id: UID,
  name: bcs.string(),
  config: ConfigBcs,
  paused: bcs.bool(),
  revoked: Table,
  executors: Table,
  request_ids: Table,
  request_count: bcs.u64(),
  slashed: Balance,
});

export const AdminCapBcs = bcs.struct('AdminCap', { id: UID, cluster_id: ID });

export const SealTokenBcs = bcs.struct('SealToken', {
  id: UID,
  cluster_id: ID,
  owner: bcs.Address,
  label: bcs.string(),
  rules: bcs.vector(RuleBcs),
  stake: Balance,
  issued_at_ms: bcs.u64(),
  expires_at_ms: bcs.u64(),
});

/** Value of an entry of Cluster.executors (a dynamic field of the table). */
export const ExecutorBcs = bcs.struct('Executor', {
  stake: Balance,
  registered_at_ms: bcs.u64(),
  executed: bcs.u64(),
});

export const RequestBcs = bcs.struct('Request', {
  id: UID,
  cluster_id: ID,
  request_id: bcs.string(),
  requester: bcs.Address,
  token_id: ID,
  ...K8S_TARGET_FIELDS,
  payload_size: bcs.u64(),
  payload_digest: Bytes,
  priority: bcs.u8(),
  fee: Balance,
  created_at_ms: bcs.u64(),
  state: bcs.u8(),
  claimant: bcs.option(bcs.Address),
  lease_expires_at_ms: bcs.u64(),
  status_code: bcs.u32(),
  response_content_type: bcs.string(),
  response_content_encoding: bcs.string(),
  response_body: Bytes,
  response_size: bcs.u64(),
  response_digest: Bytes,
  answered_at_ms: bcs.u64(),
});

/** Every object layout by struct name. */
export const OBJECT_BCS = {
  Config: ConfigBcs,
  Rule: RuleBcs,
  Cluster: ClusterBcs,
  AdminCap: AdminCapBcs,
  SealToken: SealTokenBcs,
  Executor: ExecutorBcs,
  Request: RequestBcs,
} as const;

export type K8sAPIRequestEvent = typeof K8sAPIRequestBcs.$inferType;
export type K8sAPIResponseEvent = typeof K8sAPIResponseBcs.$inferType;
export type RequestClaimedEvent = typeof RequestClaimedBcs.$inferType;
export type RequestCancelledEvent = typeof RequestCancelledBcs.$inferType;
export type ClusterCreatedEvent = typeof ClusterCreatedBcs.$inferType;
export type SealTokenIssuedEvent = typeof SealTokenIssuedBcs.$inferType;
export type SealTokenRevokedEvent = typeof SealTokenRevokedBcs.$inferType;
export type ExecutorRegisteredEvent = typeof ExecutorRegisteredBcs.$inferType;
export type ExecutorDeregisteredEvent = typeof ExecutorDeregisteredBcs.$inferType;
export type ExecutorSlashedEvent = typeof ExecutorSlashedBcs.$inferType;
export type ClusterObject = typeof ClusterBcs.$inferType;
export type SealTokenObject = typeof SealTokenBcs.$inferType;
export type RequestObject = typeof RequestBcs.$inferType;
export type RuleValue = typeof RuleBcs.$inferType;

/** Decode an event's BCS bytes by its struct name (the last segment of its type). */
export function decodeEvent<N extends keyof typeof EVENT_BCS>(
  name: N,
  bytes: Uint8Array,
): ReturnType<(typeof EVENT_BCS)[N]['parse']> {
  return EVENT_BCS[name].parse(bytes) as ReturnType<(typeof EVENT_BCS)[N]['parse']>;
}
