#[test_only]
module conformance::vectors;

fun id(x: u64): u64 { x }

#[test]
fun push_pop_len() {
    let mut v = vector[];
    v.push_back(1u64);
    v.push_back(2);
    assert!(v.length() == 2, 0);
    assert!(v.pop_back() == 2, 1);
    assert!(v.length() == 1, 2);
}

#[test]
fun borrow_and_borrow_mut() {
    let mut v = vector[10u8, 20, 30];
    *&mut v[1] = 21;
    assert!(v[1] == 21 && *v.borrow(2) == 30, 0);
    *v.borrow_mut(0) = 11;
    assert!(v == vector[11, 21, 30], 1);
}

#[test]
fun swap_and_reverse() {
    let mut v = vector[1u64, 2, 3, 4];
    v.swap(0, 3);
    assert!(v == vector[4, 2, 3, 1], 0);
    v.reverse();
    assert!(v == vector[1, 3, 2, 4], 1);
}

#[test]
fun append_contains_index_of() {
    let mut a = vector[1u64, 2];
    a.append(vector[3, 4]);
    assert!(a.length() == 4 && a.contains(&3) && !a.contains(&9), 0);
    let (found, i) = a.index_of(&4);
    assert!(found && i == 3, 1);
    let (found2, _) = a.index_of(&7);
    assert!(!found2, 2);
}

#[test]
fun remove_insert_swap_remove() {
    let mut v = vector[1u64, 2, 3, 4, 5];
    assert!(v.remove(1) == 2, 0);
    v.insert(9, 0);
    assert!(v == vector[9, 1, 3, 4, 5], 1);
    assert!(v.swap_remove(0) == 9, 2);
    assert!(v == vector[5, 1, 3, 4], 3);
}

#[test]
fun nested_vectors() {
    let mut vv = vector[vector[1u8], vector[]];
    vv[1].push_back(7);
    vv.push_back(b"ab");
    assert!(vv[1] == vector[7] && vv[2].length() == 2, 0);
    assert!(vv.flatten() == vector[1, 7, 97, 98], 1);
}

#[test]
fun vector_of_addresses_and_bools() {
    let v = vector[@0x1, @0xABC];
    assert!(v[1] == @0xabc, 0);
    let b = vector[true, false];
    assert!(!b[1], 1);
}

#[test]
fun vector_destructure() {
    let v = vector[1u64, 2, 3];
    let mut sum = 0;
    v.do!(|x| sum = sum + x);
    assert!(sum == 6, 0);
}

#[test]
fun vector_macros() {
    let v = vector::tabulate!(5, |i| i * i);
    assert!(v == vector[0, 1, 4, 9, 16], 0);
    let evens = v.filter!(|x| *x % 2 == 0);
    assert!(evens == vector[0, 4, 16], 1);
    assert!(v.fold!(0, |acc, x| acc + x) == 30, 2);
    assert!(v.map!(|x| x + 1) == vector[1, 2, 5, 10, 17], 3);
    assert!(v.any!(|x| *x == 9) && !v.all!(|x| *x > 0), 4);
}

#[test]
fun empty_vector_equality() {
    let a: vector<u64> = vector[];
    assert!(a == vector::empty<u64>(), 0);
    assert!(a.is_empty(), 1);
}

#[test]
#[expected_failure(vector_error, minor_status = 1, location = Self)]
fun borrow_out_of_bounds() {
    let v = vector[1u64];
    let _x = v[id(1)];
}

#[test]
#[expected_failure(vector_error, minor_status = 1, location = Self)]
fun borrow_mut_out_of_bounds() {
    let mut v = vector[1u64];
    *&mut v[id(5)] = 2;
}

#[test]
#[expected_failure(vector_error, minor_status = 2, location = Self)]
fun pop_empty() {
    let mut v = vector<u64>[];
    v.pop_back();
}

#[test]
#[expected_failure(vector_error, minor_status = 1, location = Self)]
fun swap_out_of_bounds() {
    let mut v = vector[1u64, 2];
    v.swap(0, id(2));
}

#[test]
#[expected_failure(abort_code = std::vector::EINDEX_OUT_OF_BOUNDS)]
fun remove_out_of_bounds() {
    let mut v = vector[1u64];
    v.remove(id(3));
}

#[test]
fun large_vector() {
    let mut v = vector[];
    let mut i = 0;
    while (i < 1000) { v.push_back(i); i = i + 1; };
    assert!(v.length() == 1000 && v[999] == 999, 0);
}
