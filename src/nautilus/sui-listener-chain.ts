/**
 * ListenerChain on a real (or embedded) Sui network: reads through SuiGrpcClient, transactions
 * through TxRunner (serialised per key, idempotent retries), single-transaction answers grouped
 * by TxBatcher.
 */
import type { SuiGrpcClient } from '@mysten/sui/grpc';
import type { Transaction } from '@mysten/sui/transactions';
import {
  ClusterBcs,
  K8S_REQUEST_EVENT,
  K8sAPIRequestBcs,
  RequestBcs,
  RequestClaimedBcs,
  appendResponseChunks,
  claimRequest,
  storeK8sResponse,
  type K8sAPIRequestEvent,
  type RequestObject,
} from '../contract/index.ts';
import {
  listEventsAfter,
  structName,
  subscribeEvents,
  transactionEvents,
  type EventFrame,
} from '../sui/events.ts';
import type { TxOutcome, TxRunner } from '../sui/tx-runner.ts';
import { ensureExecutor } from './executor-registration.ts';
import type { ChainTx, ClaimTx, ListenerChain, RequestRef, StoreArgs } from './listener-chain.ts';
import { TxBatcher } from './tx-batcher.ts';

export class SuiListenerChain implements ListenerChain {
  private readonly batcher: TxBatcher;
  private readonly eventType: string;

  constructor(
    private readonly client: SuiGrpcClient,
    private readonly runner: TxRunner,
    private readonly ids: { packageId: string; clusterId: string },
  ) {
    this.batcher = new TxBatcher(runner);
    this.eventType = K8S_REQUEST_EVENT(ids.packageId);
  }

  get address(): string {
    return this.runner.address;
  }

  get gasBudget(): bigint {
    return this.runner.gasBudget;
  }

  async maxResponseBytes(): Promise<number> {
    const { object } = await this.client.getObject({
      objectId: this.ids.clusterId,
      include: { content: true },
    });
    return Number(ClusterBcs.parse(object.content).config.max_response_bytes);
  }

  ensureExecutor(
    signingKey: Uint8Array,
    stake?: bigint,
  ): Promise<{ objectId: string; registeredNow: boolean }> {
    return ensureExecutor(
      this.client,
      this.runner,
      { packageId: this.ids.packageId, clusterId: this.ids.clusterId, account: this.address, signingKey },
      stake,
    );
  }

  requestEventsAfter(cursor: Uint8Array | undefined, signal?: AbortSignal): AsyncIterable<EventFrame> {
    return listEventsAfter(this.client, this.eventType, cursor, signal ? { signal } : {});
  }

  subscribeRequestEvents(signal: AbortSignal): AsyncIterable<EventFrame> {
    return subscribeEvents(this.client, this.eventType, signal);
  }

  async requestEventsOfTransaction(digest: string): Promise<K8sAPIRequestEvent[]> {
    return (await transactionEvents(this.client, digest))
      .filter((e) => structName(e.eventType) === 'K8sAPIRequest')
      .map((e) => K8sAPIRequestBcs.parse(e.bcs));
  }

  async readRequest(id: string): Promise<RequestObject | undefined> {
    try {
      const { object } = await this.client.getObject({ objectId: id, include: { content: true } });
      return RequestBcs.parse(object.content);
    } catch {
      return undefined; // deleted (closed) or not yet visible
    }
  }

  async claim(ref: RequestRef): Promise<ClaimTx> {
    const o = await this.runner.run((tx) => claimRequest(tx, this.ids.packageId, this.args(ref)));
    const out: ClaimTx = chainTx(o);
    if (o.success) {
      const claimed = o.events.find((e) => structName(e.eventType) === 'RequestClaimed');
      out.takeover = claimed ? RequestClaimedBcs.parse(claimed.bcs).takeover : false;
    }
    return out;
  }

  async appendChunks(ref: RequestRef, chunks: Uint8Array[], claimFirst: boolean): Promise<ChainTx> {
    return chainTx(
      await this.runner.run((tx) => {
        if (claimFirst) claimRequest(tx, this.ids.packageId, this.args(ref));
        appendResponseChunks(tx, this.ids.packageId, { ...this.args(ref), chunks });
      }),
    );
  }

  async storeResponse(
    ref: RequestRef,
    a: StoreArgs,
    opts: { claimFirst: boolean; batchBytes?: number },
  ): Promise<ChainTx> {
    const build = (tx: Transaction) => {
      if (opts.claimFirst) claimRequest(tx, this.ids.packageId, this.args(ref));
      storeK8sResponse(tx, this.ids.packageId, { ...this.args(ref), ...a });
    };
    return chainTx(
      opts.batchBytes !== undefined
        ? await this.batcher.submit(build, opts.batchBytes)
        : await this.runner.run(build),
    );
  }

  async balance(): Promise<bigint> {
    const r = await this.client.core.getBalance({ owner: this.address });
    return BigInt(r.balance.balance);
  }

  async coins(limit: number): Promise<string[]> {
    const page = await this.client.core.listCoins({ owner: this.address, limit });
    return page.objects.map((c) => c.objectId);
  }

  async mergeCoins(coinIds: string[]): Promise<ChainTx> {
    return chainTx(
      await this.runner.run((tx) =>
        tx.mergeCoins(
          tx.gas,
          coinIds.map((id) => tx.object(id)),
        ),
      ),
    );
  }

  private args(ref: RequestRef): { cluster: string; executor: string; request: string } {
    return { cluster: this.ids.clusterId, executor: ref.executor, request: ref.request };
  }
}

function chainTx(o: TxOutcome): ChainTx {
  const out: ChainTx = { success: o.success, digest: o.digest };
  if (o.abort) out.abort = o.abort;
  if (o.error !== undefined) out.error = o.error;
  return out;
}
