// Helper module for c_aborts: aborts raised in a callee module, so the
// expected location is this module and not the test's.
#[test_only]
module conformance::c_aborts_lib;

const ETooSmall: u64 = 11;
const ENotAllowed: u64 = 0xFFFF_FFFF_FFFF_FFFF;

public fun check_at_least(x: u64, min: u64): u64 {
    assert!(x >= min, ETooSmall);
    x
}

public fun forbid(flag: bool) {
    if (flag) abort ENotAllowed
}

public fun divide(a: u64, b: u64): u64 { a / b }

public fun nested(depth: u64, code: u64): u64 {
    if (depth == 0) abort code;
    nested(depth - 1, code) + 1
}
