// K3s-DaaS shim of sui::address (Sui 1.71.1 signatures; bodies are our own).

/// Conversions between `address` and bytes, integers and hex strings.
module sui::address;

use std::ascii;
use std::string;
use sui::hex;

/// Bytes in an address.
const LENGTH: u64 = 32;

/// 2^256 - 1, the largest address as an integer.
const MAX: u256 =
    115792089237316195423570985008687907853269984665640564039457584007913129639935;

/// Bytes or text that do not form an address.
const EAddressParseError: u64 = 0;

/// `a` read as a big-endian integer.
public native fun to_u256(a: address): u256;

/// `n` as a big-endian address.
public native fun from_u256(n: u256): address;

/// Aborts with `EAddressParseError` unless `bytes` has exactly 32 bytes.
public native fun from_bytes(bytes: vector<u8>): address;

/// The 32 bytes of `a`.
public fun to_bytes(a: address): vector<u8> {
    std::bcs::to_bytes(&a)
}

/// `a` as 64 lower-case hex characters (no 0x prefix).
public fun to_ascii_string(a: address): ascii::String {
    ascii::string(hex::encode(to_bytes(a)))
}

public fun to_string(a: address): string::String {
    string::from_ascii(to_ascii_string(a))
}

/// Parse 64 hex characters (either case, no 0x prefix). Aborts with `EAddressParseError`.
public fun from_ascii_bytes(bytes: &vector<u8>): address {
    assert!(bytes.length() == 64, EAddressParseError);
    let mut out = vector[];
    let mut i = 0;
    while (i < 64) {
        out.push_back((hex_value(bytes[i]) << 4) | hex_value(bytes[i + 1]));
        i = i + 2;
    };
    from_bytes(out)
}

fun hex_value(c: u8): u8 {
    if (c >= 48 && c <= 57) c - 48
    else if (c >= 65 && c <= 70) c - 55
    else if (c >= 97 && c <= 102) c - 87
    else abort EAddressParseError
}

public fun length(): u64 {
    LENGTH
}

public fun max(): u256 {
    MAX
}
