/**
 * Test fixtures of the k8s_gateway request: a K8sAPIRequest event with every field set, and the
 * Request object the same transaction shares (as execute_kubectl_command_with_id builds it, still
 * open). For unit tests and in-memory chains; nothing here talks to a chain.
 */
import type { K8sAPIRequestEvent, RequestObject } from '../bcs.ts';
import { RequestState } from '../types.ts';

const id = (b: string) => '0x' + b.repeat(32);

/** A `get pods web -n default` event, overridable field by field. */
export function requestEvent(overrides: Partial<K8sAPIRequestEvent> = {}): K8sAPIRequestEvent {
  return {
    request_id: 'r-1',
    request_object_id: id('ee'),
    cluster_id: id('c1'),
    verb: 'get',
    api_group: '',
    version: 'v1',
    resource: 'pods',
    subresource: '',
    namespace: 'default',
    name: 'web',
    query: '',
    content_type: '',
    accept: 'application/json',
    content_encoding: '',
    impersonate_user: '',
    impersonate_groups: [],
    payload: [],
    payload_size: '0',
    payload_digest: [],
    requester: id('a1'),
    token_id: id('70'),
    timestamp_ms: '1000',
    priority: 0,
    fee: '10',
    response_seal_id: [],
    ...overrides,
  };
}

/** The open Request object shared with `ev` (no claimant: the zero ID). */
export function openRequestOf(ev: K8sAPIRequestEvent, overrides: Partial<RequestObject> = {}): RequestObject {
  const { payload: _payload, timestamp_ms, fee, ...target } = ev;
  void _payload;
  return {
    ...target,
    id: ev.request_object_id,
    fee: { value: fee },
    created_at_ms: timestamp_ms,
    state: RequestState.Open,
    claimant: '0x' + '0'.repeat(64),
    lease_expires_at_ms: '0',
    hold_deadline_ms: '0',
    lapse_penalised: false,
    status_code: 0,
    response_size: '0',
    response_segments: '0',
    response_chunks: '0',
    response_digest: [],
    answer_tx_digest: [],
    answered_at_ms: '0',
    ...overrides,
  };
}
