// Conformance: sui::event (emit, counting, test_scenario effects),
// sui::transfer (transfer / share / freeze, observed through test_scenario),
// sui::balance and sui::coin (split/join/zero and their abort codes),
// sui::clock, and sui::vec_map / vec_set.
#[test_only]
module conformance::c_effects;

use sui::balance::{Self, Balance};
use sui::clock;
use sui::coin::{Self, Coin};
use sui::event;
use sui::test_scenario as ts;
use sui::vec_map;
use sui::vec_set;

public struct TOKEN has drop {}
public struct Ping has copy, drop { n: u64 }
public struct Wrapped<T> has copy, drop { v: T }
public struct Note has copy, drop { who: address, text: vector<u8>, tags: vector<u16> }
public enum Kind has copy, drop { Created { id: u64 }, Deleted }
public struct Gadget has key, store { id: UID, power: u64 }
public struct Board has key { id: UID, hits: u64 }
public struct Plaque has key { id: UID, text: vector<u8> }

const ALICE: address = @0xA11CE;
const BOB: address = @0xB0B;

fun n(x: u64): u64 { x }

#[test]
fun emit_and_count_events() {
    let before = event::num_events();
    event::emit(Ping { n: n(1) });
    event::emit(Note { who: ALICE, text: b"hi", tags: vector[1, 2] });
    event::emit(Ping { n: 2 });
    assert!(event::num_events() == before + 3, 0);
    assert!(event::events_by_type<Ping>() == vector[Ping { n: 1 }, Ping { n: 2 }], 1);
    assert!(event::events_by_type<Note>()[0].tags == vector[1, 2], 2);
}

#[test]
fun emit_enum_and_generic_events() {
    event::emit(Kind::Created { id: n(4) });
    event::emit(Kind::Deleted);
    event::emit(Wrapped { v: n(77) });
    event::emit(Wrapped { v: true });
    assert!(event::events_by_type<Kind>() == vector[Kind::Created { id: 4 }, Kind::Deleted], 0);
    assert!(event::events_by_type<Wrapped<u64>>() == vector[Wrapped { v: 77 }], 1);
    assert!(event::events_by_type<Wrapped<bool>>().length() == 1, 2);
    assert!(event::events_by_type<Wrapped<u8>>().is_empty(), 3);
}

#[test]
fun scenario_counts_user_events_per_transaction() {
    let mut s = ts::begin(ALICE);
    event::emit(Ping { n: n(1) });
    event::emit(Ping { n: 2 });
    event::emit(Kind::Deleted);
    let fx = s.next_tx(BOB);
    assert!(fx.num_user_events() == 3, 0);
    event::emit(Ping { n: 3 });
    let fx = s.next_tx(BOB);
    assert!(fx.num_user_events() == 1, 1);
    let fx = s.end();
    assert!(fx.num_user_events() == 0, 2);
}

#[test]
fun transfer_to_address_and_take_back() {
    let mut s = ts::begin(ALICE);
    let g = Gadget { id: s.new_object(), power: n(5) };
    let gid = object::id(&g);
    transfer::public_transfer(g, BOB);
    let fx = s.next_tx(BOB);
    assert!(fx.created() == vector[gid], 0);
    assert!(*fx.transferred_to_account().get(&gid) == BOB, 1);
    let mut g = s.take_from_sender<Gadget>();
    assert!(g.power == 5, 2);
    g.power = 6;
    s.return_to_sender(g);
    let fx = s.next_tx(BOB);
    assert!(fx.written() == vector[gid], 3);
    let g = s.take_from_sender_by_id<Gadget>(gid);
    assert!(g.power == 6, 4);
    s.return_to_sender(g);
    s.end();
}

#[test]
fun share_object_and_mutate_across_transactions() {
    let mut s = ts::begin(ALICE);
    transfer::share_object(Board { id: s.new_object(), hits: n(0) });
    let fx = s.next_tx(BOB);
    assert!(fx.shared().length() == 1, 0);
    let mut b = s.take_shared<Board>();
    b.hits = b.hits + 1;
    ts::return_shared(b);
    s.next_tx(ALICE);
    let mut b = s.take_shared<Board>();
    b.hits = b.hits + 1;
    ts::return_shared(b);
    s.next_tx(ALICE);
    let b = s.take_shared<Board>();
    assert!(b.hits == 2, 1);
    ts::return_shared(b);
    s.end();
}

#[test]
fun freeze_object_is_immutable() {
    let mut s = ts::begin(ALICE);
    transfer::freeze_object(Plaque { id: s.new_object(), text: b"hello" });
    let fx = s.next_tx(BOB);
    assert!(fx.frozen().length() == 1, 0);
    let p = s.take_immutable<Plaque>();
    assert!(p.text == b"hello", 1);
    ts::return_immutable(p);
    s.end();
}

#[test]
fun delete_object_shows_in_effects() {
    let mut s = ts::begin(ALICE);
    transfer::public_transfer(Gadget { id: s.new_object(), power: n(1) }, ALICE);
    s.next_tx(ALICE);
    let Gadget { id, power: _ } = s.take_from_sender<Gadget>();
    let gid = id.to_inner();
    id.delete();
    let fx = s.next_tx(ALICE);
    assert!(fx.deleted() == vector[gid], 0);
    assert!(!ts::has_most_recent_for_address<Gadget>(ALICE), 1);
    s.end();
}

#[test]
fun scenario_sender_and_epochs() {
    let mut s = ts::begin(ALICE);
    assert!(s.sender() == ALICE && s.num_concluded_txes() == 0, 0);
    s.next_tx(BOB);
    assert!(s.sender() == BOB && s.ctx().sender() == BOB, 1);
    s.next_epoch(ALICE);
    s.later_epoch(500, ALICE);
    assert!(s.ctx().epoch() == 2 && s.ctx().epoch_timestamp_ms() == 500, 2);
    assert!(s.num_concluded_txes() == 3, 3);
    s.end();
}

#[test]
#[expected_failure(abort_code = 3, location = sui::test_scenario)]
fun take_from_empty_inventory_aborts() {
    let s = ts::begin(ALICE);
    let g = s.take_from_sender<Gadget>();
    transfer::public_transfer(g, ALICE);
    s.end();
}

#[test]
fun balance_split_join_zero() {
    let mut b: Balance<TOKEN> = balance::create_for_testing(n(100));
    let part = b.split(30);
    assert!(b.value() == 70 && part.value() == 30, 0);
    assert!(b.join(part) == 100, 1);
    let all = b.withdraw_all();
    assert!(b.value() == 0 && all.value() == 100, 2);
    b.destroy_zero();
    balance::zero<TOKEN>().destroy_zero();
    assert!(all.destroy_for_testing() == 100, 3);
}

#[test]
#[expected_failure(abort_code = 2, location = sui::balance)]
fun balance_split_too_much_aborts() {
    let mut b: Balance<TOKEN> = balance::create_for_testing(n(10));
    let p = b.split(11);
    p.destroy_for_testing();
    b.destroy_for_testing();
}

#[test]
#[expected_failure(abort_code = 0, location = sui::balance)]
fun balance_destroy_non_zero_aborts() {
    let b: Balance<TOKEN> = balance::create_for_testing(n(1));
    b.destroy_zero();
}

#[test]
fun supply_increase_decrease() {
    let mut sup = balance::create_supply(TOKEN {});
    let b = sup.increase_supply(n(50));
    assert!(sup.value() == 50, 0);
    assert!(sup.decrease_supply(b) == 50 && sup.supply_value() == 0, 1);
    std::unit_test::destroy(sup);
}

#[test]
#[expected_failure(abort_code = 1, location = sui::balance)]
fun supply_overflow_aborts() {
    let mut sup = balance::create_supply(TOKEN {});
    let a = sup.increase_supply(18446744073709551615);
    let b = sup.increase_supply(n(1));
    std::unit_test::destroy(a);
    std::unit_test::destroy(b);
    std::unit_test::destroy(sup);
}

#[test]
fun coin_split_join_divide() {
    let mut ctx = tx_context::dummy();
    let mut c: Coin<TOKEN> = coin::mint_for_testing(n(100), &mut ctx);
    let d = c.split(40, &mut ctx);
    assert!(c.value() == 60 && d.value() == 40, 0);
    c.join(d);
    let parts = c.divide_into_n(3, &mut ctx);
    assert!(parts.length() == 2 && parts[0].value() == 33 && c.value() == 34, 1);
    parts.destroy!(|p| { c.join(p); });
    assert!(c.burn_for_testing() == 100, 2);
}

#[test]
fun coin_zero_and_balance_roundtrip() {
    let mut ctx = tx_context::dummy();
    let z = coin::zero<TOKEN>(&mut ctx);
    assert!(z.value() == 0, 0);
    z.destroy_zero();
    let b: Balance<TOKEN> = balance::create_for_testing(n(9));
    let c = coin::from_balance(b, &mut ctx);
    assert!(c.balance().value() == 9, 1);
    let mut b2 = c.into_balance();
    let c2 = coin::take(&mut b2, 4, &mut ctx);
    coin::put(&mut b2, c2);
    assert!(b2.destroy_for_testing() == 9, 2);
}

#[test]
fun treasury_mint_and_burn() {
    let mut ctx = tx_context::dummy();
    let mut cap = coin::create_treasury_cap_for_testing<TOKEN>(&mut ctx);
    let c = cap.mint(n(500), &mut ctx);
    assert!(cap.total_supply() == 500, 0);
    assert!(cap.burn(c) == 500 && cap.total_supply() == 0, 1);
    std::unit_test::destroy(cap);
}

#[test]
#[expected_failure(abort_code = 2, location = sui::balance)]
fun coin_split_too_much_aborts() {
    let mut ctx = tx_context::dummy();
    let mut c: Coin<TOKEN> = coin::mint_for_testing(n(5), &mut ctx);
    let d = c.split(6, &mut ctx);
    d.burn_for_testing();
    c.burn_for_testing();
}

#[test]
#[expected_failure(abort_code = 1, location = sui::coin)]
fun coin_divide_into_zero_aborts() {
    let mut ctx = tx_context::dummy();
    let mut c: Coin<TOKEN> = coin::mint_for_testing(n(5), &mut ctx);
    let parts = c.divide_into_n(0, &mut ctx);
    parts.destroy_empty();
    c.burn_for_testing();
}

#[test]
#[expected_failure(abort_code = 0, location = sui::balance)]
fun coin_destroy_non_zero_aborts() {
    let mut ctx = tx_context::dummy();
    let c: Coin<TOKEN> = coin::mint_for_testing(n(1), &mut ctx);
    c.destroy_zero();
}

#[test]
fun clock_for_testing() {
    let mut ctx = tx_context::dummy();
    let mut c = clock::create_for_testing(&mut ctx);
    assert!(c.timestamp_ms() == 0, 0);
    c.increment_for_testing(n(1500));
    c.set_for_testing(2000);
    assert!(c.timestamp_ms() == 2000, 1);
    c.destroy_for_testing();
}

#[test]
fun shared_clock_in_scenario() {
    let mut s = ts::begin(ALICE);
    clock::create_for_testing(s.ctx()).share_for_testing();
    s.next_tx(ALICE);
    let c = s.take_shared<clock::Clock>();
    assert!(c.timestamp_ms() == 0, 0);
    ts::return_shared(c);
    s.end();
}

#[test]
fun vec_map_and_vec_set() {
    let mut m = vec_map::empty<u64, vector<u8>>();
    m.insert(n(2), b"b");
    m.insert(1, b"a");
    assert!(m.size() == 2 && m.contains(&1), 0);
    *m.get_mut(&2) = b"bb";
    assert!(*m.get(&2) == b"bb" && m.keys() == vector[2, 1], 1);
    let (k, v) = m.remove(&2);
    assert!(k == 2 && v == b"bb" && m.try_get(&2).is_none(), 2);
    let mut s = vec_set::singleton(n(3));
    s.insert(4);
    s.remove(&3);
    assert!(s.keys() == &vector[4] && !s.contains(&3), 3);
}

#[test]
#[expected_failure(abort_code = 0, location = sui::vec_map)]
fun vec_map_duplicate_key_aborts() {
    let mut m = vec_map::empty<u64, bool>();
    m.insert(n(1), true);
    m.insert(1, false);
}
