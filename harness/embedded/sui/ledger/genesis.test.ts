import { describe, expect, it } from 'vitest';
import { Ed25519Keypair } from '@mysten/sui/keypairs/ed25519';
import { toHex } from '@mysten/sui/utils';
import { bcs } from '@mysten/sui/bcs';
import { clockContents, deriveTestAccounts, fastSeed, referenceSeed, TEST_MNEMONIC } from './genesis.ts';
import { CLOCK_ID } from './types.ts';

describe('test accounts', () => {
  it('derive the same keys as Ed25519Keypair.deriveKeypair on the public test mnemonic', () => {
    expect(fastSeed()).toBe(referenceSeed());
    const [first] = deriveTestAccounts(1);
    expect(first!.address).toBe(
      Ed25519Keypair.deriveKeypair(TEST_MNEMONIC, "m/44'/784'/0'/0'/0'").toSuiAddress(),
    );
  });
});

describe('native Ed25519 signing', () => {
  it('produces byte-identical signatures to the SDK keypair, and they verify', async () => {
    const [account] = deriveTestAccounts(1);
    const reference = Ed25519Keypair.deriveKeypair(TEST_MNEMONIC, "m/44'/784'/0'/0'/0'");
    for (const message of [
      new Uint8Array(0),
      new TextEncoder().encode('k3s-daas'),
      new Uint8Array(1000).fill(7),
    ]) {
      const ours = await account!.keypair.sign(message);
      expect(toHex(ours)).toBe(toHex(await reference.sign(message)));
      expect(await reference.getPublicKey().verify(message, ours)).toBe(true);
    }
    const tx = new Uint8Array([1, 2, 3, 4]);
    const signed = await account!.keypair.signTransaction(tx);
    expect(signed.signature).toBe((await reference.signTransaction(tx)).signature);
  });
});

describe('Clock contents', () => {
  it('encode as bcs Clock { id: UID, timestamp_ms: u64 }', () => {
    const Clock = bcs.struct('Clock', { id: bcs.Address, timestamp_ms: bcs.u64() });
    const ms = 1_790_000_000_123n;
    expect(toHex(clockContents(ms))).toBe(
      toHex(Clock.serialize({ id: CLOCK_ID, timestamp_ms: ms }).toBytes()),
    );
  });
});
