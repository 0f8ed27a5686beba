import { describe, expect, it } from 'vitest';
import { namedCreate, REQUEST_ANNOTATION, taggedRequest, taggedWrite, tagBody } from './write-tag.ts';

const ID = '0x' + 'ab'.repeat(32);
const enc = (s: string) => new TextEncoder().encode(s);
const create = (payload: Uint8Array, contentType = 'application/json', subresource = '', query = '') => ({
  verb: 'create',
  subresource,
  query,
  payload,
  contentEncoding: '',
  contentType,
});

/** A length-delimited protobuf field, written out by hand (one-byte lengths). */
const ld = (no: number, bytes: number[]) => [no * 8 + 2, bytes.length, ...bytes];
const str = (s: string) => [...Buffer.from(s)];
/** "k8s\0" + Unknown{1 typeMeta{1 "v1", 2 "ConfigMap"}, 2 raw ConfigMap{1 ObjectMeta{1 name}, 2 data{a: b}}, 4 contentType}. */
function protobufConfigMap(name: string): Uint8Array {
  const meta = ld(1, str(name));
  const data = ld(2, [...ld(1, str('a')), ...ld(2, str('b'))]);
  const raw = [...ld(1, meta), ...data];
  const typeMeta = [...ld(1, str('v1')), ...ld(2, str('ConfigMap'))];
  return Uint8Array.from([0x6b, 0x38, 0x73, 0x00, ...ld(1, typeMeta), ...ld(2, raw), ...ld(4, str(''))]);
}

describe('the request tag of a named create', () => {
  it('knows which creates can be re-run: named, JSON or protobuf, no subresource', () => {
    expect(namedCreate(create(enc('{"metadata":{"name":"x"}}')))).toBe('x');
    expect(namedCreate(create(enc('{"metadata":{"generateName":"x-"}}')))).toBeUndefined();
    expect(
      namedCreate(create(enc('{"metadata":{"name":"x"}}'), 'application/json', 'eviction')),
    ).toBeUndefined();
    expect(namedCreate(create(enc('metadata: {name: x}'), 'application/yaml'))).toBeUndefined();
    expect(namedCreate({ ...create(enc('{"metadata":{"name":"x"}}')), verb: 'update' })).toBeUndefined();
    expect(namedCreate(create(protobufConfigMap('pb-x'), 'application/vnd.kubernetes.protobuf'))).toBe(
      'pb-x',
    );
    expect(
      namedCreate(create(Uint8Array.from([1, 2, 3]), 'application/vnd.kubernetes.protobuf')),
    ).toBeUndefined();
    // a dry run is never tagged (kubectl create --dry-run=server, kubectl diff)
    expect(
      namedCreate(create(enc('{"metadata":{"name":"x"}}'), 'application/json', '', 'dryRun=All')),
    ).toBeUndefined();
  });

  it('knows which updates and patches a read can prove: JSON PUT, merge and strategic-merge patches, by name', () => {
    const f = (verb: string, contentType: string, query = '') => ({
      ...create(enc('{"metadata":{"labels":{"a":"b"}}}'), contentType, '', query),
      verb,
      name: 'x',
    });
    expect(taggedWrite(f('update', 'application/json'))).toBe('x');
    expect(taggedWrite(f('patch', 'application/merge-patch+json'))).toBe('x');
    expect(taggedWrite(f('patch', 'application/strategic-merge-patch+json'))).toBe('x');
    expect(taggedWrite(f('patch', 'application/json-patch+json'))).toBeUndefined();
    expect(taggedWrite(f('patch', 'application/apply-patch+yaml'))).toBeUndefined();
    expect(taggedWrite(f('patch', 'application/strategic-merge-patch+json', 'dryRun=All'))).toBeUndefined();
    expect(taggedWrite({ ...f('update', 'application/json'), name: '' })).toBeUndefined();
  });

  it('adds one annotation to a JSON body and changes nothing else; a value the user put there is replaced', () => {
    const body = {
      kind: 'ConfigMap',
      metadata: { name: 'x', annotations: { a: '1', [REQUEST_ANNOTATION]: 'forged' } },
      data: { k: 'v' },
    };
    const tagged = JSON.parse(
      Buffer.from(tagBody(enc(JSON.stringify(body)), 'application/json', ID)!).toString(),
    );
    expect(tagged).toEqual({
      ...body,
      metadata: { name: 'x', annotations: { a: '1', [REQUEST_ANNOTATION]: ID } },
    });
    expect(taggedRequest(enc(JSON.stringify(tagged)))).toBe(ID);
    expect(taggedRequest(enc('{"metadata":{}}'))).toBeUndefined();
  });

  it('adds the annotation as a map entry of ObjectMeta in a Kubernetes protobuf body, lengths rewritten', () => {
    const tagged = Buffer.from(
      tagBody(protobufConfigMap('pb-x'), 'application/vnd.kubernetes.protobuf', ID)!,
    );
    const entry = [...ld(1, str(REQUEST_ANNOTATION)), ...ld(2, str(ID))];
    const meta = [...ld(1, str('pb-x')), ...[12 * 8 + 2, entry.length, ...entry]];
    const data = ld(2, [...ld(1, str('a')), ...ld(2, str('b'))]);
    const raw = [...[1 * 8 + 2, meta.length, ...meta], ...data];
    const typeMeta = [...ld(1, str('v1')), ...ld(2, str('ConfigMap'))];
    const rawLen = raw.length < 128 ? [raw.length] : [(raw.length & 0x7f) | 0x80, raw.length >> 7];
    expect([...tagged]).toEqual([
      0x6b,
      0x38,
      0x73,
      0x00,
      ...ld(1, typeMeta),
      2 * 8 + 2,
      ...rawLen,
      ...raw,
      ...ld(4, str('')),
    ]);
  });
});
