/**
 * What the Nautilus listener needs from the chain, and nothing more: read a request, list and
 * follow request events, claim, append and store answers, and the executor's own upkeep.
 * The production implementation is SuiListenerChain (sui-listener-chain.ts, SuiGrpcClient +
 * TxRunner); FakeListenerChain (testing/fake-listener-chain.ts) keeps the contract's claim,
 * lease and signature rules in memory for unit tests. Like the gateway's ChainPort.
 */
import type { AbortInfo, K8sAPIRequestEvent, RequestObject } from '../contract/index.ts';
import type { EventFrame } from '../sui/events.ts';

/** The outcome of one transaction: success, or the contract abort / error that failed it. */
export interface ChainTx {
  success: boolean;
  digest: string;
  /** set when the failure is an abort of the k8s_gateway module */
  abort?: AbortInfo;
  error?: string;
}

export interface ClaimTx extends ChainTx {
  /** the claim took the request over from another executor whose lease lapsed (RequestClaimed.takeover) */
  takeover?: boolean;
}

/** A signed answer's last transaction (`store_k8s_response`). */
export interface StoreArgs {
  statusCode: number;
  contentType: string;
  contentEncoding: string;
  /** the chunks of the last (or only) segment */
  chunks: Uint8Array[];
  totalSize: number;
  digest: Uint8Array;
  /** digests of the transactions that appended the earlier segments */
  segmentTxDigests: Uint8Array[];
  signedAtMs: number;
  signature: Uint8Array;
}

/** Which request, by which Executor object. */
export interface RequestRef {
  executor: string;
  request: string;
}

export interface ListenerChain {
  /** The Sui account that pays for and is paid by the listener's transactions. */
  readonly address: string;
  /** MIST one transaction reserves: a balance below it can pay for nothing. */
  readonly gasBudget: bigint;

  /** The cluster's `max_response_bytes`. */
  maxResponseBytes(): Promise<number>;
  /** This account's Executor object, registered now (with `stake`, needs an admission) if missing. */
  ensureExecutor(
    signingKey: Uint8Array,
    stake?: bigint,
  ): Promise<{ objectId: string; registeredNow: boolean }>;

  /** K8sAPIRequest events after `cursor` (all from genesis when undefined), with their watermarks. */
  requestEventsAfter(cursor: Uint8Array | undefined, signal?: AbortSignal): AsyncIterable<EventFrame>;
  /** Live K8sAPIRequest events (SubscribeEvents); ends or throws when the stream does. */
  subscribeRequestEvents(signal: AbortSignal): AsyncIterable<EventFrame>;
  /** The K8sAPIRequest events emitted by one transaction. */
  requestEventsOfTransaction(digest: string): Promise<K8sAPIRequestEvent[]>;
  /** The Request object; undefined when it cannot be read (closed, or not visible yet). */
  readRequest(id: string): Promise<RequestObject | undefined>;

  /** `claim_request`. */
  claim(ref: RequestRef): Promise<ClaimTx>;
  /** `append_response_chunks` for one segment, after a `claim_request` in the same transaction if `claimFirst`. */
  appendChunks(ref: RequestRef, chunks: Uint8Array[], claimFirst: boolean): Promise<ChainTx>;
  /**
   * `store_k8s_response`, after a `claim_request` in the same transaction if `claimFirst`. Small
   * answers may share a transaction with other answers ready at the same time (`batchBytes` set).
   */
  storeResponse(
    ref: RequestRef,
    args: StoreArgs,
    opts: { claimFirst: boolean; batchBytes?: number },
  ): Promise<ChainTx>;

  /** The account's SUI balance (MIST). */
  balance(): Promise<bigint>;
  /** Up to `limit` of the account's SUI coin object ids, largest first (the first is the gas coin). */
  coins(limit: number): Promise<string[]>;
  /** Merge these coins into the gas coin. */
  mergeCoins(coinIds: string[]): Promise<ChainTx>;
}

export function describeChainFailure(o: ChainTx): string {
  if (o.abort) return `${o.abort.name}: ${o.abort.message}${o.digest ? ` (transaction ${o.digest})` : ''}`;
  return `${o.error ?? 'transaction failed'}${o.digest ? ` (transaction ${o.digest})` : ''}`;
}
