/**
 * Gas payment (Sui: `transaction_input_checker::check_gas` and `gas_charger::smash_gas`): the
 * price and budget against the protocol's bounds, the payment coins (existence, version, owner,
 * balance ≥ budget), and smashing them into the first coin.
 */
import { GrpcCode } from '../grpc-web/status.ts';
import type { Ledger } from '../ledger/ledger.ts';
import { coinBalance, encodeCoin } from '../ledger/objects.ts';
import { GAS_COIN_TYPE, type LedgerObject } from '../ledger/types.ts';
import { normalizeSuiAddress } from '@mysten/sui/utils';
import { TransactionRejected } from './errors.ts';
import { MAX_GAS_BUDGET, MAX_GAS_PRICE, MIN_COMPUTATION_UNITS } from './gas.ts';
import type { InputObject } from './ptb/types.ts';
import type { TransactionV1 } from './transaction-checks.ts';

/** Price ≥ reference gas price, minimum ≤ budget ≤ maximum. */
export function checkGasParameters(
  referenceGasPrice: bigint,
  price: bigint,
  budget: bigint,
  checks: boolean,
): void {
  if (checks && price < referenceGasPrice) {
    throw new TransactionRejected(`gas price ${price} is below the reference gas price ${referenceGasPrice}`);
  }
  if (checks && price > MAX_GAS_PRICE) {
    throw new TransactionRejected(`gas price ${price} is above the maximum ${MAX_GAS_PRICE}`);
  }
  if (checks && budget > MAX_GAS_BUDGET) {
    throw new TransactionRejected(`gas budget ${budget} is above the maximum ${MAX_GAS_BUDGET}`);
  }
  const minBudget = MIN_COMPUTATION_UNITS * price;
  if (checks && budget < minBudget) {
    throw new TransactionRejected(
      `gas budget ${budget} is below the minimum ${minBudget} (${MIN_COMPUTATION_UNITS} units × gas price ${price})`,
    );
  }
}

export interface GasPayment {
  gasCoins: LedgerObject[];
  gasBalance: bigint;
  /** The smashed gas coin as the PTB sees it (`GasCoin`); undefined for an unpaid simulation. */
  gasInput: InputObject | undefined;
}

export function loadGasPayment(
  ledger: Ledger,
  data: TransactionV1,
  seen: Set<string>,
  opts: { checks: boolean; simulate: boolean },
): GasPayment {
  const { checks, simulate } = opts;
  const gasOwner = normalizeSuiAddress(data.gasData.owner);
  const budget = BigInt(data.gasData.budget);
  const gasCoins: LedgerObject[] = [];
  for (const ref of data.gasData.payment) {
    const id = normalizeSuiAddress(ref.objectId);
    const obj = ledger.get(id);
    if (!obj) throw new TransactionRejected(`gas object ${id} does not exist`, GrpcCode.NOT_FOUND);
    if (seen.has(id)) throw new TransactionRejected(`gas object ${id} is also used as a transaction input`);
    seen.add(id);
    if (obj.data.kind !== 'move' || obj.data.type !== GAS_COIN_TYPE)
      throw new TransactionRejected(`gas object ${id} is not a Coin<SUI>`);
    if (BigInt(ref.version) !== obj.version || ref.digest !== obj.digest) {
      throw new TransactionRejected(
        `gas object ${id} version ${ref.version} is not its current version ${obj.version} (stale reference: rebuild the transaction)`,
        GrpcCode.FAILED_PRECONDITION,
      );
    }
    if (checks && (obj.owner.kind !== 'address' || obj.owner.address !== gasOwner)) {
      throw new TransactionRejected(
        `gas object ${id} is not owned by the gas owner ${gasOwner}`,
        GrpcCode.PERMISSION_DENIED,
      );
    }
    gasCoins.push(obj);
  }
  // A simulation without gas payment runs unpaid (as a dry run does); execution needs coins.
  const unpaidSimulation = simulate && gasCoins.length === 0;
  if (checks && !unpaidSimulation && gasCoins.length === 0)
    throw new TransactionRejected('transaction has no gas payment objects');
  const gasBalance = gasCoins.reduce((n, c) => n + (coinBalance(c) ?? 0n), 0n);
  if (checks && !unpaidSimulation && gasBalance < budget) {
    throw new TransactionRejected(
      `gas coins hold ${gasBalance} MIST, less than the gas budget ${budget}`,
      GrpcCode.FAILED_PRECONDITION,
    );
  }
  // Gas smashing: the first coin carries the whole balance, the others are deleted.
  const primaryGas = gasCoins[0];
  const gasInput: InputObject | undefined = primaryGas
    ? {
        object:
          gasCoins.length > 1
            ? {
                ...primaryGas,
                data: {
                  ...(primaryGas.data as {
                    kind: 'move';
                    type: string;
                    hasPublicTransfer: boolean;
                    contents: Uint8Array;
                  }),
                  contents: encodeCoin(primaryGas.id, gasBalance),
                },
              }
            : primaryGas,
        mutable: true,
        isGas: true,
      }
    : undefined;
  return { gasCoins, gasBalance, gasInput };
}
