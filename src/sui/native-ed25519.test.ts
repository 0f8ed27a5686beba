import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Ed25519Keypair } from '@mysten/sui/keypairs/ed25519';
import { verifyTransactionSignature } from '@mysten/sui/verify';
import { NativeEd25519Keypair } from './native-ed25519.ts';

describe('NativeEd25519Keypair', () => {
  it('has the same address, public key and secret key as the SDK key pair', () => {
    const seed = randomBytes(32);
    const sdk = Ed25519Keypair.fromSecretKey(seed);
    const native = NativeEd25519Keypair.fromSeed(seed);
    expect(native.toSuiAddress()).toBe(sdk.toSuiAddress());
    expect(native.getPublicKey().toBase64()).toBe(sdk.getPublicKey().toBase64());
    expect(native.getSecretKey()).toBe(sdk.getSecretKey());
  });

  it('signs byte for byte like the SDK (Ed25519 is deterministic)', async () => {
    for (let i = 0; i < 20; i++) {
      const seed = randomBytes(32);
      const data = randomBytes(1 + i * 37);
      const [a, b] = await Promise.all([
        Ed25519Keypair.fromSecretKey(seed).sign(data),
        NativeEd25519Keypair.fromSeed(seed).sign(data),
      ]);
      expect(Buffer.from(b).toString('hex')).toBe(Buffer.from(a).toString('hex'));
    }
  });

  it('produces transaction signatures the SDK verifier accepts for its address', async () => {
    const kp = NativeEd25519Keypair.fromSeed(randomBytes(32));
    const tx = randomBytes(200);
    const { signature } = await kp.signTransaction(tx);
    const pk = await verifyTransactionSignature(tx, signature, { address: kp.toSuiAddress() });
    expect(pk.toSuiAddress()).toBe(kp.toSuiAddress());
  });

  it('refuses a seed of the wrong length', () => {
    expect(() => NativeEd25519Keypair.fromSeed(new Uint8Array(31))).toThrow(/32 bytes, got 31/);
  });
});
