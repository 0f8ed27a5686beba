#[test_only]
module sui::address_tests;

use sui::address;
use sui::hash;
use sui::hex;

#[test]
fun address_integer_and_byte_conversions() {
    assert!(address::to_u256(@0x1) == 1);
    assert!(address::from_u256(255) == @0xff);
    assert!(address::to_u256(address::from_u256(address::max())) == address::max());
    assert!(address::length() == 32);
    let bytes = address::to_bytes(@0xCAFE);
    assert!(bytes.length() == 32);
    assert!(bytes[30] == 0xCA && bytes[31] == 0xFE);
    assert!(address::from_bytes(bytes) == @0xCAFE);
}

#[test]
fun address_hex_strings() {
    let text = address::to_ascii_string(@0xDEADB33F);
    assert!(text.length() == 64);
    assert!(
        text == std::ascii::string(b"00000000000000000000000000000000000000000000000000000000deadb33f"),
    );
    assert!(address::to_string(@0x1) == std::string::utf8(b"0000000000000000000000000000000000000000000000000000000000000001"));
    assert!(address::from_ascii_bytes(&b"00000000000000000000000000000000000000000000000000000000DEADB33F") == @0xDEADB33F);
    assert!(address::from_ascii_bytes(text.as_bytes()) == @0xDEADB33F);
}

#[test]
#[expected_failure(abort_code = 0, location = sui::address)]
fun address_from_short_text_aborts() {
    address::from_ascii_bytes(&b"dead");
}

#[test]
#[expected_failure(abort_code = 0, location = sui::address)]
fun address_from_non_hex_text_aborts() {
    address::from_ascii_bytes(&b"000000000000000000000000000000000000000000000000000000000000000g");
}

#[test]
fun hex_round_trip() {
    assert!(hex::encode(x"00ff10ab") == b"00ff10ab");
    assert!(hex::decode(b"00FF10ab") == x"00ff10ab");
    assert!(hex::encode(vector[]) == vector[]);
}

#[test]
#[expected_failure(abort_code = 0, location = sui::hex)]
fun hex_odd_length_aborts() {
    hex::decode(b"abc");
}

#[test]
#[expected_failure(abort_code = 1, location = sui::hex)]
fun hex_invalid_character_aborts() {
    hex::decode(b"zz");
}

#[test]
fun hashes_of_the_empty_input() {
    assert!(hash::blake2b256(&vector[]) == x"0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8");
    assert!(hash::keccak256(&vector[]) == x"c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
}
