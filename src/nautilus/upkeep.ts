/**
 * The executor's housekeeping, run every reconcile period: its gas (an executor without gas
 * keeps seeing requests but can answer none, so /healthz says so and names the address to fund),
 * its fee coins (one arrives per answered request; merged so its objects do not grow), and the
 * cluster configuration it answers under (`max_response_bytes`).
 */
import type { Logger } from '../shared/logger.ts';
import type { ListenerChain } from './listener-chain.ts';
import { describeChainFailure } from './listener-chain.ts';
import type { ListenerMetrics } from './metrics.ts';

/** Fee coins: merge once the executor holds this many coins, this many per transaction. */
export const MERGE_COINS_AT = 100;
export const MERGE_COINS_PER_TX = 200;

export class Upkeep {
  /** Last balance seen (undefined until the first successful check). */
  gasBalance?: bigint;
  /** The cluster's response size limit (bytes); refreshed by refreshConfig. */
  maxResponseBytes = 240_000;

  constructor(
    private readonly chain: Pick<
      ListenerChain,
      'address' | 'gasBudget' | 'balance' | 'coins' | 'mergeCoins' | 'maxResponseBytes'
    >,
    private readonly metrics: Pick<ListenerMetrics, 'gasBalance' | 'coinsMerged'>,
    private readonly logger: Logger,
  ) {}

  async refreshConfig(): Promise<void> {
    this.maxResponseBytes = await this.chain.maxResponseBytes();
  }

  /** One period's upkeep. */
  async tick(): Promise<void> {
    await this.checkGas();
    await this.mergeFeeCoins();
  }

  /** Reads the executor's SUI balance; says so loudly when it drops below one transaction's budget. */
  async checkGas(): Promise<void> {
    let balance: bigint;
    try {
      balance = await this.chain.balance();
    } catch {
      return; // the chain is unreachable: the stream and transaction errors already say so
    }
    const wasLow = this.gasProblem() !== undefined;
    this.gasBalance = balance;
    this.metrics.gasBalance.set(Number(balance));
    const low = this.gasProblem();
    if (low && !wasLow) this.logger.error({ balance: balance.toString() }, low);
    else if (!low && wasLow) this.logger.info({ balance: balance.toString() }, 'executor has gas again');
  }

  /** What /healthz reports when the balance cannot pay for one transaction. */
  gasProblem(): string | undefined {
    const budget = this.chain.gasBudget;
    const address = this.chain.address;
    if (this.gasBalance === undefined || this.gasBalance >= budget) return undefined;
    return `executor ${address} is out of gas: balance ${this.gasBalance} MIST is below the ${budget} MIST gas budget of one transaction, so no request can be claimed or answered; send SUI to ${address}`;
  }

  /**
   * Every answered request's fee arrives as a Coin<SUI> of its own; left alone, an executor
   * collects one object per request. Past MERGE_COINS_AT coins, the smallest (Sui lists coins
   * largest first; the first, the gas coin, stays) are merged into the gas coin, at most
   * MERGE_COINS_PER_TX per transaction. A failure (a coin spent meanwhile) is retried next period.
   */
  async mergeFeeCoins(): Promise<void> {
    if (this.gasProblem()) return; // the merge needs gas too; /healthz already says what to do
    let coins: string[];
    try {
      const all = await this.chain.coins(MERGE_COINS_PER_TX + 1);
      if (all.length < MERGE_COINS_AT) return;
      coins = all.slice(1);
    } catch {
      return; // the chain is unreachable: the stream and transaction errors already say so
    }
    try {
      const r = await this.chain.mergeCoins(coins);
      if (!r.success) throw new Error(r.error ?? describeChainFailure(r));
      this.metrics.coinsMerged.inc(coins.length);
      this.logger.info({ coins: coins.length, txDigest: r.digest }, 'merged fee coins into the gas coin');
    } catch (e) {
      this.logger.warn({ err: (e as Error).message }, 'could not merge fee coins; will retry');
    }
  }
}
