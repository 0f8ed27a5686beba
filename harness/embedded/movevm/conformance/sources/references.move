#[test_only]
module conformance::references;

use conformance::helper;

public struct Inner has copy, drop, store { a: u64, v: vector<u64> }
public struct Outer has copy, drop, store { inner: Inner, flag: bool, items: vector<Inner> }

fun inner(a: u64): Inner { Inner { a, v: vector[a, a + 1] } }
fun outer(): Outer { Outer { inner: inner(1), flag: false, items: vector[inner(10), inner(20)] } }

fun set(r: &mut u64, v: u64) { *r = v }
fun add_one(r: &mut Inner) { r.a = r.a + 1; r.v.push_back(99) }

#[test]
fun mut_ref_to_local() {
    let mut x = 1;
    set(&mut x, 5);
    assert!(x == 5, 0);
    let r = &mut x;
    *r = *r + 1;
    assert!(x == 6, 1);
}

#[test]
fun mut_ref_to_field() {
    let mut o = outer();
    set(&mut o.inner.a, 7);
    assert!(o.inner.a == 7, 0);
    o.flag = true;
    assert!(o.flag, 1);
}

#[test]
fun mut_ref_to_nested_struct() {
    let mut o = outer();
    add_one(&mut o.inner);
    assert!(o.inner.a == 2, 0);
    assert!(o.inner.v == vector[1, 2, 99], 1);
}

#[test]
fun mut_ref_to_vector_element() {
    let mut o = outer();
    add_one(&mut o.items[1]);
    assert!(o.items[1].a == 21, 0);
    assert!(o.items[0].a == 10, 1);
    let e = &mut o.items[0].v[1];
    *e = 500;
    assert!(o.items[0].v == vector[10, 500], 2);
}

#[test]
fun copy_is_deep() {
    let mut o = outer();
    let snapshot = o;
    add_one(&mut o.items[0]);
    assert!(snapshot.items[0].a == 10, 0);
    assert!(o.items[0].a == 11, 1);
    assert!(snapshot != o, 2);
}

#[test]
fun read_ref_copies() {
    let mut v = vector[inner(1)];
    let copy_of = *&v[0];
    add_one(&mut v[0]);
    assert!(copy_of.a == 1 && v[0].a == 2, 0);
}

#[test]
fun freeze_ref() {
    let mut x = inner(3);
    let r: &Inner = &mut x;
    assert!(r.a == 3, 0);
}

#[test]
fun ref_equality_compares_values() {
    let a = inner(4);
    let b = inner(4);
    assert!(&a == &b, 0);
    let c = inner(5);
    assert!(&a != &c, 1);
}

#[test]
fun write_whole_struct_through_ref() {
    let mut o = outer();
    let r = &mut o.inner;
    *r = inner(40);
    assert!(o.inner.v == vector[40, 41], 0);
}

#[test]
fun refs_across_modules() {
    let mut c = helper::counter(1);
    helper::bump(&mut c);
    helper::bump(&mut c);
    assert!(helper::n(&c) == 3, 0);
}

#[test]
fun swap_through_refs() {
    let mut a = 1;
    let mut b = 2;
    let (ra, rb) = (&mut a, &mut b);
    let t = *ra;
    *ra = *rb;
    *rb = t;
    assert!(a == 2 && b == 1, 0);
}

#[test]
fun struct_unpack_and_repack() {
    let Outer { inner: Inner { a, v }, flag, items } = outer();
    assert!(a == 1 && v.length() == 2 && !flag && items.length() == 2, 0);
}

public struct Mixed has copy, drop { n: u64, v: vector<u64>, s: Inner }

#[test]
fun copy_of_struct_with_leading_scalar_is_deep() {
    let mut m = Mixed { n: 1, v: vector[1], s: inner(2) };
    let c = m;
    m.v.push_back(2);
    m.s.v.push_back(3);
    *&mut m.n = 9;
    assert!(c.v == vector[1] && c.s.v == vector[2, 3] && c.n == 1, 0);
    assert!(m.v == vector[1, 2] && m.s.v == vector[2, 3, 3], 1);
}

#[test]
fun read_ref_of_struct_with_leading_scalar_is_a_copy() {
    let mut v = vector[inner(1)];
    let snapshot = *&v[0];
    add_one(&mut v[0]);
    assert!(snapshot.v == vector[1, 2] && v[0].v == vector[1, 2, 99], 0);
}
