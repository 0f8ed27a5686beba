/**
 * The key server's cryptography, as Seal defines it (Boneh–Franklin IBE on BLS12-381), on
 * @noble/curves — no field arithmetic of our own. Every DST and byte layout below is a fact
 * taken from MystenLabs/seal crates/crypto/src/{lib,ibe,elgamal}.rs and must stay equal to what
 * @mysten/seal (dist/kdf.mjs, ibe.mjs, elgamal.mjs, key-server.mjs) checks.
 */
import { bls12_381 } from '@noble/curves/bls12-381.js';
import { bytesToNumberBE, numberToBytesBE } from '@noble/curves/utils.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha3_256 } from '@noble/hashes/sha3.js';
import { concatBytes } from '@noble/hashes/utils.js';

/** Hash-to-G1 prefix for identities (crates/crypto/src/lib.rs DST_ID). */
export const DST_ID = new TextEncoder().encode('SUI-SEAL-IBE-BLS12381-00');
/** Proof-of-possession prefix (crates/crypto/src/lib.rs DST_POP). */
export const DST_POP = new TextEncoder().encode('SUI-SEAL-IBE-BLS12381-POP-00');

const G1 = bls12_381.G1.Point;
const G2 = bls12_381.G2.Point;
const Fr = bls12_381.fields.Fr;
type G1Point = InstanceType<typeof G1>;

/** A master key: a BLS12-381 scalar, and its public key in G2 (compressed, 96 bytes). */
export interface MasterKey {
  scalar: bigint;
  /** 32 bytes big-endian, as fastcrypto's Scalar serializes */
  bytes: Uint8Array;
  publicKey: Uint8Array;
}

export function masterKeyFromScalar(scalar: bigint): MasterKey {
  if (scalar <= 0n || scalar >= Fr.ORDER)
    throw new Error('master key must be a non-zero scalar below the BLS12-381 group order');
  return { scalar, bytes: numberToBytesBE(scalar, 32), publicKey: G2.BASE.multiply(scalar).toBytes() };
}

export function masterKeyFromBytes(bytes: Uint8Array): MasterKey {
  if (bytes.length !== 32) throw new Error(`master key must be 32 bytes, got ${bytes.length}`);
  return masterKeyFromScalar(bytesToNumberBE(bytes));
}

/**
 * The real key server's seed derivation (ibe.rs derive_master_key): 64 bytes of HKDF-SHA3-256
 * over the seed with empty salt and the big-endian u64 index as info, reduced mod r.
 */
export function deriveMasterKey(seed: Uint8Array, index: bigint): MasterKey {
  const info = numberToBytesBE(index, 8);
  const wide = hkdf(sha3_256, seed, new Uint8Array(), info, 64);
  return masterKeyFromScalar(Fr.create(bytesToNumberBE(wide)));
}

/** H(id) in G1: hash-to-curve of DST_ID ‖ id, the curve's default G1 suite (ibe.rs hash_to_g1). */
export function hashToG1(id: Uint8Array): G1Point {
  return G1.fromAffine(bls12_381.G1.hashToCurve(concatBytes(DST_ID, id)).toAffine());
}

/** Full id = package id (32 bytes) ‖ inner id (crates/crypto create_full_id). */
export function fullId(packageId: Uint8Array, innerId: Uint8Array): Uint8Array {
  if (packageId.length !== 32) throw new Error(`package id must be 32 bytes, got ${packageId.length}`);
  return concatBytes(packageId, innerId);
}

/** The user secret key for `id`: msk · H(id) (ibe.rs extract), compressed G1 (48 bytes). */
export function extractUserSecretKey(master: MasterKey, id: Uint8Array): Uint8Array {
  return hashToG1(id).multiply(master.scalar).toBytes();
}

/**
 * Proof of possession for key server object `objectId`: a BLS short signature (G1) over
 * DST_POP ‖ pk ‖ objectId (ibe.rs create_proof_of_possession; the SDK's verifyKeyServer
 * verifies exactly this message).
 */
export function proofOfPossession(master: MasterKey, objectId: Uint8Array): Uint8Array {
  const msg = concatBytes(DST_POP, master.publicKey, objectId);
  const sig = bls12_381.shortSignatures.sign(bls12_381.shortSignatures.hash(msg), master.bytes);
  return sig.toBytes();
}

/** Verifies a proof of possession as the SDK does (used by tests on recorded values). */
export function verifyProofOfPossession(
  pop: Uint8Array,
  publicKey: Uint8Array,
  objectId: Uint8Array,
): boolean {
  const msg = concatBytes(DST_POP, publicKey, objectId);
  return bls12_381.shortSignatures.verify(pop, bls12_381.shortSignatures.hash(msg), publicKey);
}

/** Parses a compressed G1 point (the ElGamal public key of a request); throws on an invalid one. */
export function parseG1(bytes: Uint8Array): G1Point {
  if (bytes.length !== 48) throw new Error(`a G1 element is 48 bytes, got ${bytes.length}`);
  const p = G1.fromBytes(bytes);
  p.assertValidity();
  return p;
}

/** Parses a compressed G2 point (the ElGamal verification key of a request). */
export function parseG2(bytes: Uint8Array): void {
  if (bytes.length !== 96) throw new Error(`a G2 element is 96 bytes, got ${bytes.length}`);
  G2.fromBytes(bytes).assertValidity();
}

/**
 * ElGamal encryption in G1 of `message` (a compressed G1 point) to `publicKey`:
 * (r·g, r·pk + m) with fresh r (elgamal.rs encrypt; the SDK's elgamalDecrypt computes c1 − sk·c0).
 */
export function elgamalEncrypt(message: Uint8Array, publicKey: G1Point): [Uint8Array, Uint8Array] {
  const r = Fr.create(bytesToNumberBE(bls12_381.utils.randomSecretKey()));
  const m = parseG1(message);
  return [G1.BASE.multiply(r).toBytes(), publicKey.multiply(r).add(m).toBytes()];
}
