/**
 * Sui's gas schedule as protocol version 122 (Sui 1.71, framework rev 73dd2c2b) sets it. Facts
 * from the Sui sources at that revision, named per constant:
 * - crates/sui-protocol-config/src/lib.rs — the parameter values and the version that set them;
 * - crates/sui-types/src/gas_model/gas_v2.rs — rounding (`bucketize_computation`,
 *   `half_digits_rounding`, `computation_bucket`), `sender_rebate`, storage per object;
 * - crates/sui-types/src/gas_model/tables.rs — the Move VM cost table (`initial_cost_schedule_v5`,
 *   gas model 11) and internal units (1,000 internal = 1 gas unit).
 *
 * What the embedded node cannot reproduce exactly: the Move VM here counts instructions (plus a
 * fixed charge per call and per native), not Sui's per-instruction stack-height and memory-size
 * tiers or each native's own cost parameters. The instruction count goes through Sui's instruction
 * tiers plus one stack push per instruction; memory-size tiers and native costs are not charged.
 * For the contract's calls this part is a few thousand internal units, far below the 1,000-unit
 * floor that rounding applies, so the computation cost equals Sui's for them (see the gas table
 * in move/k8s_gateway/README.md).
 */

/** Protocol version the schedule below is from (Sui 1.71.0). */
export const PROTOCOL_VERSION = 122;

/** max_tx_gas (v72): 50,000 SUI in MIST. */
export const MAX_GAS_BUDGET = 50_000_000_000_000n;
/** max_gas_price (v72). */
export const MAX_GAS_PRICE = 50_000_000_000n;
/** base_tx_cost_fixed = 1,000 (v18) as a multiplier of the gas price (txn_base_cost_as_multiplier): the minimum budget. */
export const MIN_COMPUTATION_UNITS = 1_000n;
/** max_gas_computation_bucket: the computation budget is at most this many units × gas price. */
export const MAX_COMPUTATION_UNITS = 5_000_000n;
/** obj_data_cost_refundable × storage_gas_price (76, v3): MIST per byte of stored object. */
export const OBJ_DATA_COST_REFUNDABLE = 100n;
export const STORAGE_PRICE = 76n;
/** storage_rebate_rate (basis points). */
export const REBATE_RATE_BPS = 9_900n;
/** obj_access_cost_read_per_byte: internal units per byte of input object read. */
export const OBJ_READ_PER_BYTE = 15n;
/** package_publish_cost_per_byte: internal units per byte of published module. */
export const PUBLISH_PER_BYTE = 80n;
/** max_gas_price_rgp_factor_for_aborted_transactions (v90): a Move abort pays at most 100 × RGP. */
export const ABORT_PRICE_RGP_FACTOR = 100n;
/** GasStatus::INTERNAL_UNIT_MULTIPLIER. */
export const INTERNAL_UNITS_PER_GAS_UNIT = 1_000n;

/** How computation units are rounded (gas_v2.rs `GasRoundingMode`); 1.71 sets gas_rounding_halve_digits (v108). */
export type GasRounding = 'halve-digits' | 'bucketize' | { step: bigint };
export const ROUNDING: GasRounding = 'halve-digits';

/** Instruction tiers of `initial_cost_schedule_v5`: from this many instructions on, each costs `mult`. */
const INSTRUCTION_TIERS: readonly [bigint, bigint][] = [
  [0n, 1n],
  [20_000n, 2n],
  [50_000n, 10n],
  [100_000n, 50n],
  [200_000n, 100n],
  [10_000_000n, 1_000n],
];

/** Internal units for `n` VM instructions: Sui's instruction tiers plus one push each (stack-height tier 1). */
export function vmInternalUnits(n: bigint): bigint {
  let cost = n; // pushes
  for (const [i, [start, mult]] of INSTRUCTION_TIERS.entries()) {
    const end = INSTRUCTION_TIERS[i + 1]?.[0];
    if (n <= start) break;
    const inTier = (end === undefined || n < end ? n : end) - start;
    cost += inTier * mult;
  }
  return cost;
}

/** Instructions the VM may run for a computation budget of `units` gas units (inverse of the first tier). */
export function vmInstructionsFor(units: bigint): bigint {
  return (units * INTERNAL_UNITS_PER_GAS_UNIT) / 2n;
}

/** gas_v2.rs `half_digits_rounding`: below 1,000 → 1,000; else round up, keeping the upper half of the digits. */
export function halveDigits(n: bigint): bigint {
  if (n < 1_000n) return 1_000n;
  const digits = n.toString().length - 1; // ilog10
  const base = 10n ** BigInt(Math.floor(digits / 2));
  return ((n + base - 1n) / base) * base;
}

/** gas_v2.rs `computation_bucket` with max_gas_computation_bucket. */
const BUCKETS = [1_000n, 5_000n, 10_000n, 20_000n, 50_000n, 200_000n, 1_000_000n, MAX_COMPUTATION_UNITS];

export function roundComputation(units: bigint, mode: GasRounding = ROUNDING): bigint {
  if (mode === 'halve-digits') return halveDigits(units);
  if (mode === 'bucketize') return BUCKETS.find((b) => b >= units) ?? MAX_COMPUTATION_UNITS;
  return units > 0n && units % mode.step === 0n ? units : (units / mode.step + 1n) * mode.step;
}

/** Storage cost of an object of `bytes` (object_size_for_gas_metering) = its storage rebate later. */
export function storageCost(bytes: number): bigint {
  return BigInt(bytes) * OBJ_DATA_COST_REFUNDABLE * STORAGE_PRICE;
}

/** gas_v2.rs `sender_rebate`: rebate × rate, rounded half up; the rest is the non-refundable fee. */
export function refundable(rebate: bigint): { refund: bigint; nonRefundable: bigint } {
  const refund = (rebate * REBATE_RATE_BPS + 5_000n) / 10_000n;
  return { refund, nonRefundable: rebate - refund };
}
