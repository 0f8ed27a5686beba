// Content negotiation where protobuf is asked for (negotiation.ts): the unit rules, and the
// embedded server answering as kube-apiserver v1.36 does (the same cases run against the real
// server in differential/corpus.ts, "content negotiation").
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientFromKubeconfig, type RawClient } from '../differential/client.ts';
import {
  encodeStatusProtobuf,
  parseAccept,
  PROTOBUF,
  refuseUnacceptable,
  statusInProtobuf,
} from '../negotiation.ts';
import { startEmbeddedKube, type EmbeddedKube } from '../server.ts';

const ONLY =
  'only the following media types are accepted: application/json, application/yaml, application/vnd.kubernetes.protobuf';

describe('negotiation rules', () => {
  it('parses ranges with parameters', () => {
    expect(parseAccept(`${PROTOBUF};as=Table;v=v1;g=meta.k8s.io, application/json`)).toEqual([
      {
        type: PROTOBUF,
        params: new Map([
          ['as', 'Table'],
          ['v', 'v1'],
          ['g', 'meta.k8s.io'],
        ]),
      },
      { type: 'application/json', params: new Map() },
    ]);
  });

  it('refuses what no route produces (built-in) and protobuf alone (custom resource)', () => {
    expect(() => refuseUnacceptable('text/html', false)).toThrow(
      /^406: Not Acceptable\n\nAvailable representations: application\/json, application\/yaml, application\/vnd.kubernetes.protobuf$/,
    );
    expect(() => refuseUnacceptable(PROTOBUF, false)).not.toThrow(); // the handler decides
    expect(() => refuseUnacceptable('text/html, */*', false)).not.toThrow();
    expect(() => refuseUnacceptable(PROTOBUF, true)).toThrow(ONLY);
    expect(() => refuseUnacceptable(`${PROTOBUF}, application/json`, true)).not.toThrow();
    expect(() => refuseUnacceptable(undefined, true)).not.toThrow();
  });

  it('writes a Status in protobuf where protobuf is the first range a Status can take', () => {
    expect(statusInProtobuf(`${PROTOBUF}, application/json`)).toBe(true);
    expect(statusInProtobuf(`${PROTOBUF};as=Table;v=v1;g=meta.k8s.io, application/json`)).toBe(false);
    expect(statusInProtobuf('text/html')).toBe(false);
    expect(statusInProtobuf('application/json, */*')).toBe(false);
  });

  it("encodes a Status byte for byte as kube-apiserver's (178 bytes for its 406)", () => {
    const b = encodeStatusProtobuf({ status: 'Failure', message: ONLY, reason: 'NotAcceptable', code: 406 });
    expect(b.length).toBe(178);
    expect(b.subarray(0, 4).toString('latin1')).toBe('k8s\0');
    // typeMeta {apiVersion: v1, kind: Status}, then raw: ListMeta with three empty strings, …
    expect(b.subarray(4, 18).toString('hex')).toBe('0a0c0a0276311206537461747573');
    expect(b.subarray(18, 29).toString('hex')).toBe('1299010a060a0012001a00');
    // … the code last (field 6, varint 406), then empty contentEncoding and contentType.
    expect(b.subarray(-7).toString('hex')).toBe('3096031a002200');
  });
});

describe('the embedded server', () => {
  let kube: EmbeddedKube;
  let c: RawClient;
  const CR = '/apis/neg.example/v1/namespaces/default/gadgets';
  beforeAll(async () => {
    kube = await startEmbeddedKube();
    c = await clientFromKubeconfig(kube.kubeconfig, 'negotiation-test');
    const crd = await c.send({
      method: 'POST',
      path: '/apis/apiextensions.k8s.io/v1/customresourcedefinitions',
      headers: { 'content-type': 'application/json' },
      body: Buffer.from(
        JSON.stringify({
          apiVersion: 'apiextensions.k8s.io/v1',
          kind: 'CustomResourceDefinition',
          metadata: { name: 'gadgets.neg.example' },
          spec: {
            group: 'neg.example',
            scope: 'Namespaced',
            names: { plural: 'gadgets', singular: 'gadget', kind: 'Gadget' },
            versions: [
              {
                name: 'v1',
                served: true,
                storage: true,
                schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
              },
            ],
          },
        }),
      ),
    });
    expect(crd.status).toBe(201);
    const g = await c.send({
      method: 'POST',
      path: CR,
      headers: { 'content-type': 'application/json' },
      body: Buffer.from(
        JSON.stringify({ apiVersion: 'neg.example/v1', kind: 'Gadget', metadata: { name: 'g1' } }),
      ),
    });
    expect(g.status).toBe(201);
  });
  afterAll(() => kube?.stop());

  const get = (path: string, accept: string) => c.send({ method: 'GET', path, headers: { accept } });

  it('a custom resource: JSON when JSON follows protobuf, a protobuf 406 Status for protobuf alone', async () => {
    const both = await get(`${CR}/g1`, `${PROTOBUF}, application/json`);
    expect([both.status, both.headers['content-type']]).toEqual([200, 'application/json']);
    expect(JSON.parse(both.body.toString())).toMatchObject({ kind: 'Gadget', metadata: { name: 'g1' } });
    const only = await get(`${CR}/g1`, PROTOBUF);
    expect([only.status, only.headers['content-type']]).toEqual([406, PROTOBUF]);
    expect(
      only.body.equals(
        encodeStatusProtobuf({ status: 'Failure', message: ONLY, reason: 'NotAcceptable', code: 406 }),
      ),
    ).toBe(true);
  });

  it('a built-in resource: go-restful wording for an unroutable Accept, JSON for protobuf-then-JSON', async () => {
    const html = await get('/api/v1/namespaces/default/configmaps/kube-root-ca.crt', 'text/html');
    expect(html.status).toBe(406);
    expect(JSON.parse(html.body.toString())).toMatchObject({
      message: expect.stringMatching(/^406: Not Acceptable\n\nAvailable representations: /),
      details: {},
    });
    const missing = await get('/api/v1/namespaces/default/configmaps/nope', `${PROTOBUF}, application/json`);
    expect([missing.status, missing.headers['content-type']]).toEqual([404, PROTOBUF]);
    expect(missing.body.toString('latin1')).toContain('configmaps "nope" not found');
  });
});
