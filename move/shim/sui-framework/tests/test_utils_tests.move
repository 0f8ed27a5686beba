#[test_only]
#[allow(deprecated_usage)]
module sui::test_utils_tests;

use sui::test_utils;
use sui::types;

/// One-time witness of this module.
public struct TEST_UTILS_TESTS has drop {}

public struct Plain has drop {}

public struct NoAbilities { value: u64 }

#[test]
fun assert_eq_accepts_equal_values() {
    test_utils::assert_eq(b"abc", b"abc");
    test_utils::assert_ref_eq(&7u64, &7u64);
    test_utils::print(b"printing works");
}

#[test]
#[expected_failure(abort_code = 0, location = sui::test_utils)]
fun assert_eq_aborts_on_different_values() {
    test_utils::assert_eq(1u64, 2u64);
}

#[test]
fun destroy_drops_values_without_drop() {
    test_utils::destroy(NoAbilities { value: 1 });
}

#[test]
fun one_time_witness_is_recognised() {
    let otw = test_utils::create_one_time_witness<TEST_UTILS_TESTS>();
    assert!(types::is_one_time_witness(&otw));
    assert!(!types::is_one_time_witness(&Plain {}));
}
