// Conformance: Move 2024 surface features as the compiler lowers them —
// labeled blocks with `return 'label`, loops yielding values, `..` rest and
// `mut` bindings in patterns, module-local macros with lambdas, `use fun`
// method aliases, public(package) calls, and chained method calls.
#[test_only]
module conformance::c_syntax;

public struct Point has copy, drop { x: u64, y: u64, z: u64 }
public enum Msg has copy, drop { Move { dx: u64, dy: u64 }, Say(vector<u8>, u8), Quit }

fun n(x: u64): u64 { x }

macro fun apply_twice($f: |u64| -> u64, $x: u64): u64 {
    $f($f($x))
}

macro fun sum_by<$T>($v: &vector<$T>, $f: |&$T| -> u64): u64 {
    let v = $v;
    let mut s = 0;
    let mut i = 0;
    while (i < v.length()) { s = s + $f(&v[i]); i = i + 1; };
    s
}

use fun point_norm1 as Point.norm1;
fun point_norm1(p: &Point): u64 { p.x + p.y + p.z }

use fun point_scaled as Point.scaled;
fun point_scaled(p: Point, k: u64): Point { Point { x: p.x * k, y: p.y * k, z: p.z * k } }

public(package) fun package_visible(x: u64): u64 { x + 1 }

#[test]
fun labeled_block_early_value() {
    let v = vector[n(4), 7, 9, 12];
    let first_odd = 'search: {
        let mut i = 0;
        while (i < v.length()) {
            if (v[i] % 2 == 1) return 'search v[i];
            i = i + 1;
        };
        0
    };
    assert!(first_odd == 7, 0);
}

#[test]
fun rest_patterns_and_mut_bindings() {
    let p = Point { x: n(1), y: 2, z: 3 };
    let Point { x, .. } = p;
    let Point { mut z, .. } = p;
    z = z * 10;
    assert!(x == 1 && z == 30, 0);
    let r = match (Msg::Say(b"hi", 2)) {
        Msg::Say(mut text, times) => { text.push_back(times); text },
        _ => vector[],
    };
    assert!(r == vector[104, 105, 2], 1);
}

#[test]
fun enum_rest_pattern() {
    let m = Msg::Move { dx: n(3), dy: 4 };
    let dx = match (m) {
        Msg::Move { dx, .. } => dx,
        Msg::Say(..) => 0,
        Msg::Quit => 0,
    };
    assert!(dx == 3, 0);
}

#[test]
fun local_macros_with_lambdas() {
    assert!(apply_twice!(|x| x * 3, n(2)) == 18, 0);
    let offset = n(5);
    assert!(apply_twice!(|x| x + offset, 1) == 11, 1);
    let pts = vector[Point { x: 1, y: 1, z: 1 }, Point { x: 2, y: 0, z: 0 }];
    assert!(sum_by!(&pts, |p| p.norm1()) == 5, 2);
}

#[test]
fun use_fun_method_chain() {
    let p = Point { x: n(1), y: 2, z: 3 };
    assert!(p.scaled(2).scaled(3).norm1() == 36, 0);
}

#[test]
fun package_visibility_call() {
    assert!(package_visible(n(41)) == 42, 0);
}

#[test]
fun loop_yields_value_from_nested_block() {
    let mut i = n(0);
    let found = loop {
        i = i + 1;
        let sq = { let t = i * i; t };
        if (sq > 50) break sq;
    };
    assert!(found == 64 && i == 8, 0);
}

#[test]
fun while_loop_with_complex_condition() {
    let v = vector[n(1), 2, 3, 0, 5];
    let mut i = 0;
    while (i < v.length() && v[i] != 0) i = i + 1;
    assert!(i == 3, 0);
}

#[test]
fun lambda_capturing_mutable_state_in_std_macro() {
    let mut log = vector[];
    vector[n(3), 1, 2].do!(|x| log.push_back(x * 2));
    assert!(log == vector[6, 2, 4], 0);
}

#[test]
#[expected_failure(abort_code = 4, location = Self)]
fun return_from_labeled_block_then_abort() {
    let v = 'b: { if (n(1) == 1) return 'b 4; 0 };
    abort v
}
