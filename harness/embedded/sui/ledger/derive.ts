/**
 * Test-account derivation with node:crypto: BIP-39 seed (PBKDF2-SHA512), SLIP-10 Ed25519
 * hardened path, public key from the native Ed25519 implementation. Same keys as
 * `Ed25519Keypair.deriveKeypair(mnemonic, path)` (checked in genesis.test.ts), ~50× faster.
 */
import { createHmac, createPrivateKey, createPublicKey, pbkdf2Sync, sign, type KeyObject } from 'node:crypto';
import { Ed25519Keypair } from '@mysten/sui/keypairs/ed25519';

const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

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

/**
 * An Ed25519Keypair whose `sign` runs in node:crypto instead of the SDK's pure-JS curve code
 * (~4 ms per signature there, mostly recomputing the public key). Ed25519 is deterministic
 * (RFC 8032), so the signatures are byte-identical (checked in genesis.test.ts); everything
 * else — intent, digest, serialization — is the SDK's own code.
 */
export class NativeEd25519Keypair extends Ed25519Keypair {
  readonly #privateKey: KeyObject;

  constructor(keys: { publicKey: Uint8Array; secretKey: Uint8Array }, privateKey: KeyObject) {
    super(keys);
    this.#privateKey = privateKey;
  }

  override async sign(data: Uint8Array): Promise<Uint8Array<ArrayBuffer>> {
    return new Uint8Array(sign(null, data, this.#privateKey));
  }
}

export function deriveEd25519(seed: Buffer, path: string): NativeEd25519Keypair {
  const secretKey = slip10(seed, path);
  const privateKey = createPrivateKey({
    key: Buffer.concat([PKCS8_ED25519_PREFIX, secretKey]),
    format: 'der',
    type: 'pkcs8',
  });
  const spki = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  const publicKey = new Uint8Array(spki.subarray(spki.length - 32));
  return new NativeEd25519Keypair({ publicKey, secretKey: new Uint8Array(secretKey) }, privateKey);
}
