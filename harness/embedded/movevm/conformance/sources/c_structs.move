// Conformance: pack/unpack (plain, generic, positional, nested), field
// borrows (imm/mut), struct equality, copy/drop abilities.
#[test_only]
module conformance::c_structs;

public struct Point has copy, drop { x: u64, y: u64 }
public struct Rect has copy, drop { lo: Point, hi: Point }
public struct Wrapper<T> has copy, drop { inner: T, count: u8 }
public struct Pos(u64, bool) has copy, drop;
public struct GenPos<T>(T, T) has copy, drop;
public struct Empty has copy, drop {}
public struct Resource { value: u64 }
public struct Account has drop { owner: address, balances: vector<u64>, name: vector<u8> }

fun n(x: u64): u64 { x }

fun area(r: &Rect): u64 { (r.hi.x - r.lo.x) * (r.hi.y - r.lo.y) }

fun bump(p: &mut Point) { p.x = p.x + 1; p.y = p.y + 2; }

fun consume(r: Resource): u64 { let Resource { value } = r; value }

#[test]
fun pack_and_read_fields() {
    let p = Point { x: n(3), y: 4 };
    assert!(p.x == 3 && p.y == 4, 0);
}

#[test]
fun unpack_destructures() {
    let Point { x, y } = Point { x: n(8), y: 9 };
    assert!(x + y == 17, 0);
    let Point { x: a, y: _ } = Point { x: 1, y: 2 };
    assert!(a == 1, 1);
}

#[test]
fun nested_struct_fields() {
    let r = Rect { lo: Point { x: n(1), y: 1 }, hi: Point { x: 4, y: 5 } };
    assert!(area(&r) == 12, 0);
    let Rect { lo: Point { x: lx, y: _ }, hi } = r;
    assert!(lx == 1 && hi.y == 5, 1);
}

#[test]
fun mutable_field_borrow() {
    let mut p = Point { x: n(0), y: 0 };
    bump(&mut p);
    bump(&mut p);
    assert!(p == Point { x: 2, y: 4 }, 0);
}

#[test]
fun mutable_nested_field_assignment() {
    let mut r = Rect { lo: Point { x: n(0), y: 0 }, hi: Point { x: 1, y: 1 } };
    r.hi.x = 10;
    let hy = &mut r.hi.y;
    *hy = *hy + 9;
    assert!(area(&r) == 100, 0);
}

#[test]
fun generic_struct_pack_unpack() {
    let w = Wrapper { inner: vector[n(1), 2], count: 2 };
    let Wrapper { inner, count } = w;
    assert!(inner.length() == (count as u64), 0);
    let ww = Wrapper { inner: Wrapper { inner: true, count: 1 }, count: 2 };
    assert!(ww.inner.inner && ww.inner.count == 1, 1);
}

#[test]
fun positional_structs() {
    let p = Pos(n(5), true);
    assert!(p.0 == 5 && p.1, 0);
    let Pos(a, b) = p;
    assert!(a == 5 && b, 1);
    let g = GenPos(vector[1u8], vector[2u8]);
    let GenPos(x, y) = g;
    assert!(x != y, 2);
}

#[test]
fun empty_struct() {
    let e = Empty {};
    let Empty {} = e;
    assert!(Empty {} == Empty {}, 0);
}

#[test]
fun struct_equality_is_structural() {
    let a = Rect { lo: Point { x: n(1), y: 2 }, hi: Point { x: 3, y: 4 } };
    let mut b = a;
    assert!(a == b, 0);
    b.lo.y = 0;
    assert!(a != b, 1);
}

#[test]
fun copy_struct_is_independent() {
    let mut a = Point { x: n(1), y: 1 };
    let b = a;
    a.x = 100;
    assert!(b.x == 1 && a.x == 100, 0);
}

#[test]
fun resource_without_abilities_must_be_unpacked() {
    let r = Resource { value: n(42) };
    assert!(consume(r) == 42, 0);
}

#[test]
fun struct_with_vector_fields() {
    let mut acc = Account { owner: @0xCAFE, balances: vector[], name: b"alice" };
    acc.balances.push_back(n(10));
    acc.balances.push_back(20);
    *&mut acc.balances[0] = 15;
    assert!(acc.balances == vector[15, 20], 0);
    assert!(acc.name.length() == 5 && acc.owner == @0xCAFE, 1);
}

#[test]
fun borrow_field_of_field_through_reference() {
    let r = Rect { lo: Point { x: n(7), y: 8 }, hi: Point { x: 9, y: 10 } };
    let rr = &r;
    let lo = &rr.lo;
    assert!(lo.x == 7 && rr.hi.y == 10, 0);
}

#[test]
fun replace_whole_struct_through_mut_ref() {
    let mut r = Rect { lo: Point { x: n(0), y: 0 }, hi: Point { x: 0, y: 0 } };
    let hi = &mut r.hi;
    *hi = Point { x: 3, y: 3 };
    assert!(area(&r) == 9, 0);
}

#[test]
#[expected_failure(arithmetic_error, location = Self)]
fun field_arithmetic_underflow() {
    let r = Rect { lo: Point { x: n(5), y: 0 }, hi: Point { x: 1, y: 1 } };
    area(&r);
}
