import { describe, expect, it } from 'vitest';
import { Ed25519Keypair } from '@mysten/sui/keypairs/ed25519';
import { deriveTestAccounts, fastSeed, referenceSeed, TEST_MNEMONIC } from './genesis.ts';

describe('test accounts', () => {
  it('derive the same keys as Ed25519Keypair.deriveKeypair on the public test mnemonic', () => {
    expect(fastSeed()).toBe(referenceSeed());
    const [first] = deriveTestAccounts(1);
    expect(first!.address).toBe(
      Ed25519Keypair.deriveKeypair(TEST_MNEMONIC, "m/44'/784'/0'/0'/0'").toSuiAddress(),
    );
  });
});
