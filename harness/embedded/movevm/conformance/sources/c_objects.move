// Conformance: sui::object UIDs (fresh ID derivation from the digest),
// sui::tx_context natives, sui::dynamic_field (+ type mismatches and missing
// fields as native aborts), dynamic_object_field, sui::table and sui::bag.
#[test_only]
module conformance::c_objects;

use sui::bag;
use sui::dynamic_field as df;
use sui::dynamic_object_field as dof;
use sui::table;

public struct Thing has key, store { id: UID, v: u64 }
public struct Key has copy, drop, store { a: u8, b: vector<u8> }
public struct OtherKey has copy, drop, store { a: u8, b: vector<u8> }

fun n(x: u64): u64 { x }

#[test]
fun fresh_ids_follow_sui_derivation() {
    let mut ctx = tx_context::dummy();
    let a = object::new(&mut ctx);
    let b = object::new(&mut ctx);
    // Blake2b-256(0xF1 || dummy digest || u64 LE counter) for counters 0 and 1.
    assert!(a.to_address() == @0x381dd9078c322a4663c392761a0211b527c127b29583851217f948d62131f409, 0);
    assert!(b.to_address() == @0xeefed4f2b7f6ad5f65d6ea2eef50b4f1d1e98c39ca8eecbc9736da801b8387e6, 1);
    assert!(ctx.get_ids_created() == 2, 2);
    a.delete();
    b.delete();
}

#[test]
fun uid_and_id_accessors() {
    let mut ctx = tx_context::dummy();
    let t = Thing { id: object::new(&mut ctx), v: n(1) };
    let id = object::id(&t);
    assert!(object::id_to_address(&id) == object::id_address(&t), 0);
    assert!(id.to_bytes() == object::id_bytes(&t), 1);
    assert!(*object::borrow_id(&t) == id, 2);
    assert!(t.id.to_inner() == id && *t.id.as_inner() == id, 3);
    assert!(object::id_from_bytes(id.to_bytes()) == id, 4);
    assert!(object::last_created(&ctx) == id, 5);
    let Thing { id: uid, v: _ } = t;
    uid.delete();
}

#[test]
fun fresh_object_address_counts() {
    let mut ctx = tx_context::dummy();
    let a = ctx.fresh_object_address();
    let b = ctx.fresh_object_address();
    assert!(a != b && ctx.get_ids_created() == 2, 0);
    assert!(ctx.last_created_object_id() == b, 1);
}

#[test]
fun tx_context_fields() {
    let ctx = tx_context::new_from_hint(@0xA11CE, 7, 3, 1000, 0);
    assert!(ctx.sender() == @0xA11CE, 0);
    assert!(ctx.epoch() == 3 && ctx.epoch_timestamp_ms() == 1000, 1);
    assert!(*ctx.digest() == tx_context::dummy_tx_hash_with_hint(7), 2);
    assert!(ctx.digest().length() == 32, 3);
    assert!(ctx.sponsor().is_none(), 4);
}

#[test]
fun tx_context_epoch_helpers() {
    let mut ctx = tx_context::dummy();
    ctx.increment_epoch_number();
    ctx.increment_epoch_timestamp(250);
    assert!(ctx.epoch() == 1 && ctx.epoch_timestamp_ms() == 250, 0);
}

#[test]
#[expected_failure(abort_code = 0, location = sui::tx_context)]
fun tx_context_bad_digest_length() {
    let _ctx = tx_context::new(@0x1, x"00", 0, 0, 0);
}

#[test]
fun df_add_borrow_mutate_remove() {
    let mut ctx = tx_context::dummy();
    let mut uid = object::new(&mut ctx);
    df::add(&mut uid, n(1), b"one");
    df::add(&mut uid, b"name", n(42));
    df::add(&mut uid, Key { a: 1, b: b"k" }, vector[n(1), 2]);
    assert!(*df::borrow<u64, vector<u8>>(&uid, 1) == b"one", 0);
    *df::borrow_mut<vector<u8>, u64>(&mut uid, b"name") = 43;
    df::borrow_mut<Key, vector<u64>>(&mut uid, Key { a: 1, b: b"k" }).push_back(3);
    assert!(*df::borrow<vector<u8>, u64>(&uid, b"name") == 43, 1);
    assert!(df::remove<Key, vector<u64>>(&mut uid, Key { a: 1, b: b"k" }) == vector[1, 2, 3], 2);
    assert!(df::remove<u64, vector<u8>>(&mut uid, 1) == b"one", 3);
    assert!(df::remove<vector<u8>, u64>(&mut uid, b"name") == 43, 4);
    uid.delete();
}

#[test]
fun df_exists_and_exists_with_type() {
    let mut ctx = tx_context::dummy();
    let mut uid = object::new(&mut ctx);
    df::add(&mut uid, n(7), true);
    assert!(df::exists_(&uid, 7u64), 0);
    assert!(!df::exists_(&uid, 8u64), 1);
    assert!(!df::exists_(&uid, 7u32), 2); // same value, different key type
    assert!(df::exists_with_type<u64, bool>(&uid, 7), 3);
    assert!(!df::exists_with_type<u64, u64>(&uid, 7), 4);
    assert!(df::remove_if_exists<u64, bool>(&mut uid, 7) == option::some(true), 5);
    assert!(df::remove_if_exists<u64, bool>(&mut uid, 7).is_none(), 6);
    uid.delete();
}

#[test]
fun df_keys_of_distinct_struct_types_do_not_collide() {
    let mut ctx = tx_context::dummy();
    let mut uid = object::new(&mut ctx);
    df::add(&mut uid, Key { a: 1, b: b"x" }, n(1));
    df::add(&mut uid, OtherKey { a: 1, b: b"x" }, n(2));
    assert!(*df::borrow<OtherKey, u64>(&uid, OtherKey { a: 1, b: b"x" }) == 2, 0);
    assert!(df::remove<Key, u64>(&mut uid, Key { a: 1, b: b"x" }) == 1, 1);
    assert!(df::remove<OtherKey, u64>(&mut uid, OtherKey { a: 1, b: b"x" }) == 2, 2);
    uid.delete();
}

#[test]
fun df_holds_an_object_value() {
    let mut ctx = tx_context::dummy();
    let mut uid = object::new(&mut ctx);
    let t = Thing { id: object::new(&mut ctx), v: 5 };
    df::add(&mut uid, b"thing", t);
    df::borrow_mut<vector<u8>, Thing>(&mut uid, b"thing").v = 6;
    let Thing { id, v } = df::remove<vector<u8>, Thing>(&mut uid, b"thing");
    assert!(v == 6, 0);
    id.delete();
    uid.delete();
}

#[test]
#[expected_failure(abort_code = 0, location = sui::dynamic_field)]
fun df_add_twice_aborts() {
    let mut ctx = tx_context::dummy();
    let mut uid = object::new(&mut ctx);
    df::add(&mut uid, n(1), 1u8);
    df::add(&mut uid, n(1), 2u8);
    uid.delete();
}

#[test]
#[expected_failure(abort_code = 1, location = sui::dynamic_field)]
fun df_borrow_missing_aborts() {
    let mut ctx = tx_context::dummy();
    let uid = object::new(&mut ctx);
    let _v = df::borrow<u64, u64>(&uid, n(1));
    uid.delete();
}

#[test]
#[expected_failure(abort_code = 2, location = sui::dynamic_field)]
fun df_borrow_with_wrong_value_type_aborts() {
    let mut ctx = tx_context::dummy();
    let mut uid = object::new(&mut ctx);
    df::add(&mut uid, n(1), 5u64);
    let _v = df::borrow<u64, u32>(&uid, 1);
    uid.delete();
}

#[test]
#[expected_failure(abort_code = 2, location = sui::dynamic_field)]
fun df_remove_with_wrong_value_type_aborts() {
    let mut ctx = tx_context::dummy();
    let mut uid = object::new(&mut ctx);
    df::add(&mut uid, n(1), b"bytes");
    let _v: u64 = df::remove(&mut uid, 1u64);
    uid.delete();
}

#[test]
#[expected_failure(abort_code = 1, location = sui::dynamic_field)]
fun df_remove_after_remove_aborts() {
    let mut ctx = tx_context::dummy();
    let mut uid = object::new(&mut ctx);
    df::add(&mut uid, n(1), true);
    let _a: bool = df::remove(&mut uid, 1u64);
    let _b: bool = df::remove(&mut uid, 1u64);
    uid.delete();
}

#[test]
fun dof_add_borrow_remove() {
    let mut ctx = tx_context::dummy();
    let mut uid = object::new(&mut ctx);
    let t = Thing { id: object::new(&mut ctx), v: 1 };
    let tid = object::id(&t);
    dof::add(&mut uid, n(0), t);
    assert!(dof::exists_(&uid, 0u64), 0);
    assert!(dof::exists_with_type<u64, Thing>(&uid, 0), 1);
    assert!(dof::id(&uid, 0u64) == option::some(tid), 2);
    dof::borrow_mut<u64, Thing>(&mut uid, 0).v = 9;
    assert!(dof::borrow<u64, Thing>(&uid, 0).v == 9, 3);
    let Thing { id, v } = dof::remove<u64, Thing>(&mut uid, 0);
    assert!(v == 9 && id.to_inner() == tid, 4);
    id.delete();
    uid.delete();
}

#[test]
fun table_operations() {
    let mut ctx = tx_context::dummy();
    let mut t = table::new<u64, vector<u8>>(&mut ctx);
    assert!(t.is_empty(), 0);
    t.add(n(1), b"a");
    t.add(2, b"b");
    assert!(t.length() == 2 && t.contains(1) && !t.contains(3), 1);
    assert!(t[1] == b"a", 2);
    t[2].push_back(0x21);
    assert!(*t.borrow(2) == b"b!", 3);
    assert!(t.remove(1) == b"a" && t.length() == 1, 4);
    t.remove(2);
    t.destroy_empty();
}

#[test]
fun table_drop_with_entries() {
    let mut ctx = tx_context::dummy();
    let mut t = table::new<address, u64>(&mut ctx);
    t.add(@0x1, n(1));
    t.add(@0x2, 2);
    *t.borrow_mut(@0x1) = 10;
    assert!(t[@0x1] == 10, 0);
    t.drop();
}

#[test]
#[expected_failure(abort_code = 0, location = sui::table)]
fun table_destroy_non_empty_aborts() {
    let mut ctx = tx_context::dummy();
    let mut t = table::new<u64, u64>(&mut ctx);
    t.add(n(1), 1);
    t.destroy_empty();
}

#[test]
#[expected_failure(abort_code = 1, location = sui::dynamic_field)]
fun table_borrow_missing_aborts() {
    let mut ctx = tx_context::dummy();
    let t = table::new<u64, u64>(&mut ctx);
    let _x = t[n(5)];
    t.destroy_empty();
}

#[test]
fun bag_heterogeneous_values() {
    let mut ctx = tx_context::dummy();
    let mut b = bag::new(&mut ctx);
    b.add(n(1), true);
    b.add(b"two", n(2));
    b.add(Key { a: 3, b: vector[] }, b"three".to_string());
    assert!(b.length() == 3, 0);
    assert!(b.contains(1u64) && b.contains_with_type<u64, bool>(1), 1);
    assert!(!b.contains_with_type<u64, u64>(1), 2);
    assert!(*b.borrow<vector<u8>, u64>(b"two") == 2, 3);
    *b.borrow_mut<vector<u8>, u64>(b"two") = 22;
    let _: bool = b.remove(1u64);
    assert!(b.remove<vector<u8>, u64>(b"two") == 22, 4);
    let _s: std::string::String = b.remove(Key { a: 3, b: vector[] });
    assert!(b.is_empty(), 5);
    b.destroy_empty();
}

#[test]
#[expected_failure(abort_code = 2, location = sui::dynamic_field)]
fun bag_wrong_type_aborts() {
    let mut ctx = tx_context::dummy();
    let mut b = bag::new(&mut ctx);
    b.add(n(1), true);
    let _x = b.borrow<u64, u8>(1);
    abort 99
}

#[test]
#[expected_failure(abort_code = 0, location = sui::bag)]
fun bag_destroy_non_empty_aborts() {
    let mut ctx = tx_context::dummy();
    let mut b = bag::new(&mut ctx);
    b.add(n(1), 1u8);
    b.destroy_empty();
}
