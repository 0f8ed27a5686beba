/**
 * How long the embedded node takes to finalize a transaction, to see what a
 * command costs in time on a real network. `none` (default) executes at
 * once. `mainnet` holds each transaction before executing it for a time drawn
 * around Sui mainnet's published latencies:
 *   - shared-object transactions go through consensus: median 500 ms
 *     ("Mysticeti reaches consensus commitment in about 0.5 seconds",
 *     docs.sui.io/concepts/sui-architecture/consensus; the Mysticeti
 *     announcement, blog.sui.io/mysticeti-consensus-reduce-latency, measured
 *     500 ms to commit through consensus);
 *   - owned-object-only transactions take the fast path: median 250 ms (same
 *     announcement: 250 ms for single-owner transactions);
 *   - checkpoints every 250 ms.
 * Spread: log-normal with σ = 0.25 around each median (p99 ≈ 1.8× median),
 * an assumption; full-node read latency and network round trips to a remote
 * RPC are not modelled.
 */
import { parseTransactionData } from './execution/tx-reader.ts';

export type LatencyProfileName = 'none' | 'mainnet';

/** Whether a transaction takes a shared object (the consensus path); undefined for unreadable bytes. */
export function touchesSharedObjects(txBytes: Uint8Array): boolean | undefined {
  try {
    const kind = parseTransactionData(txBytes).V1?.kind as
      { ProgrammableTransaction?: { inputs: Array<{ Object?: { $kind: string } }> } } | undefined;
    return (kind?.ProgrammableTransaction?.inputs ?? []).some((i) => i.Object?.$kind === 'SharedObject');
  } catch {
    return undefined;
  }
}

export interface LatencyProfile {
  readonly name: LatencyProfileName;
  /** Milliseconds a transaction waits before it executes. */
  delayMs(touchesSharedObjects: boolean): number;
  /** Checkpoint cadence the profile implies (undefined: the node's own). */
  readonly checkpointIntervalMs?: number;
}

export const LATENCY_PROFILES: readonly LatencyProfileName[] = ['none', 'mainnet'];

const SIGMA = 0.25;

/** A log-normal sample with the given median (Box–Muller from two uniforms). */
export function logNormal(median: number, sigma: number, random: () => number = Math.random): number {
  const u = Math.max(random(), Number.EPSILON);
  const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
  return median * Math.exp(sigma * z);
}

export function latencyProfile(name: LatencyProfileName = 'none', random?: () => number): LatencyProfile {
  if (name === 'none') return { name, delayMs: () => 0 };
  if (name === 'mainnet')
    return {
      name,
      checkpointIntervalMs: 250,
      delayMs: (shared) => logNormal(shared ? 500 : 250, SIGMA, random),
    };
  throw new Error(
    `unknown latency profile "${String(name)}"; expected one of ${LATENCY_PROFILES.join(', ')}`,
  );
}
