import type { SuiGrpcClient } from '@mysten/sui/grpc';
import { decodeBody, RequestBcs } from '../../../src/contract/index.ts';

export interface StoredResponse {
  requestObjectId: string;
  state: number;
  status: number;
  contentType: string;
  body: unknown;
  rawBody: string;
}

/** Reads a Request object and decodes the response stored on it (the chain's copy, not the gateway's). */
export async function readStoredResponse(
  client: SuiGrpcClient,
  requestObjectId: string,
): Promise<StoredResponse> {
  const { object } = await client.getObject({ objectId: requestObjectId, include: { content: true } });
  const r = RequestBcs.parse(object.content);
  const bytes = decodeBody(
    Uint8Array.from(r.response_body),
    r.response_content_encoding,
    Uint8Array.from(r.response_digest),
  );
  const text = Buffer.from(bytes).toString('utf8');
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON (e.g. logs): keep the text
  }
  return {
    requestObjectId,
    state: r.state,
    status: r.status_code,
    contentType: r.response_content_type,
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
