// Conformance: vector bytecodes (literals, push/pop, borrow, swap, length,
// destroy_empty) and their runtime errors, std::vector functions and the
// Move 2024 vector macros.
#[test_only]
module conformance::c_vectors;

public struct Item has copy, drop, store { k: u64 }
public struct NoDrop { k: u64 }

fun n(x: u64): u64 { x }

#[test]
fun empty_vector_properties() {
    let v = vector<u64>[];
    assert!(v.length() == 0 && v.is_empty(), 0);
    v.destroy_empty();
}

#[test]
fun push_pop_lifo() {
    let mut v = vector[];
    v.push_back(n(1));
    v.push_back(2);
    v.push_back(3);
    assert!(v.pop_back() == 3 && v.pop_back() == 2, 0);
    assert!(v.length() == 1 && v[0] == 1, 1);
}

#[test]
fun vector_literals_of_many_types() {
    let a = vector[true, false];
    let c = vector[@0x1, @0x2];
    let d = vector[vector[n(1)], vector[], vector[2, 3]];
    let e = vector[Item { k: n(1) }, Item { k: 2 }];
    let f = b"hi";
    let g = x"00ff";
    assert!(a.length() == 2 && c[1] == @0x2, 0);
    assert!(d[2] == vector[2, 3] && d[1].length() == 0, 1);
    assert!(e[1].k == 2, 2);
    assert!(f == vector[104u8, 105] && g == vector[0u8, 255], 3);
}

#[test]
fun vector_of_all_int_widths() {
    let a = vector[1u8, 2];
    let b = vector[1u16, 65535];
    let c = vector[1u32];
    let d = vector[1u128, 1 << 127];
    let e = vector[1u256, 1 << 255];
    assert!(a.length() + b.length() + c.length() + d.length() + e.length() == 9, 0);
    assert!(b[1] == 65535 && d[1] == 1 << 127 && e[1] == 1 << 255, 1);
}

#[test]
fun swap_elements() {
    let mut v = vector[n(1), 2, 3];
    v.swap(0, 2);
    assert!(v == vector[3, 2, 1], 0);
    v.swap(1, 1);
    assert!(v == vector[3, 2, 1], 1);
}

#[test]
fun borrow_and_borrow_mut() {
    let mut v = vector[Item { k: n(1) }];
    let r = v.borrow_mut(0);
    r.k = 5;
    assert!(v.borrow(0).k == 5, 0);
}

#[test]
fun vector_of_resources_must_be_emptied() {
    let mut v = vector[NoDrop { k: n(1) }, NoDrop { k: 2 }];
    let NoDrop { k: b } = v.pop_back();
    let NoDrop { k: a } = v.pop_back();
    v.destroy_empty();
    assert!(a == 1 && b == 2, 0);
}

#[test]
fun nested_vector_mutation() {
    let mut m = vector[vector<u64>[], vector[]];
    m[0].push_back(1);
    m[1].push_back(2);
    m[1].push_back(3);
    let inner = &mut m[1];
    inner.swap(0, 1);
    assert!(m == vector[vector[1], vector[3, 2]], 0);
}

#[test]
fun std_append_reverse_contains_index_of() {
    let mut v = vector[n(1), 2];
    v.append(vector[3, 4]);
    v.reverse();
    assert!(v == vector[4, 3, 2, 1], 0);
    assert!(v.contains(&3) && !v.contains(&9), 1);
    let (found, i) = v.index_of(&2);
    assert!(found && i == 2, 2);
    let (found, i) = v.index_of(&9);
    assert!(!found && i == 0, 3);
}

#[test]
fun std_remove_insert_swap_remove() {
    let mut v = vector[n(10), 20, 30, 40];
    assert!(v.remove(1) == 20, 0);
    assert!(v == vector[10, 30, 40], 1);
    v.insert(25, 1);
    v.insert(50, 4);
    assert!(v == vector[10, 25, 30, 40, 50], 2);
    assert!(v.swap_remove(0) == 10, 3);
    assert!(v == vector[50, 25, 30, 40], 4);
}

#[test]
fun std_singleton_flatten_take_skip() {
    assert!(vector::singleton(n(7)) == vector[7], 0);
    let f = vector::flatten(vector[vector[n(1), 2], vector[], vector[3]]);
    assert!(f == vector[1, 2, 3], 1);
    assert!(f.take(2) == vector[1, 2], 2);
    assert!(f.skip(2) == vector[3], 3);
}

#[test]
#[expected_failure(vector_error, minor_status = 1, location = Self)]
fun borrow_out_of_bounds() {
    let v = vector[n(1), 2];
    let _x = v[2];
}

#[test]
#[expected_failure(vector_error, minor_status = 1, location = Self)]
fun borrow_mut_out_of_bounds() {
    let mut v = vector<u64>[];
    *&mut v[0] = 1;
}

#[test]
#[expected_failure(vector_error, minor_status = 2, location = Self)]
fun pop_empty() {
    let mut v = vector<u64>[];
    v.push_back(n(1));
    v.pop_back();
    v.pop_back();
}

#[test]
#[expected_failure(vector_error, minor_status = 3, location = Self)]
fun destroy_non_empty() {
    let v = vector[n(1)];
    v.destroy_empty();
}

#[test]
#[expected_failure(vector_error, minor_status = 1, location = Self)]
fun swap_out_of_bounds() {
    let mut v = vector[n(1), 2];
    v.swap(0, 2);
}

#[test]
#[expected_failure(abort_code = 0x20000, location = std::vector)]
fun std_remove_out_of_bounds() {
    let mut v = vector[n(1)];
    v.remove(1);
}

#[test]
#[expected_failure(abort_code = 0x20000, location = std::vector)]
fun std_swap_remove_on_empty() {
    let mut v = vector<u64>[];
    v.swap_remove(0);
}

#[test]
fun macro_tabulate_map_filter_fold() {
    let v = vector::tabulate!(n(5), |i| i * i);
    assert!(v == vector[0, 1, 4, 9, 16], 0);
    let doubled = v.map!(|x| x * 2);
    assert!(doubled == vector[0, 2, 8, 18, 32], 1);
    let evens = v.filter!(|x| *x % 2 == 0);
    assert!(evens == vector[0, 4, 16], 2);
    assert!(v.fold!(0, |acc, x| acc + x) == 30, 3);
}

#[test]
fun macro_do_variants() {
    let mut v = vector[n(1), 2, 3];
    let mut sum = 0;
    v.do_ref!(|x| sum = sum + *x);
    v.do_mut!(|x| *x = *x + 10);
    assert!(sum == 6 && v == vector[11, 12, 13], 0);
    let mut total = 0;
    v.do!(|x| total = total + x);
    assert!(total == 36, 1);
}

#[test]
fun macro_queries() {
    let v = vector[n(3), 8, 5, 8];
    assert!(v.any!(|x| *x > 7) && !v.all!(|x| *x > 3), 0);
    assert!(v.count!(|x| *x == 8) == 2, 1);
    assert!(v.find_index!(|x| *x == 5) == option::some(2), 2);
    assert!(v.find_index!(|x| *x == 9).is_none(), 3);
    assert!(v.find_indices!(|x| *x == 8) == vector[1, 3], 4);
}

#[test]
fun macro_zip_and_sort() {
    let a = vector[n(1), 2, 3];
    let b = vector[n(10), 20, 30];
    let sums = a.zip_map!(b, |x, y| x + y);
    assert!(sums == vector[11, 22, 33], 0);
    let mut u = vector[n(5), 1, 4, 2, 3];
    u.insertion_sort_by!(|x, y| *x <= *y);
    assert!(u == vector[1, 2, 3, 4, 5], 1);
    let mut w = vector[n(9), 7, 8, 1];
    w.merge_sort_by!(|x, y| *x <= *y);
    assert!(w.is_sorted_by!(|x, y| *x <= *y) && w[0] == 1, 2);
}

#[test]
fun macro_partition_destroy() {
    let v = vector[n(1), 2, 3, 4, 5];
    let (small, big) = v.partition!(|x| *x < 3);
    assert!(small == vector[1, 2] && big == vector[3, 4, 5], 0);
    let mut seen = 0;
    big.destroy!(|x| seen = seen + x);
    assert!(seen == 12, 1);
}

#[test]
fun vector_equality_and_order_sensitivity() {
    assert!(vector[n(1), 2] != vector[2, 1], 0);
    assert!(vector<u8>[] == vector[], 1);
    assert!(vector[vector[n(1)]] == vector[vector[1]], 2);
}

#[test]
fun large_vector_push() {
    let mut v = vector[];
    let mut i = 0;
    while (i < n(2000)) { v.push_back(i); i = i + 1; };
    assert!(v.length() == 2000 && v[1999] == 1999, 0);
}
