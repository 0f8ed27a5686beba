#[test_only]
module sui::dynamic_field_tests;

use std::string;
use sui::dynamic_field as field;
use sui::dynamic_object_field as ofield;

public struct Holder has key { id: UID }
public struct Item has key, store { id: UID, weight: u64 }

fun holder(ctx: &mut TxContext): Holder {
    Holder { id: object::new(ctx) }
}

fun destroy(h: Holder) {
    let Holder { id } = h;
    id.delete();
}

#[test]
fun add_borrow_mutate_remove() {
    let mut ctx = tx_context::dummy();
    let mut h = holder(&mut ctx);
    field::add(&mut h.id, b"name", string::utf8(b"pod"));
    field::add(&mut h.id, 7u64, true);
    assert!(field::exists_(&h.id, b"name"));
    assert!(field::exists_with_type<vector<u8>, string::String>(&h.id, b"name"));
    assert!(!field::exists_with_type<vector<u8>, u64>(&h.id, b"name"));
    assert!(!field::exists_(&h.id, 8u64));
    assert!(*field::borrow<u64, bool>(&h.id, 7) == true);
    *field::borrow_mut<u64, bool>(&mut h.id, 7) = false;
    assert!(*field::borrow<u64, bool>(&h.id, 7) == false);
    assert!(field::remove<vector<u8>, string::String>(&mut h.id, b"name") == string::utf8(b"pod"));
    assert!(!field::exists_(&h.id, b"name"));
    assert!(field::remove_if_exists<u64, bool>(&mut h.id, 7) == option::some(false));
    assert!(field::remove_if_exists<u64, bool>(&mut h.id, 7) == option::none());
    destroy(h);
}

#[test]
#[expected_failure(abort_code = 0, location = sui::dynamic_field)]
fun adding_a_field_twice_aborts() {
    let mut ctx = tx_context::dummy();
    let mut h = holder(&mut ctx);
    field::add(&mut h.id, 1u8, 1u64);
    field::add(&mut h.id, 1u8, 2u64);
    destroy(h);
}

#[test]
#[expected_failure(abort_code = 1, location = sui::dynamic_field)]
fun borrowing_a_missing_field_aborts() {
    let mut ctx = tx_context::dummy();
    let h = holder(&mut ctx);
    field::borrow<u8, u64>(&h.id, 1);
    destroy(h);
}

#[test]
#[expected_failure(abort_code = 2, location = sui::dynamic_field)]
fun borrowing_with_the_wrong_value_type_aborts() {
    let mut ctx = tx_context::dummy();
    let mut h = holder(&mut ctx);
    field::add(&mut h.id, 1u8, 1u64);
    field::borrow<u8, bool>(&h.id, 1);
    destroy(h);
}

#[test]
#[expected_failure(abort_code = 1, location = sui::dynamic_field)]
fun removing_a_missing_field_aborts() {
    let mut ctx = tx_context::dummy();
    let mut h = holder(&mut ctx);
    let _: u64 = field::remove(&mut h.id, 1u8);
    destroy(h);
}

#[test]
fun object_fields_keep_their_object_id() {
    let mut ctx = tx_context::dummy();
    let mut h = holder(&mut ctx);
    let item = Item { id: object::new(&mut ctx), weight: 5 };
    let item_id = object::id(&item);
    ofield::add(&mut h.id, b"item", item);
    assert!(ofield::exists_(&h.id, b"item"));
    assert!(ofield::exists_with_type<vector<u8>, Item>(&h.id, b"item"));
    assert!(!ofield::exists_with_type<vector<u8>, Holder2>(&h.id, b"item"));
    assert!(!ofield::exists_(&h.id, b"other"));
    assert!(ofield::id(&h.id, b"item") == option::some(item_id));
    assert!(ofield::id(&h.id, b"other") == option::none());
    // a plain dynamic field with the same name is a different field
    assert!(!field::exists_(&h.id, b"item"));
    assert!(ofield::borrow<vector<u8>, Item>(&h.id, b"item").weight == 5);
    ofield::borrow_mut<vector<u8>, Item>(&mut h.id, b"item").weight = 6;
    let item: Item = ofield::remove(&mut h.id, b"item");
    assert!(object::id(&item) == item_id);
    assert!(item.weight == 6);
    assert!(!ofield::exists_(&h.id, b"item"));
    let Item { id, weight: _ } = item;
    id.delete();
    destroy(h);
}

public struct Holder2 has key, store { id: UID }

#[test]
#[expected_failure(abort_code = 0, location = sui::dynamic_field)]
fun adding_an_object_field_twice_aborts() {
    let mut ctx = tx_context::dummy();
    let mut h = holder(&mut ctx);
    ofield::add(&mut h.id, 1u8, Item { id: object::new(&mut ctx), weight: 1 });
    ofield::add(&mut h.id, 1u8, Item { id: object::new(&mut ctx), weight: 2 });
    destroy(h);
}
