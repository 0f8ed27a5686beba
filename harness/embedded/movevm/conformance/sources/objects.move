#[test_only]
module conformance::objects;

use sui::dynamic_field as df;
use sui::dynamic_object_field as dof;
use sui::event;
use sui::test_scenario as ts;
use sui::table;
use sui::bag;

public struct Thing has key, store { id: UID, n: u64 }
public struct Holder has key { id: UID }
public struct Ev has copy, drop { n: u64, who: address }
public struct Other has copy, drop { flag: bool }

const ALICE: address = @0xA11CE;
const BOB: address = @0xB0B;

fun thing(ctx: &mut TxContext, n: u64): Thing { Thing { id: object::new(ctx), n } }

#[test]
fun fresh_ids_are_distinct() {
    let mut ctx = tx_context::dummy();
    let a = thing(&mut ctx, 1);
    let b = thing(&mut ctx, 2);
    assert!(object::id(&a) != object::id(&b), 0);
    assert!(ctx.get_ids_created() == 2, 1);
    let Thing { id, n: _ } = a;
    id.delete();
    let Thing { id, n: _ } = b;
    id.delete();
}

#[test]
fun fresh_id_matches_derivation() {
    let mut ctx = tx_context::dummy();
    let t = thing(&mut ctx, 1);
    // Blake2b-256(0xF1 || digest || 0u64 LE) of tx_context::dummy()'s digest
    let mut pre = x"f1";
    pre.append(*ctx.digest());
    pre.append(x"0000000000000000");
    assert!(object::id(&t).to_address() == sui::address::from_bytes(sui::hash::blake2b256(&pre)), 0);
    let Thing { id, n: _ } = t;
    id.delete();
}

#[test]
fun dynamic_fields_add_borrow_mutate_remove() {
    let mut ctx = tx_context::dummy();
    let mut h = Holder { id: object::new(&mut ctx) };
    df::add(&mut h.id, b"k", 10u64);
    df::add(&mut h.id, 7u8, b"seven");
    assert!(*df::borrow<vector<u8>, u64>(&h.id, b"k") == 10, 0);
    *df::borrow_mut<vector<u8>, u64>(&mut h.id, b"k") = 11;
    assert!(*df::borrow<vector<u8>, u64>(&h.id, b"k") == 11, 1);
    assert!(df::exists_(&h.id, 7u8) && !df::exists_(&h.id, 8u8), 2);
    assert!(df::exists_with_type<u8, vector<u8>>(&h.id, 7u8), 3);
    assert!(!df::exists_with_type<u8, u64>(&h.id, 7u8), 4);
    assert!(df::remove<vector<u8>, u64>(&mut h.id, b"k") == 11, 5);
    assert!(!df::exists_(&h.id, b"k"), 6);
    let _: vector<u8> = df::remove(&mut h.id, 7u8);
    let Holder { id } = h;
    id.delete();
}

#[test]
#[expected_failure(abort_code = df::EFieldAlreadyExists)]
fun dynamic_field_duplicate_aborts() {
    let mut ctx = tx_context::dummy();
    let mut h = Holder { id: object::new(&mut ctx) };
    df::add(&mut h.id, 1u64, 1u64);
    df::add(&mut h.id, 1u64, 2u64);
    abort 99
}

#[test]
#[expected_failure(abort_code = df::EFieldDoesNotExist)]
fun dynamic_field_missing_aborts() {
    let mut ctx = tx_context::dummy();
    let h = Holder { id: object::new(&mut ctx) };
    let _ = df::borrow<u64, u64>(&h.id, 1);
    abort 99
}

#[test]
#[expected_failure(abort_code = df::EFieldTypeMismatch)]
fun dynamic_field_wrong_type_aborts() {
    let mut ctx = tx_context::dummy();
    let mut h = Holder { id: object::new(&mut ctx) };
    df::add(&mut h.id, 1u64, 1u64);
    let _ = df::borrow<u64, u8>(&h.id, 1);
    abort 99
}

#[test]
fun dynamic_object_fields() {
    let mut ctx = tx_context::dummy();
    let mut h = Holder { id: object::new(&mut ctx) };
    let t = thing(&mut ctx, 5);
    let tid = object::id(&t);
    dof::add(&mut h.id, b"t", t);
    assert!(dof::borrow<vector<u8>, Thing>(&h.id, b"t").n == 5, 0);
    dof::borrow_mut<vector<u8>, Thing>(&mut h.id, b"t").n = 6;
    let back: Thing = dof::remove(&mut h.id, b"t");
    assert!(object::id(&back) == tid && back.n == 6, 1);
    let Thing { id, n: _ } = back;
    id.delete();
    let Holder { id } = h;
    id.delete();
}

#[test]
fun tables_and_bags() {
    let mut ctx = tx_context::dummy();
    let mut t = table::new<u64, vector<u8>>(&mut ctx);
    t.add(1, b"one");
    t.add(2, b"two");
    assert!(t.length() == 2 && t[1] == b"one", 0);
    *t.borrow_mut(2) = b"TWO";
    assert!(t.remove(2) == b"TWO" && t.length() == 1, 1);
    t.remove(1);
    t.destroy_empty();
    let mut b = bag::new(&mut ctx);
    b.add(1u8, true);
    b.add(b"x", 5u64);
    assert!(*b.borrow<u8, bool>(1) && b.length() == 2, 2);
    let _: bool = b.remove(1u8);
    let _: u64 = b.remove(b"x");
    b.destroy_empty();
}

#[test]
fun events_are_recorded() {
    event::emit(Ev { n: 1, who: ALICE });
    event::emit(Other { flag: true });
    event::emit(Ev { n: 2, who: BOB });
    assert!(event::num_events() == 3, 0);
    let evs = event::events_by_type<Ev>();
    assert!(evs.length() == 2 && evs[1].n == 2 && evs[0].who == ALICE, 1);
}

#[test]
fun transfer_and_take_back() {
    let mut sc = ts::begin(ALICE);
    let t = thing(sc.ctx(), 3);
    let id = object::id(&t);
    transfer::public_transfer(t, BOB);
    sc.next_tx(BOB);
    let mut got = sc.take_from_sender<Thing>();
    assert!(object::id(&got) == id && got.n == 3, 0);
    got.n = 4;
    sc.return_to_sender(got);
    sc.next_tx(BOB);
    let again = sc.take_from_sender<Thing>();
    assert!(again.n == 4, 1);
    sc.return_to_sender(again);
    sc.end();
}

#[test]
fun shared_objects() {
    let mut sc = ts::begin(ALICE);
    transfer::share_object(Holder { id: object::new(sc.ctx()) });
    sc.next_tx(BOB);
    let mut h = sc.take_shared<Holder>();
    df::add(&mut h.id, 1u8, 100u64);
    ts::return_shared(h);
    sc.next_tx(ALICE);
    let h2 = sc.take_shared<Holder>();
    assert!(*df::borrow<u8, u64>(&h2.id, 1) == 100, 0);
    ts::return_shared(h2);
    sc.end();
}

#[test]
fun frozen_objects() {
    let mut sc = ts::begin(ALICE);
    transfer::public_freeze_object(thing(sc.ctx(), 9));
    sc.next_tx(BOB);
    let t = sc.take_immutable<Thing>();
    assert!(t.n == 9, 0);
    ts::return_immutable(t);
    sc.end();
}

#[test]
fun effects_report_transfers_and_events() {
    let mut sc = ts::begin(ALICE);
    transfer::public_transfer(thing(sc.ctx(), 1), BOB);
    event::emit(Ev { n: 1, who: ALICE });
    let fx = sc.next_tx(ALICE);
    assert!(fx.created().length() == 1, 0);
    assert!(fx.transferred_to_account().size() == 1, 1);
    assert!(fx.num_user_events() == 1, 2);
    sc.end();
}

#[test]
#[expected_failure(abort_code = ts::EEmptyInventory)]
fun take_from_empty_inventory_aborts() {
    let mut sc = ts::begin(ALICE);
    sc.next_tx(BOB);
    let t = sc.take_from_sender<Thing>();
    sc.return_to_sender(t);
    sc.end();
}

#[test]
fun deleted_object_disappears() {
    let mut sc = ts::begin(ALICE);
    transfer::public_transfer(thing(sc.ctx(), 1), ALICE);
    sc.next_tx(ALICE);
    let Thing { id, n: _ } = sc.take_from_sender<Thing>();
    id.delete();
    let fx = sc.next_tx(ALICE);
    assert!(fx.deleted().length() == 1, 0);
    assert!(!ts::has_most_recent_for_sender<Thing>(&sc), 1);
    sc.end();
}

#[test]
fun sender_and_epoch() {
    let mut sc = ts::begin(ALICE);
    assert!(sc.ctx().sender() == ALICE, 0);
    sc.next_epoch(BOB);
    assert!(sc.ctx().sender() == BOB && sc.ctx().epoch() == 1, 1);
    sc.later_epoch(1000, ALICE);
    assert!(sc.ctx().epoch_timestamp_ms() == 1000, 2);
    sc.end();
}

#[test]
fun one_time_witness_check() {
    assert!(!sui::types::is_one_time_witness(&Other { flag: false }), 0);
}

#[test]
fun coins_and_balances() {
    let mut ctx = tx_context::dummy();
    let mut c = sui::coin::mint_for_testing<sui::sui::SUI>(100, &mut ctx);
    let d = c.split(30, &mut ctx);
    assert!(c.value() == 70 && d.value() == 30, 0);
    c.join(d);
    assert!(c.value() == 100, 1);
    let b = c.into_balance();
    assert!(b.value() == 100, 2);
    sui::balance::destroy_for_testing(b);
}

#[test]
#[expected_failure(abort_code = sui::balance::ENotEnough)]
fun coin_split_too_much_aborts() {
    let mut ctx = tx_context::dummy();
    let mut c = sui::coin::mint_for_testing<sui::sui::SUI>(10, &mut ctx);
    let d = c.split(11, &mut ctx);
    sui::coin::burn_for_testing(d);
    sui::coin::burn_for_testing(c);
}

#[test]
fun events_by_type_returns_copies() {
    event::emit(Ev { n: 1, who: ALICE });
    let mut evs = event::events_by_type<Ev>();
    evs[0].n = 50;
    let again = event::events_by_type<Ev>();
    assert!(again[0].n == 1, 0);
}
