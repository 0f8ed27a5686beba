// K3s-DaaS shim of std::unit_test. `poison` and `destroy` are the real natives; the assertion
// macros (`assert_eq`, `assert_ref_eq`, the real framework's only two) are written here.

#[test_only]
/// Helpers available only when compiling for tests.
module std::unit_test;

/// The compiler calls this from every test-mode module so that such bytecode
/// cannot link outside a unit-test VM.
public native fun poison();

/// Consume any value, whatever its abilities (test clean-up of objects and caps).
public native fun destroy<T>(x: T);

/// Abort (after printing both values) unless `t1 == t2`.
public macro fun assert_eq<$T: drop>($t1: $T, $t2: $T) {
    let a = $t1;
    let b = $t2;
    assert_ref_eq!(&a, &b)
}

public macro fun assert_ref_eq<$T>($t1: &$T, $t2: &$T) {
    let a = $t1;
    let b = $t2;
    if (a != b) {
        std::debug::print(&b"Assertion failed:".to_string());
        std::debug::print(a);
        std::debug::print(&b"!=".to_string());
        std::debug::print(b);
        assert!(false);
    }
}
