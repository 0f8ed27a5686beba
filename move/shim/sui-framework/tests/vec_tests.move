#[test_only]
module sui::vec_tests;

use sui::vec_map::{Self, VecMap};
use sui::vec_set;

#[test]
fun vec_map_keeps_insertion_order() {
    let mut m: VecMap<u64, vector<u8>> = vec_map::empty();
    assert!(m.is_empty());
    m.insert(3, b"c");
    m.insert(1, b"a");
    m.insert(2, b"b");
    assert!(m.size() == 3);
    assert!(m.keys() == vector[3, 1, 2]);
    assert!(m.contains(&1) && !m.contains(&4));
    assert!(*m.get(&1) == b"a");
    assert!(m[&2] == b"b");
    *m.get_mut(&2) = b"B";
    assert!(m.try_get(&2) == option::some(b"B"));
    assert!(m.try_get(&9) == option::none());
    assert!(m.get_idx(&1) == 1);
    assert!(m.get_idx_opt(&9) == option::none());
    let (k, v) = m.get_entry_by_idx(0);
    assert!(*k == 3 && *v == b"c");
    let (_, v) = m.get_entry_by_idx_mut(0);
    *v = b"C";
    let (k, v) = m.remove(&1);
    assert!(k == 1 && v == b"a");
    let (k, v) = m.pop();
    assert!(k == 2 && v == b"B");
    let (k, v) = m.remove_entry_by_idx(0);
    assert!(k == 3 && v == b"C");
    m.destroy_empty();
}

#[test]
fun vec_map_round_trips_through_keys_and_values() {
    let m = vec_map::from_keys_values(vector[@0x1, @0x2], vector[10u64, 20]);
    assert!(m[&@0x2] == 20);
    let (keys, values) = m.into_keys_values();
    assert!(keys == vector[@0x1, @0x2]);
    assert!(values == vector[10, 20]);
}

#[test]
#[expected_failure(abort_code = 0, location = sui::vec_map)]
fun vec_map_rejects_a_duplicate_key() {
    let mut m = vec_map::empty<u8, u8>();
    m.insert(1, 1);
    m.insert(1, 2);
}

#[test]
#[expected_failure(abort_code = 1, location = sui::vec_map)]
fun vec_map_get_of_a_missing_key_aborts() {
    let m = vec_map::empty<u8, u8>();
    m.get(&1);
}

#[test]
#[expected_failure(abort_code = 2, location = sui::vec_map)]
fun vec_map_destroying_a_non_empty_map_aborts() {
    let mut m = vec_map::empty<u8, u8>();
    m.insert(1, 1);
    m.destroy_empty();
}

#[test]
#[expected_failure(abort_code = 3, location = sui::vec_map)]
fun vec_map_index_out_of_bounds_aborts() {
    let m = vec_map::empty<u8, u8>();
    m.get_entry_by_idx(0);
}

#[test]
#[expected_failure(abort_code = 4, location = sui::vec_map)]
fun vec_map_pop_of_an_empty_map_aborts() {
    let mut m = vec_map::empty<u8, u8>();
    m.pop();
}

#[test]
#[expected_failure(abort_code = 5, location = sui::vec_map)]
fun vec_map_from_unequal_lengths_aborts() {
    vec_map::from_keys_values(vector[1u8, 2], vector[1u8]);
}

#[test]
fun vec_set_basics() {
    let mut s = vec_set::singleton(5u64);
    s.insert(7);
    s.insert(6);
    assert!(s.size() == 3);
    assert!(s.contains(&7) && !s.contains(&8));
    assert!(*s.keys() == vector[5, 7, 6]);
    s.remove(&7);
    assert!(s.into_keys() == vector[5, 6]);
    let t = vec_set::from_keys(vector[b"x", b"y"]);
    assert!(t.size() == 2 && !t.is_empty());
    assert!(vec_set::empty<u8>().is_empty());
}

#[test]
#[expected_failure(abort_code = 0, location = sui::vec_set)]
fun vec_set_rejects_a_duplicate() {
    vec_set::from_keys(vector[1u8, 1]);
}

#[test]
#[expected_failure(abort_code = 1, location = sui::vec_set)]
fun vec_set_remove_of_a_missing_key_aborts() {
    let mut s = vec_set::empty<u8>();
    s.remove(&1);
}
