// Conformance: integer arithmetic that must succeed at the edges of every
// width, widening and exact casts, bitwise ops, shifts, comparisons, boolean
// logic (incl. short-circuit), and the std::uN helper functions and macros.
#[test_only]
module conformance::c_ints;

fun v8(x: u8): u8 { x }
fun v16(x: u16): u16 { x }
fun v32(x: u32): u32 { x }
fun v64(x: u64): u64 { x }
fun v128(x: u128): u128 { x }
fun v256(x: u256): u256 { x }
fun s(x: u8): u8 { x }
fun b(x: bool): bool { x }

const MAX_U256: u256 = 115792089237316195423570985008687907853269984665640564039457584007913129639935;

#[test]
fun max_values_add_zero() {
    assert!(v8(255) + v8(0) == 255, 0);
    assert!(v16(65535) + v16(0) == 65535, 1);
    assert!(v32(4294967295) + v32(0) == 4294967295, 2);
    assert!(v64(18446744073709551615) + v64(0) == 18446744073709551615, 3);
    assert!(v128(340282366920938463463374607431768211455) + 0 == 340282366920938463463374607431768211455, 4);
    assert!(v256(MAX_U256) + 0 == MAX_U256, 5);
}

#[test]
fun max_values_from_std_macros() {
    assert!(std::u8::max_value!() == v8(255), 0);
    assert!(std::u16::max_value!() == v16(65535), 1);
    assert!(std::u32::max_value!() == v32(4294967295), 2);
    assert!(std::u64::max_value!() == v64(18446744073709551615), 3);
    assert!(std::u128::max_value!() == v128(340282366920938463463374607431768211455), 4);
    assert!(std::u256::max_value!() == v256(MAX_U256), 5);
}

#[test]
fun reach_max_exactly() {
    assert!(v8(254) + v8(1) == 255, 0);
    assert!(v16(32767) * v16(2) + 1 == 65535, 1);
    assert!(v32(65535) * v32(65537) == 4294967295, 2);
    assert!(v64(4294967295) * v64(4294967297) == 18446744073709551615, 3);
    assert!(v128(18446744073709551615) * v128(18446744073709551617) == 340282366920938463463374607431768211455, 4);
    assert!(v256(MAX_U256 - 1) + 1 == MAX_U256, 5);
}

#[test]
fun subtract_to_zero() {
    assert!(v8(255) - v8(255) == 0, 0);
    assert!(v16(1) - v16(1) == 0, 1);
    assert!(v32(7) - v32(7) == 0, 2);
    assert!(v64(0) - v64(0) == 0, 3);
    assert!(v128(5) - v128(5) == 0, 4);
    assert!(v256(MAX_U256) - v256(MAX_U256) == 0, 5);
}

#[test]
fun division_truncates_and_modulo() {
    assert!(v8(255) / v8(2) == 127 && v8(255) % v8(2) == 1, 0);
    assert!(v16(1000) / v16(7) == 142 && v16(1000) % v16(7) == 6, 1);
    assert!(v32(0) / v32(5) == 0 && v32(0) % v32(5) == 0, 2);
    assert!(v64(18446744073709551615) / v64(10) == 1844674407370955161, 3);
    assert!(v128(340282366920938463463374607431768211455) % v128(1000) == 455, 4);
    assert!(v256(MAX_U256) / v256(MAX_U256) == 1, 5);
    assert!(v256(MAX_U256) % v256(2) == 1, 6);
}

#[test]
fun shifts_within_width() {
    assert!(v8(1) << s(7) == 128, 0);
    assert!(v8(255) << s(4) == 240, 1); // bits shifted out are dropped
    assert!(v16(0x8000) >> s(15) == 1, 2);
    assert!(v32(1) << s(31) == 2147483648, 3);
    assert!(v64(0xFFFFFFFFFFFFFFFF) >> s(63) == 1, 4);
    assert!(v128(1) << s(127) == 170141183460469231731687303715884105728, 5);
    assert!(v256(1) << s(255) == 57896044618658097711785492504343953926634992332820282019728792003956564819968, 6);
    assert!(v256(MAX_U256) >> s(255) == 1, 7);
    assert!(v64(12345) << s(0) == 12345, 8);
}

#[test]
fun bitwise_and_or_xor() {
    assert!(v8(0xF0) & v8(0x3C) == 0x30, 0);
    assert!(v8(0xF0) | v8(0x0F) == 0xFF, 1);
    assert!(v8(0xFF) ^ v8(0x0F) == 0xF0, 2);
    assert!(v16(0xABCD) & v16(0x00FF) == 0xCD, 3);
    assert!(v32(0x12340000) | v32(0x5678) == 0x12345678, 4);
    assert!(v64(0xDEADBEEF) ^ v64(0xDEADBEEF) == 0, 5);
    assert!(v128(1 << 100) | v128(1) == (1 << 100) + 1, 6);
    assert!(v256(MAX_U256) & v256(0xFF) == 0xFF, 7);
    assert!(v256(MAX_U256) ^ v256(MAX_U256 >> 1) == 1 << 255, 8);
}

#[test]
fun bitwise_not_helpers() {
    assert!(std::u8::bitwise_not(v8(0x0F)) == 0xF0, 0);
    assert!(std::u16::bitwise_not(v16(0)) == 65535, 1);
    assert!(std::u32::bitwise_not(v32(4294967295)) == 0, 2);
    assert!(std::u64::bitwise_not(v64(1)) == 18446744073709551614, 3);
    assert!(std::u128::bitwise_not(v128(0)) == 340282366920938463463374607431768211455, 4);
    assert!(std::u256::bitwise_not(v256(0)) == MAX_U256, 5);
}

#[test]
fun widening_casts() {
    assert!((v8(255) as u16) == 255, 0);
    assert!((v8(255) as u256) == 255, 1);
    assert!((v16(65535) as u32) == 65535, 2);
    assert!((v32(4294967295) as u64) == 4294967295, 3);
    assert!((v64(18446744073709551615) as u128) == 18446744073709551615, 4);
    assert!((v128(340282366920938463463374607431768211455) as u256) == 340282366920938463463374607431768211455, 5);
}

#[test]
fun narrowing_casts_that_fit() {
    assert!((v16(255) as u8) == 255, 0);
    assert!((v32(65535) as u16) == 65535, 1);
    assert!((v64(4294967295) as u32) == 4294967295, 2);
    assert!((v128(18446744073709551615) as u64) == 18446744073709551615, 3);
    assert!((v256(340282366920938463463374607431768211455) as u128) == 340282366920938463463374607431768211455, 4);
    assert!((v256(0) as u8) == 0, 5);
}

#[test]
fun comparisons_every_width() {
    assert!(v8(1) < v8(2) && v8(2) <= v8(2) && v8(3) > v8(2) && v8(3) >= v8(3), 0);
    assert!(v16(1) < v16(2) && v16(65535) > v16(0), 1);
    assert!(v32(4294967295) >= v32(4294967295) && v32(0) <= v32(0), 2);
    assert!(v64(18446744073709551615) > v64(18446744073709551614), 3);
    assert!(v128(1 << 127) > v128((1 << 127) - 1), 4);
    assert!(v256(MAX_U256) > v256(MAX_U256 - 1) && !(v256(0) > v256(0)), 5);
    assert!(v64(5) != v64(6) && !(v64(5) != v64(5)), 6);
}

#[test]
fun boolean_logic() {
    let (t, f) = (b(true), b(false));
    assert!(t && !f, 0);
    assert!(t || f, 1);
    assert!(!(f || f), 2);
    assert!(!(t && f), 3);
    assert!((t == t) && (t != f), 4);
}

fun fail_if_called(): bool { abort 123 }

#[test]
fun and_short_circuits() {
    assert!(!(b(false) && fail_if_called()), 0);
}

#[test]
fun or_short_circuits() {
    assert!(b(true) || fail_if_called(), 0);
}

#[test]
#[expected_failure(abort_code = 123, location = Self)]
fun and_evaluates_right_side_when_left_true() {
    let _r = b(true) && fail_if_called();
}

#[test]
fun std_u64_helpers() {
    assert!(std::u64::max(v64(3), 9) == 9 && std::u64::min(v64(3), 9) == 3, 0);
    assert!(std::u64::diff(v64(3), 9) == 6 && std::u64::diff(v64(9), 3) == 6, 1);
    assert!(std::u64::divide_and_round_up(v64(10), 3) == 4, 2);
    assert!(std::u64::pow(v64(2), 10) == 1024, 3);
    assert!(std::u64::sqrt(v64(1000000)) == 1000 && std::u64::sqrt(v64(99)) == 9, 4);
}

#[test]
fun std_small_width_helpers() {
    assert!(std::u8::pow(v8(3), 5) == 243, 0);
    assert!(std::u8::sqrt(v8(255)) == 15, 1);
    assert!(std::u16::pow(v16(2), 15) == 32768, 2);
    assert!(std::u32::sqrt(v32(4294967295)) == 65535, 3);
    assert!(std::u128::pow(v128(10), 38) == 100000000000000000000000000000000000000, 4);
    assert!(std::u256::pow(v256(2), 255) == 1 << 255, 5);
}

#[test]
fun std_try_as_casts() {
    assert!(std::u64::try_as_u8(v64(255)) == option::some(255), 0);
    assert!(std::u64::try_as_u8(v64(256)).is_none(), 1);
    assert!(std::u256::try_as_u128(v256(MAX_U256)).is_none(), 2);
    assert!(std::u128::try_as_u64(v128(18446744073709551615)) == option::some(18446744073709551615), 3);
}

#[test]
fun std_to_string() {
    assert!(std::u64::to_string(v64(0)) == b"0".to_string(), 0);
    assert!(std::u8::to_string(v8(255)) == b"255".to_string(), 1);
    assert!(std::u256::to_string(v256(MAX_U256)).length() == 78, 2);
    assert!(std::u128::to_string(v128(1234567890)) == b"1234567890".to_string(), 3);
}

#[test]
fun range_macros() {
    let mut sum = 0u64;
    std::u64::range_do!(v64(3), 7, |i| sum = sum + i);
    assert!(sum == 3 + 4 + 5 + 6, 0);
    let mut count = 0u8;
    std::u8::do_eq!(v8(4), |_| count = count + 1);
    assert!(count == 5, 1);
    let mut acc = 0u256;
    std::u256::do!(v256(5), |i| acc = acc + i);
    assert!(acc == 10, 2);
}

#[test]
#[expected_failure(arithmetic_error, location = std::u8)]
fun std_pow_overflow_aborts_in_std() {
    std::u8::pow(v8(2), 8);
}

#[test]
fun typed_literals_and_hex() {
    let a = 0xFFu8;
    let c = 1_000_000u64;
    let d = 0x1_0000u32;
    assert!(a == v8(255) && c == v64(1000000) && d == v32(65536), 0);
}
