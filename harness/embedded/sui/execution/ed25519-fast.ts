/**
 * Ed25519 transaction signatures verified with node:crypto (native) instead of the pure-JS
 * curve code: same check (signature over Blake2b-256(intent ‖ tx bytes), address =
 * Blake2b-256(0x00 ‖ public key)), a fraction of the time. Other schemes go through
 * @mysten/sui/verify.
 */
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { toHex } from '@mysten/sui/utils';
import { blake2b256 } from '../ledger/objects.ts';

const ED25519_FLAG = 0x00;
// SubjectPublicKeyInfo prefix for a raw 32-byte Ed25519 key.
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const TX_INTENT = new Uint8Array([0, 0, 0]);
/** Key object and address by public key: building a key costs more than the verification itself. */
const keys = new Map<string, { key: KeyObject; address: string }>();

/** Returns the signer address, or undefined when this is not an Ed25519 signature. Throws when invalid. */
export function verifyEd25519(txBytes: Uint8Array, serialized: Uint8Array): string | undefined {
  if (serialized.length !== 97 || serialized[0] !== ED25519_FLAG) return undefined;
  const signature = serialized.subarray(1, 65);
  const publicKey = serialized.subarray(65, 97);
  const digest = blake2b256(TX_INTENT, txBytes);
  const hex = Buffer.from(publicKey.buffer, publicKey.byteOffset, 32).toString('hex');
  let entry = keys.get(hex);
  if (!entry) {
    entry = {
      key: createPublicKey({ key: Buffer.concat([SPKI_PREFIX, publicKey]), format: 'der', type: 'spki' }),
      address: '0x' + toHex(blake2b256(new Uint8Array([ED25519_FLAG]), publicKey)),
    };
    if (keys.size > 10_000) keys.clear();
    keys.set(hex, entry);
  }
  if (!verify(null, digest, entry.key, signature)) throw new Error('Ed25519 signature is invalid');
  return entry.address;
}
