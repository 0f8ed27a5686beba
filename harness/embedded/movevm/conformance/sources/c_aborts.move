// Conformance: abort with explicit codes, `assert!` with and without codes,
// expected locations (Self, another module of the package, the framework),
// named abort-code constants, aborts deep in a call chain, clever errors,
// and unbounded recursion (call-stack limit). No out-of-gas test: the WASM
// runner has no usable gas limit (an infinite loop never finishes there).
#[test_only]
module conformance::c_aborts;

use conformance::c_aborts_lib as lib;

const EMine: u64 = 42;
const EBig: u64 = 18446744073709551615;

#[error]
const EClever: vector<u8> = b"clever error message";

fun n(x: u64): u64 { x }

#[test]
#[expected_failure(abort_code = 0)]
fun abort_zero_without_location() {
    abort n(0)
}

#[test]
#[expected_failure(abort_code = 42, location = Self)]
fun abort_literal_code() {
    if (n(1) == 1) abort 42;
}

#[test]
#[expected_failure(abort_code = EMine, location = Self)]
fun abort_named_constant() {
    abort EMine
}

#[test]
#[expected_failure(abort_code = EBig, location = conformance::c_aborts)]
fun abort_max_u64_with_full_module_location() {
    abort EBig
}

#[test]
#[expected_failure(abort_code = 7, location = Self)]
fun assert_with_code() {
    assert!(n(1) == 2, 7);
}

#[test]
fun assert_passes_when_true() {
    assert!(n(1) == 1, 7);
    assert!(n(2) > 1);
}

#[test]
#[expected_failure]
fun assert_without_code() {
    assert!(n(1) == 2);
}

#[test]
#[expected_failure]
fun clever_error_constant() {
    assert!(n(1) == 2, EClever);
}

#[test]
#[expected_failure(abort_code = 11, location = conformance::c_aborts_lib)]
fun abort_in_other_module() {
    lib::check_at_least(n(3), 5);
}

#[test]
fun other_module_passes() {
    assert!(lib::check_at_least(n(9), 5) == 9, 0);
    lib::forbid(false);
}

#[test]
#[expected_failure(abort_code = 18446744073709551615, location = conformance::c_aborts_lib)]
fun abort_max_code_in_other_module() {
    lib::forbid(true);
}

#[test]
#[expected_failure(arithmetic_error, location = conformance::c_aborts_lib)]
fun arithmetic_error_location_is_callee() {
    lib::divide(n(1), 0);
}

#[test]
#[expected_failure(abort_code = 5, location = conformance::c_aborts_lib)]
fun abort_deep_in_recursion() {
    lib::nested(n(50), 5);
}

#[test]
#[expected_failure(abort_code = 2, location = sui::balance)]
fun abort_in_framework_module() {
    let mut b = sui::balance::create_for_testing<u64>(n(1));
    let c = b.split(2);
    std::unit_test::destroy(b);
    std::unit_test::destroy(c);
}

#[test]
#[expected_failure(abort_code = sui::balance::ENotEnough)]
fun abort_code_as_framework_constant_path() {
    let mut b = sui::balance::create_for_testing<u64>(n(1));
    let c = b.split(2);
    std::unit_test::destroy(b);
    std::unit_test::destroy(c);
}

#[test]
#[expected_failure(abort_code = 3, location = Self)]
fun abort_in_loop_after_iterations() {
    let mut i = 0;
    loop {
        i = i + 1;
        if (i == n(100)) abort 3;
    }
}

#[test]
#[expected_failure(abort_code = 8, location = Self)]
fun abort_as_expression_value() {
    let x: u64 = if (n(0) == 0) abort 8 else 1;
    assert!(x == 1, 0);
}

fun forever(k: u64): u64 { forever(k + 1) + 1 }

#[test]
#[expected_failure]
fun unbounded_recursion_fails() {
    forever(n(0));
}
