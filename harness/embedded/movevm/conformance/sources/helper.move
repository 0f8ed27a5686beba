#[test_only]
module conformance::helper;

public fun three(x: u64): (u64, u64, bool) { (x, x + 1, true) }

public fun fail_with(code: u64) { abort code }

public fun nested_fail(n: u64) {
    if (n == 0) abort 3;
    nested_fail(n - 1)
}

public fun overflow(): u8 {
    let (x, _, _) = three(255);
    (x as u8) + 1
}

public struct Counter has copy, drop, store { n: u64 }

public fun counter(n: u64): Counter { Counter { n } }
public fun bump(c: &mut Counter) { c.n = c.n + 1 }
public fun n(c: &Counter): u64 { c.n }
