// Conformance: std::bcs::to_bytes of every kind of value (compared to
// hand-computed BCS), std::hash and sui::hash digests of known inputs,
// std::type_name strings, sui::address and sui::hex helpers.
#[test_only]
module conformance::c_bcs_hash;

use std::bcs;
use std::hash;
use std::type_name;

public struct Point has copy, drop { x: u64, y: u8 }
public struct Empty has copy, drop {}
public struct Pos(u8, bool) has copy, drop;
public struct Box<T> has copy, drop { v: T }
public enum Shape has copy, drop { Dot, Rect { w: u16, h: u16 }, Named(vector<u8>) }
public enum Color has copy, drop { Red, Green, Blue }

fun n(x: u64): u64 { x }

#[test]
fun bcs_bool_and_small_ints() {
    assert!(bcs::to_bytes(&true) == x"01", 0);
    assert!(bcs::to_bytes(&false) == x"00", 1);
    assert!(bcs::to_bytes(&0xABu8) == x"ab", 2);
    assert!(bcs::to_bytes(&0x1234u16) == x"3412", 3);
    assert!(bcs::to_bytes(&0x12345678u32) == x"78563412", 4);
}

#[test]
fun bcs_wide_ints_little_endian() {
    assert!(bcs::to_bytes(&n(1)) == x"0100000000000000", 0);
    assert!(bcs::to_bytes(&n(18446744073709551615)) == x"ffffffffffffffff", 1);
    assert!(bcs::to_bytes(&340282366920938463463374607431768211455u128) == x"ffffffffffffffffffffffffffffffff", 2);
    assert!(bcs::to_bytes(&0x0102u128) == x"02010000000000000000000000000000", 3);
    assert!(bcs::to_bytes(&(1u256 << 255)) == x"0000000000000000000000000000000000000000000000000000000000000080", 4);
    assert!(bcs::to_bytes(&0u256) == x"0000000000000000000000000000000000000000000000000000000000000000", 5);
}

#[test]
fun bcs_address() {
    assert!(bcs::to_bytes(&@0x1) == x"0000000000000000000000000000000000000000000000000000000000000001", 0);
    assert!(bcs::to_bytes(&@0xCAFE) == x"000000000000000000000000000000000000000000000000000000000000cafe", 1);
}

#[test]
fun bcs_vectors_with_uleb_lengths() {
    assert!(bcs::to_bytes(&b"abc") == x"03616263", 0);
    assert!(bcs::to_bytes(&vector<u8>[]) == x"00", 1);
    assert!(bcs::to_bytes(&vector[n(1), 2]) == x"0201000000000000000200000000000000", 2);
    assert!(bcs::to_bytes(&vector[vector[1u8], vector[]]) == x"02010100", 3);
    assert!(bcs::to_bytes(&vector[true, false, true]) == x"03010001", 4);
}

#[test]
fun bcs_long_vector_multi_byte_length() {
    let mut v = vector<u8>[];
    let mut i = 0;
    while (i < n(128)) { v.push_back(7); i = i + 1; };
    let b = bcs::to_bytes(&v);
    assert!(b.length() == 130 && b[0] == 0x80 && b[1] == 0x01 && b[2] == 7, 0);
    while (i < 300) { v.push_back(7); i = i + 1; };
    let b = bcs::to_bytes(&v);
    assert!(b.length() == 302 && b[0] == 0xac && b[1] == 0x02, 1);
}

#[test]
fun bcs_strings() {
    assert!(bcs::to_bytes(&b"h\xc3\xa9".to_string()) == x"0368c3a9", 0);
    assert!(bcs::to_bytes(&b"A".to_ascii_string()) == x"0141", 1);
}

#[test]
fun bcs_structs() {
    assert!(bcs::to_bytes(&Point { x: n(1), y: 2 }) == x"010000000000000002", 0);
    assert!(bcs::to_bytes(&Pos(5, true)) == x"0501", 1);
    // An empty struct carries the compiler's dummy bool field.
    assert!(bcs::to_bytes(&Empty {}) == x"00", 2);
    assert!(bcs::to_bytes(&Box { v: Box { v: 9u16 } }) == x"0900", 3);
    assert!(bcs::to_bytes(&vector[Point { x: 0, y: 1 }]) == x"01000000000000000001", 4);
}

#[test]
fun bcs_enums_variant_index_then_fields() {
    assert!(bcs::to_bytes(&Shape::Dot) == x"00", 0);
    assert!(bcs::to_bytes(&Shape::Rect { w: 3, h: 4 }) == x"0103000400", 1);
    assert!(bcs::to_bytes(&Shape::Named(b"ab")) == x"02026162", 2);
    assert!(bcs::to_bytes(&Color::Blue) == x"02", 3);
    assert!(bcs::to_bytes(&vector[Color::Red, Color::Green]) == x"020001", 4);
}

#[test]
fun bcs_option() {
    assert!(bcs::to_bytes(&option::none<u64>()) == x"00", 0);
    assert!(bcs::to_bytes(&option::some(7u8)) == x"0107", 1);
    assert!(bcs::to_bytes(&option::some(option::some(true))) == x"010101", 2);
}

#[test]
fun bcs_object_id() {
    let id = object::id_from_address(@0x5);
    assert!(bcs::to_bytes(&id) == x"0000000000000000000000000000000000000000000000000000000000000005", 0);
}

#[test]
fun sha2_256_known_digests() {
    assert!(hash::sha2_256(b"") == x"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", 0);
    assert!(hash::sha2_256(b"abc") == x"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", 1);
    assert!(hash::sha2_256(b"The quick brown fox jumps over the lazy dog") == x"d7a8fbb307d7809469ca9abcb0082e4f8d5651e46d3cdb762d02d0bf37c9e592", 2);
}

#[test]
fun sha3_256_known_digests() {
    assert!(hash::sha3_256(b"") == x"a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a", 0);
    assert!(hash::sha3_256(b"abc") == x"3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532", 1);
    assert!(hash::sha3_256(b"The quick brown fox jumps over the lazy dog") == x"69070dda01975c8c120c3aada1b282394e7f032fa9cf32f4cb2259a0897dfc04", 2);
}

#[test]
fun hash_of_200_bytes_spanning_blocks() {
    let mut v = vector[];
    let mut i = 0u8;
    while (i < 200) { v.push_back(i); i = i + 1; };
    assert!(hash::sha2_256(v) == x"1901da1c9f699b48f6b2636e65cbf73abf99d0441ef67f5c540a42f7051dec6f", 0);
    assert!(hash::sha3_256(v) == x"5f728f63bf5ee48c77f453c0490398fa645b8d4c4e56be9a41cfec344d6ca899", 1);
}

#[test]
fun sui_blake2b_and_keccak() {
    assert!(sui::hash::blake2b256(&b"") == x"0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8", 0);
    assert!(sui::hash::blake2b256(&b"abc") == x"bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319", 1);
    assert!(sui::hash::keccak256(&b"") == x"c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470", 2);
    assert!(sui::hash::keccak256(&b"abc") == x"4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45", 3);
}

#[test]
fun hash_of_bcs_bytes() {
    assert!(hash::sha2_256(bcs::to_bytes(&true)) == hash::sha2_256(x"01"), 0);
}

#[test]
fun type_name_primitives() {
    assert!(type_name::with_defining_ids<u8>().into_string() == b"u8".to_ascii_string(), 0);
    assert!(type_name::with_defining_ids<u256>().into_string() == b"u256".to_ascii_string(), 1);
    assert!(type_name::with_defining_ids<bool>().into_string() == b"bool".to_ascii_string(), 2);
    assert!(type_name::with_defining_ids<address>().into_string() == b"address".to_ascii_string(), 3);
    assert!(type_name::with_defining_ids<vector<vector<u64>>>().into_string() == b"vector<vector<u64>>".to_ascii_string(), 4);
    assert!(type_name::with_defining_ids<u64>().is_primitive(), 5);
}

#[test]
fun type_name_of_structs() {
    let t = type_name::with_defining_ids<std::string::String>();
    assert!(t.into_string() == b"0000000000000000000000000000000000000000000000000000000000000001::string::String".to_ascii_string(), 0);
    let p = type_name::with_original_ids<Point>();
    assert!(!p.is_primitive(), 1);
    assert!(p.module_string() == b"c_bcs_hash".to_ascii_string(), 2);
    assert!(p.datatype_string() == b"Point".to_ascii_string(), 3);
    assert!(p.address_string() == b"0000000000000000000000000000000000000000000000000000000000000000".to_ascii_string(), 4);
}

#[test]
fun type_name_of_generic_instantiation() {
    let t = type_name::with_defining_ids<Box<sui::object::ID>>();
    assert!(t.into_string() == b"0000000000000000000000000000000000000000000000000000000000000000::c_bcs_hash::Box<0000000000000000000000000000000000000000000000000000000000000002::object::ID>".to_ascii_string(), 0);
    let v = type_name::with_defining_ids<vector<Color>>();
    assert!(v.into_string() == b"vector<0000000000000000000000000000000000000000000000000000000000000000::c_bcs_hash::Color>".to_ascii_string(), 1);
}

#[test]
#[expected_failure(abort_code = 0, location = std::type_name)]
fun type_name_module_of_primitive_aborts() {
    type_name::with_defining_ids<u64>().module_string();
}

#[test]
fun sui_address_conversions() {
    assert!(sui::address::to_u256(@0x100) == 256, 0);
    assert!(sui::address::from_u256(255) == @0xff, 1);
    let b = x"00000000000000000000000000000000000000000000000000000000000000ab";
    assert!(sui::address::from_bytes(b) == @0xab, 2);
    assert!(sui::address::to_bytes(@0xab) == b, 3);
    assert!(sui::address::length() == 32, 4);
    assert!(sui::address::max() == std::u256::max_value!(), 5);
}

#[test]
fun sui_address_to_string() {
    let s = sui::address::to_string(@0xAB);
    assert!(s.length() == 64, 0);
    assert!(s.into_bytes() == b"00000000000000000000000000000000000000000000000000000000000000ab", 1);
}

#[test]
fun sui_hex_roundtrip() {
    assert!(sui::hex::encode(x"00ff10") == b"00ff10", 0);
    assert!(sui::hex::decode(b"CAFE") == x"cafe", 1);
}
