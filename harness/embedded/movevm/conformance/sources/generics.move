#[test_only]
module conformance::generics;

use std::type_name;

public struct Box<T> has copy, drop, store { v: T }
public struct Pair<A, B> has copy, drop, store { a: A, b: B }
public struct Tagged<phantom T> has copy, drop, store { n: u64 }
public struct Marker has copy, drop, store {}

fun wrap<T>(v: T): Box<T> { Box { v } }
fun unwrap<T>(b: Box<T>): T { let Box { v } = b; v }
fun pair<A, B>(a: A, b: B): Pair<A, B> { Pair { a, b } }
fun swap_pair<A, B>(p: Pair<A, B>): Pair<B, A> { let Pair { a, b } = p; Pair { a: b, b: a } }
fun first<T: copy>(v: &vector<T>): T { v[0] }
fun name_of<T>(): std::ascii::String { type_name::with_defining_ids<T>().into_string() }
fun deep<T: copy + drop>(x: T, n: u64): vector<T> { if (n == 0) vector[] else { let mut r = deep(x, n - 1); r.push_back(x); r } }

#[test]
fun generic_struct_roundtrip() {
    assert!(unwrap(wrap(5u8)) == 5, 0);
    assert!(unwrap(wrap(b"hi")) == b"hi", 1);
}

#[test]
fun nested_generics() {
    let b = wrap(wrap(pair(1u16, true)));
    assert!(b.v.v.a == 1 && b.v.v.b, 0);
}

#[test]
fun generic_swap() {
    let p = swap_pair(pair(1u64, b"x"));
    assert!(p.a == b"x" && p.b == 1, 0);
}

#[test]
fun generic_vector_of_structs() {
    let v = vector[wrap(1u32), wrap(2u32)];
    assert!(first(&v).v == 1, 0);
}

#[test]
fun phantom_types() {
    let a = Tagged<u8> { n: 1 };
    let b = Tagged<Marker> { n: 1 };
    assert!(a.n == b.n, 0);
}

#[test]
fun generic_recursion() {
    let v = deep(wrap(7u8), 5);
    assert!(v.length() == 5 && v[4].v == 7, 0);
}

#[test]
fun type_names_of_instantiations() {
    assert!(name_of<u64>() == std::ascii::string(b"u64"), 0);
    assert!(name_of<vector<u8>>() == std::ascii::string(b"vector<u8>"), 1);
    assert!(
        name_of<Box<u128>>() == std::ascii::string(b"0000000000000000000000000000000000000000000000000000000000000000::generics::Box<u128>"),
        2,
    );
    assert!(
        name_of<Pair<address, Marker>>() == std::ascii::string(b"0000000000000000000000000000000000000000000000000000000000000000::generics::Pair<address,0000000000000000000000000000000000000000000000000000000000000000::generics::Marker>"),
        3,
    );
}

#[test]
fun type_name_parts() {
    let t = type_name::with_defining_ids<Box<u8>>();
    assert!(t.module_string() == std::ascii::string(b"generics"), 0);
    assert!(!t.is_primitive(), 1);
    assert!(type_name::with_defining_ids<bool>().is_primitive(), 2);
}

#[test]
fun generic_equality() {
    assert!(pair(1u8, wrap(2u64)) == pair(1u8, wrap(2u64)), 0);
    assert!(pair(1u8, wrap(2u64)) != pair(1u8, wrap(3u64)), 1);
}
