// Conformance: Move's integer arithmetic errors for every width u8..u256 —
// + and * overflow, - underflow, / and % by zero, shift by >= bit width
// (u256 cannot: the shift amount is a u8), and casts that would truncate.
// Bits shifted out by a valid << are simply lost (see c_ints), not an error.
// Each test performs exactly one failing operation on opaque inputs.
#[test_only]
module conformance::c_int_errors;

fun v8(x: u8): u8 { x }
fun v16(x: u16): u16 { x }
fun v32(x: u32): u32 { x }
fun v64(x: u64): u64 { x }
fun v128(x: u128): u128 { x }
fun v256(x: u256): u256 { x }
fun s(x: u8): u8 { x }

#[test]
#[expected_failure(arithmetic_error, location = Self)]
fun u8_add_overflow() {
    let _r = v8(255) + v8(1);
}

#[test]
#[expected_failure(arithmetic_error, location = Self)]
fun u8_sub_underflow() {
    let _r = v8(0) - v8(1);
}

#[test]
#[expected_failure(arithmetic_error, location = Self)]
fun u8_mul_overflow() {
    let _r = v8(127) * v8(3);
}

#[test]
#[expected_failure(arithmetic_error, location = Self)]
fun u8_div_by_zero() {
    let _r = v8(10) / v8(0);
}

#[test]
#[expected_failure(arithmetic_error, location = Self)]
fun u8_mod_by_zero() {
    let _r = v8(10) % v8(0);
}

#[test]
#[expected_failure(arithmetic_error, location = Self)]
fun u8_shl_by_width() {
    let _r = v8(1) << s(8);
}

#[test]
#[expected_failure(arithmetic_error, location = Self)]
fun u8_shr_past_width() {
    let _r = v8(1) >> s(9);
}

#[test]
#[expected_failure(arithmetic_error, location = Self)]
fun u16_add_overflow() {
    let _r = v16(65535) + v16(1);
}

#[test]
#[expected_failure(arithmetic_error, location = Self)]
fun u16_sub_underflow() {
    let _r = v16(0) - v16(1);
}

#[test]
#[expected_failure(arithmetic_error, location = Self)]
fun u16_mul_overflow() {
    let _r = v16(32767) * v16(3);
}

#[test]
#[expected_failure(arithmetic_error, location = Self)]
fun u16_div_by_zero() {
    let _r = v16(10) / v16(0);
}

#[test]
#[expected_failure(arithmetic_error, location = Self)]
fun u16_mod_by_zero() {
    let _r = v16(10) % v16(0);
}

#[test]
#[expected_failure(arithmetic_error, location = Self)]
fun u16_shl_by_width() {
    let _r = v16(1) << s(16);
}

#[test]
#[expected_failure(arithmetic_error, location = Self)]
fun u16_shr_past_width() {
    let _r = v16(1) >> s(17);
}

#[test]
#[expected_failure(arithmetic_error, location = Self)]
fun u32_add_overflow() {
    let _r = v32(4294967295) + v32(1);
}

#[test]
#[expected_failure(arithmetic_error, location = Self)]
fun u32_sub_underflow() {
    let _r = v32(0) - v32(1);
}

#[test]
#[expected_failure(arithmetic_error, location = Self)]
fun u32_mul_overflow() {
    let _r = v32(2147483647) * v32(3);
}

#[test]
#[expected_failure(arithmetic_error, location = Self)]
fun u32_div_by_zero() {
    let _r = v32(10) / v32(0);
}

#[test]
#[expected_failure(arithmetic_error, location = Self)]
fun u32_mod_by_zero() {
    let _r = v32(10) % v32(0);
}

#[test]
#[expected_failure(arithmetic_error, location = Self)]
fun u32_shl_by_width() {
    let _r = v32(1) << s(32);
}

#[test]
#[expected_failure(arithmetic_error, location = Self)]
fun u32_shr_past_width() {
    let _r = v32(1) >> s(33);
}

#[test]
#[expected_failure(arithmetic_error, location = Self)]
fun u64_add_overflow() {
    let _r = v64(18446744073709551615) + v64(1);
}

#[test]
#[expected_failure(arithmetic_error, location = Self)]
fun u64_sub_underflow() {
    let _r = v64(0) - v64(1);
}

#[test]
#[expected_failure(arithmetic_error, location = Self)]
fun u64_mul_overflow() {
    let _r = v64(9223372036854775807) * v64(3);
}

#[test]
#[expected_failure(arithmetic_error, location = Self)]
fun u64_div_by_zero() {
    let _r = v64(10) / v64(0);
}

#[test]
#[expected_failure(arithmetic_error, location = Self)]
fun u64_mod_by_zero() {
    let _r = v64(10) % v64(0);
}

#[test]
#[expected_failure(arithmetic_error, location = Self)]
fun u64_shl_by_width() {
    let _r = v64(1) << s(64);
}

#[test]
#[expected_failure(arithmetic_error, location = Self)]
fun u64_shr_past_width() {
    let _r = v64(1) >> s(65);
}

#[test]
#[expected_failure(arithmetic_error, location = Self)]
fun u128_add_overflow() {
    let _r = v128(340282366920938463463374607431768211455) + v128(1);
}

#[test]
#[expected_failure(arithmetic_error, location = Self)]
fun u128_sub_underflow() {
    let _r = v128(0) - v128(1);
}

#[test]
#[expected_failure(arithmetic_error, location = Self)]
fun u128_mul_overflow() {
    let _r = v128(170141183460469231731687303715884105727) * v128(3);
}

#[test]
#[expected_failure(arithmetic_error, location = Self)]
fun u128_div_by_zero() {
    let _r = v128(10) / v128(0);
}

#[test]
#[expected_failure(arithmetic_error, location = Self)]
fun u128_mod_by_zero() {
    let _r = v128(10) % v128(0);
}

#[test]
#[expected_failure(arithmetic_error, location = Self)]
fun u128_shl_by_width() {
    let _r = v128(1) << s(128);
}

#[test]
#[expected_failure(arithmetic_error, location = Self)]
fun u128_shr_past_width() {
    let _r = v128(1) >> s(129);
}

#[test]
#[expected_failure(arithmetic_error, location = Self)]
fun u256_add_overflow() {
    let _r = v256(115792089237316195423570985008687907853269984665640564039457584007913129639935) + v256(1);
}

#[test]
#[expected_failure(arithmetic_error, location = Self)]
fun u256_sub_underflow() {
    let _r = v256(0) - v256(1);
}

#[test]
#[expected_failure(arithmetic_error, location = Self)]
fun u256_mul_overflow() {
    let _r = v256(57896044618658097711785492504343953926634992332820282019728792003956564819967) * v256(3);
}

#[test]
#[expected_failure(arithmetic_error, location = Self)]
fun u256_div_by_zero() {
    let _r = v256(10) / v256(0);
}

#[test]
#[expected_failure(arithmetic_error, location = Self)]
fun u256_mod_by_zero() {
    let _r = v256(10) % v256(0);
}

#[test]
#[expected_failure(arithmetic_error, location = Self)]
fun cast_u16_to_u8_truncates() {
    let _r = (v16(256) as u8);
}

#[test]
#[expected_failure(arithmetic_error, location = Self)]
fun cast_u32_to_u16_truncates() {
    let _r = (v32(65536) as u16);
}

#[test]
#[expected_failure(arithmetic_error, location = Self)]
fun cast_u64_to_u32_truncates() {
    let _r = (v64(4294967296) as u32);
}

#[test]
#[expected_failure(arithmetic_error, location = Self)]
fun cast_u128_to_u64_truncates() {
    let _r = (v128(18446744073709551616) as u64);
}

#[test]
#[expected_failure(arithmetic_error, location = Self)]
fun cast_u256_to_u128_truncates() {
    let _r = (v256(340282366920938463463374607431768211456) as u128);
}

#[test]
#[expected_failure(arithmetic_error, location = Self)]
fun cast_u64_to_u8_truncates() {
    let _r = (v64(256) as u8);
}

#[test]
#[expected_failure(arithmetic_error, location = Self)]
fun cast_u256_to_u8_truncates() {
    let _r = (v256(256) as u8);
}

#[test]
#[expected_failure(arithmetic_error, location = Self)]
fun cast_u256_to_u64_truncates() {
    let _r = (v256(18446744073709551616) as u64);
}

#[test]
#[expected_failure(arithmetic_error, location = Self)]
fun cast_max_u256_to_u8() {
    let _r = (v256(115792089237316195423570985008687907853269984665640564039457584007913129639935) as u8);
}

#[test]
#[expected_failure(arithmetic_error, location = Self)]
fun overflow_in_accumulating_loop() {
    let mut x = v8(1);
    let mut i = 0;
    while (i < 10) { x = x * 2; i = i + 1; };
}
