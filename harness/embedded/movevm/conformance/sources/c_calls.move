// Conformance: calls (generic and not), nested generic instantiations,
// phantom type parameters, recursion, method syntax, multiple returns.
#[test_only]
module conformance::c_calls;

use std::type_name;

public struct Box<T> has copy, drop, store { v: T }
public struct Pair<A, B> has copy, drop, store { a: A, b: B }
public struct Tagged<phantom Tag, T> has copy, drop { v: T }
public struct Meters {}
public struct Feet {}

fun id<T>(x: T): T { x }
fun n(x: u64): u64 { x }

fun boxed<T>(v: T): Box<T> { Box { v } }
fun unbox<T>(b: Box<T>): T { let Box { v } = b; v }
fun pair<A, B>(a: A, b: B): Pair<A, B> { Pair { a, b } }
fun swap<A: drop, B: drop>(p: Pair<A, B>): Pair<B, A> { let Pair { a, b } = p; Pair { a: b, b: a } }

fun tag<Tag>(v: u64): Tagged<Tag, u64> { Tagged { v } }
fun add_tagged<Tag>(x: Tagged<Tag, u64>, y: Tagged<Tag, u64>): Tagged<Tag, u64> {
    Tagged { v: x.v + y.v }
}

fun fact(k: u64): u64 { if (k <= 1) 1 else k * fact(k - 1) }
fun fib(k: u64): u64 { if (k < 2) k else fib(k - 1) + fib(k - 2) }
fun is_even(k: u64): bool { if (k == 0) true else is_odd(k - 1) }
fun is_odd(k: u64): bool { if (k == 0) false else is_even(k - 1) }

fun depth<T: drop>(x: T, k: u64): u64 {
    if (k == 0) return 0;
    let b = boxed(x);
    1 + depth(unbox(b), k - 1)
}

fun len_of<T>(v: &vector<T>): u64 { v.length() }
fun name_of<T>(): std::ascii::String { type_name::with_defining_ids<T>().into_string() }

fun divmod(a: u64, b: u64): (u64, u64) { (a / b, a % b) }

use fun box_get as Box.get;
fun box_get<T: copy>(b: &Box<T>): T { b.v }

#[test]
fun non_generic_call() {
    assert!(fact(n(10)) == 3628800, 0);
}

#[test]
fun generic_identity_many_types() {
    assert!(id(n(7)) == 7, 0);
    assert!(id(true), 1);
    assert!(id(@0x42) == @0x42, 2);
    assert!(id(vector[1u8, 2]) == vector[1, 2], 3);
    assert!(id<u256>(1 << 200) == 1 << 200, 4);
}

#[test]
fun generic_struct_roundtrip() {
    let b = boxed(n(3));
    assert!(unbox(b) == 3, 0);
    let bb = boxed(boxed(vector[n(1)]));
    assert!(unbox(unbox(bb)) == vector[1], 1);
}

#[test]
fun nested_generic_instantiation() {
    let p = pair(boxed(n(1)), pair(true, boxed(vector[2u8])));
    let q = swap(p);
    assert!(q.a.b.v == vector[2u8], 0);
    assert!(q.a.a, 1);
    assert!(q.b.v == 1, 2);
}

#[test]
fun generic_recursion_same_type() {
    assert!(depth(vector[n(1)], 20) == 20, 0);
    assert!(depth(boxed(true), 3) == 3, 1);
}

#[test]
fun phantom_tags_are_distinct_types() {
    let a = add_tagged(tag<Meters>(3), tag<Meters>(4));
    let b = add_tagged(tag<Feet>(10), tag<Feet>(1));
    assert!(a.v == 7 && b.v == 11, 0);
    assert!(name_of<Tagged<Meters, u64>>() != name_of<Tagged<Feet, u64>>(), 1);
}

#[test]
fun generic_over_vector_element() {
    assert!(len_of(&vector[n(1), 2, 3]) == 3, 0);
    assert!(len_of(&vector<vector<u8>>[]) == 0, 1);
    assert!(len_of(&vector[boxed(true)]) == 1, 2);
}

#[test]
fun recursion_fibonacci() {
    assert!(fib(n(20)) == 6765, 0);
}

#[test]
fun mutual_recursion() {
    assert!(is_even(n(100)), 0);
    assert!(is_odd(n(77)), 1);
    assert!(!is_even(n(77)), 2);
}

#[test]
fun deep_recursion_within_limit() {
    // 500 frames: well under the VM call-depth limit of 1024.
    assert!(depth(n(0), 500) == 500, 0);
}

#[test]
fun multiple_return_values() {
    let (q, r) = divmod(n(17), 5);
    assert!(q == 3 && r == 2, 0);
}

#[test]
fun method_call_syntax_via_use_fun() {
    let b = boxed(n(9));
    assert!(b.get() == 9, 0);
}

#[test]
fun generic_type_names() {
    assert!(name_of<u64>() == b"u64".to_ascii_string(), 0);
    assert!(name_of<vector<u8>>() == b"vector<u8>".to_ascii_string(), 1);
    assert!(name_of<Box<bool>>().length() > 10, 2);
}

#[test]
#[expected_failure(arithmetic_error, location = Self)]
fun overflow_inside_recursion() {
    fact(n(30));
}

#[test]
#[expected_failure(abort_code = 77, location = Self)]
fun abort_in_nested_generic_call() {
    let p = pair(n(1), boxed(n(2)));
    fail_with(p);
}

fun fail_with<T: drop>(_p: T) { abort 77 }
