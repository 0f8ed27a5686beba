// Conformance: Move value semantics. A copy is a deep, independent value:
// mutating the original after a copy (of a vector, a struct holding vectors,
// an element read out of a vector, an Option, a String) must not change the
// copy, and vice versa. An interpreter that shares storage between copies
// fails these.
#[test_only]
module conformance::c_values;

use std::string;

public struct Bag has copy, drop { items: vector<u64>, nested: vector<vector<u8>>, label: string::String }
public struct Outer has copy, drop { bag: Bag, opt: Option<Bag> }
public enum Slot has copy, drop { Empty, Full(vector<u64>) }

fun n(x: u64): u64 { x }
fun bag(): Bag { Bag { items: vector[n(1), 2], nested: vector[b"a", b"b"], label: string::utf8(b"L") } }
fun ret_copy(b: &Bag): Bag { *b }
fun push_into(v: &mut vector<u64>, x: u64) { v.push_back(x) }

#[test]
fun vector_copy_is_independent() {
    let mut a = vector[n(1), 2, 3];
    let b = a;
    a.push_back(4);
    *&mut a[0] = 100;
    assert!(b == vector[1, 2, 3], 0);
    assert!(a == vector[100, 2, 3, 4], 1);
}

#[test]
fun nested_vector_copy_is_deep() {
    let mut a = vector[vector[n(1)], vector[2]];
    let b = a;
    a[0].push_back(9);
    assert!(b[0] == vector[1], 0);
    assert!(a[0] == vector[1, 9], 1);
}

#[test]
fun element_read_out_of_vector_is_a_copy() {
    let mut v = vector[bag(), bag()];
    let mut first = v[0];
    first.items.push_back(3);
    v[1].nested[0].push_back(0x7a);
    assert!(v[0].items == vector[1, 2], 0);
    assert!(first.items == vector[1, 2, 3], 1);
    assert!(v[0].nested[0] == b"a" && v[1].nested[0] == b"az", 2);
}

#[test]
fun pushed_value_is_detached_from_local() {
    let mut local = vector[n(5)];
    let mut outer = vector[];
    outer.push_back(local);
    local.push_back(6);
    outer[0].push_back(7);
    assert!(local == vector[5, 6], 0);
    assert!(outer[0] == vector[5, 7], 1);
}

#[test]
fun struct_copy_with_vectors_is_deep() {
    let mut a = bag();
    let b = a;
    a.items.push_back(3);
    *&mut a.nested[1] = b"changed";
    a.label.append_utf8(b"!");
    assert!(b == bag(), 0);
    assert!(a.items.length() == 3 && a.nested[1] == b"changed", 1);
    assert!(a.label == string::utf8(b"L!"), 2);
}

#[test]
fun copy_returned_from_reference_is_detached() {
    let mut a = bag();
    let mut c = ret_copy(&a);
    c.items.push_back(99);
    push_into(&mut a.items, 42);
    assert!(a.items == vector[1, 2, 42], 0);
    assert!(c.items == vector[1, 2, 99], 1);
}

#[test]
fun write_ref_stores_a_copy() {
    let mut dst = vector[n(0)];
    let mut src = vector[n(7), 8];
    *&mut dst = src;
    src.push_back(9);
    assert!(dst == vector[7, 8], 0);
    dst.push_back(1);
    assert!(src == vector[7, 8, 9], 1);
}

#[test]
fun option_copy_is_independent() {
    let mut o = Outer { bag: bag(), opt: option::some(bag()) };
    let snapshot = o;
    o.opt.borrow_mut().items.push_back(5);
    o.bag.items.pop_back();
    assert!(snapshot.opt.borrow().items == vector[1, 2], 0);
    assert!(snapshot.bag.items == vector[1, 2], 1);
    assert!(o.opt.borrow().items == vector[1, 2, 5] && o.bag.items == vector[1], 2);
}

#[test]
fun enum_payload_copy_is_independent() {
    let mut s = Slot::Full(vector[n(1)]);
    let t = s;
    match (&mut s) {
        Slot::Full(v) => v.push_back(2),
        Slot::Empty => abort 1,
    };
    assert!(t == Slot::Full(vector[1]), 0);
    assert!(s == Slot::Full(vector[1, 2]), 1);
}

#[test]
fun moved_value_then_rebound_local() {
    let mut v = vector[n(1)];
    let w = move v;
    v = vector[2];
    v.push_back(3);
    assert!(w == vector[1] && v == vector[2, 3], 0);
}

#[test]
fun loop_reuses_local_without_aliasing() {
    let mut rows = vector[];
    let mut row = vector[];
    let mut i = 0;
    while (i < n(3)) {
        row.push_back(i);
        rows.push_back(row);
        i = i + 1;
    };
    assert!(rows == vector[vector[0], vector[0, 1], vector[0, 1, 2]], 0);
}

#[test]
fun swap_through_references_exchanges_values() {
    let mut a = bag();
    let mut b = Bag { items: vector[], nested: vector[], label: string::utf8(b"") };
    let tmp = a;
    a = b;
    b = tmp;
    b.items.push_back(3);
    assert!(a.items.is_empty() && b.items == vector[1, 2, 3], 0);
    assert!(tmp.items == vector[1, 2], 1);
}

#[test]
fun string_copy_then_append() {
    let mut s = string::utf8(b"abc");
    let t = s;
    s.append(string::utf8(b"def"));
    assert!(t == string::utf8(b"abc") && s.length() == 6, 0);
}

#[test]
fun vector_swap_moves_whole_elements() {
    let mut v = vector[vector[n(1)], vector[2, 3]];
    v.swap(0, 1);
    v[0].push_back(4);
    assert!(v == vector[vector[2, 3, 4], vector[1]], 0);
}

#[test]
fun std_vector_append_copies_in() {
    let mut a = vector[vector[n(1)]];
    let mut b = vector[vector[n(2)]];
    let keep = b;
    a.append(b);
    a[1].push_back(5);
    b = vector[];
    assert!(keep == vector[vector[2]] && b.is_empty(), 0);
    assert!(a == vector[vector[1], vector[2, 5]], 1);
}
