import { describe, expect, it } from 'vitest';
import { answerIntentBytes } from './answer-intent.ts';
import type { RequestObject } from './bcs.ts';
import { openRequestOf, requestEvent } from './testing/request-fixtures.ts';
import { sha256 } from './body-codec.ts';
import { requestFieldsOfEvent, requestFieldsOfObject, structuredRequestOf } from './request-fields.ts';

const id = (b: string) => '0x' + b.repeat(32);
const payload = new TextEncoder().encode('{"kind":"ConfigMap"}');
const event = requestEvent({
  request_id: 'r-1',
  request_object_id: id('aa'),
  cluster_id: id('cc'),
  verb: 'create',
  api_group: 'apps',
  resource: 'deployments',
  subresource: 'scale',
  query: 'dryRun=All',
  content_type: 'application/json',
  payload: [...payload],
  payload_size: String(payload.length),
  payload_digest: [...sha256(payload)],
  requester: id('ee'),
  token_id: id('dd'),
  timestamp_ms: '1700000000123',
});

/** The Request object the same transaction creates (here already claimed). */
const object: RequestObject = openRequestOf(event, { state: 1, claimant: id('ff') });

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
