/**
 * One request-fields type for the whole product, and its mappers.
 *
 * `StructuredRequest` (types.ts; `K8sRequestFields` in shared/k8s-request.ts is the same type) is
 * what the contract checks and the listener rebuilds the URL from. `RequestFields` adds what an
 * executor needs to run and answer a request: its id, requester, media, payload and the fields an
 * answer intent binds. Both the K8sAPIRequest event and the Request object map onto it here, so
 * no module spells the snake_case → camelCase mapping again.
 */
import type { AnsweredRequest } from './answer-intent.ts';
import type { K8sAPIRequestEvent, RequestObject } from './bcs.ts';
import type { StructuredRequest } from './types.ts';

/** The contract's snake_case target fields, as events and objects carry them. */
export type StructuredRequestBcs = Pick<
  K8sAPIRequestEvent,
  'verb' | 'api_group' | 'version' | 'resource' | 'subresource' | 'namespace' | 'name' | 'query'
>;

/** A request as an executor runs and answers it. */
export interface RequestFields extends StructuredRequest {
  requestId: string;
  requester: string;
  contentType: string;
  accept: string;
  contentEncoding: string;
  /** the payload as sent (only the event carries it; undefined when read from the object) */
  payload?: Uint8Array;
  payloadDigest: Uint8Array;
  /** Seal cluster: the id the answer must be encrypted for (empty without confidentiality) */
  responseSealId: Uint8Array;
  /** the request as an answer intent binds it */
  intent: AnsweredRequest;
  /** the request's chain time (ms): answers are signed no earlier */
  createdAtMs: number;
}

/** The structured request of an event or object (snake_case BCS fields). */
export function structuredRequestOf(b: StructuredRequestBcs): StructuredRequest {
  return {
    verb: b.verb,
    apiGroup: b.api_group,
    version: b.version,
    resource: b.resource,
    subresource: b.subresource,
    namespace: b.namespace,
    name: b.name,
    query: b.query,
  };
}

/** The fields of a decoded `K8sAPIRequest` event (payload included). */
export function requestFieldsOfEvent(ev: K8sAPIRequestEvent): RequestFields {
  return {
    ...structuredRequestOf(ev),
    requestId: ev.request_id,
    requester: ev.requester,
    contentType: ev.content_type,
    accept: ev.accept,
    contentEncoding: ev.content_encoding,
    payload: Uint8Array.from(ev.payload),
    payloadDigest: Uint8Array.from(ev.payload_digest),
    responseSealId: Uint8Array.from(ev.response_seal_id),
    intent: ev,
    createdAtMs: Number(ev.timestamp_ms),
  };
}

/**
 * The fields of a `Request` object. The payload lives only in the event, so this is complete only
 * for a request without one (`payload_size == 0`).
 */
export function requestFieldsOfObject(o: RequestObject): RequestFields {
  return {
    ...structuredRequestOf(o),
    requestId: o.request_id,
    requester: o.requester,
    contentType: o.content_type,
    accept: o.accept,
    contentEncoding: o.content_encoding,
    payloadDigest: Uint8Array.from(o.payload_digest),
    responseSealId: Uint8Array.from(o.response_seal_id),
    intent: { ...o, request_object_id: o.id },
    createdAtMs: Number(o.created_at_ms),
  };
}
