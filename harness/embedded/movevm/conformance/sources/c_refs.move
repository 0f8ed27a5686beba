// Conformance: references into locals, struct fields, vector elements and
// nested paths (`&mut v[i].f`), read/write through references, freeze,
// references passed to and returned from functions.
#[test_only]
module conformance::c_refs;

public struct Cell has copy, drop { v: u64, tags: vector<u8> }
public struct Grid has copy, drop { rows: vector<vector<u64>>, cells: vector<Cell> }
public struct Holder<T> has drop { item: T }

fun n(x: u64): u64 { x }

fun inc(r: &mut u64) { *r = *r + 1; }
fun read(r: &u64): u64 { *r }
fun pick<T>(v: &vector<T>, i: u64): &T { &v[i] }
fun pick_mut<T>(v: &mut vector<T>, i: u64): &mut T { &mut v[i] }
fun larger(a: &mut u64, b: &mut u64): &mut u64 { if (*a >= *b) a else b }
fun cell_value(c: &Cell): &u64 { &c.v }
fun holder_item_mut<T>(h: &mut Holder<T>): &mut T { &mut h.item }

#[test]
fun mut_ref_to_local() {
    let mut x = n(1);
    inc(&mut x);
    inc(&mut x);
    assert!(x == 3, 0);
}

#[test]
fun imm_ref_read_and_copy() {
    let x = n(41);
    let r = &x;
    let y = *r + 1;
    assert!(read(r) == 41 && y == 42, 0);
}

#[test]
fun write_ref_directly() {
    let mut x = n(0);
    let r = &mut x;
    *r = 99;
    assert!(x == 99, 0);
}

#[test]
#[allow(unused_mut_ref)]
fun freeze_mut_ref() {
    let mut x = n(5);
    let r = &mut x;
    *r = 6;
    let f: &u64 = freeze(r);
    assert!(*f == 6, 0);
    let g: &u64 = &mut x; // implicit freeze
    assert!(*g == 6, 1);
}

#[test]
fun ref_to_struct_field() {
    let mut c = Cell { v: n(1), tags: vector[] };
    inc(&mut c.v);
    assert!(*cell_value(&c) == 2, 0);
}

#[test]
fun ref_to_vector_element() {
    let mut v = vector[n(10), 20, 30];
    inc(&mut v[1]);
    *pick_mut(&mut v, 2) = 0;
    assert!(v == vector[10, 21, 0], 0);
    assert!(*pick(&v, 0) == 10, 1);
}

#[test]
fun nested_vector_field_element() {
    let mut g = Grid {
        rows: vector[vector[n(1), 2], vector[3, 4]],
        cells: vector[Cell { v: 0, tags: vector[] }, Cell { v: 5, tags: vector[1] }],
    };
    g.cells[1].v = 50;
    inc(&mut g.cells[0].v);
    *&mut g.rows[1][0] = 33;
    g.cells[1].tags.push_back(2);
    assert!(g.rows == vector[vector[1, 2], vector[33, 4]], 0);
    assert!(g.cells[0].v == 1 && g.cells[1].v == 50, 1);
    assert!(g.cells[1].tags == vector[1, 2], 2);
}

#[test]
fun returned_mut_ref_chooses_target() {
    let mut a = n(3);
    let mut b = n(8);
    *larger(&mut a, &mut b) = 0;
    assert!(a == 3 && b == 0, 0);
}

#[test]
fun generic_holder_mut_ref() {
    let mut h = Holder { item: vector[n(1)] };
    holder_item_mut(&mut h).push_back(2);
    assert!(h.item == vector[1, 2], 0);
    let mut hb = Holder { item: false };
    *holder_item_mut(&mut hb) = true;
    assert!(hb.item, 1);
}

#[test]
fun ref_equality_compares_values() {
    let a = vector[n(1), 2];
    let b = vector[n(1), 2];
    assert!(&a == &b, 0);
    let c = Cell { v: 1, tags: b"x" };
    let d = Cell { v: 1, tags: b"y" };
    assert!(&c != &d, 1);
}

#[test]
fun copy_out_of_reference_is_independent() {
    let mut v = vector[Cell { v: n(1), tags: vector[] }];
    let snapshot = v[0];
    v[0].v = 2;
    assert!(snapshot.v == 1 && v[0].v == 2, 0);
}

#[test]
fun mut_ref_through_loop() {
    let mut v = vector[n(1), 2, 3, 4];
    let mut i = 0;
    while (i < v.length()) {
        let e = &mut v[i];
        *e = *e * *e;
        i = i + 1;
    };
    assert!(v == vector[1, 4, 9, 16], 0);
}

#[test]
fun reborrow_and_pass_down() {
    let mut g = Grid { rows: vector[vector[n(0)]], cells: vector[] };
    let rows = &mut g.rows;
    let row = &mut rows[0];
    row.push_back(7);
    inc(&mut row[0]);
    assert!(g.rows[0] == vector[1, 7], 0);
}

#[test]
fun swap_values_through_refs() {
    let mut a = n(1);
    let mut b = n(2);
    let (ra, rb) = (&mut a, &mut b);
    let t = *ra;
    *ra = *rb;
    *rb = t;
    assert!(a == 2 && b == 1, 0);
}

#[test]
#[expected_failure(vector_error, minor_status = 1, location = Self)]
fun ref_to_out_of_bounds_element() {
    let mut v = vector[n(1)];
    inc(&mut v[1]);
}

#[test]
#[expected_failure(arithmetic_error, location = Self)]
fun overflow_through_reference() {
    let mut x = 18446744073709551615u64;
    inc(&mut x);
    assert!(x == 0, 0);
}
