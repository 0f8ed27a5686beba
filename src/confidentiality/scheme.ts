/**
 * The id and AAD layouts and the approval transactions of the contract's Seal policies
 * (move/k8s_gateway/sources/confidentiality.move; the builders live in src/contract). This
 * file only names what this folder uses, so the parties below read as the protocol.
 */
import type { Transaction } from '@mysten/sui/transactions';

export interface ConfidentialitySetting {
  mode: 'none' | 'seal';
  /** KeyServer object ids, as the Cluster records them */
  keyServers: string[];
  threshold: number;
  /** bumped whenever an executor leaves the set that may decrypt payloads */
  executorEpoch: bigint;
}

/** Every header field of a request that the payload AAD binds. */
export interface PayloadHeader {
  clusterId: string;
  requester: string;
  requestId: string;
  verb: string;
  apiGroup: string;
  version: string;
  resource: string;
  subresource: string;
  namespace: string;
  name: string;
  query: string;
  contentType: string;
  accept: string;
  contentEncoding: string;
  impersonateUser: string;
  impersonateGroups: string[];
}

export interface ResponseHeader {
  clusterId: string;
  requestObjectId: string;
  requester: string;
  statusCode: number;
  contentType: string;
  contentEncoding: string;
}

export interface SealScheme {
  payloadId(clusterId: string, epoch: bigint, requester: string, nonce: Uint8Array): Uint8Array;
  responseId(clusterId: string, requester: string, nonce: Uint8Array): Uint8Array;
  payloadAad(h: PayloadHeader): Uint8Array;
  responseAad(h: ResponseHeader): Uint8Array;
  /** adds `seal_approve_payload` (the sender operates an active executor of the cluster) */
  approvePayload(tx: Transaction, packageId: string, a: { id: Uint8Array; clusterId: string; executorObjectId: string }): void;
  /** adds `seal_approve_response` (the sender is the requester the id names) */
  approveResponse(tx: Transaction, packageId: string, a: { id: Uint8Array; clusterId: string }): void;
}
