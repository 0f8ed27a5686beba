// Conformance: sui::ed25519::ed25519_verify on the RFC 8032 §7.1 test
// vectors (TEST 1: empty message, TEST 2: one byte 0x72), on tampered
// inputs, and on malformed lengths, which return false instead of aborting.
#[test_only]
module conformance::c_ed25519;

use sui::ed25519::ed25519_verify;

const PK1: vector<u8> = x"d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
const SIG1: vector<u8> =
    x"e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b";
const PK2: vector<u8> = x"3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c";
const SIG2: vector<u8> =
    x"92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00";

#[test]
fun rfc8032_vectors_verify() {
    assert!(ed25519_verify(&SIG1, &PK1, &vector[]), 0);
    assert!(ed25519_verify(&SIG2, &PK2, &x"72"), 1);
}

#[test]
fun wrong_message_key_or_signature_fails() {
    assert!(!ed25519_verify(&SIG2, &PK2, &x"73"), 0);
    assert!(!ed25519_verify(&SIG1, &PK2, &vector[]), 1);
    let mut sig = SIG2;
    *&mut sig[10] = sig[10] ^ 1;
    assert!(!ed25519_verify(&sig, &PK2, &x"72"), 2);
}

#[test]
fun malformed_lengths_return_false() {
    assert!(!ed25519_verify(&vector[], &PK1, &vector[]), 0);
    let mut short = SIG1;
    short.pop_back();
    assert!(!ed25519_verify(&short, &PK1, &vector[]), 1);
    let mut key = PK1;
    key.push_back(0);
    assert!(!ed25519_verify(&SIG1, &key, &vector[]), 2);
}
