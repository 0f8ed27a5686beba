// Conformance: locals (copy/move), branches, loops, early return, tuples, blocks.
#[test_only]
module conformance::c_control;

// Opaque identity: keeps the compiler from constant-folding test inputs.
fun n(x: u64): u64 { x }

fun sign(x: u64, pivot: u64): u8 {
    if (x < pivot) return 0;
    if (x == pivot) { 1 } else { 2 }
}

fun first_multiple_of(v: &vector<u64>, k: u64): u64 {
    let mut i = 0;
    while (i < v.length()) {
        if (v[i] % k == 0) return i;
        i = i + 1;
    };
    v.length()
}

fun swap_pair(a: u64, b: u64): (u64, u64) { (b, a) }

fun triple(x: u64): (u64, bool, vector<u64>) { (x, x > 10, vector[x, x]) }

#[test]
fun copy_keeps_source_usable() {
    let a = n(5);
    let b = a;
    let c = copy a;
    assert!(a + b + c == 15, 0);
}

#[test]
fun move_transfers_value() {
    let v = vector[n(1), n(2)];
    let w = move v;
    assert!(w.length() == 2, 0);
}

#[test]
fun reassignment_shadows_and_mutates() {
    let x = n(1);
    let x = x + 1;
    let mut y = x;
    y = y * 10;
    assert!(x == 2 && y == 20, 0);
}

#[test]
fun if_else_as_expression() {
    let a = if (n(3) > 2) 10 else 20;
    let b = if (n(1) > 2) 10 else 20;
    assert!(a == 10 && b == 20, 0);
}

#[test]
fun early_return_in_helper() {
    assert!(sign(n(1), 5) == 0, 0);
    assert!(sign(n(5), 5) == 1, 1);
    assert!(sign(n(9), 5) == 2, 2);
}

#[test]
fun while_with_early_return() {
    let v = vector[n(3), 5, 7, 12, 9];
    assert!(first_multiple_of(&v, 4) == 3, 0);
    assert!(first_multiple_of(&v, 11) == 5, 1);
}

#[test]
fun loop_with_break_value() {
    let mut i = n(0);
    let r = loop {
        i = i + 3;
        if (i > 20) break i
    };
    assert!(r == 21, 0);
}

#[test]
fun continue_skips_odd_numbers() {
    let mut i = 0;
    let mut sum = 0;
    while (i < n(10)) {
        i = i + 1;
        if (i % 2 == 1) continue;
        sum = sum + i;
    };
    assert!(sum == 30, 0);
}

#[test]
fun nested_loops_count_pairs() {
    let mut count = 0;
    let mut i = 0;
    while (i < n(6)) {
        let mut j = i + 1;
        while (j < 6) {
            count = count + 1;
            j = j + 1;
        };
        i = i + 1;
    };
    assert!(count == 15, 0);
}

#[test]
fun labeled_break_leaves_outer_loop() {
    let mut hits = 0;
    let mut i = 0;
    'outer: loop {
        let mut j = 0;
        loop {
            if (i * j == n(12)) break 'outer;
            hits = hits + 1;
            j = j + 1;
            if (j > 5) break;
        };
        i = i + 1;
    };
    assert!(i == 3 && hits == 22, hits);
}

#[test]
fun labeled_continue_on_outer_loop() {
    let mut total = 0;
    let mut i = 0;
    'rows: while (i < n(4)) {
        i = i + 1;
        let mut j = 0;
        while (j < 4) {
            j = j + 1;
            if (j > i) continue 'rows;
            total = total + 1;
        };
    };
    assert!(total == 10, total);
}

#[test]
fun tuple_returns_destructure() {
    let (a, b) = swap_pair(n(1), 2);
    assert!(a == 2 && b == 1, 0);
    let (x, big, v) = triple(n(11));
    assert!(x == 11 && big && v == vector[11, 11], 1);
}

#[test]
fun tuple_assignment_to_existing_locals() {
    let mut a = n(1);
    let mut b = n(2);
    (a, b) = (b, a);
    assert!(a == 2 && b == 1, 0);
}

#[test]
fun block_expression_value() {
    let y = {
        let t = n(4);
        t * t
    };
    assert!(y == 16, 0);
}

#[test]
fun ignored_values_are_dropped() {
    let _ = n(1);
    let (_, b) = swap_pair(3, 4);
    assert!(b == 3, 0);
}

#[test]
fun many_locals() {
    let (a, b, c, d, e, f, g, h) = (n(1), n(2), n(3), n(4), n(5), n(6), n(7), n(8));
    let (i, j, k, l) = (a + h, b + g, c + f, d + e);
    assert!(i == 9 && j == 9 && k == 9 && l == 9, 0);
}

#[test]
fun loop_sum_large() {
    let mut s = 0u64;
    let mut i = 0u64;
    while (i < n(1000)) { s = s + i; i = i + 1; };
    assert!(s == 499500, 0);
}

#[test]
fun unit_if_without_else() {
    let mut x = n(1);
    if (x == 1) x = 5;
    if (x == 1) x = 7;
    assert!(x == 5, 0);
}
