/**
 * Gas charging (Sui: `gas_charger.rs` and `gas_status.rs`): the VM's instruction budget from the
 * transaction's budget, the computation cost of a run, the budget check after storage is known,
 * and the charge on the smashed gas coin (computation + storage − rebate).
 */
import type { GrpcTypes } from '@mysten/sui/grpc';
import { coinBalance, encodeCoin, makeObject } from '../ledger/objects.ts';
import type { LedgerObject } from '../ledger/types.ts';
import { ExecutionErrorKind, ExecutionFailure } from './errors.ts';
import { computationUnits, VM_UNITS_PER_COMPUTATION_UNIT } from './gas.ts';
import type { PtbOutcome } from './ptb/types.ts';

/** VM instructions the budget pays for (capped so the interpreter's counter stays a small integer). */
export function vmInstructionBudget(budget: bigint, price: bigint): number {
  const units = (budget / (price || 1n)) * VM_UNITS_PER_COMPUTATION_UNIT;
  return Number(units > 2_000_000_000n ? 2_000_000_000n : units);
}

/** Computation cost in MIST; out of gas charges the whole budget's computation. */
export function computationCost(
  outcome: PtbOutcome | undefined,
  failure: ExecutionFailure | undefined,
  commands: number,
  budget: bigint,
  price: bigint,
): bigint {
  const publishedBytes = outcome
    ? outcome.packages.reduce((n, p) => n + p.modules.reduce((m, [, b]) => m + b.length, 0), 0)
    : 0;
  let units = computationUnits(outcome?.gasUnits ?? 0, commands, publishedBytes);
  if (failure?.kind === ExecutionErrorKind.INSUFFICIENT_GAS) units = budget / (price || 1n);
  return units * price;
}

/** The failure to record when the budget does not cover what a successful run costs. */
export function budgetShortfall(
  gasUsed: GrpcTypes.GasCostSummary,
  budget: bigint,
): ExecutionFailure | undefined {
  const computation = gasUsed.computationCost ?? 0n;
  const storage = gasUsed.storageCost ?? 0n;
  const rebate = gasUsed.storageRebate ?? 0n;
  if (computation + storage - rebate <= budget && computation <= budget) return undefined;
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
