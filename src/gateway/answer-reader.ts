/**
 * Reads an executor's answer from the chain and checks it before kubectl
 * sees it: the body (segments from the K8sAPIResponse event and, for large
 * bodies, the K8sAPIResponseChunk events of the transactions it names)
 * must match the chained digest and size, and the ed25519 signature must
 * verify against the signing key registered in the executor's Executor
 * object, over the intent built from the gateway's own request event. The
 * contract checks all of this too; the gateway does not take a full node's
 * word for it.
 */
import type { SuiGrpcClient } from '@mysten/sui/grpc';
import { toBase58 } from '@mysten/sui/utils';
import {
  ExecutorBcs,
  K8sAPIResponseBcs,
  K8sAPIResponseChunkBcs,
  answerFieldsOf,
  bytesEqual,
  joinChunks,
  chunksDigest,
  verifyAnswerSignature,
  type AnsweredRequest,
  type K8sAPIResponseEvent,
} from '../contract/index.ts';
import { structName, transactionEvents } from '../sui/events.ts';

/** A checked answer: its body still as sent (content-encoded). */
export interface VerifiedAnswer {
  event: K8sAPIResponseEvent;
  body: Uint8Array;
}

/** The answer failed a check: kubectl gets 502 with this message. */
export class AnswerRejected extends Error {
  override name = 'AnswerRejected';
}

export class AnswerReader {
  /** Executor object id → its signing key (immutable in the object). */
  private readonly keys = new Map<string, Uint8Array>();

  constructor(
    private readonly client: SuiGrpcClient,
    private readonly clusterId: string,
  ) {}

  /** The K8sAPIResponse event for `requestObjectId` in transaction `digest`. */
  async responseEventIn(digest: string, requestObjectId: string): Promise<K8sAPIResponseEvent | undefined> {
    for (const e of await this.eventsOf(digest)) {
      if (structName(e.eventType) !== 'K8sAPIResponse') continue;
      const ev = K8sAPIResponseBcs.parse(e.bcs);
      if (ev.request_object_id === requestObjectId) return ev;
    }
    return undefined;
  }

  /** A transaction digest as the contract records it (32 bytes) → base58. */
  static digestOf(bytes: readonly number[] | Uint8Array): string {
    return toBase58(Uint8Array.from(bytes));
  }

  async verify(request: AnsweredRequest, ev: K8sAPIResponseEvent): Promise<VerifiedAnswer> {
    if (ev.request_object_id !== request.request_object_id || ev.cluster_id !== this.clusterId)
      throw new AnswerRejected(
        `the answer names request ${ev.request_object_id} of cluster ${ev.cluster_id}, not ${request.request_object_id}`,
      );
    const body = await this.body(ev);
    const key = await this.signingKey(ev.executor_object_id);
    if (!verifyAnswerSignature(request, answerFieldsOf(ev), Uint8Array.from(ev.signature), key))
      throw new AnswerRejected(
        `the answer's signature does not verify against the signing key of executor ${ev.executor_object_id} (${ev.executor})`,
      );
    return { event: ev, body };
  }

  /** The answer's body as sent, assembled from its segments and checked against size and digest. */
  async body(ev: K8sAPIResponseEvent): Promise<Uint8Array> {
    const chunks = (await this.segments(ev)).flat();
    const body = joinChunks(chunks);
    if (BigInt(body.length) !== BigInt(ev.body_size))
      throw new AnswerRejected(
        `the answer body is ${body.length} bytes, but the executor signed ${ev.body_size}`,
      );
    if (!bytesEqual(chunksDigest(chunks), Uint8Array.from(ev.body_digest)))
      throw new AnswerRejected('the answer body does not match the digest the executor signed');
    return body;
  }

  /** Segments (lists of chunks) in order: the chunk events of the named transactions, then the event's own. */
  private async segments(ev: K8sAPIResponseEvent): Promise<Uint8Array[][]> {
    const own = ev.body.map((c) => Uint8Array.from(c));
    const count = Number(ev.segments);
    if (count <= 1) return [own];
    if (ev.segment_tx_digests.length !== count - 1)
      throw new AnswerRejected(
        `the answer has ${count} segments but names ${ev.segment_tx_digests.length} earlier transactions`,
      );
    const found = new Map<number, Uint8Array[]>();
    for (const d of ev.segment_tx_digests) {
      for (const e of await this.eventsOf(AnswerReader.digestOf(d))) {
        if (structName(e.eventType) !== 'K8sAPIResponseChunk') continue;
        const chunk = K8sAPIResponseChunkBcs.parse(e.bcs);
        if (
          chunk.request_object_id === ev.request_object_id &&
          chunk.executor_object_id === ev.executor_object_id
        )
          found.set(
            Number(chunk.segment),
            chunk.chunks.map((c) => Uint8Array.from(c)),
          );
      }
    }
    const out: Uint8Array[][] = [];
    for (let i = 0; i < count - 1; i++) {
      const s = found.get(i);
      if (!s)
        throw new AnswerRejected(`segment ${i} of the answer is missing from the transactions it names`);
      out.push(s);
    }
    out.push(own);
    return out;
  }

  private async signingKey(executorObjectId: string): Promise<Uint8Array> {
    const cached = this.keys.get(executorObjectId);
    if (cached) return cached;
    let executor;
    try {
      const { object } = await this.client.getObject({
        objectId: executorObjectId,
        include: { content: true },
      });
      executor = ExecutorBcs.parse(object.content);
    } catch (e) {
      throw new AnswerRejected(
        `cannot read executor ${executorObjectId} to check its signature: ${(e as Error).message}`,
      );
    }
    if (executor.cluster_id !== this.clusterId)
      throw new AnswerRejected(`executor ${executorObjectId} belongs to cluster ${executor.cluster_id}`);
    const key = Uint8Array.from(executor.signing_key);
    if (this.keys.size > 1_000) this.keys.clear();
    this.keys.set(executorObjectId, key);
    return key;
  }

  private eventsOf(digest: string) {
    return transactionEvents(this.client, digest);
  }
}
