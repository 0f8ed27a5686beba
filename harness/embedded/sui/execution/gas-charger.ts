/**
 * Gas charging (Sui: `gas_charger.rs` and `gas_status.rs`): the VM's instruction budget from the
 * transaction's budget, the computation cost of a run, the budget check after storage is known,
 * and the charge on the smashed gas coin (computation + storage − rebate).
 */
import type { GrpcTypes } from '@mysten/sui/grpc';
import { coinBalance, encodeCoin, makeObject } from '../ledger/objects.ts';
import type { LedgerObject } from '../ledger/types.ts';
import { storageBytes } from '../ledger/objects.ts';
import { ExecutionErrorKind, ExecutionFailure } from './errors.ts';
import {
  ABORT_PRICE_RGP_FACTOR,
  INTERNAL_UNITS_PER_GAS_UNIT,
  MAX_COMPUTATION_UNITS,
  OBJ_READ_PER_BYTE,
  PUBLISH_PER_BYTE,
  roundComputation,
  vmInstructionsFor,
  vmInternalUnits,
} from './gas.ts';
import type { PtbOutcome } from './ptb/types.ts';

/**
 * VM instructions the budget pays for: the computation budget is min(budget, max bucket × price)
 * (gas_v2.rs `new_with_budget`), capped so the interpreter's counter stays a small integer.
 */
export function vmInstructionBudget(budget: bigint, price: bigint): number {
  const p = price || 1n;
  const maxComputation = MAX_COMPUTATION_UNITS * p;
  const computationBudget = budget > maxComputation ? maxComputation : budget;
  const instructions = vmInstructionsFor(computationBudget / p);
  return Number(instructions > 2_000_000_000n ? 2_000_000_000n : instructions);
}

/** Bytes read from the store for the inputs (gas_charger.rs `charge_input_objects`; packages are not inputs). */
export function inputBytes(objects: Iterable<LedgerObject>): number {
  let n = 0;
  for (const o of objects) n += storageBytes(o.data);
  return n;
}

export interface ComputationCharge {
  /** Gas units before rounding (what the run used). */
  units: bigint;
  /** Computation cost in MIST after rounding; the whole budget when out of gas. */
  cost: bigint;
  /** The rounded cost not capped by the budget (simulations without checks report it). */
  uncapped: bigint;
  outOfGas: boolean;
}

/**
 * Computation (gas_v2.rs `bucketize_computation`): VM instructions + input bytes read + published
 * bytes, in internal units → gas units (÷ 1,000, rounded down) → rounded (1.71: halve digits) ×
 * the gas price (a Move abort at most 100 × RGP). A cost reaching the budget is out of gas and
 * charges the budget.
 */
export function computationCharge(a: {
  vmInstructions: number;
  inputBytes: number;
  outcome: PtbOutcome | undefined;
  failure: ExecutionFailure | undefined;
  budget: bigint;
  price: bigint;
  referenceGasPrice: bigint;
}): ComputationCharge {
  const publishedBytes = a.outcome
    ? a.outcome.packages.reduce((n, p) => n + p.modules.reduce((m, [, b]) => m + b.length, 0), 0)
    : 0;
  const internal =
    vmInternalUnits(BigInt(a.vmInstructions)) +
    BigInt(a.inputBytes) * OBJ_READ_PER_BYTE +
    BigInt(publishedBytes) * PUBLISH_PER_BYTE;
  const units = internal / INTERNAL_UNITS_PER_GAS_UNIT;
  if (a.failure?.kind === ExecutionErrorKind.INSUFFICIENT_GAS)
    return { units, cost: a.budget, uncapped: a.budget, outOfGas: true };
  const aborted = a.failure?.kind === ExecutionErrorKind.MOVE_ABORT;
  const abortCap = ABORT_PRICE_RGP_FACTOR * a.referenceGasPrice;
  const price = aborted && a.price > abortCap ? abortCap : a.price;
  const cost = roundComputation(units) * price;
  if (a.budget <= cost) return { units, cost: a.budget, uncapped: cost, outOfGas: true };
  return { units, cost, uncapped: cost, outOfGas: false };
}

export function outOfGas(budget: bigint, cost: bigint): ExecutionFailure {
  return new ExecutionFailure(
    ExecutionErrorKind.INSUFFICIENT_GAS,
    `gas budget ${budget} does not cover the computation cost ${cost} (Sui charges the whole budget when the rounded cost reaches it)`,
  );
}

/**
 * gas_v2.rs `charge_storage_and_rebate`: the storage the run adds beyond its rebate must fit in
 * what the budget leaves after computation.
 */
export function budgetShortfall(
  gasUsed: GrpcTypes.GasCostSummary,
  budget: bigint,
): ExecutionFailure | undefined {
  const computation = gasUsed.computationCost ?? 0n;
  const storage = gasUsed.storageCost ?? 0n;
  const rebate = gasUsed.storageRebate ?? 0n;
  if (rebate >= storage || budget - computation >= storage - rebate) return undefined;
  return new ExecutionFailure(
    ExecutionErrorKind.INSUFFICIENT_GAS,
    `gas budget ${budget} does not cover computation ${computation} + storage ${storage} - rebate ${rebate}`,
  );
}

/** Deducts the charge from the gas coin among the writes (never below zero) and updates its change entry. */
export function chargeGasCoin(
  writes: LedgerObject[],
  changed: GrpcTypes.ChangedObject[],
  gasId: string,
  charge: bigint,
): void {
  const idx = writes.findIndex((w) => w.id === gasId);
  if (idx < 0) return;
  const g = writes[idx]!;
  const balance = coinBalance(g) ?? 0n;
  const next = balance - charge < 0n ? 0n : balance - charge;
  const updated = makeObject({
    ...g,
    data: {
      ...(g.data as { kind: 'move'; type: string; hasPublicTransfer: boolean; contents: Uint8Array }),
      contents: encodeCoin(gasId, next),
    },
  });
  writes[idx] = updated;
  const ci = changed.findIndex((c) => c.objectId === gasId);
  if (ci >= 0) changed[ci] = { ...changed[ci]!, outputDigest: updated.digest };
}
