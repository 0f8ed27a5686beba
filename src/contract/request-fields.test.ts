import { describe, expect, it } from 'vitest';
import { answerIntentBytes } from './answer-intent.ts';
import type { K8sAPIRequestEvent, RequestObject } from './bcs.ts';
import { sha256 } from './body-codec.ts';
import { requestFieldsOfEvent, requestFieldsOfObject, structuredRequestOf } from './request-fields.ts';

const id = (b: string) => '0x' + b.repeat(32);
const payload = new TextEncoder().encode('{"kind":"ConfigMap"}');
const event: K8sAPIRequestEvent = {
  request_id: 'r-1',
  request_object_id: id('aa'),
  cluster_id: id('cc'),
  verb: 'create',
  api_group: 'apps',
  version: 'v1',
  resource: 'deployments',
  subresource: 'scale',
  namespace: 'default',
  name: 'web',
  query: 'dryRun=All',
  content_type: 'application/json',
  accept: 'application/json',
  content_encoding: '',
  impersonate_user: '',
  impersonate_groups: [],
  payload: [...payload],
  payload_size: String(payload.length),
  payload_digest: [...sha256(payload)],
  requester: id('ee'),
  token_id: id('dd'),
  timestamp_ms: '1700000000123',
  priority: 0,
  fee: '10',
};

/** The Request object the same transaction creates. */
const object: RequestObject = {
  id: event.request_object_id,
  cluster_id: event.cluster_id,
  request_id: event.request_id,
  requester: event.requester,
  token_id: event.token_id,
  verb: event.verb,
  api_group: event.api_group,
  version: event.version,
  resource: event.resource,
  subresource: event.subresource,
  namespace: event.namespace,
  name: event.name,
  query: event.query,
  content_type: event.content_type,
  accept: event.accept,
  content_encoding: event.content_encoding,
  impersonate_user: event.impersonate_user,
  impersonate_groups: event.impersonate_groups,
  payload_size: event.payload_size,
  payload_digest: event.payload_digest,
  priority: 0,
  fee: { value: '10' },
  created_at_ms: event.timestamp_ms,
  state: 1,
  claimant: id('ff'),
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
};

describe('request fields', () => {
  it('maps the contract target fields to the structured request', () => {
    expect(structuredRequestOf(event)).toEqual({
      verb: 'create',
      apiGroup: 'apps',
      version: 'v1',
      resource: 'deployments',
      subresource: 'scale',
      namespace: 'default',
      name: 'web',
      query: 'dryRun=All',
    });
  });

  it('reads the same request from its event and its object (the object lacks only the payload)', () => {
    const fromEvent = requestFieldsOfEvent(event);
    const fromObject = requestFieldsOfObject(object);
    expect(fromEvent.payload).toEqual(payload);
    expect(fromObject.payload).toBeUndefined();
    const { payload: _p, intent: _i, ...rest } = fromEvent;
    void _p;
    void _i;
    expect(fromObject).toMatchObject(rest);
    expect(fromEvent.createdAtMs).toBe(1700000000123);
  });

  it('binds the same answer intent whether read from the event or the object', () => {
    const answer = {
      statusCode: 201,
      contentType: 'application/json',
      contentEncoding: '',
      bodySize: 2,
      bodyDigest: sha256(new TextEncoder().encode('{}')),
      signedAtMs: 1700000000200,
    };
    expect(answerIntentBytes(requestFieldsOfObject(object).intent, answer)).toEqual(
      answerIntentBytes(requestFieldsOfEvent(event).intent, answer),
    );
  });
});
