#[test_only]
module failing::other;

public fun fail(code: u64) { abort code }
public fun deep(n: u64) { if (n == 0) abort 99 else deep(n - 1) }
public fun overflow(x: u64): u64 { x + 18446744073709551615 }
