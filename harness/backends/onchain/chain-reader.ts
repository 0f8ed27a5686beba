import type { SuiGrpcClient } from '@mysten/sui/grpc';
import { decodeBody, RequestBcs, RequestState } from '../../../src/contract/index.ts';
import { AnswerReader } from '../../../src/gateway/answer-reader.ts';
import { decodeProtobufObject } from '../../embedded/kube/protobuf.ts';

const PROTOBUF_MAGIC = Buffer.from('k8s\0', 'latin1');

/**
 * A stored body as a value expectations can match: JSON parsed; a Kubernetes protobuf object
 * (what kube-apiserver answers kubectl's typed requests) decoded to its JSON form, for the kinds
 * harness/embedded/kube/protobuf.ts knows; anything else (logs, unknown kinds) the text.
 */
export function readableBody(bytes: Buffer, text: string): unknown {
  if (bytes.subarray(0, 4).equals(PROTOBUF_MAGIC)) {
    try {
      return decodeProtobufObject(bytes);
    } catch {
      return text;
    }
  }
  try {
    return JSON.parse(text);
  } catch {
    return text; // not JSON (e.g. logs)
  }
}

export interface StoredResponse {
  requestObjectId: string;
  state: number;
  status: number;
  contentType: string;
  body: unknown;
  rawBody: string;
}

/**
 * Decrypts an answer body as its requester (Seal clusters); the bytes stay as they are on a
 * cluster without confidentiality.
 */
export type AnswerOpener = (
  body: Uint8Array,
  a: {
    requester: string;
    requestObjectId: string;
    statusCode: number;
    contentType: string;
    contentEncoding: string;
  },
) => Promise<Uint8Array>;

/**
 * Reads a Request object and the answer recorded for it (the chain's copy, not the gateway's):
 * the K8sAPIResponse event of the transaction the Request names, with its body segments —
 * decrypted by `open` with the requester's key on a Seal cluster.
 */
export async function readStoredResponse(
  client: SuiGrpcClient,
  requestObjectId: string,
  open?: AnswerOpener,
): Promise<StoredResponse> {
  const { object } = await client.getObject({ objectId: requestObjectId, include: { content: true } });
  const r = RequestBcs.parse(object.content);
  if (r.state !== RequestState.Answered)
    return { requestObjectId, state: r.state, status: 0, contentType: '', body: undefined, rawBody: '' };
  const reader = new AnswerReader(client, r.cluster_id);
  const ev = await reader.responseEventIn(AnswerReader.digestOf(r.answer_tx_digest), requestObjectId);
  if (!ev)
    throw new Error(`request ${requestObjectId} is answered but its transaction has no K8sAPIResponse event`);
  let sent = await reader.body(ev);
  if (open)
    sent = await open(sent, {
      requester: r.requester,
      requestObjectId,
      statusCode: r.status_code,
      contentType: ev.content_type,
      contentEncoding: ev.content_encoding,
    });
  const bytes = Buffer.from(decodeBody(sent, ev.content_encoding));
  const text = bytes.toString('utf8');
  const body = readableBody(bytes, text);
  return {
    requestObjectId,
    state: r.state,
    status: r.status_code,
    contentType: ev.content_type,
    body,
    rawBody: text,
  };
}

/** The Move abort of a failed transaction, if it was one. */
export async function abortOfTransaction(
  client: SuiGrpcClient,
  digest: string,
): Promise<{ code: number; module?: string } | undefined> {
  const r = await client.getTransaction({ digest, include: { effects: true } });
  const t = r.$kind === 'Transaction' ? r.Transaction : r.FailedTransaction;
  const status = t.effects.status;
  if (status.success || status.error.$kind !== 'MoveAbort') return undefined;
  return {
    code: Number(status.error.MoveAbort.abortCode),
    module: status.error.MoveAbort.location?.module ?? undefined,
  };
}
