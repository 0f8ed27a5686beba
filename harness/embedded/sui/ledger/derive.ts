/**
 * Test-account derivation with node:crypto: BIP-39 seed (PBKDF2-SHA512), SLIP-10 Ed25519
 * hardened path, public key from the native Ed25519 implementation. Same keys as
 * `Ed25519Keypair.deriveKeypair(mnemonic, path)` (checked in genesis.test.ts), ~50× faster.
 */
import { createHmac, pbkdf2Sync } from 'node:crypto';
import { NativeEd25519Keypair } from '../../../../src/sui/native-ed25519.ts';

export function bip39Seed(mnemonic: string): Buffer {
  return pbkdf2Sync(mnemonic.normalize('NFKD'), 'mnemonic', 2048, 64, 'sha512');
}

/** SLIP-10 for Ed25519: every level is hardened (`m/44'/784'/i'/0'/0'`). */
function slip10(seed: Buffer, path: string): Buffer {
  const segments = path.split('/').slice(1);
  let digest = createHmac('sha512', 'ed25519 seed').update(seed).digest();
  for (const segment of segments) {
    if (!segment.endsWith("'"))
      throw new Error(`Ed25519 derivation needs hardened segments, got ${segment} in ${path}`);
    const index = Number(segment.slice(0, -1)) + 0x80000000;
    const data = Buffer.alloc(37);
    digest.subarray(0, 32).copy(data, 1);
    data.writeUInt32BE(index, 33);
    digest = createHmac('sha512', digest.subarray(32)).update(data).digest();
  }
  return digest.subarray(0, 32);
}

/** Keys sign through node:crypto, as the product's keystore keys do (src/sui/native-ed25519.ts). */
export function deriveEd25519(seed: Buffer, path: string): NativeEd25519Keypair {
  return NativeEd25519Keypair.fromSeed(slip10(seed, path));
}
