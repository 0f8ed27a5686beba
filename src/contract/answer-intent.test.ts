/**
 * The TypeScript answer intent is byte for byte the contract's: the intents
 * `answer_signature_tests` recorded from the Move `answer_intent` (see
 * move/k8s_gateway/tools/gen-answer-vectors.ts) decode, rebuild identically
 * from their fields, and verify with the RFC 8032 TEST 1 key.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AnswerIntentBcs } from './bcs.ts';
import {
  ANSWER_DOMAIN,
  answerIntentBytes,
  verifyAnswerSignature,
  type AnsweredRequest,
} from './answer-intent.ts';
import { sha256 } from './body-codec.ts';

const vectors = readFileSync(
  new URL('../../move/k8s_gateway/tests/answer_vectors.move', import.meta.url),
  'utf8',
);
const vector = (name: string) => {
  const m = new RegExp(`fun ${name}\\(\\): vector<u8> \\{ x"([0-9a-f]*)" \\}`).exec(vectors);
  if (!m?.[1]) throw new Error(`no ${name} in answer_vectors.move`);
  return Uint8Array.from(Buffer.from(m[1], 'hex'));
};
/** RFC 8032 §7.1 TEST 1 / TEST 2 public keys. */
const TEST1 = Uint8Array.from(
  Buffer.from('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a', 'hex'),
);
const TEST2 = Uint8Array.from(
  Buffer.from('3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c', 'hex'),
);
const BODY = new TextEncoder().encode('{"kind":"Pod","metadata":{"name":"web"}}');

function rebuild(bytes: Uint8Array) {
  const i = AnswerIntentBcs.parse(bytes);
  const request: AnsweredRequest = {
    request_object_id: i.request_object_id,
    cluster_id: i.cluster_id,
    requester: i.requester,
    verb: i.verb,
    api_group: i.api_group,
    version: i.version,
    resource: i.resource,
    subresource: i.subresource,
    namespace: i.namespace,
    name: i.name,
    query: i.query,
    content_type: i.request_content_type,
    accept: i.accept,
    payload_digest: i.payload_digest,
    impersonate_user: i.impersonate_user,
    impersonate_groups: i.impersonate_groups,
  };
  const answer = {
    statusCode: i.status_code,
    contentType: i.content_type,
    contentEncoding: i.content_encoding,
    bodySize: BigInt(i.body_size),
    bodyDigest: Uint8Array.from(i.body_digest),
    signedAtMs: BigInt(i.signed_at_ms),
  };
  return { intent: i, request, answer };
}

describe('answer intent', () => {
  it('decodes the contract-built intent: domain, request fields, answer fields', () => {
    const { intent } = rebuild(vector('honest_intent'));
    expect(Uint8Array.from(intent.domain)).toEqual(ANSWER_DOMAIN);
    expect(intent).toMatchObject({
      verb: 'get',
      resource: 'pods',
      namespace: 'dev',
      name: 'web',
      status_code: 200,
    });
    expect(Uint8Array.from(intent.body_digest)).toEqual(sha256(BODY));
    expect(intent.body_size).toBe(String(BODY.length));
  });

  it('answerIntentBytes rebuilds the contract bytes exactly', () => {
    for (const name of ['honest_intent', 'forged_intent']) {
      const bytes = vector(name);
      const { request, answer } = rebuild(bytes);
      expect(answerIntentBytes(request, answer)).toEqual(bytes);
    }
  });

  it('verifies the recorded signatures, and only with the right key and content', () => {
    const honest = rebuild(vector('honest_intent'));
    const forged = rebuild(vector('forged_intent'));
    expect(verifyAnswerSignature(honest.request, honest.answer, vector('honest_by_test1'), TEST1)).toBe(true);
    expect(verifyAnswerSignature(forged.request, forged.answer, vector('forged_by_test2'), TEST2)).toBe(true);
    expect(verifyAnswerSignature(forged.request, forged.answer, vector('forged_by_test2'), TEST1)).toBe(
      false,
    );
    expect(verifyAnswerSignature(forged.request, forged.answer, vector('honest_by_test1'), TEST1)).toBe(
      false,
    );
    expect(
      verifyAnswerSignature(
        honest.request,
        { ...honest.answer, statusCode: 201 },
        vector('honest_by_test1'),
        TEST1,
      ),
    ).toBe(false);
    expect(verifyAnswerSignature(honest.request, honest.answer, new Uint8Array(64), TEST1)).toBe(false);
  });
});
