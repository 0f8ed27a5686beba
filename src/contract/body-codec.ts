/**
 * Body codec for payloads and responses that cross the chain: optional gzip
 * (only when it makes the body meaningfully smaller), sha2-256 digest of the
 * bytes as sent, and chunking into pure arguments of at most CHUNK_BYTES.
 */
import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { CHUNK_BYTES, RESPONSE_BYTES_PER_TX } from './limits.ts';
import { concatBytes } from '@noble/hashes/utils.js';

export type ContentEncoding = '' | 'gzip';
export type CompressionPolicy = 'auto' | 'never' | 'always';

/** Bodies smaller than this are never compressed: gzip's fixed overhead eats the gain. */
export const GZIP_MIN_BYTES = 512;
/** `auto` compresses only when it saves at least this fraction of the body. */
export const GZIP_MIN_SAVING = 0.1;

export function sha256(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update(bytes).digest());
}

/**
 * Digest of a response body sent as chunks, as the contract chains it:
 * d0 = sha2_256(c0), d(i) = sha2_256(c(i) ++ d(i-1)). A one-chunk body's
 * digest is its plain sha2-256; no chunks at all count as one empty chunk.
 */
export function chunksDigest(chunks: readonly Uint8Array[]): Uint8Array {
  if (chunks.length === 0) return sha256(new Uint8Array());
  let digest = sha256(chunks[0]!);
  for (const chunk of chunks.slice(1)) digest = sha256(joinChunks([chunk, digest]));
  return digest;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** Split into chunks of at most `size` bytes; an empty body has no chunks. */
export function chunkBytes(bytes: Uint8Array, size: number = CHUNK_BYTES): Uint8Array[] {
  if (!Number.isInteger(size) || size <= 0)
    throw new RangeError(`chunk size must be a positive integer, got ${size}`);
  const chunks: Uint8Array[] = [];
  for (let offset = 0; offset < bytes.length; offset += size)
    chunks.push(bytes.subarray(offset, offset + size));
  return chunks;
}

export function joinChunks(chunks: readonly Uint8Array[]): Uint8Array {
  return concatBytes(...chunks);
}

export interface EncodedBody {
  /** The bytes as they travel on chain (compressed or not). */
  bytes: Uint8Array;
  contentEncoding: ContentEncoding;
  /** sha2-256 of `bytes`; empty for an empty body (the contract accepts either). */
  digest: Uint8Array;
  /** Size before encoding. */
  originalSize: number;
}

/** Encode a body for the chain. gzip is deterministic (no timestamp in the header). */
export function encodeBody(body: Uint8Array, policy: CompressionPolicy = 'auto'): EncodedBody {
  let bytes = body;
  let contentEncoding: ContentEncoding = '';
  if (policy === 'always' || (policy === 'auto' && body.length >= GZIP_MIN_BYTES)) {
    const gz = new Uint8Array(gzipSync(body, { level: 9 }));
    if (policy === 'always' || gz.length <= body.length * (1 - GZIP_MIN_SAVING)) {
      bytes = gz;
      contentEncoding = 'gzip';
    }
  }
  return {
    bytes,
    contentEncoding,
    digest: bytes.length === 0 ? new Uint8Array() : sha256(bytes),
    originalSize: body.length,
  };
}

export class BodyCodecError extends Error {
  override name = 'BodyCodecError';
}

/**
 * Verify and decode bytes read from the chain. Throws BodyCodecError when the
 * digest does not match or the encoding is unknown.
 */
export function decodeBody(bytes: Uint8Array, contentEncoding: string, digest?: Uint8Array): Uint8Array {
  if (
    digest !== undefined &&
    !(digest.length === 0 && bytes.length === 0) &&
    !bytesEqual(sha256(bytes), digest)
  ) {
    throw new BodyCodecError(
      `body digest mismatch: ${bytes.length} bytes do not hash to the recorded sha2-256`,
    );
  }
  if (contentEncoding === '' || contentEncoding === 'identity') return bytes;
  if (contentEncoding === 'gzip') {
    try {
      return new Uint8Array(gunzipSync(bytes));
    } catch (err) {
      throw new BodyCodecError(`gzip body could not be decompressed: ${(err as Error).message}`);
    }
  }
  throw new BodyCodecError(`unsupported content encoding "${contentEncoding}" (expected "" or "gzip")`);
}

/**
 * How an executor uploads a response: every batch but the last goes through
 * `append_response_chunks` (one transaction each, one segment); the last
 * batch goes with `store_k8s_response`, which checks `totalSize` and the
 * chained `digest` of the chunks.
 */
export interface ResponseUploadPlan {
  contentEncoding: ContentEncoding;
  /** chunksDigest of all chunks, in order */
  digest: Uint8Array;
  totalSize: number;
  /** Chunk batches, one per transaction; always at least one (possibly empty) batch. */
  batches: Uint8Array[][];
}

export function planResponseUpload(
  body: Uint8Array,
  options: { policy?: CompressionPolicy; maxResponseBytes?: number; bytesPerTx?: number } = {},
): ResponseUploadPlan {
  const encoded = encodeBody(body, options.policy ?? 'auto');
  if (options.maxResponseBytes !== undefined && encoded.bytes.length > options.maxResponseBytes) {
    throw new BodyCodecError(
      `response of ${encoded.bytes.length} bytes (${encoded.contentEncoding || 'uncompressed'}) exceeds the cluster's limit of ${options.maxResponseBytes} bytes`,
    );
  }
  const perTx = options.bytesPerTx ?? RESPONSE_BYTES_PER_TX;
  const chunksPerTx = Math.max(1, Math.floor(perTx / CHUNK_BYTES));
  const chunks = chunkBytes(encoded.bytes);
  const batches: Uint8Array[][] = [];
  for (let i = 0; i < chunks.length; i += chunksPerTx) batches.push(chunks.slice(i, i + chunksPerTx));
  if (batches.length === 0) batches.push([]);
  return {
    contentEncoding: encoded.contentEncoding,
    digest: chunksDigest(batches.flat()),
    totalSize: encoded.bytes.length,
    batches,
  };
}
