/**
 * The mainnet latency profile's delays (drawn around the published medians)
 * and its path classification of real transaction bytes. No timing is
 * measured here: the profile's effect on kubectl is reported by
 * `npm run bench:gateway`.
 */
import { describe, expect, it } from 'vitest';
import { Transaction } from '@mysten/sui/transactions';
import { logNormal, latencyProfile, touchesSharedObjects } from './latency-profile.ts';

const SENDER = '0x' + 'a1'.repeat(32);
const GAS = { objectId: '0x' + 'c0'.repeat(32), version: '1', digest: '11111111111111111111111111111111' };

async function bytesOf(build: (tx: Transaction) => void): Promise<Uint8Array> {
  const tx = new Transaction();
  tx.setSender(SENDER);
  tx.setGasPrice(1000);
  tx.setGasBudget(10_000_000);
  tx.setGasPayment([GAS]);
  build(tx);
  return tx.build();
}

describe('latency profiles', () => {
  it('none never waits; mainnet draws around 500 ms (consensus) and 250 ms (fast path)', () => {
    const none = latencyProfile('none');
    expect(none.delayMs(true)).toBe(0);
    // Uniforms 0.5 and 0.25 give z = 0 (cos(2π·0.25) = 0): exactly the median.
    const median = latencyProfile(
      'mainnet',
      (() => {
        const seq = [0.5, 0.25];
        let i = 0;
        return () => seq[i++ % 2]!;
      })(),
    );
    expect(median.delayMs(true)).toBeCloseTo(500, 6);
    expect(median.delayMs(false)).toBeCloseTo(250, 6);
    expect(latencyProfile('mainnet').checkpointIntervalMs).toBe(250);
    const draws = Array.from({ length: 4000 }, () => logNormal(500, 0.25)).sort((a, b) => a - b);
    expect(draws[2000]!).toBeGreaterThan(470);
    expect(draws[2000]!).toBeLessThan(530);
    expect(draws[3960]!).toBeLessThan(1000);
    expect(() => latencyProfile('devnet' as never)).toThrow(/unknown latency profile "devnet"/);
  });

  it('classifies a transaction by its inputs: a shared object means consensus', async () => {
    const shared = await bytesOf((tx) => {
      tx.moveCall({
        target: '0x2::clock::timestamp_ms',
        arguments: [tx.sharedObjectRef({ objectId: '0x6', initialSharedVersion: 1, mutable: false })],
      });
    });
    const owned = await bytesOf((tx) => {
      const [coin] = tx.splitCoins(tx.gas, [tx.pure.u64(1)]);
      tx.transferObjects([coin!], tx.pure.address(SENDER));
    });
    expect(touchesSharedObjects(shared)).toBe(true);
    expect(touchesSharedObjects(owned)).toBe(false);
    expect(touchesSharedObjects(new Uint8Array([1, 2, 3]))).toBeUndefined();
  });
});
