#[test_only]
module conformance::control;

use conformance::helper;

const ECustom: u64 = 42;

fun id(x: u64): u64 { x }

fun fib(n: u64): u64 { if (n < 2) n else fib(n - 1) + fib(n - 2) }

fun early(x: u64): u64 {
    if (x > 10) return 1;
    let mut i = 0;
    loop {
        i = i + 1;
        if (i == x) break;
    };
    i
}

#[test]
fun while_loop_sum() {
    let mut i = 0;
    let mut s = 0;
    while (i < id(100)) { s = s + i; i = i + 1; };
    assert!(s == 4950, 0);
}

#[test]
fun loop_with_break_and_continue() {
    let mut i = 0;
    let mut odd = 0;
    loop {
        i = i + 1;
        if (i > id(20)) break;
        if (i % 2 == 0) continue;
        odd = odd + 1;
    };
    assert!(odd == 10, 0);
}

#[test]
fun recursion() {
    assert!(fib(id(15)) == 610, 0);
}

#[test]
fun early_return() {
    assert!(early(id(50)) == 1, 0);
    assert!(early(id(5)) == 5, 1);
}

#[test]
fun bool_logic_short_circuits() {
    let t = id(1) == 1;
    let f = !t;
    assert!(t || (id(1) / id(0) == 0), 0); // right side never runs
    assert!(!(f && (id(1) / id(0) == 0)), 1);
}

#[test]
fun tuple_returns() {
    let (a, b, c) = helper::three(id(7));
    assert!(a == 7 && b == 8 && c, 0);
}

#[test]
#[expected_failure(abort_code = 42, location = Self)]
fun abort_with_named_constant() {
    abort ECustom
}

#[test]
#[expected_failure(abort_code = ECustom)]
fun abort_code_as_constant_name() {
    assert!(id(1) == 2, ECustom);
}

#[test]
#[expected_failure(abort_code = 9, location = conformance::helper)]
fun abort_in_callee_reports_callee_module() {
    helper::fail_with(id(9));
}

#[test]
#[expected_failure(abort_code = 3, location = conformance::helper)]
fun abort_deep_in_call_chain() {
    helper::nested_fail(id(5));
}

#[test]
#[expected_failure(arithmetic_error, location = conformance::helper)]
fun arithmetic_error_in_callee() {
    helper::overflow();
}

#[test]
#[expected_failure]
fun bare_expected_failure() {
    abort 1
}

#[test]
#[expected_failure(abort_code = 18446744073709551615, location = Self)]
fun abort_max_u64() {
    abort id(18446744073709551615)
}

// No out-of-gas test here: the WASM runner has no effective gas bound (an
// infinite loop never returns), so that verdict is not comparable. The VM's
// metering is tested in vm.test.ts.

#[test]
fun assert_passes() {
    assert!(id(3) == 3);
}

#[test]
#[expected_failure(abort_code = 77, location = Self)]
fun abort_inside_loop() {
    let mut i = 0;
    while (true) { i = i + 1; if (i == id(50)) abort 77; };
}
