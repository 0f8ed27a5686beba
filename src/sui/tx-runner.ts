/**
 * Signs and executes transactions for one key through SuiGrpcClient:
 * serialised per signer (one gas coin, no equivocation), transient network
 * failures retried with backoff, Move aborts of k8s_gateway decoded through
 * the contract's abort table.
 */
import type { SuiGrpcClient } from '@mysten/sui/grpc';
import type { Keypair } from '@mysten/sui/cryptography';
import { SerialTransactionExecutor, Transaction } from '@mysten/sui/transactions';
import type { SuiClientTypes } from '@mysten/sui/client';
import { MODULE, lookupAbort, parseMoveAbort, type AbortInfo } from '../contract/index.ts';
import { isTransientNetworkError, withRetry } from '../shared/retry.ts';

export interface TxRunnerSimulation {
  success: boolean;
  abort?: AbortInfo;
  error?: string;
}

export interface TxOutcome {
  digest: string;
  success: boolean;
  /** set when the failure is an abort of the k8s_gateway module */
  abort?: AbortInfo;
  error?: string;
  events: SuiClientTypes.Event[];
  effects?: SuiClientTypes.TransactionEffects;
}

/** MIST a transaction reserves for gas unless told otherwise: a signer's coins must hold at least this. */
export const DEFAULT_GAS_BUDGET = 200_000_000n;

/** How long a reference gas price is reused. It changes only at epoch boundaries (24 h on mainnet). */
const GAS_PRICE_TTL_MS = 60_000;

export class TxRunner {
  /** One executor per (client, signer): it owns the signer's gas coin and object-version cache. */
  private static readonly executors = new WeakMap<SuiGrpcClient, Map<string, SerialTransactionExecutor>>();
  /**
   * Reference gas price per client. Without it the SDK asks GetEpoch before EVERY build — a
   * round trip per transaction. Dropped on any failed attempt, so a new epoch's price is
   * picked up by the retry.
   */
  private static readonly gasPrices = new WeakMap<SuiGrpcClient, { price: bigint; at: number }>();

  constructor(
    readonly client: SuiGrpcClient,
    readonly signer: Keypair,
    private readonly opts: { gasBudget?: bigint; retries?: number } = {},
  ) {}

  get address(): string {
    return this.signer.toSuiAddress();
  }

  /** MIST reserved per transaction: a balance below it cannot pay for the next one. */
  get gasBudget(): bigint {
    return this.opts.gasBudget ?? DEFAULT_GAS_BUDGET;
  }

  private executor(): SerialTransactionExecutor {
    let byAddress = TxRunner.executors.get(this.client);
    if (!byAddress) TxRunner.executors.set(this.client, (byAddress = new Map()));
    let ex = byAddress.get(this.address);
    if (!ex) {
      // Versions of owned/shared inputs and the gas coin come from the cache of previous
      // effects, so a transaction is fully resolved offline: no simulation round trip, and a
      // contract rejection is executed on chain (with a digest) like any other transaction.
      ex = new SerialTransactionExecutor({
        client: this.client,
        signer: this.signer,
        defaultGasBudget: this.gasBudget,
      });
      byAddress.set(this.address, ex);
    }
    return ex;
  }

  private async gasPrice(): Promise<bigint> {
    const cached = TxRunner.gasPrices.get(this.client);
    if (cached && Date.now() - cached.at < GAS_PRICE_TTL_MS) return cached.price;
    const { referenceGasPrice } = await this.client.core.getReferenceGasPrice();
    const price = BigInt(referenceGasPrice);
    TxRunner.gasPrices.set(this.client, { price, at: Date.now() });
    return price;
  }

  /**
   * What the chain would do with a transaction from this signer, without submitting it
   * (SimulateTransaction: inputs resolved and gas selected by the node, nothing recorded).
   */
  async simulate(build: (tx: Transaction) => void): Promise<TxRunnerSimulation> {
    const tx = new Transaction();
    tx.setSender(this.address);
    build(tx);
    let r;
    try {
      // The node picks the gas coins, as it would for the real transaction (the call splits the fee off gas).
      r = await this.client.core.simulateTransaction({
        transaction: tx,
        include: { effects: true },
        doGasSelection: true,
      });
    } catch (e) {
      const info = abortInfo(e);
      if (info) return { success: false, abort: info, error: (e as Error).message };
      throw e;
    }
    if (r.$kind === 'Transaction') return { success: true };
    const error = r.FailedTransaction.status.error;
    const info = abortInfo(error);
    return {
      success: false,
      error: error?.message ?? 'transaction failed',
      ...(info ? { abort: info } : {}),
    };
  }

  /** Build with `build(tx)`, sign, execute. Aborts come back as outcomes; only unrecoverable transport errors throw. */
  async run(build: (tx: Transaction) => void): Promise<TxOutcome> {
    const ex = this.executor();
    return withRetry(
      async (attempt) => {
        if (attempt > 0) {
          await ex.resetCache();
          TxRunner.gasPrices.delete(this.client);
        }
        const tx = new Transaction();
        tx.setSender(this.address);
        tx.setGasPrice(await this.gasPrice());
        build(tx);
        let result;
        try {
          result = await ex.executeTransaction(tx, { effects: true, events: true });
        } catch (e) {
          // Aborts found while resolving (dry run on a cache miss) are outcomes, not exceptions.
          const info = abortInfo(e);
          if (info)
            return { digest: '', success: false, abort: info, error: (e as Error).message, events: [] };
          throw e;
        }
        const t = result.Transaction ?? result.FailedTransaction;
        const outcome: TxOutcome = {
          digest: t.digest,
          success: t.status.success,
          events: t.events ?? [],
          effects: t.effects,
        };
        if (!t.status.success) {
          outcome.error = t.status.error.message;
          const info = abortInfo(t.status.error);
          if (info) outcome.abort = info;
        }
        return outcome;
      },
      {
        retries: this.opts.retries ?? 3,
        baseMs: 100,
        maxMs: 3_000,
        isRetryable: (e) =>
          isTransientNetworkError(e) ||
          /not available for consumption|version|locked|equivocat/i.test((e as Error).message ?? ''),
      },
    );
  }
}

export interface TxRunnerSimulation {
  success: boolean;
  abort?: AbortInfo;
  error?: string;
}

function abortInfo(e: unknown): AbortInfo | undefined {
  const abort = parseMoveAbort(e);
  return abort && (abort.module === undefined || abort.module === MODULE)
    ? lookupAbort(abort.code)
    : undefined;
}

export function describeFailure(o: TxOutcome): string {
  if (o.abort) return `${o.abort.name}: ${o.abort.message}${o.digest ? ` (transaction ${o.digest})` : ''}`;
  return `${o.error ?? 'transaction failed'}${o.digest ? ` (transaction ${o.digest})` : ''}`;
}
