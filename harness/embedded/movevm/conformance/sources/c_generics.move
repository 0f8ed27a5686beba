// Conformance: type-parameter substitution. Generic functions that call
// other generic functions with permuted or wrapped type arguments; type_name,
// bcs and dynamic fields observed inside generic code (they see the
// substituted types); generic enums and structs with phantom parameters,
// ability-constrained parameters, and generic vector/option nesting.
#[test_only]
module conformance::c_generics;

use std::ascii::String;
use std::type_name;

public struct Box<T> has copy, drop, store { v: T }
public struct Two<A, B> has copy, drop, store { a: A, b: B }
public struct Marker<phantom T> has copy, drop, store { count: u64 }
public enum Tree<T> has copy, drop { Leaf(T), Pair(T, T), Nil }
public struct Red {}
public struct Blue {}

fun n(x: u64): u64 { x }
fun tn<T>(): String { type_name::with_defining_ids<T>().into_string() }

fun name_in_box<T>(): String { tn<Box<T>>() }
fun name_of_swapped<A, B>(): String { tn<Two<B, A>>() }
fun name_two_levels<T>(): String { name_in_box<vector<T>>() }

fun swap<A: copy + drop, B: copy + drop>(t: Two<A, B>): Two<B, A> { Two { a: t.b, b: t.a } }
fun swap_twice<A: copy + drop, B: copy + drop>(t: Two<A, B>): Two<A, B> { swap(swap(t)) }
fun wrap<T: copy + drop>(x: T): Box<Box<T>> { Box { v: Box { v: x } } }
fun unwrap<T: copy + drop>(b: Box<Box<T>>): T { b.v.v }

fun count_leaves<T: copy + drop>(ts: &vector<Tree<T>>): u64 {
    let mut c = 0;
    let mut i = 0;
    while (i < ts.length()) {
        c = c + match (&ts[i]) {
            Tree::Leaf(_) => 1,
            Tree::Pair(_, _) => 2,
            Tree::Nil => 0,
        };
        i = i + 1;
    };
    c
}

fun first_some<T: copy + drop>(v: &vector<Option<T>>): Option<T> {
    let mut i = 0;
    while (i < v.length()) {
        if (v[i].is_some()) return v[i];
        i = i + 1;
    };
    option::none()
}

fun bump<T>(m: &mut Marker<T>) { m.count = m.count + 1; }

fun bytes_of<T: drop>(x: T): vector<u8> { std::bcs::to_bytes(&x) }

fun store_generic<K: copy + drop + store, V: store>(uid: &mut UID, k: K, v: V) {
    sui::dynamic_field::add(uid, k, v)
}

fun has_typed<K: copy + drop + store, V: store>(uid: &UID, k: K): bool {
    sui::dynamic_field::exists_with_type<K, V>(uid, k)
}

#[test]
fun substitution_into_struct_type_name() {
    assert!(name_in_box<u8>() == tn<Box<u8>>(), 0);
    assert!(name_in_box<bool>() != name_in_box<u8>(), 1);
}

#[test]
fun permuted_type_arguments() {
    assert!(name_of_swapped<u8, bool>() == tn<Two<bool, u8>>(), 0);
    assert!(name_of_swapped<u8, bool>() != tn<Two<u8, bool>>(), 1);
}

#[test]
fun two_levels_of_substitution() {
    assert!(name_two_levels<u64>() == tn<Box<vector<u64>>>(), 0);
    assert!(name_two_levels<Box<u8>>() == tn<Box<vector<Box<u8>>>>(), 1);
}

#[test]
fun generic_swap_keeps_values() {
    let t = Two { a: n(1), b: b"x" };
    let s = swap(t);
    assert!(s.a == b"x" && s.b == 1, 0);
    assert!(swap_twice(t) == t, 1);
}

#[test]
fun nested_wrap_unwrap() {
    assert!(unwrap(wrap(n(5))) == 5, 0);
    assert!(unwrap(wrap(vector[true])) == vector[true], 1);
    assert!(unwrap(wrap(wrap(n(2)))).v.v == 2, 2);
}

#[test]
fun generic_enum_over_several_types() {
    let a = vector[Tree::Leaf(n(1)), Tree::Pair(2, 3), Tree::Nil];
    let b = vector[Tree::Pair(b"x", b"y"), Tree::Pair(b"z", b"")];
    assert!(count_leaves(&a) == 3, 0);
    assert!(count_leaves(&b) == 4, 1);
    assert!(count_leaves(&vector<Tree<bool>>[]) == 0, 2);
}

#[test]
fun generic_option_vector() {
    let v = vector[option::none(), option::some(n(4)), option::some(5)];
    assert!(first_some(&v) == option::some(4), 0);
    let w = vector<Option<vector<u8>>>[option::none()];
    assert!(first_some(&w).is_none(), 1);
}

#[test]
fun phantom_markers_are_separate_types() {
    let mut r = Marker<Red> { count: 0 };
    let mut b = Marker<Blue> { count: 10 };
    bump(&mut r);
    bump(&mut b);
    bump(&mut b);
    assert!(r.count == 1 && b.count == 12, 0);
    assert!(tn<Marker<Red>>() != tn<Marker<Blue>>(), 1);
    // A phantom parameter does not change the layout.
    assert!(std::bcs::to_bytes(&r) == std::bcs::to_bytes(&Marker<Blue> { count: 1 }), 2);
}

#[test]
fun bcs_inside_generic_function() {
    assert!(bytes_of(n(1)) == x"0100000000000000", 0);
    assert!(bytes_of(1u16) == x"0100", 1);
    assert!(bytes_of(Box { v: Two { a: 1u8, b: true } }) == x"0101", 2);
    assert!(bytes_of(Tree::Pair(1u8, 2u8)) == x"010102", 3);
}

#[test]
fun dynamic_field_types_from_generic_code() {
    let mut ctx = tx_context::dummy();
    let mut uid = object::new(&mut ctx);
    store_generic(&mut uid, n(1), Box { v: 7u8 });
    store_generic(&mut uid, Box { v: n(1) }, b"boxed key");
    assert!(has_typed<u64, Box<u8>>(&uid, 1), 0);
    assert!(!has_typed<u64, Box<u16>>(&uid, 1), 1);
    assert!(has_typed<Box<u64>, vector<u8>>(&uid, Box { v: 1 }), 2);
    assert!(!has_typed<Box<u32>, vector<u8>>(&uid, Box { v: 1 }), 3);
    let Box { v } = sui::dynamic_field::remove<u64, Box<u8>>(&mut uid, 1);
    let s: vector<u8> = sui::dynamic_field::remove(&mut uid, Box { v: n(1) });
    assert!(v == 7 && s == b"boxed key", 4);
    uid.delete();
}

#[test]
fun explicit_type_arguments_on_calls() {
    let e = vector::empty<Two<u8, Box<bool>>>();
    assert!(e.length() == 0, 0);
    let o = option::some<Box<u256>>(Box { v: 1 << 200 });
    assert!(o.borrow().v == 1 << 200, 1);
}

#[test]
#[expected_failure(abort_code = 2, location = sui::dynamic_field)]
fun generic_dynamic_field_type_mismatch() {
    let mut ctx = tx_context::dummy();
    let mut uid = object::new(&mut ctx);
    store_generic(&mut uid, n(1), Box { v: 7u8 });
    let _b: Box<u64> = sui::dynamic_field::remove(&mut uid, 1u64);
    abort 0
}
