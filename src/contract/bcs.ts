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

/** The request's Kubernetes path fields, in this order in the events, the Request and the AnswerIntent. */
export const K8S_PATH_FIELDS = {
  verb: bcs.string(),
  api_group: bcs.string(),
  version: bcs.string(),
  resource: bcs.string(),
  subresource: bcs.string(),
  namespace: bcs.string(),
  name: bcs.string(),
  query: bcs.string(),
};

/**
 * The request's Kubernetes target, laid out identically (same fields, same order) in the
 * K8sAPIRequest event and the Request object; spreading keeps BCS field order.
 */
const K8S_TARGET_FIELDS = {
  ...K8S_PATH_FIELDS,
  content_type: bcs.string(),
  accept: bcs.string(),
  content_encoding: bcs.string(),
  impersonate_user: bcs.string(),
  impersonate_groups: Strings,
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
  /** the Seal id the response is encrypted for (empty without confidentiality) */
  response_seal_id: Bytes,
});

/** One segment of a response that needs several transactions. */
export const K8sAPIResponseChunkBcs = bcs.struct('K8sAPIResponseChunk', {
  request_object_id: ID,
  cluster_id: ID,
  executor_object_id: ID,
  segment: bcs.u64(),
  chunks: bcs.vector(Bytes),
});

export const K8sAPIResponseBcs = bcs.struct('K8sAPIResponse', {
  request_id: bcs.string(),
  request_object_id: ID,
  cluster_id: ID,
  executor: bcs.Address,
  executor_object_id: ID,
  status_code: bcs.u32(),
  content_type: bcs.string(),
  content_encoding: bcs.string(),
  body_size: bcs.u64(),
  body_digest: Bytes,
  segments: bcs.u64(),
  body: bcs.vector(Bytes),
  segment_tx_digests: bcs.vector(Bytes),
  signed_at_ms: bcs.u64(),
  signature: Bytes,
  timestamp_ms: bcs.u64(),
  fee_paid: bcs.u64(),
});

export const RequestClaimedBcs = bcs.struct('RequestClaimed', {
  request_object_id: ID,
  executor: bcs.Address,
  executor_object_id: ID,
  lease_expires_at_ms: bcs.u64(),
  hold_deadline_ms: bcs.u64(),
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

export const ExecutorAdmittedBcs = bcs.struct('ExecutorAdmitted', {
  cluster_id: ID,
  account: bcs.Address,
  cap_id: ID,
});

export const ExecutorRegisteredBcs = bcs.struct('ExecutorRegistered', {
  cluster_id: ID,
  executor: bcs.Address,
  executor_object_id: ID,
  signing_key: Bytes,
  stake: bcs.u64(),
});

export const ExecutorDeregisteredBcs = bcs.struct('ExecutorDeregistered', {
  cluster_id: ID,
  executor: bcs.Address,
  executor_object_id: ID,
  unbonding_until_ms: bcs.u64(),
});

export const ExecutorRemovedBcs = bcs.struct('ExecutorRemoved', {
  cluster_id: ID,
  executor: bcs.Address,
  executor_object_id: ID,
  unbonding_until_ms: bcs.u64(),
});

export const ExecutorWithdrawnBcs = bcs.struct('ExecutorWithdrawn', {
  cluster_id: ID,
  executor: bcs.Address,
  executor_object_id: ID,
  amount: bcs.u64(),
});

/** `fault`: 0 administrator, 1 lapsed claim, 2 equivocation. */
export const ExecutorSlashedBcs = bcs.struct('ExecutorSlashed', {
  cluster_id: ID,
  executor: bcs.Address,
  executor_object_id: ID,
  amount: bcs.u64(),
  fault: bcs.u8(),
  request_object_id: ID,
  note: bcs.string(),
});

/**
 * What an executor signs (ed25519) to answer a request: BCS of the contract's AnswerIntent.
 * `domain` is ANSWER_DOMAIN; see answer-intent.ts for building it from events.
 */
export const AnswerIntentBcs = bcs.struct('AnswerIntent', {
  domain: Bytes,
  cluster_id: ID,
  request_object_id: ID,
  body_digest: Bytes,
  body_size: bcs.u64(),
  status_code: bcs.u32(),
  content_type: bcs.string(),
  content_encoding: bcs.string(),
  signed_at_ms: bcs.u64(),
  requester: bcs.Address,
  ...K8S_PATH_FIELDS,
  request_content_type: bcs.string(),
  accept: bcs.string(),
  payload_digest: Bytes,
  impersonate_user: bcs.string(),
  impersonate_groups: Strings,
});

/** Every event layout by struct name (for decoding `eventType` generically). */
export const EVENT_BCS = {
  K8sAPIRequest: K8sAPIRequestBcs,
  K8sAPIResponse: K8sAPIResponseBcs,
  K8sAPIResponseChunk: K8sAPIResponseChunkBcs,
  RequestClaimed: RequestClaimedBcs,
  RequestCancelled: RequestCancelledBcs,
  ClusterCreated: ClusterCreatedBcs,
  SealTokenIssued: SealTokenIssuedBcs,
  SealTokenRevoked: SealTokenRevokedBcs,
  ExecutorAdmitted: ExecutorAdmittedBcs,
  ExecutorRegistered: ExecutorRegisteredBcs,
  ExecutorDeregistered: ExecutorDeregisteredBcs,
  ExecutorRemoved: ExecutorRemovedBcs,
  ExecutorWithdrawn: ExecutorWithdrawnBcs,
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
  max_hold_ms: bcs.u64(),
  executor_unbonding_ms: bcs.u64(),
  stake_cooldown_ms: bcs.u64(),
  slash_penalty: bcs.u64(),
});

export const RuleBcs = bcs.struct('Rule', {
  verbs: Strings,
  api_groups: Strings,
  resources: Strings,
  namespaces: Strings,
  resource_names: Strings,
});

/** k8s_gateway::confidentiality::Confidentiality: mode 0 none / 1 seal (see confidentiality.ts). */
export const ConfidentialityBcs = bcs.struct('Confidentiality', {
  mode: bcs.u8(),
  key_servers: bcs.vector(ID),
  threshold: bcs.u8(),
  executor_epoch: bcs.u64(),
});

export const ClusterBcs = bcs.struct('Cluster', {
  id: UID,
  name: bcs.string(),
  config: ConfigBcs,
  paused: bcs.bool(),
  revoked: Table,
  active_executors: bcs.u64(),
  slashed: Balance,
  confidentiality: ConfidentialityBcs,
});

export const AdminCapBcs = bcs.struct('AdminCap', { id: UID, cluster_id: ID });

export const SealTokenBcs = bcs.struct('SealToken', {
  id: UID,
  cluster_id: ID,
  owner: bcs.Address,
  label: bcs.string(),
  rules: bcs.vector(RuleBcs),
  stake: Balance,
  unstaking: Balance,
  unstaking_until_ms: bcs.u64(),
  issued_at_ms: bcs.u64(),
  expires_at_ms: bcs.u64(),
});

export const ExecutorCapBcs = bcs.struct('ExecutorCap', { id: UID, cluster_id: ID, account: bcs.Address });

/** A registered executor (shared object). */
export const ExecutorBcs = bcs.struct('Executor', {
  id: UID,
  cluster_id: ID,
  account: bcs.Address,
  signing_key: Bytes,
  stake: Balance,
  registered_at_ms: bcs.u64(),
  unbonding_until_ms: bcs.u64(),
  lease_horizon_ms: bcs.u64(),
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
  /** the claiming Executor object (zero while open) */
  claimant: ID,
  lease_expires_at_ms: bcs.u64(),
  hold_deadline_ms: bcs.u64(),
  lapse_penalised: bcs.bool(),
  status_code: bcs.u32(),
  response_size: bcs.u64(),
  response_segments: bcs.u64(),
  response_chunks: bcs.u64(),
  response_digest: Bytes,
  answer_tx_digest: Bytes,
  answered_at_ms: bcs.u64(),
  response_seal_id: Bytes,
});

/** Every object layout by struct name. */
export const OBJECT_BCS = {
  Config: ConfigBcs,
  Rule: RuleBcs,
  Confidentiality: ConfidentialityBcs,
  Cluster: ClusterBcs,
  AdminCap: AdminCapBcs,
  SealToken: SealTokenBcs,
  ExecutorCap: ExecutorCapBcs,
  Executor: ExecutorBcs,
  Request: RequestBcs,
} as const;

export type K8sAPIRequestEvent = typeof K8sAPIRequestBcs.$inferType;
export type K8sAPIResponseEvent = typeof K8sAPIResponseBcs.$inferType;
export type K8sAPIResponseChunkEvent = typeof K8sAPIResponseChunkBcs.$inferType;
export type ExecutorObject = typeof ExecutorBcs.$inferType;
export type RequestClaimedEvent = typeof RequestClaimedBcs.$inferType;
export type RequestCancelledEvent = typeof RequestCancelledBcs.$inferType;
export type ClusterCreatedEvent = typeof ClusterCreatedBcs.$inferType;
export type SealTokenIssuedEvent = typeof SealTokenIssuedBcs.$inferType;
export type SealTokenRevokedEvent = typeof SealTokenRevokedBcs.$inferType;
export type ExecutorRegisteredEvent = typeof ExecutorRegisteredBcs.$inferType;
export type ExecutorRemovedEvent = typeof ExecutorRemovedBcs.$inferType;
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
