/**
 * Puts answers on chain: claims, plans the upload (gzip when it pays, segments that fit a
 * transaction; too large → a 413 Status instead), signs the answer intent with the AnswerSigner,
 * appends the leading segments and stores the last one (single-transaction answers batched with
 * others). Says what the chain said: a race lost to another executor is an outcome, not an error.
 */
import {
  BodyCodecError,
  CHUNK_BYTES,
  RESPONSE_BYTES_PER_TX,
  answerIntentBytes,
  chunkBytes,
  chunksDigest,
  encodeBody,
  planResponseUpload,
  type ResponseUploadPlan,
  type RequestFields,
} from '../contract/index.ts';
import { fromBase58 } from '@mysten/sui/utils';
import type { AnswerSigner } from './answer-signer.ts';
import type { K8sAnswer } from './k8s-executor.ts';
import { statusAnswer } from './k8s-call.ts';
import { describeChainFailure, type ChainTx, type ListenerChain, type RequestRef } from './listener-chain.ts';
import type { ListenerMetrics } from './metrics.ts';
import type { ClaimResult } from './protocol.ts';

/**
 * How far behind local time an answer's signing time is put: the contract
 * refuses a time after its Clock, which trails wall time on a real network.
 */
export const SIGNING_TIME_MARGIN_MS = 5_000;

export type StoreResult =
  | { kind: 'stored'; txDigest: string; statusCode: number }
  /** another executor answered first, or holds the claim: its answer stands */
  | { kind: 'lost'; reason: 'answered' | 'lease_held' };

export class ChainFailure extends Error {
  override name = 'ChainFailure';
}

/**
 * Encrypts an answer body (already content-encoded) for the requester before it is signed and
 * stored: the answer intent's digest is over what goes on chain.
 */
export type SealAnswer = (
  ref: RequestRef,
  f: RequestFields,
  answer: { statusCode: number; contentType: string; contentEncoding: string },
  encoded: Uint8Array,
) => Promise<Uint8Array>;

/** planResponseUpload for bytes that are already what goes on chain (a Seal ciphertext). */
function planSealedUpload(
  bytes: Uint8Array,
  contentEncoding: ResponseUploadPlan['contentEncoding'],
  maxResponseBytes: number,
): ResponseUploadPlan {
  if (bytes.length > maxResponseBytes)
    throw new BodyCodecError(
      `response of ${bytes.length} bytes (encrypted${contentEncoding ? `, ${contentEncoding}` : ''}) exceeds the cluster's limit of ${maxResponseBytes} bytes`,
    );
  const chunksPerTx = Math.max(1, Math.floor(RESPONSE_BYTES_PER_TX / CHUNK_BYTES));
  const chunks = chunkBytes(bytes);
  const batches: Uint8Array[][] = [];
  for (let i = 0; i < chunks.length; i += chunksPerTx) batches.push(chunks.slice(i, i + chunksPerTx));
  if (batches.length === 0) batches.push([]);
  return { contentEncoding, digest: chunksDigest(batches.flat()), totalSize: bytes.length, batches };
}

export class Responder {
  constructor(
    private readonly chain: Pick<ListenerChain, 'claim' | 'readRequest' | 'appendChunks' | 'storeResponse'>,
    private readonly signer: Pick<AnswerSigner, 'sign'>,
    private readonly metrics: Pick<ListenerMetrics, 'failures'>,
    private readonly now: () => number = Date.now,
    private readonly seal?: SealAnswer,
  ) {}

  private async plan(
    ref: RequestRef,
    f: RequestFields,
    answer: K8sAnswer,
    maxResponseBytes: number,
  ): Promise<ResponseUploadPlan> {
    if (!this.seal) return planResponseUpload(answer.body, { maxResponseBytes });
    const encoded = encodeBody(answer.body);
    const sealed = await this.seal(
      ref,
      f,
      {
        statusCode: answer.statusCode,
        contentType: answer.contentType,
        contentEncoding: encoded.contentEncoding,
      },
      encoded.bytes,
    );
    return planSealedUpload(sealed, encoded.contentEncoding, maxResponseBytes);
  }

  /**
   * Claim unless we already hold a valid lease: `took-over` = another executor held it and its
   * lease lapsed (so it may have run it already); `held-by-other` / `answered` = not ours.
   */
  async claim(ref: RequestRef): Promise<ClaimResult> {
    const o = await this.chain.claim(ref);
    if (o.success) return o.takeover ? 'took-over' : 'claimed';
    if (o.abort?.name === 'ELeaseHeld') {
      const obj = await this.chain.readRequest(ref.request);
      return obj?.claimant === ref.executor ? 'claimed' : 'held-by-other';
    }
    if (o.abort?.name === 'ERequestAnswered') return 'answered';
    this.metrics.failures.labels('claim').inc();
    throw new ChainFailure(`claim failed: ${describeChainFailure(o)}`);
  }

  /** Signs and stores `answer` (claiming in the first transaction if `claimInSameTx`). */
  async store(
    ref: RequestRef,
    f: RequestFields,
    answer: K8sAnswer,
    opts: { claimInSameTx: boolean; maxResponseBytes: number },
  ): Promise<StoreResult> {
    let plan;
    try {
      plan = await this.plan(ref, f, answer, opts.maxResponseBytes);
    } catch (e) {
      if (!(e instanceof BodyCodecError)) throw e;
      answer = statusAnswer(
        413,
        `the Kubernetes response is too large to store on chain: ${(e as Error).message}; narrow the request (e.g. --chunk-size / a label selector)`,
      );
      plan = await this.plan(ref, f, answer, opts.maxResponseBytes);
    }
    const batches = plan.batches;
    const segmentTxDigests: Uint8Array[] = [];
    for (let i = 0; i < batches.length - 1; i++) {
      const o = await this.chain.appendChunks(ref, batches[i]!, opts.claimInSameTx && i === 0);
      if (!o.success) return this.storeFailed(o);
      segmentTxDigests.push(fromBase58(o.digest));
    }
    const answerFields = {
      statusCode: answer.statusCode,
      contentType: answer.contentType,
      contentEncoding: plan.contentEncoding,
      bodySize: plan.totalSize,
      bodyDigest: plan.digest,
      signedAtMs: Math.max(f.createdAtMs, this.now() - SIGNING_TIME_MARGIN_MS),
    };
    const signature = this.signer.sign(answerIntentBytes(f.intent, answerFields));
    const single = batches.length === 1;
    const storeOpts: { claimFirst: boolean; batchBytes?: number } = {
      claimFirst: opts.claimInSameTx && single,
    };
    // Single-transaction answers share transactions with other answers ready at the same time.
    if (single) storeOpts.batchBytes = plan.totalSize + 512;
    const o = await this.chain.storeResponse(
      ref,
      {
        statusCode: answer.statusCode,
        contentType: answer.contentType,
        contentEncoding: plan.contentEncoding,
        chunks: batches[batches.length - 1]!,
        totalSize: plan.totalSize,
        digest: plan.digest,
        segmentTxDigests,
        signedAtMs: answerFields.signedAtMs,
        signature,
      },
      storeOpts,
    );
    if (!o.success) return this.storeFailed(o);
    return { kind: 'stored', txDigest: o.digest, statusCode: answer.statusCode };
  }

  private storeFailed(o: ChainTx): StoreResult {
    const name = o.abort?.name;
    if (name === 'ERequestAnswered') return { kind: 'lost', reason: 'answered' };
    if (name === 'ELeaseHeld' || name === 'ENotClaimant') return { kind: 'lost', reason: 'lease_held' };
    this.metrics.failures.labels('store').inc();
    throw new ChainFailure(`storing the response failed: ${describeChainFailure(o)}`);
  }
}
