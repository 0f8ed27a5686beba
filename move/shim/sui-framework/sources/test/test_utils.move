// K3s-DaaS shim of sui::test_utils (Sui 1.71.1 signatures; bodies are our own).

#[test_only]
/// Legacy test helpers (the real framework deprecates most in favour of std::unit_test).
module sui::test_utils;

#[deprecated(note = b"Use `std::unit_test::assert_eq!` for better error messages")]
/// Aborts with code 0 (after printing both values) unless `t1 == t2`.
public fun assert_eq<T: drop>(t1: T, t2: T) {
    check_ref_eq(&t1, &t2)
}

#[deprecated(note = b"Use `std::unit_test::assert_ref_eq!` for better error messages")]
public fun assert_ref_eq<T>(t1: &T, t2: &T) {
    check_ref_eq(t1, t2)
}

#[deprecated(note = b"Use `std::debug::print` instead")]
public fun print(str: vector<u8>) {
    print_bytes(str)
}

#[deprecated(note = b"Use `std::unit_test::destroy` instead")]
/// Drop any value, including ones without `drop`.
public fun destroy<T>(x: T) {
    std::unit_test::destroy(x)
}

/// A value of `T` that passes `types::is_one_time_witness`.
public native fun create_one_time_witness<T: drop>(): T;

fun check_ref_eq<T>(t1: &T, t2: &T) {
    if (t1 != t2) {
        print_bytes(b"Assertion failed:");
        std::debug::print(t1);
        print_bytes(b"!=");
        std::debug::print(t2);
        abort 0
    }
}

fun print_bytes(str: vector<u8>) {
    std::debug::print(&std::ascii::string(str))
}
