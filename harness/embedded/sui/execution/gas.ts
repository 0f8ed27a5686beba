/**
 * Gas model: computation in units × gas price (minimum 1,000 units, like Sui's smallest bucket),
 * storage at 76 MIST per byte-unit × 100 units per byte, 99% of an object's storage rebate
 * refunded when it is rewritten or deleted.
 */
export const MIN_COMPUTATION_UNITS = 1_000n;
export const STORAGE_PRICE = 76n;
export const STORAGE_UNITS_PER_BYTE = 100n;
export const REBATE_RATE_BPS = 9_900n;
export const MAX_GAS_BUDGET = 50_000_000_000n;
/** VM instructions per computation unit. */
export const VM_UNITS_PER_COMPUTATION_UNIT = 10n;
/** Flat per-command and per-publish-byte charges keep native commands from being free. */
export const UNITS_PER_COMMAND = 50n;

export function storageCost(bytes: number): bigint {
  return BigInt(bytes) * STORAGE_PRICE * STORAGE_UNITS_PER_BYTE;
}

export function computationUnits(vmUnits: number, commands: number, publishedBytes: number): bigint {
  const units =
    BigInt(Math.ceil(vmUnits / Number(VM_UNITS_PER_COMPUTATION_UNIT))) +
    UNITS_PER_COMMAND * BigInt(commands) +
    BigInt(Math.ceil(publishedBytes / 10));
  return units < MIN_COMPUTATION_UNITS ? MIN_COMPUTATION_UNITS : units;
}

export function refundable(rebate: bigint): { refund: bigint; nonRefundable: bigint } {
  const refund = (rebate * REBATE_RATE_BPS) / 10_000n;
  return { refund, nonRefundable: rebate - refund };
}
