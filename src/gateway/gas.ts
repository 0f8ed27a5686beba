/**
 * Gas, explained: when an identity's coins cannot pay a request's gas budget, the chain (or the
 * SDK selecting coins) fails the submission and the gateway would answer 503 — which kubectl
 * prints, for discovery, as "the server is currently unable to handle the request". GasAdvisor
 * turns that failure into a Status naming the address, its balance, the budget and the command
 * that adds gas, and gives `/readyz` a `gas` check.
 *
 * Recognised from the failure's message (sui-chain-port.ts reports submission failures as a 503
 * "could not submit the transaction to Sui: <error>"): the embedded node's "gas coins hold N
 * MIST, less than the gas budget B", and the Sui full node's / SDK's insufficient-gas errors.
 */
import type { Identity } from '../shared/identities.ts';
import { failureStatus, type K8sStatus } from '../k8s/status.ts';
import { DEFAULT_GAS_BUDGET } from '../sui/tx-runner.ts';
import type { ReadinessCheck } from './chain-port.ts';

/** The Status reason kubectl prints in `Error from server (<reason>)`. */
export const INSUFFICIENT_GAS_REASON = 'InsufficientGas';

/** Messages that carry the balance and the budget: the embedded node's, and Sui's UserInputError::GasBalanceTooLow. */
const WITH_AMOUNTS = [
  /gas coins hold (\d+) MIST, less than the gas budget (\d+)/,
  /Balance of gas object (\d+) is lower than the needed amount: (\d+)/,
];
/** The SDK's coin selection and other full node wordings. */
const FULL_NODE = [
  /insufficient SUI balance/i,
  /lower than the needed amount/i,
  /No valid gas coins/i,
  /Insufficient balance of 0x0*2::sui::SUI/i,
  /GasBalanceTooLow/,
  /InsufficientGas/,
  /InsufficientCoinBalance/,
  /gas budget .* (is )?(higher|greater) than/i,
];

/** What a failure message says about gas, if it is a gas failure at all. */
export function gasFailureIn(message: string): { balance?: bigint; budget?: bigint } | undefined {
  for (const r of WITH_AMOUNTS) {
    const m = r.exec(message);
    if (m) return { balance: BigInt(m[1]!), budget: BigInt(m[2]!) };
  }
  return FULL_NODE.some((r) => r.test(message)) ? {} : undefined;
}

/**
 * For the ChainPort: the Status of a submission that failed for want of gas (503, reason
 * InsufficientGas, the chain's message), or undefined. A port that returns it has its failures
 * explained whatever the wording (see README: the one-line hook in sui-chain-port.ts).
 */
export function submissionGasStatus(error: unknown): K8sStatus | undefined {
  const message = error instanceof Error ? error.message : String(error);
  if (!gasFailureIn(message)) return undefined;
  return failureStatus(503, `the signer cannot pay gas: ${message}`, INSUFFICIENT_GAS_REASON);
}

export function formatSui(mist: bigint): string {
  const whole = mist / 1_000_000_000n;
  const frac = (mist % 1_000_000_000n).toString().padStart(9, '0').replace(/0+$/, '');
  return frac ? `${whole}.${frac} SUI` : `${whole} SUI`;
}

export interface GasAdvisorOptions {
  /** SUI balance of an address, in MIST. */
  balanceOf(address: string): Promise<bigint>;
  /** The budget every request transaction reserves (default: TxRunner's). */
  gasBudget?: bigint;
  /** Flags the fund command needs to reach this chain, e.g. "--grpc-url http://127.0.0.1:9000". */
  fundFlags?: string;
  /** Longest `/readyz` waits for balances. */
  timeoutMs?: number;
}

export class GasAdvisor {
  constructor(private readonly o: GasAdvisorOptions) {}

  get budget(): bigint {
    return this.o.gasBudget ?? DEFAULT_GAS_BUDGET;
  }

  /** The command that adds gas to an identity, with an amount that pays several requests. */
  fundCommand(identity: Identity): string {
    const amount = this.budget * 5n > 1_000_000_000n ? this.budget * 5n : 1_000_000_000n;
    const flags = this.o.fundFlags ? ` ${this.o.fundFlags}` : '';
    return `k3s-daas identity fund --name ${identity.name} --amount ${formatSui(amount).replace(' SUI', 'sui')}${flags}`;
  }

  private explanation(identity: Identity, balance: bigint | undefined, budget: bigint): string {
    const held =
      balance === undefined ? 'cannot pay' : `holds ${balance} MIST (${formatSui(balance)}), less than`;
    return (
      `identity "${identity.name}" cannot pay gas: its address ${identity.address} ${held} the gas budget ` +
      `${budget} MIST (${formatSui(budget)}) that each request transaction reserves. ` +
      `Add gas (signed by any key with SUI, --keystore/--signer): ${this.fundCommand(identity)}`
    );
  }

  /**
   * The Status for a request that failed because its signer cannot pay gas, or undefined when
   * `status` is some other failure.
   */
  async explain(identity: Identity, status: K8sStatus): Promise<K8sStatus | undefined> {
    const tagged = status.reason === INSUFFICIENT_GAS_REASON;
    if (status.code !== 503 && !tagged) return undefined;
    const found = gasFailureIn(status.message) ?? (tagged ? {} : undefined);
    if (!found) return undefined;
    const balance = await this.o.balanceOf(identity.address).catch(() => found.balance);
    // 403, as a refusal of this identity (kubectl keeps a 403's message for discovery too);
    // the reason names what is missing.
    return failureStatus(
      403,
      this.explanation(identity, balance, found.budget ?? this.budget),
      INSUFFICIENT_GAS_REASON,
    );
  }

  /** `/readyz` check `gas`: every identity of this gateway can pay at least one request. */
  async readiness(identities: readonly Identity[]): Promise<ReadinessCheck> {
    const sample = identities.slice(0, 50);
    const timeout = new Promise<'timeout'>((r) =>
      setTimeout(() => r('timeout'), this.o.timeoutMs ?? 5_000).unref(),
    );
    const balances = await Promise.race([
      Promise.all(sample.map((i) => this.o.balanceOf(i.address).catch((e: unknown) => e as Error))),
      timeout,
    ]);
    if (balances === 'timeout')
      return { name: 'gas', ok: false, reason: 'balances not read from the chain within 5 s' };
    const poor = sample.flatMap((identity, i) => {
      const b = balances[i]!;
      if (b instanceof Error) return [`identity "${identity.name}": balance unknown (${b.message})`];
      return b < this.budget ? [this.explanation(identity, b, this.budget)] : [];
    });
    return poor.length ? { name: 'gas', ok: false, reason: poor.join('; ') } : { name: 'gas', ok: true };
  }
}
