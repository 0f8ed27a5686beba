/**
 * Ed25519 key pair whose signatures come from node:crypto (OpenSSL) instead of the SDK's
 * pure-JS curve code. Ed25519 is deterministic, so the bytes are identical to
 * `Ed25519Keypair`'s; only the cost differs (~2 ms → ~0.1 ms per signature on a small VM),
 * which matters because the gateway and the listener sign every transaction they send.
 * Everything else (address, public key, `signTransaction`, bech32 export) is the SDK's.
 */
import { createPrivateKey, createPublicKey, sign, type KeyObject } from 'node:crypto';
import { Ed25519Keypair } from '@mysten/sui/keypairs/ed25519';

// DER prefixes for a raw 32-byte Ed25519 seed (PKCS#8) and public key (SPKI).
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_PREFIX_LENGTH = 12;

export class NativeEd25519Keypair extends Ed25519Keypair {
  private readonly privateKey: KeyObject;

  private constructor(seed: Uint8Array, privateKey: KeyObject) {
    const spki = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
    super({ publicKey: new Uint8Array(spki.subarray(SPKI_PREFIX_LENGTH)), secretKey: seed });
    this.privateKey = privateKey;
  }

  /** From the 32-byte seed (the `sui.keystore` secret), as `Ed25519Keypair.fromSecretKey`. */
  static fromSeed(seed: Uint8Array): NativeEd25519Keypair {
    if (seed.length !== 32) throw new Error(`an Ed25519 secret key is 32 bytes, got ${seed.length}`);
    const key = createPrivateKey({
      key: Buffer.concat([PKCS8_PREFIX, Buffer.from(seed)]),
      format: 'der',
      type: 'pkcs8',
    });
    return new NativeEd25519Keypair(seed, key);
  }

  override async sign(data: Uint8Array): Promise<Uint8Array<ArrayBuffer>> {
    return new Uint8Array(sign(null, data, this.privateKey));
  }
}
