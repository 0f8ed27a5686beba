#[test_only]
module conformance::bcs_hash;

use std::bcs;
use std::hash;
use std::string;

public struct S has copy, drop { a: u8, b: u16, c: u32, d: u64, e: u128, f: u256, g: bool, h: address, v: vector<u16> }

fun id(x: u64): u64 { x }

#[test]
fun bcs_integers() {
    assert!(bcs::to_bytes(&1u8) == x"01", 0);
    assert!(bcs::to_bytes(&0x0102u16) == x"0201", 1);
    assert!(bcs::to_bytes(&0x01020304u32) == x"04030201", 2);
    assert!(bcs::to_bytes(&id(0x0102030405060708)) == x"0807060504030201", 3);
    assert!(bcs::to_bytes(&1u128) == x"01000000000000000000000000000000", 4);
    assert!(bcs::to_bytes(&1u256) == x"0100000000000000000000000000000000000000000000000000000000000000", 5);
}

#[test]
fun bcs_bool_address_vectors() {
    assert!(bcs::to_bytes(&true) == x"01", 0);
    assert!(bcs::to_bytes(&@0x2) == x"0000000000000000000000000000000000000000000000000000000000000002", 1);
    assert!(bcs::to_bytes(&b"abc") == x"03616263", 2);
    assert!(bcs::to_bytes(&vector<u64>[]) == x"00", 3);
    assert!(bcs::to_bytes(&vector[vector[1u8], vector[]]) == x"02010100", 4);
}

#[test]
fun bcs_uleb_length() {
    let mut v = vector[];
    let mut i = 0;
    while (i < 200) { v.push_back(7u8); i = i + 1; };
    let b = bcs::to_bytes(&v);
    assert!(b.length() == 202 && b[0] == 0xc8 && b[1] == 0x01, 0);
}

#[test]
fun bcs_struct() {
    let s = S { a: 1, b: 2, c: 3, d: 4, e: 5, f: 6, g: true, h: @0x1, v: vector[0x0a0b] };
    let b = bcs::to_bytes(&s);
    assert!(b.length() == 1 + 2 + 4 + 8 + 16 + 32 + 1 + 32 + 1 + 2, 0);
    assert!(b[0] == 1 && b[1] == 2 && b[3] == 3, 1);
}

#[test]
fun bcs_option_and_string() {
    assert!(bcs::to_bytes(&option::some(5u8)) == x"0105", 0);
    assert!(bcs::to_bytes(&option::none<u8>()) == x"00", 1);
    assert!(bcs::to_bytes(&string::utf8(b"hé")) == x"0368c3a9", 2);
}

#[test]
fun sha2_256_known_vector() {
    assert!(hash::sha2_256(b"abc") == x"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", 0);
    assert!(hash::sha2_256(b"") == x"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", 1);
}

#[test]
fun sha3_256_known_vector() {
    assert!(hash::sha3_256(b"abc") == x"3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532", 0);
}

#[test]
fun sui_hashes() {
    assert!(sui::hash::keccak256(&b"abc") == x"4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45", 0);
    assert!(sui::hash::blake2b256(&b"abc") == x"bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319", 1);
}

#[test]
fun strings() {
    let mut s = string::utf8(b"hello");
    s.append(string::utf8(b" world"));
    assert!(s.length() == 11, 0);
    assert!(s.index_of(&string::utf8(b"wor")) == 6, 1);
    assert!(s.index_of(&string::utf8(b"xyz")) == 11, 2);
    assert!(s.sub_string(0, 5) == string::utf8(b"hello"), 3);
    s.insert(5, string::utf8(b","));
    assert!(*s.as_bytes() == b"hello, world", 4);
}

#[test]
fun utf8_multibyte() {
    let s = string::utf8(x"e282ac41");  // "€A"
    assert!(s.length() == 4, 0);
    assert!(s.sub_string(0, 3) == string::utf8(x"e282ac"), 1);
    assert!(string::try_utf8(x"ff").is_none(), 2);
}

#[test]
#[expected_failure(abort_code = string::EInvalidUTF8)]
fun invalid_utf8_aborts() {
    string::utf8(x"c328");
}

#[test]
#[expected_failure(abort_code = string::EInvalidIndex)]
fun sub_string_inside_a_char_aborts() {
    let s = string::utf8(x"e282ac");
    s.sub_string(0, 1);
}

#[test]
fun ascii_strings() {
    let a = std::ascii::string(b"Hello");
    assert!(a.length() == 5, 0);
    assert!(a.to_uppercase() == std::ascii::string(b"HELLO"), 1);
    assert!(std::ascii::try_string(x"80").is_none(), 2);
}

#[test]
fun u64_helpers() {
    assert!(std::u64::max(id(3), 9) == 9, 0);
    assert!(std::u64::pow(2, 10) == 1024, 1);
    assert!(std::u64::sqrt(id(1000000)) == 1000, 2);
    assert!(std::u64::diff(id(3), 10) == 7, 3);
}

#[test]
fun option_ops() {
    let mut o = option::some(id(5));
    assert!(o.is_some() && *o.borrow() == 5, 0);
    let v = o.extract();
    assert!(v == 5 && o.is_none(), 1);
    o.fill(6);
    assert!(o.destroy_some() == 6, 2);
}

#[test]
#[expected_failure(abort_code = option::EOPTION_NOT_SET)]
fun option_extract_none_aborts() {
    let mut o = option::none<u64>();
    o.extract();
}

#[test]
fun address_natives() {
    let a = @0x1234;
    assert!(sui::address::to_u256(a) == 0x1234, 0);
    assert!(sui::address::from_u256(0x1234) == a, 1);
    assert!(sui::address::from_bytes(bcs::to_bytes(&a)) == a, 2);
}

#[test]
#[expected_failure(abort_code = sui::address::EAddressParseError)]
fun address_from_short_bytes_aborts() {
    sui::address::from_bytes(b"short");
}
