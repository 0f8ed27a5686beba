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
    return TxRunner.mutex.run(this.address, () =>
      withRetry(
        async () => {
          const tx = new Transaction();
          tx.setSender(this.address);
          tx.setGasBudget(this.opts.gasBudget ?? 200_000_000n);
          tx.setGasPrice(await this.price());
          build(tx);
          try {
            const result = await this.client.signAndExecuteTransaction({ transaction: tx, signer: this.signer, include: { effects: true, events: true } });
            const t = result.Transaction ?? result.FailedTransaction;
            const outcome: TxOutcome = { digest: t.digest, success: t.status.success, events: t.events ?? [], effects: t.effects };
            if (!t.status.success) {
              outcome.error = t.status.error.message;
              const abort = parseMoveAbort(t.status.error);
              if (abort && (abort.module === undefined || abort.module === MODULE)) {
                const info = lookupAbort(abort.code);
                if (info) outcome.abort = info;
              }
            }
            return outcome;
          } catch (e) {
            // Aborts found while building (dry run) are outcomes, not exceptions.
            const abort = parseMoveAbort(e);
            const info = abort && (abort.module === undefined || abort.module === MODULE) ? lookupAbort(abort.code) : undefined;
            if (info) return { digest: '', success: false, abort: info, error: (e as Error).message, events: [] };
            throw e;
          }
        },
        { retries: this.opts.retries ?? 4, baseMs: 100, maxMs: 3_000, isRetryable: isTransientNetworkError },
      ),
    );
  }
}

export function describeFailure(o: TxOutcome): string {
  if (o.abort) return `${o.abort.name}: ${o.abort.message}${o.digest ? ` (transaction ${o.digest})` : ''}`;
  return `${o.error ?? 'transaction failed'}${o.digest ? ` (transaction ${o.digest})` : ''}`;
}
