/**
 * The answer intent: what an executor signs (ed25519) when it answers a
 * request, and what the contract (`answer_intent` in k8s_gateway.move), the
 * gateway and auditors rebuild to verify it. BCS of AnswerIntent; a test
 * holds these bytes equal to the contract's.
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { AnswerIntentBcs, type K8sAPIRequestEvent, type K8sAPIResponseEvent } from './bcs.ts';

/** Domain tag: a signature over an answer intent means nothing to any other protocol. */
export const ANSWER_DOMAIN = new TextEncoder().encode('k3s-daas/answer/v1');

/** The request fields an answer binds (as the K8sAPIRequest event carries them). */
export type AnsweredRequest = Pick<
  K8sAPIRequestEvent,
  | 'request_object_id'
  | 'cluster_id'
  | 'requester'
  | 'verb'
  | 'api_group'
  | 'version'
  | 'resource'
  | 'subresource'
  | 'namespace'
  | 'name'
  | 'query'
  | 'content_type'
  | 'accept'
  | 'payload_digest'
  | 'impersonate_user'
  | 'impersonate_groups'
>;

export interface AnswerFields {
  statusCode: number;
  contentType: string;
  contentEncoding: string;
  bodySize: number | bigint;
  /** chained digest of the body's segments (plain sha2-256 for one segment) */
  bodyDigest: Uint8Array;
  signedAtMs: number | bigint;
}

export function answerIntentBytes(request: AnsweredRequest, answer: AnswerFields): Uint8Array {
  return AnswerIntentBcs.serialize({
    domain: [...ANSWER_DOMAIN],
    cluster_id: request.cluster_id,
    request_object_id: request.request_object_id,
    body_digest: [...answer.bodyDigest],
    body_size: BigInt(answer.bodySize),
    status_code: answer.statusCode,
    content_type: answer.contentType,
    content_encoding: answer.contentEncoding,
    signed_at_ms: BigInt(answer.signedAtMs),
    requester: request.requester,
    verb: request.verb,
    api_group: request.api_group,
    version: request.version,
    resource: request.resource,
    subresource: request.subresource,
    namespace: request.namespace,
    name: request.name,
    query: request.query,
    request_content_type: request.content_type,
    accept: request.accept,
    payload_digest: [...request.payload_digest],
    impersonate_user: request.impersonate_user,
    impersonate_groups: [...request.impersonate_groups],
  }).toBytes();
}

/** The answer fields of a K8sAPIResponse event. */
export function answerFieldsOf(ev: K8sAPIResponseEvent): AnswerFields {
  return {
    statusCode: ev.status_code,
    contentType: ev.content_type,
    contentEncoding: ev.content_encoding,
    bodySize: BigInt(ev.body_size),
    bodyDigest: Uint8Array.from(ev.body_digest),
    signedAtMs: BigInt(ev.signed_at_ms),
  };
}

/**
 * Whether `signature` is the executor's (ed25519, ZIP 215 rules as Sui's
 * native) over the intent of this answer to this request.
 */
export function verifyAnswerSignature(
  request: AnsweredRequest,
  answer: AnswerFields,
  signature: Uint8Array,
  signingKey: Uint8Array,
): boolean {
  if (signature.length !== 64 || signingKey.length !== 32) return false;
  try {
    return ed25519.verify(signature, answerIntentBytes(request, answer), signingKey);
  } catch {
    return false;
  }
}
