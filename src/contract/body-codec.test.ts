import { createHash, randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  BodyCodecError,
  chunkBytes,
  decodeBody,
  encodeBody,
  GZIP_MIN_BYTES,
  joinChunks,
  planResponseUpload,
  sha256,
  chunksDigest,
} from './body-codec.ts';
import {
  CHUNK_BYTES,
  MAX_RESPONSE_LIMIT,
  RESPONSE_BYTES_PER_TX,
  SUI_MAX_PURE_ARGUMENT_BYTES,
} from './limits.ts';

const text = (s: string) => new TextEncoder().encode(s);
const podList = text(
  JSON.stringify({
    kind: 'PodList',
    items: Array.from({ length: 200 }, (_, i) => ({ name: `web-${i}`, phase: 'Running' })),
  }),
);

describe('sha256', () => {
  it('is the standard sha2-256 (same as the Move std::hash::sha2_256)', () => {
    expect(Buffer.from(sha256(text('abc'))).toString('hex')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    expect(Buffer.from(sha256(podList))).toEqual(createHash('sha256').update(podList).digest());
  });
});

describe('chunkBytes / joinChunks', () => {
  it('splits into chunks under the pure-argument limit and joins back', () => {
    const body = randomBytes(CHUNK_BYTES * 2 + 17);
    const chunks = chunkBytes(body);
    expect(chunks.map((c) => c.length)).toEqual([CHUNK_BYTES, CHUNK_BYTES, 17]);
    expect(CHUNK_BYTES + 3).toBeLessThanOrEqual(SUI_MAX_PURE_ARGUMENT_BYTES); // + ULEB128 length prefix
    expect(Buffer.compare(joinChunks(chunks), body)).toBe(0);
  });
  it('an empty body has no chunks; a bad chunk size is refused', () => {
    expect(chunkBytes(new Uint8Array())).toEqual([]);
    expect(() => chunkBytes(text('x'), 0)).toThrow(RangeError);
  });
});

describe('encodeBody / decodeBody', () => {
  it('gzips a compressible body and decodes it back after checking the digest', () => {
    const enc = encodeBody(podList);
    expect(enc.contentEncoding).toBe('gzip');
    expect(enc.bytes.length).toBeLessThan(podList.length / 5);
    expect(enc.digest).toEqual(sha256(enc.bytes));
    expect(enc.originalSize).toBe(podList.length);
    expect(Buffer.from(decodeBody(enc.bytes, enc.contentEncoding, enc.digest))).toEqual(Buffer.from(podList));
  });
  it('leaves small or incompressible bodies alone (auto)', () => {
    expect(encodeBody(text('{"kind":"Status"}')).contentEncoding).toBe('');
    const noise = randomBytes(GZIP_MIN_BYTES * 4);
    const enc = encodeBody(noise);
    expect(enc.contentEncoding).toBe('');
    expect(Buffer.from(enc.bytes)).toEqual(noise);
  });
  it('honours never/always', () => {
    expect(encodeBody(podList, 'never').contentEncoding).toBe('');
    expect(encodeBody(text('x'), 'always').contentEncoding).toBe('gzip');
  });
  it('is deterministic (same bytes, same digest) so retries are idempotent', () => {
    expect(encodeBody(podList).digest).toEqual(encodeBody(podList).digest);
  });
  it('empty body: empty digest, accepted by decodeBody', () => {
    const enc = encodeBody(new Uint8Array());
    expect(enc.digest.length).toBe(0);
    expect(decodeBody(enc.bytes, '', enc.digest).length).toBe(0);
  });
  it('refuses a wrong digest, a corrupt gzip body and an unknown encoding', () => {
    const enc = encodeBody(podList);
    const tampered = Uint8Array.from(enc.bytes);
    tampered[20] = (tampered[20] ?? 0) ^ 1;
    expect(() => decodeBody(tampered, 'gzip', enc.digest)).toThrow(/digest mismatch/);
    expect(() => decodeBody(text('not gzip'), 'gzip')).toThrow(BodyCodecError);
    expect(() => decodeBody(text('x'), 'br')).toThrow(/unsupported content encoding "br"/);
    expect(decodeBody(new Uint8Array(gzipSync(text('hi'))), 'gzip')).toEqual(text('hi'));
  });
});

describe('planResponseUpload', () => {
  it('one batch for a small body', () => {
    const plan = planResponseUpload(text('{"kind":"Pod"}'));
    expect(plan.batches).toHaveLength(1);
    expect(plan.totalSize).toBe(14);
    expect(plan.digest).toEqual(sha256(text('{"kind":"Pod"}')));
  });
  it('an empty body still has one (empty) batch for store_k8s_response', () => {
    const plan = planResponseUpload(new Uint8Array());
    expect(plan.batches).toEqual([[]]);
    expect(plan.totalSize).toBe(0);
  });
  it('splits a large incompressible body into transactions within the per-tx budget', () => {
    const body = randomBytes(200_000);
    const plan = planResponseUpload(body, { maxResponseBytes: MAX_RESPONSE_LIMIT });
    expect(plan.contentEncoding).toBe('');
    for (const batch of plan.batches) {
      expect(batch.reduce((n, c) => n + c.length, 0)).toBeLessThanOrEqual(RESPONSE_BYTES_PER_TX);
    }
    expect(plan.batches.length).toBe(3);
    expect(Buffer.compare(joinChunks(plan.batches.flat()), body)).toBe(0);
    // The digest chains every chunk as the contract does: sha2(c(i) ++ d(i-1)).
    const chunks = plan.batches.flat();
    let chained = sha256(chunks[0]!);
    for (const c of chunks.slice(1)) chained = sha256(joinChunks([c, chained]));
    expect(plan.digest).toEqual(chained);
    expect(chunksDigest([body])).toEqual(sha256(body));
    expect(chunksDigest([])).toEqual(sha256(new Uint8Array()));
  });
  it('refuses a body over the cluster limit with a clear message', () => {
    expect(() => planResponseUpload(randomBytes(3000), { maxResponseBytes: 2000 })).toThrow(
      /exceeds the cluster's limit of 2000 bytes/,
    );
  });
});
