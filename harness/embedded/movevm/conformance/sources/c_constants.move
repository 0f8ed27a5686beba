// Conformance: constants of every type (the loader decodes them from BCS in
// the constant pool) and vectors of every element type, including values that
// break signed or floating-point storage (u32 >= 2^31, u64 >= 2^63).
#[test_only]
module conformance::c_constants;

const C_BOOL: bool = true;
const C_U8: u8 = 255;
const C_U16: u16 = 65535;
const C_U32: u32 = 4294967295;
const C_U64: u64 = 18446744073709551615;
const C_U64_HIGH: u64 = 9223372036854775813;
const C_U128: u128 = 340282366920938463463374607431768211455;
const C_U256: u256 = 115792089237316195423570985008687907853269984665640564039457584007913129639935;
const C_ADDR: address = @0xabababababababababababababababababababababababababababababababab;
const C_BYTES: vector<u8> = b"constant bytes";
const C_HEX: vector<u8> = x"00ff7f80";
const C_EMPTY: vector<u64> = vector[];
const C_U64S: vector<u64> = vector[0, 1, 18446744073709551615, 9223372036854775808];
const C_U256S: vector<u256> = vector[115792089237316195423570985008687907853269984665640564039457584007913129639935, 0, 57896044618658097711785492504343953926634992332820282019728792003956564819968];
const C_BOOLS: vector<bool> = vector[true, false, false, true];
const C_ADDRS: vector<address> = vector[@0x1, @0x2, @0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff];
const C_NESTED: vector<vector<u8>> = vector[b"ab", x"", x"01"];
const C_U32S: vector<u32> = vector[2147483648, 4294967295, 7];
const C_U16S: vector<u16> = vector[65535, 32768];
const C_U128S: vector<u128> = vector[340282366920938463463374607431768211455, 170141183460469231731687303715884105728];
const C_DERIVED: u64 = C_U8 as u64 + 1;

fun id<T>(x: T): T { x }

#[test]
fun scalar_constants() {
    assert!(id(C_BOOL), 0);
    assert!(id(C_U8) == 255 && id(C_U16) == 65535 && id(C_U32) == 4294967295, 1);
    assert!(id(C_U64) == 18446744073709551615 && id(C_U64_HIGH) - 9223372036854775808 == 5, 2);
    assert!(id(C_U128) == 340282366920938463463374607431768211455 && id(C_U256) == 115792089237316195423570985008687907853269984665640564039457584007913129639935, 3);
    assert!(id(C_DERIVED) == 256, 4);
}

#[test]
fun address_constant() {
    assert!(id(C_ADDR) == @0xabababababababababababababababababababababababababababababababab, 0);
    assert!(sui::address::to_bytes(C_ADDR)[31] == 0xab, 1);
}

#[test]
fun byte_string_constants() {
    assert!(id(C_BYTES).length() == 14 && C_BYTES[0] == 99, 0);
    assert!(id(C_HEX) == vector[0, 255, 127, 128], 1);
}

#[test]
fun vector_constants() {
    assert!(id(C_EMPTY).is_empty(), 0);
    assert!(C_U64S.length() == 4 && C_U64S[2] == 18446744073709551615 && C_U64S[3] == 9223372036854775808, 1);
    assert!(C_U256S[0] == 115792089237316195423570985008687907853269984665640564039457584007913129639935 && C_U256S[2] == 57896044618658097711785492504343953926634992332820282019728792003956564819968, 2);
    assert!(C_BOOLS == vector[true, false, false, true], 3);
    assert!(C_ADDRS[2] == @0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff && C_ADDRS[0] == @0x1, 4);
    assert!(C_NESTED[0] == b"ab" && C_NESTED[1].is_empty() && C_NESTED[2] == x"01", 5);
    assert!(C_U32S[0] == 2147483648 && C_U32S[1] == 4294967295, 6);
    assert!(C_U16S[1] == 32768 && C_U128S[1] == 170141183460469231731687303715884105728, 7);
}

#[test]
fun constant_used_twice_is_fresh_each_time() {
    let mut a = C_U64S;
    a.push_back(9);
    assert!(C_U64S.length() == 4 && a.length() == 5, 0);
}

#[test]
fun bcs_of_constants() {
    assert!(std::bcs::to_bytes(&C_U64S) == x"0400000000000000000100000000000000ffffffffffffffff0000000000000080", 0);
    assert!(std::bcs::to_bytes(&C_BOOLS) == x"0401000001", 1);
    assert!(std::bcs::to_bytes(&C_U32S) == x"0300000080ffffffff07000000", 2);
}

#[test]
fun vector_of_u8_push_swap_pop() {
    let mut v = vector<u8>[];
    v.push_back(id(255));
    v.push_back(id(0));
    v.push_back(id(255));
    assert!(v.length() == 3 && v[0] == 255 && v[1] == 0, 0);
    v.swap(0, 1);
    assert!(v[0] == 0 && v[1] == 255, 1);
    *&mut v[2] = 0;
    assert!(v.pop_back() == 0 && v.pop_back() == 255, 2);
    assert!(v == vector[0], 3);
    let w = v;
    v.push_back(255);
    assert!(w.length() == 1 && v.contains(&255), 4);
}

#[test]
fun vector_of_u16_push_swap_pop() {
    let mut v = vector<u16>[];
    v.push_back(id(65535));
    v.push_back(id(32768));
    v.push_back(id(65535));
    assert!(v.length() == 3 && v[0] == 65535 && v[1] == 32768, 0);
    v.swap(0, 1);
    assert!(v[0] == 32768 && v[1] == 65535, 1);
    *&mut v[2] = 32768;
    assert!(v.pop_back() == 32768 && v.pop_back() == 65535, 2);
    assert!(v == vector[32768], 3);
    let w = v;
    v.push_back(65535);
    assert!(w.length() == 1 && v.contains(&65535), 4);
}

#[test]
fun vector_of_u32_push_swap_pop() {
    let mut v = vector<u32>[];
    v.push_back(id(4294967295));
    v.push_back(id(2147483648));
    v.push_back(id(4294967295));
    assert!(v.length() == 3 && v[0] == 4294967295 && v[1] == 2147483648, 0);
    v.swap(0, 1);
    assert!(v[0] == 2147483648 && v[1] == 4294967295, 1);
    *&mut v[2] = 2147483648;
    assert!(v.pop_back() == 2147483648 && v.pop_back() == 4294967295, 2);
    assert!(v == vector[2147483648], 3);
    let w = v;
    v.push_back(4294967295);
    assert!(w.length() == 1 && v.contains(&4294967295), 4);
}

#[test]
fun vector_of_u64_push_swap_pop() {
    let mut v = vector<u64>[];
    v.push_back(id(18446744073709551615));
    v.push_back(id(9223372036854775808));
    v.push_back(id(18446744073709551615));
    assert!(v.length() == 3 && v[0] == 18446744073709551615 && v[1] == 9223372036854775808, 0);
    v.swap(0, 1);
    assert!(v[0] == 9223372036854775808 && v[1] == 18446744073709551615, 1);
    *&mut v[2] = 9223372036854775808;
    assert!(v.pop_back() == 9223372036854775808 && v.pop_back() == 18446744073709551615, 2);
    assert!(v == vector[9223372036854775808], 3);
    let w = v;
    v.push_back(18446744073709551615);
    assert!(w.length() == 1 && v.contains(&18446744073709551615), 4);
}

#[test]
fun vector_of_u128_push_swap_pop() {
    let mut v = vector<u128>[];
    v.push_back(id(340282366920938463463374607431768211455));
    v.push_back(id(170141183460469231731687303715884105728));
    v.push_back(id(340282366920938463463374607431768211455));
    assert!(v.length() == 3 && v[0] == 340282366920938463463374607431768211455 && v[1] == 170141183460469231731687303715884105728, 0);
    v.swap(0, 1);
    assert!(v[0] == 170141183460469231731687303715884105728 && v[1] == 340282366920938463463374607431768211455, 1);
    *&mut v[2] = 170141183460469231731687303715884105728;
    assert!(v.pop_back() == 170141183460469231731687303715884105728 && v.pop_back() == 340282366920938463463374607431768211455, 2);
    assert!(v == vector[170141183460469231731687303715884105728], 3);
    let w = v;
    v.push_back(340282366920938463463374607431768211455);
    assert!(w.length() == 1 && v.contains(&340282366920938463463374607431768211455), 4);
}

#[test]
fun vector_of_u256_push_swap_pop() {
    let mut v = vector<u256>[];
    v.push_back(id(115792089237316195423570985008687907853269984665640564039457584007913129639935));
    v.push_back(id(57896044618658097711785492504343953926634992332820282019728792003956564819968));
    v.push_back(id(115792089237316195423570985008687907853269984665640564039457584007913129639935));
    assert!(v.length() == 3 && v[0] == 115792089237316195423570985008687907853269984665640564039457584007913129639935 && v[1] == 57896044618658097711785492504343953926634992332820282019728792003956564819968, 0);
    v.swap(0, 1);
    assert!(v[0] == 57896044618658097711785492504343953926634992332820282019728792003956564819968 && v[1] == 115792089237316195423570985008687907853269984665640564039457584007913129639935, 1);
    *&mut v[2] = 57896044618658097711785492504343953926634992332820282019728792003956564819968;
    assert!(v.pop_back() == 57896044618658097711785492504343953926634992332820282019728792003956564819968 && v.pop_back() == 115792089237316195423570985008687907853269984665640564039457584007913129639935, 2);
    assert!(v == vector[57896044618658097711785492504343953926634992332820282019728792003956564819968], 3);
    let w = v;
    v.push_back(115792089237316195423570985008687907853269984665640564039457584007913129639935);
    assert!(w.length() == 1 && v.contains(&115792089237316195423570985008687907853269984665640564039457584007913129639935), 4);
}

#[test]
fun vector_of_bool_push_swap_pop() {
    let mut v = vector<bool>[];
    v.push_back(id(true));
    v.push_back(id(false));
    v.push_back(id(true));
    assert!(v.length() == 3 && v[0] == true && v[1] == false, 0);
    v.swap(0, 1);
    assert!(v[0] == false && v[1] == true, 1);
    *&mut v[2] = false;
    assert!(v.pop_back() == false && v.pop_back() == true, 2);
    assert!(v == vector[false], 3);
    let w = v;
    v.push_back(true);
    assert!(w.length() == 1 && v.contains(&true), 4);
}

#[test]
fun vector_of_address_push_swap_pop() {
    let mut v = vector<address>[];
    v.push_back(id(@0xeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee));
    v.push_back(id(@0x1));
    v.push_back(id(@0xeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee));
    assert!(v.length() == 3 && v[0] == @0xeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee && v[1] == @0x1, 0);
    v.swap(0, 1);
    assert!(v[0] == @0x1 && v[1] == @0xeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee, 1);
    *&mut v[2] = @0x1;
    assert!(v.pop_back() == @0x1 && v.pop_back() == @0xeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee, 2);
    assert!(v == vector[@0x1], 3);
    let w = v;
    v.push_back(@0xeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee);
    assert!(w.length() == 1 && v.contains(&@0xeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee), 4);
}
