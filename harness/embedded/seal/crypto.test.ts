/**
 * Known-answer tests of the key server's derivation against outputs recorded from Seal's Rust
 * implementation. Values copied from:
 *  - MystenLabs/seal crates/crypto/src/ibe.rs, test_derive_key_regression (master key from seed)
 *  - MystenLabs/ts-sdks packages/seal/test/unit/encrypt.test.ts, "Rust test vector decryption"
 *    (user secret keys produced by `seal-cli extract`) and "G1 hash-to-curve regression test"
 */
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '@mysten/bcs';
import { bls12_381 } from '@noble/curves/bls12-381.js';
import { bytesToNumberBE } from '@noble/curves/utils.js';
import {
  deriveMasterKey,
  elgamalEncrypt,
  extractUserSecretKey,
  fullId,
  hashToG1,
  masterKeyFromBytes,
  parseG1,
  proofOfPossession,
  verifyProofOfPossession,
} from './crypto.ts';

const ZERO_PACKAGE = new Uint8Array(32);
const RUST_VECTOR_ID = fromHex('381dd9078c322a4663c392761a0211b527c127b29583851217f948d62131f409');

describe('Seal IBE known answers (Rust implementation outputs)', () => {
  it('derives the master key from a seed as the key server does (HKDF-SHA3-256, index 42)', () => {
    const mk = deriveMasterKey(new Uint8Array(32).fill(1), 42n);
    expect(toHex(mk.bytes)).toBe('17d496df95e12b5caec0c4a15b09a5ea41b4fb1cf3ba28f1c6c72556846a6db6');
    expect(toHex(deriveMasterKey(new Uint8Array(32).fill(1), 43n).bytes)).not.toBe(toHex(mk.bytes));
  });

  it('hashes a full id to G1 with the Seal DST', () => {
    const h = hashToG1(fullId(ZERO_PACKAGE, new Uint8Array([1, 2, 3, 4])));
    expect(toHex(h.toBytes())).toBe(
      'a2f2624fda29c88ccacd286b560572d8c1261a5687e0c0cdbdcbef93bf0ec5c373563fac64a2cb5bb326cc6181ee65d7',
    );
  });

  it.each([
    [
      '1aa66668afc1893b66eb5ad690b14b32b41797dd92f7220b11f7441b11d22bfb',
      '9376bdfac1abac0d81685c6ac9c944636709b76b500edaf20332b02b14de1b483996c68de07e77efad144ce01c6388e4',
    ],
    [
      '0740419bedd2fdfb036f468a99d95d2f37ad66eb3111b815ca19ec001c35388a',
      'a19f8891f888b65c4809bfa3181f8b26457c15bb41dbe61109b4ff5e06064e8afc95f70980f1ec1ef9b674b51f0d678d',
    ],
  ])('extracts the user secret key of master key %s as seal-cli extract does', (msk, usk) => {
    const id = fullId(ZERO_PACKAGE, RUST_VECTOR_ID);
    expect(toHex(extractUserSecretKey(masterKeyFromBytes(fromHex(msk)), id))).toBe(usk);
  });

  it('gives keys that pass the SDK pairing check e(usk, g2) = e(H(id), pk), and only for their id', () => {
    const mk = deriveMasterKey(new Uint8Array(32).fill(9), 0n);
    const id = fullId(ZERO_PACKAGE, new Uint8Array([5]));
    const usk = bls12_381.G1.Point.fromBytes(extractUserSecretKey(mk, id));
    const pk = bls12_381.G2.Point.fromBytes(mk.publicKey);
    const lhs = bls12_381.pairing(usk, bls12_381.G2.Point.BASE);
    expect(bls12_381.fields.Fp12.eql(lhs, bls12_381.pairing(hashToG1(id), pk))).toBe(true);
    const other = fullId(ZERO_PACKAGE, new Uint8Array([6]));
    expect(bls12_381.fields.Fp12.eql(lhs, bls12_381.pairing(hashToG1(other), pk))).toBe(false);
  });
});

describe('proof of possession and ElGamal', () => {
  it('signs DST_POP ‖ pk ‖ object id; another object id or key does not verify', () => {
    const mk = deriveMasterKey(new Uint8Array(32).fill(2), 0n);
    const objectId = fromHex('73d05d62c18d9374e3ea529e8e0ed6161da1a141a94d3f76ae3fe4e99356db75');
    const pop = proofOfPossession(mk, objectId);
    expect(pop).toHaveLength(48);
    expect(verifyProofOfPossession(pop, mk.publicKey, objectId)).toBe(true);
    expect(verifyProofOfPossession(pop, mk.publicKey, new Uint8Array(32))).toBe(false);
    expect(
      verifyProofOfPossession(pop, deriveMasterKey(new Uint8Array(32).fill(2), 1n).publicKey, objectId),
    ).toBe(false);
  });

  it('encrypts to a G1 key so that c1 − sk·c0 (the SDK elgamalDecrypt) gives the message back', () => {
    const skBytes = bls12_381.utils.randomSecretKey();
    const sk = bls12_381.fields.Fr.create(bytesToNumberBE(skBytes));
    const pk = bls12_381.G1.Point.BASE.multiply(sk);
    const msg = extractUserSecretKey(deriveMasterKey(new Uint8Array(32).fill(3), 0n), new Uint8Array([1]));
    const [c0, c1] = elgamalEncrypt(msg, pk);
    const back = parseG1(c1).subtract(parseG1(c0).multiply(sk)).toBytes();
    expect(toHex(back)).toBe(toHex(msg));
    const [c0b] = elgamalEncrypt(msg, pk);
    expect(toHex(c0b)).not.toBe(toHex(c0)); // fresh randomness per encryption
  });

  it('refuses points that are not on the curve', () => {
    expect(() => parseG1(new Uint8Array(48).fill(0xff))).toThrow();
    expect(() => parseG1(new Uint8Array(47))).toThrow(/48 bytes/);
  });
});
