import { describe, expect, it } from 'vitest';
import { TransactionDataBuilder } from '@mysten/sui/transactions';
import { blake2b } from '@noble/hashes/blake2.js';
import { blake2b256 } from '../ledger/objects.ts';
import { transactionDigest } from './executor.ts';

describe('Blake2b-256 (WebAssembly) against the pure-JS reference', () => {
  it('hashes empty, small, multi-part and large inputs identically, and digests as the SDK does', () => {
    const inputs = [
      new Uint8Array(0),
      new Uint8Array([1, 2, 3]),
      new Uint8Array(129).fill(0xab),
      new Uint8Array(300_000).map((_, i) => i * 7),
    ];
    for (const input of inputs) {
      expect(Buffer.from(blake2b256(input)).toString('hex')).toBe(
        Buffer.from(blake2b(input, { dkLen: 32 })).toString('hex'),
      );
      const split = Math.floor(input.length / 3);
      expect(Buffer.from(blake2b256(input.subarray(0, split), input.subarray(split))).toString('hex')).toBe(
        Buffer.from(blake2b(input, { dkLen: 32 })).toString('hex'),
      );
      expect(transactionDigest(input)).toBe(TransactionDataBuilder.getDigestFromBytes(input));
    }
  });
});
