#[test_only]
module failing::failing;

use failing::other;

public enum E has drop { A(u64), B }

fun id(x: u64): u64 { x }
fun id8(x: u8): u8 { x }

#[test] fun abort_here() { abort id(7) }
#[test] fun abort_max_code() { abort id(18446744073709551615) }
#[test] fun assert_fails() { assert!(id(1) == 2, 1234) }
#[test] fun abort_in_other_module() { other::fail(id(55)) }
#[test] fun abort_deep_in_other_module() { other::deep(id(20)) }
#[test] fun arithmetic_in_other_module() { other::overflow(id(1)); }
#[test] fun add_overflow() { let _ = id(18446744073709551615) + id(1); }
#[test] fun sub_underflow() { let _ = id(0) - id(1); }
#[test] fun mul_overflow() { let _ = id(4294967296) * id(4294967296); }
#[test] fun div_zero() { let _ = id(1) / id(0); }
#[test] fun mod_zero() { let _ = id(1) % id(0); }
#[test] fun shl_too_far() { let _ = id8(1) << id8(8); }
#[test] fun cast_overflow() { let _ = (id(256) as u8); }
#[test] fun u8_add_overflow() { let _ = id8(200) + id8(56); }
#[test] fun vector_oob() { let v = vector[1u64]; let _ = v[id(3)]; }
#[test] fun vector_pop_empty() { let mut v = vector<u64>[]; if (id(0) == 0) { v.pop_back(); }; }
#[test] fun vector_destroy_non_empty() { let v = vector[id(1)]; v.destroy_empty(); }
#[test] fun vector_swap_oob() { let mut v = vector[1u64, 2]; v.swap(0, id(9)); }
#[test] fun std_utf8_abort() { std::string::utf8(vector[id8(0xff)]); }
#[test] fun std_option_abort() { let mut o = std::option::none<u64>(); if (id(1) == 1) { o.extract(); }; }
#[test] fun std_vector_remove_abort() { let mut v = vector[1u64]; v.remove(id(5)); }
#[test] fun native_dynamic_field_missing() {
    let mut ctx = tx_context::dummy();
    let uid = object::new(&mut ctx);
    let _ = sui::dynamic_field::borrow<u64, u64>(&uid, id(1));
    abort 0
}
#[test] fun native_dynamic_field_duplicate() {
    let mut ctx = tx_context::dummy();
    let mut uid = object::new(&mut ctx);
    sui::dynamic_field::add(&mut uid, 1u64, id(1));
    sui::dynamic_field::add(&mut uid, 1u64, id(2));
    abort 0
}
#[test] fun native_dynamic_field_type_mismatch() {
    let mut ctx = tx_context::dummy();
    let mut uid = object::new(&mut ctx);
    sui::dynamic_field::add(&mut uid, 1u64, id(1));
    let _ = sui::dynamic_field::borrow<u64, bool>(&uid, 1);
    abort 0
}
#[test] fun address_from_bad_bytes() { sui::address::from_bytes(vector[id8(1)]); }
#[test] fun balance_split_too_much() {
    let mut b = sui::balance::create_for_testing<sui::sui::SUI>(id(5));
    let c = b.split(6);
    sui::balance::destroy_for_testing(c);
    sui::balance::destroy_for_testing(b);
}
#[test] fun abort_in_match() { match (E::A(id(3))) { E::A(n) => abort n, E::B => {} } }
#[test] #[expected_failure(abort_code = 8, location = Self)] fun wrong_expected_code() { abort id(7) }
#[test] #[expected_failure(abort_code = 7, location = failing::other)] fun wrong_expected_module() { abort id(7) }
#[test] #[expected_failure(arithmetic_error, location = Self)] fun expected_failure_that_passes() { id(1); }
