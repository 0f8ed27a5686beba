/**
 * Signs and executes transactions for one key through SuiGrpcClient:
 * serialised per signer (one gas coin, no equivocation), transient network
 * failures retried with backoff, Move aborts of k8s_gateway decoded through
 * the contract's abort table.
 */
import type { SuiGrpcClient } from '@mysten/sui/grpc';
import type { Keypair } from '@mysten/sui/cryptography';
import { Transaction } from '@mysten/sui/transactions';
import type { SuiClientTypes } from '@mysten/sui/client';
import { MODULE, lookupAbort, parseMoveAbort, type AbortInfo } from '../contract/index.ts';
import { KeyedMutex } from './keyed-mutex.ts';
import { isTransientNetworkError, withRetry } from './retry.ts';

export interface TxOutcome {
  digest: string;
  success: boolean;
  /** set when the failure is an abort of the k8s_gateway module */
  abort?: AbortInfo;
  error?: string;
  events: SuiClientTypes.Event[];
  effects?: SuiClientTypes.TransactionEffects;
}

export class TxRunner {
  private static readonly mutex = new KeyedMutex();
  private gasPrice?: bigint;

  constructor(
    readonly client: SuiGrpcClient,
    readonly signer: Keypair,
    private readonly opts: { gasBudget?: bigint; retries?: number } = {},
  ) {}

  get address(): string {
    return this.signer.toSuiAddress();
  }

  private async price(): Promise<bigint> {
    if (this.gasPrice === undefined) this.gasPrice = BigInt((await this.client.getReferenceGasPrice()).referenceGasPrice);
    return this.gasPrice;
  }

  /** Build with `build(tx)`, sign, execute. Aborts come back as outcomes; only unrecoverable transport errors throw. */
  async run(build: (tx: Transaction) => void): Promise<TxOutcome> {
    return TxRunner.mutex.run(this.address, async () => {
      const tx = new Transaction();
      tx.setSender(this.address);
      tx.setGasBudget(this.opts.gasBudget ?? 200_000_000n);
      tx.setGasPrice(await this.price());
      build(tx);
      let bytes: Uint8Array;
      try {
        bytes = await withRetry(() => tx.build({ client: this.client }), { retries: this.opts.retries ?? 4, baseMs: 100, maxMs: 3_000, isRetryable: isTransientNetworkError });
      } catch (e) {
        // Aborts found while building (dry run) are outcomes, not exceptions.
        const info = abortInfo(e);
        if (info) return { digest: '', success: false, abort: info, error: (e as Error).message, events: [] };
        throw e;
      }
      const { signature } = await this.signer.signTransaction(bytes);
      // Re-sending the same signed bytes is idempotent (same digest), so transport failures are safe to retry.
      const result = await withRetry(
        () => this.client.executeTransaction({ transaction: bytes, signatures: [signature], include: { effects: true, events: true } }),
        { retries: this.opts.retries ?? 4, baseMs: 100, maxMs: 3_000, isRetryable: isTransientNetworkError },
      );
      const t = result.Transaction ?? result.FailedTransaction;
      const outcome: TxOutcome = { digest: t.digest, success: t.status.success, events: t.events ?? [], effects: t.effects };
      if (!t.status.success) {
        outcome.error = t.status.error.message;
        const info = abortInfo(t.status.error);
        if (info) outcome.abort = info;
      }
      return outcome;
    });
  }
}

function abortInfo(e: unknown): AbortInfo | undefined {
  const abort = parseMoveAbort(e);
  return abort && (abort.module === undefined || abort.module === MODULE) ? lookupAbort(abort.code) : undefined;
}

export function describeFailure(o: TxOutcome): string {
  if (o.abort) return `${o.abort.name}: ${o.abort.message}${o.digest ? ` (transaction ${o.digest})` : ''}`;
  return `${o.error ?? 'transaction failed'}${o.digest ? ` (transaction ${o.digest})` : ''}`;
}
