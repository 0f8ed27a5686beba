/**
 * The gateway's own check of an executor's answer, against a full node that
 * serves whatever it likes (a fake client): a forged body, a signature by a
 * key other than the one in the Executor object, an executor of another
 * cluster and a segment left out are all rejected; an honest answer passes.
 */
import { describe, expect, it } from 'vitest';
import type { SuiGrpcClient } from '@mysten/sui/grpc';
import {
  ExecutorBcs,
  K8sAPIResponseChunkBcs,
  answerIntentBytes,
  chunksDigest,
  sha256,
  type K8sAPIResponseEvent,
} from '../contract/index.ts';
import { AnswerSigner } from '../nautilus/answer-signer.ts';
import { requestEvent } from '../contract/testing/request-fixtures.ts';
import { AnswerReader, AnswerRejected } from './answer-reader.ts';

const id = (b: string) => '0x' + b.repeat(32);
const CLUSTER = id('c1');
const EXECUTOR = id('e0');
const executorKey = AnswerSigner.generate();

const request = requestEvent({ request_id: 'r1', cluster_id: CLUSTER, resource: 'secrets', name: 'db' });

function answer(
  chunks: Uint8Array[],
  signer: AnswerSigner,
  extra: Partial<K8sAPIResponseEvent> = {},
): K8sAPIResponseEvent {
  const size = chunks.reduce((n, c) => n + c.length, 0);
  const fields = {
    statusCode: 200,
    contentType: 'application/json',
    contentEncoding: '',
    bodySize: size,
    bodyDigest: chunksDigest(chunks),
    signedAtMs: 1000,
  };
  return {
    request_id: 'r1',
    request_object_id: request.request_object_id,
    cluster_id: CLUSTER,
    executor: id('ab'),
    executor_object_id: EXECUTOR,
    status_code: 200,
    content_type: 'application/json',
    content_encoding: '',
    body_size: String(size),
    body_digest: [...fields.bodyDigest],
    segments: '1',
    body: chunks.map((c) => [...c]),
    segment_tx_digests: [],
    signed_at_ms: '1000',
    signature: [...signer.sign(answerIntentBytes(request, fields))],
    timestamp_ms: '1001',
    fee_paid: '10',
    ...extra,
  };
}

/** A full node holding one Executor object (and optional transactions' events). */
function node(
  executorCluster = CLUSTER,
  txEvents: Record<string, { eventType: string; bcs: Uint8Array }[]> = {},
) {
  const content = ExecutorBcs.serialize({
    id: EXECUTOR,
    cluster_id: executorCluster,
    account: id('ab'),
    signing_key: [...executorKey.publicKey],
    stake: { value: '1000' },
    registered_at_ms: '1',
    unbonding_until_ms: '0',
    lease_horizon_ms: '0',
  }).toBytes();
  return {
    getObject: async () => ({ object: { content } }),
    core: {
      getTransaction: async ({ digest }: { digest: string }) => ({
        Transaction: { events: txEvents[digest] ?? [] },
      }),
    },
  } as unknown as SuiGrpcClient;
}

const body = new TextEncoder().encode('{"kind":"Secret","data":{"password":"cmVhbA=="}}');
const forged = new TextEncoder().encode('{"kind":"Secret","data":{"password":"Zm9yZ2Vk"}}');

describe('AnswerReader.verify', () => {
  it('passes an honest answer and returns its body', async () => {
    const v = await new AnswerReader(node(), CLUSTER).verify(request, answer([body], executorKey));
    expect(v.body).toEqual(body);
  });

  it('rejects a body that is not the one the executor signed (the node swapped it)', async () => {
    const ev = { ...answer([body], executorKey), body: [[...forged]] };
    await expect(new AnswerReader(node(), CLUSTER).verify(request, ev)).rejects.toThrow(
      /does not match the digest/,
    );
  });

  it('rejects a consistent answer signed by a key other than the registered one', async () => {
    const ev = answer([forged], AnswerSigner.generate());
    await expect(new AnswerReader(node(), CLUSTER).verify(request, ev)).rejects.toThrow(AnswerRejected);
    await expect(new AnswerReader(node(), CLUSTER).verify(request, ev)).rejects.toThrow(
      /signature does not verify/,
    );
  });

  it('rejects a signature made for another request', async () => {
    const other = { ...request, name: 'other' };
    await expect(
      new AnswerReader(node(), CLUSTER).verify(other, answer([body], executorKey)),
    ).rejects.toThrow(/signature does not verify/);
  });

  it('rejects an executor of another cluster', async () => {
    await expect(
      new AnswerReader(node(id('99')), CLUSTER).verify(request, answer([body], executorKey)),
    ).rejects.toThrow(/belongs to cluster/);
  });

  it('assembles a two-segment answer from the transaction it names, and rejects one with a segment missing', async () => {
    const first = new Uint8Array(100).fill(1);
    const last = new Uint8Array(50).fill(2);
    const full = answer([first, last], executorKey);
    const segDigest = new Uint8Array(32).fill(7);
    const ev = { ...full, segments: '2', body: [[...last]], segment_tx_digests: [[...segDigest]] };
    const chunkEvent = {
      eventType: '0x1::k8s_gateway::K8sAPIResponseChunk',
      bcs: K8sAPIResponseChunkBcs.serialize({
        request_object_id: request.request_object_id,
        cluster_id: CLUSTER,
        executor_object_id: EXECUTOR,
        segment: '0',
        chunks: [[...first]],
      }).toBytes(),
    };
    const digest = AnswerReader.digestOf(segDigest);
    const v = await new AnswerReader(node(CLUSTER, { [digest]: [chunkEvent] }), CLUSTER).verify(request, ev);
    expect(v.body).toEqual(new Uint8Array([...first, ...last]));
    await expect(new AnswerReader(node(), CLUSTER).verify(request, ev)).rejects.toThrow(
      /segment 0 of the answer is missing/,
    );
    expect(sha256(v.body)).not.toEqual(Uint8Array.from(ev.body_digest)); // the chained digest is not the plain one
  });
});
