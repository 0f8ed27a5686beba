#[test_only]
module sui::table_tests;

use sui::bag;
use sui::table::{Self, Table};

#[test]
fun table_add_borrow_update_remove() {
    let mut ctx = tx_context::dummy();
    let mut t: Table<address, u64> = table::new(&mut ctx);
    assert!(t.is_empty());
    t.add(@0x1, 10);
    t.add(@0x2, 20);
    assert!(t.length() == 2);
    assert!(!t.is_empty());
    assert!(t.contains(@0x1));
    assert!(!t.contains(@0x3));
    assert!(*t.borrow(@0x2) == 20);
    assert!(t[@0x1] == 10);
    *t.borrow_mut(@0x1) = 11;
    let v = &mut t[@0x2];
    *v = *v + 1;
    assert!(t[@0x1] == 11 && t[@0x2] == 21);
    assert!(t.remove(@0x1) == 11);
    assert!(!t.contains(@0x1));
    assert!(t.length() == 1);
    assert!(t.remove(@0x2) == 21);
    t.destroy_empty();
}

#[test]
#[expected_failure(abort_code = 0, location = sui::table)]
fun destroying_a_non_empty_table_aborts() {
    let mut ctx = tx_context::dummy();
    let mut t = table::new<u64, u64>(&mut ctx);
    t.add(1, 1);
    t.destroy_empty();
}

#[test]
#[expected_failure(abort_code = 0, location = sui::dynamic_field)]
fun adding_a_key_twice_aborts() {
    let mut ctx = tx_context::dummy();
    let mut t = table::new<u64, u64>(&mut ctx);
    t.add(1, 1);
    t.add(1, 2);
    t.drop();
}

#[test]
#[expected_failure(abort_code = 1, location = sui::dynamic_field)]
fun borrowing_a_missing_key_aborts() {
    let mut ctx = tx_context::dummy();
    let t = table::new<u64, u64>(&mut ctx);
    let _ = t[5];
    t.drop();
}

#[test]
fun a_table_of_droppable_values_can_be_dropped_non_empty() {
    let mut ctx = tx_context::dummy();
    let mut t = table::new<u64, vector<u8>>(&mut ctx);
    t.add(1, b"x");
    t.drop();
}

#[test]
fun bag_holds_values_of_different_types() {
    let mut ctx = tx_context::dummy();
    let mut b = bag::new(&mut ctx);
    b.add(1u8, 100u64);
    b.add(b"key", true);
    assert!(b.length() == 2);
    assert!(b.contains(1u8));
    assert!(b.contains_with_type<u8, u64>(1u8));
    assert!(!b.contains_with_type<u8, bool>(1u8));
    assert!(b[b"key"] == true);
    *(&mut b[1u8]) = 101u64;
    let v: &u64 = b.borrow(1u8);
    assert!(*v == 101);
    let flag: bool = b.remove(b"key");
    assert!(flag);
    let n: u64 = b.remove(1u8);
    assert!(n == 101);
    assert!(b.is_empty());
    b.destroy_empty();
}

#[test]
#[expected_failure(abort_code = 0, location = sui::bag)]
fun destroying_a_non_empty_bag_aborts() {
    let mut ctx = tx_context::dummy();
    let mut b = bag::new(&mut ctx);
    b.add(1u8, 1u64);
    b.destroy_empty();
}
