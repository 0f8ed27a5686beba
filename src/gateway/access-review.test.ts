import { describe, expect, it } from 'vitest';
import { BinaryWriter, WireType } from '@protobuf-ts/runtime';
import { reviewAnswer, reviewedRequest, rulesReviewAnswer, rulesReviewNamespace } from './access-review.ts';

/** A SelfSubjectAccessReview as kubectl sends it: "k8s\0" + runtime.Unknown{raw: review}. */
function protobufReview(attrs: { field: 1 | 2; values: string[] }): Buffer {
  const a = new BinaryWriter();
  attrs.values.forEach((v, i) => {
    if (v !== '') a.tag(i + 1, WireType.LengthDelimited).string(v);
  });
  const spec = new BinaryWriter().tag(attrs.field, WireType.LengthDelimited).bytes(a.finish()).finish();
  const review = new BinaryWriter().tag(2, WireType.LengthDelimited).bytes(spec).finish();
  const unknown = new BinaryWriter()
    .tag(1, WireType.LengthDelimited)
    .bytes(new Uint8Array())
    .tag(2, WireType.LengthDelimited)
    .bytes(review)
    .finish();
  return Buffer.concat([Buffer.from('k8s\0', 'latin1'), unknown]);
}

describe('SelfSubjectAccessReview (kubectl auth can-i)', () => {
  it('reads the resource attributes kubectl sends as protobuf', () => {
    const body = protobufReview({
      field: 1,
      values: ['team-a', 'delete', 'apps', '', 'deployments', '', 'web'],
    });
    const r = reviewedRequest(body, 'application/vnd.kubernetes.protobuf');
    expect(r.invalid).toBeUndefined();
    expect(r.fields).toEqual({
      verb: 'delete',
      apiGroup: 'apps',
      version: 'v1',
      resource: 'deployments',
      subresource: '',
      namespace: 'team-a',
      name: 'web',
      query: '',
    });
    expect(r.spec).toEqual({
      resourceAttributes: {
        namespace: 'team-a',
        verb: 'delete',
        group: 'apps',
        resource: 'deployments',
        name: 'web',
      },
    });
  });

  it('reads JSON, maps discovery paths and denies other non-resource URLs without asking', () => {
    const json = (spec: object) => Buffer.from(JSON.stringify({ kind: 'SelfSubjectAccessReview', spec }));
    expect(
      reviewedRequest(json({ resourceAttributes: { verb: 'list', resource: 'pods', namespace: 'x' } }))
        .fields,
    ).toMatchObject({ verb: 'list', resource: 'pods', namespace: 'x', apiGroup: '' });
    expect(
      reviewedRequest(json({ nonResourceAttributes: { verb: 'get', path: '/apis' } })).fields,
    ).toMatchObject({
      verb: 'get',
      apiGroup: 'discovery.k3s-daas.io',
    });
    const metrics = reviewedRequest(
      protobufReview({ field: 2, values: ['/metrics', 'get'] }),
      'application/vnd.kubernetes.protobuf',
    );
    expect(metrics.fields).toBeUndefined();
    expect(metrics.denied).toMatch(/only get on discovery paths/);
  });

  it('refuses malformed reviews with the reason', () => {
    expect(reviewedRequest(Buffer.from('{')).invalid).toMatch(/cannot be read/);
    expect(reviewedRequest(Buffer.from('{}')).invalid).toMatch(/has no spec/);
    expect(reviewedRequest(Buffer.from('{"spec":{"resourceAttributes":{"verb":"get"}}}')).invalid).toMatch(
      /needs verb and resource/,
    );
    expect(reviewedRequest(Buffer.from('nope'), 'application/vnd.kubernetes.protobuf').invalid).toMatch(
      /envelope/,
    );
  });

  it('answers in the shape kubectl reads', () => {
    expect(reviewAnswer({}, false, 'EPermissionDenied')).toMatchObject({
      kind: 'SelfSubjectAccessReview',
      apiVersion: 'authorization.k8s.io/v1',
      status: { allowed: false, denied: true, reason: 'EPermissionDenied' },
    });
    expect(reviewAnswer({}, true, '')).toMatchObject({ status: { allowed: true } });
  });
});

describe('SelfSubjectRulesReview (kubectl auth can-i --list)', () => {
  const rules = [
    {
      verbs: ['*'],
      apiGroups: ['apps'],
      resources: ['deployments'],
      namespaces: ['team-a'],
      resourceNames: [],
    },
    {
      verbs: ['get', 'delete'],
      apiGroups: [''],
      resources: ['pods'],
      namespaces: ['*'],
      resourceNames: ['web'],
    },
    {
      verbs: ['get'],
      apiGroups: ['discovery.k3s-daas.io'],
      resources: ['paths'],
      namespaces: [''],
      resourceNames: [],
    },
  ];
  const status = (answer: object) =>
    (answer as { status: { resourceRules: object[]; nonResourceRules: object[]; evaluationError?: string } })
      .status;

  it("lists the token's rules for the namespace, discovery as non-resource URLs", () => {
    const s = status(rulesReviewAnswer('team-a', { rules }));
    expect(s.resourceRules).toEqual([
      { verbs: ['*'], apiGroups: ['apps'], resources: ['deployments'] },
      { verbs: ['get', 'delete'], apiGroups: [''], resources: ['pods'], resourceNames: ['web'] },
    ]);
    expect(s.nonResourceRules).toEqual([
      { verbs: ['get'], nonResourceURLs: expect.arrayContaining(['/api', '/apis/*']) },
    ]);
    expect(status(rulesReviewAnswer('other', { rules })).resourceRules).toHaveLength(1);
  });

  it('drops write verbs while the stake is short, and everything when the token is refused', () => {
    const short = status(
      rulesReviewAnswer('team-a', { rules, writesNeedStake: { minimum: 1000n, staked: 0n } }),
    );
    expect(short.resourceRules).toEqual([
      { verbs: ['get', 'list', 'watch'], apiGroups: ['apps'], resources: ['deployments'] },
      { verbs: ['get'], apiGroups: [''], resources: ['pods'], resourceNames: ['web'] },
    ]);
    expect(short.evaluationError).toMatch(/writes need a stake of 1000 MIST; this SealToken has 0 MIST/);
    const revoked = status(rulesReviewAnswer('team-a', { rules, refused: 'revoked [ETokenRevoked]' }));
    expect(revoked.resourceRules).toEqual([]);
    expect(revoked.nonResourceRules).toEqual([]);
    expect(revoked.evaluationError).toBe('revoked [ETokenRevoked]');
  });

  it('reads the namespace from JSON and protobuf reviews', () => {
    expect(rulesReviewNamespace(Buffer.from('{"spec":{"namespace":"team-a"}}'))).toBe('team-a');
    const spec = new BinaryWriter().tag(1, WireType.LengthDelimited).string('team-b').finish();
    const review = new BinaryWriter().tag(2, WireType.LengthDelimited).bytes(spec).finish();
    const unknown = new BinaryWriter().tag(2, WireType.LengthDelimited).bytes(review).finish();
    const body = Buffer.concat([Buffer.from('k8s\0', 'latin1'), unknown]);
    expect(rulesReviewNamespace(body, 'application/vnd.kubernetes.protobuf')).toBe('team-b');
    expect(rulesReviewNamespace(Buffer.from('junk'))).toBe('');
  });
});
