/**
 * What one kubectl request costs on chain, per party: the requester's request
 * transaction and fee, the executor's claim and answer transactions against
 * the fee it earns, the Request object's storage while it exists, and what
 * the requester gets back by closing it. All in MIST, from the transactions'
 * own gas summaries.
 */
import type { SuiGrpcClient } from '@mysten/sui/grpc';
import { Transaction } from '@mysten/sui/transactions';
import type { Signer } from '@mysten/sui/cryptography';
import {
  K8sAPIRequestBcs,
  RequestBcs,
  RequestClaimedBcs,
  closeRequest,
  contractType,
} from '../../src/contract/index.ts';
import { AnswerReader } from '../../src/gateway/answer-reader.ts';
import { listEventsAfter, structName } from '../../src/sui/events.ts';

export interface RequestCost {
  /** request transaction: computation + storage − rebate */
  requesterTxMist: string;
  feeMist: string;
  /** claim (writes) and answer transactions */
  executorTxMist: string;
  /** fee − executor transactions: what answering earned (negative = a loss) */
  executorNetMist: string;
  /** storage the request transaction paid (the Request object and the gas coin), until closed */
  requestStorageMist: string;
  /** close_request: what the requester gets back (rebate − its gas) */
  closeNetMist: string;
  /** requester overall, after closing: −tx − fee + close */
  requesterNetMist: string;
  responseBodyBytes: number;
}

interface GasSummary {
  computationCost: string;
  storageCost: string;
  storageRebate: string;
}

const net = (g: GasSummary) => BigInt(g.computationCost) + BigInt(g.storageCost) - BigInt(g.storageRebate);

async function gasOf(client: SuiGrpcClient, digest: string): Promise<GasSummary> {
  const r = await client.getTransaction({ digest, include: { effects: true } });
  const t = r.$kind === 'Transaction' ? r.Transaction : r.FailedTransaction;
  return t.effects.gasUsed as GasSummary;
}

/** Costs of the request recorded by transaction `requestTx`, then closes it as `requester`. */
export async function requestCost(
  client: SuiGrpcClient,
  packageId: string,
  requestTx: string,
  requester: Signer,
): Promise<RequestCost> {
  const r = await client.getTransaction({ digest: requestTx, include: { effects: true, events: true } });
  const t = r.$kind === 'Transaction' ? r.Transaction : r.FailedTransaction;
  const reqEvent = t.events!.find((e) => structName(e.eventType) === 'K8sAPIRequest');
  if (!reqEvent) throw new Error(`transaction ${requestTx} recorded no request`);
  const req = K8sAPIRequestBcs.parse(reqEvent.bcs);
  const { object } = await client.getObject({ objectId: req.request_object_id, include: { content: true } });
  const obj = RequestBcs.parse(object.content);
  const answerTx = AnswerReader.digestOf(obj.answer_tx_digest);
  const answer = await gasOf(client, answerTx);
  const answerEvent = await new AnswerReader(client, obj.cluster_id).responseEventIn(
    answerTx,
    req.request_object_id,
  );
  // A write is claimed in its own transaction before it runs (a read is claimed with its answer).
  let claim = 0n;
  for await (const frame of listEventsAfter(client, contractType(packageId, 'RequestClaimed'), undefined)) {
    if (!frame.event || frame.event.txDigest === answerTx) continue;
    if (RequestClaimedBcs.parse(frame.event.bcs).request_object_id === req.request_object_id)
      claim += net(await gasOf(client, frame.event.txDigest));
  }
  const requesterTx = net(t.effects.gasUsed as GasSummary);
  const fee = BigInt(req.fee);
  const executorTx = claim + net(answer);
  const tx = new Transaction();
  closeRequest(tx, packageId, { request: req.request_object_id });
  const closed = await client.signAndExecuteTransaction({
    transaction: tx,
    signer: requester,
    include: { effects: true },
  });
  if (closed.$kind !== 'Transaction') throw new Error(`closing ${req.request_object_id} failed`);
  const closeNet = -net(closed.Transaction.effects.gasUsed as GasSummary);
  return {
    requesterTxMist: requesterTx.toString(),
    feeMist: fee.toString(),
    executorTxMist: executorTx.toString(),
    executorNetMist: (fee - executorTx).toString(),
    requestStorageMist: (t.effects.gasUsed as GasSummary).storageCost,
    closeNetMist: closeNet.toString(),
    requesterNetMist: (-requesterTx - fee + closeNet).toString(),
    responseBodyBytes: Number(answerEvent?.body_size ?? 0),
  };
}
