// Conformance: multi-transaction object flows in sui::test_scenario —
// objects sent to objects and received, wrapping/unwrapping, dynamic fields
// and tables living in a shared object across transactions, inventories of
// several objects, events per transaction, and the scenario's abort codes.
#[test_only]
module conformance::c_scenario;

use sui::dynamic_field as df;
use sui::event;
use sui::table::{Self, Table};
use sui::test_scenario as ts;

public struct Item has key, store { id: UID, n: u64 }
public struct Chest has key, store { id: UID, inner: Option<Item> }
public struct Registry has key { id: UID, entries: Table<address, u64> }
public struct Seen has copy, drop { n: u64 }

const ALICE: address = @0xA11CE;
const BOB: address = @0xB0B;
const CAROL: address = @0xCA201;

fun n(x: u64): u64 { x }

#[test]
fun object_sent_to_object_is_received() {
    let mut s = ts::begin(ALICE);
    let chest = Chest { id: s.new_object(), inner: option::none() };
    let chest_id = object::id(&chest);
    transfer::public_transfer(chest, ALICE);
    s.next_tx(ALICE);
    let item = Item { id: s.new_object(), n: n(3) };
    let item_id = object::id(&item);
    transfer::public_transfer(item, chest_id.to_address());
    let fx = s.next_tx(ALICE);
    assert!(*fx.transferred_to_account().get(&item_id) == chest_id.to_address(), 0);
    let mut chest = s.take_from_sender<Chest>();
    let ticket = ts::most_recent_receiving_ticket<Item>(&chest_id);
    assert!(ticket.receiving_object_id() == item_id, 1);
    let item = transfer::public_receive(&mut chest.id, ticket);
    assert!(item.n == 3, 2);
    chest.inner.fill(item);
    s.return_to_sender(chest);
    s.end();
}

#[test]
fun wrap_and_unwrap_object() {
    let mut s = ts::begin(ALICE);
    transfer::public_transfer(Item { id: s.new_object(), n: n(9) }, ALICE);
    transfer::public_transfer(Chest { id: s.new_object(), inner: option::none() }, ALICE);
    s.next_tx(ALICE);
    let item = s.take_from_sender<Item>();
    let item_id = object::id(&item);
    let mut chest = s.take_from_sender<Chest>();
    chest.inner.fill(item);
    s.return_to_sender(chest);
    s.next_tx(ALICE);
    assert!(!ts::has_most_recent_for_address<Item>(ALICE), 0);
    let mut chest = s.take_from_sender<Chest>();
    let item = chest.inner.extract();
    assert!(object::id(&item) == item_id && item.n == 9, 1);
    transfer::public_transfer(item, BOB);
    s.return_to_sender(chest);
    s.next_tx(BOB);
    let item = s.take_from_sender<Item>();
    assert!(object::id(&item) == item_id, 2);
    s.return_to_sender(item);
    s.end();
}

#[test]
fun dynamic_fields_persist_across_transactions() {
    let mut s = ts::begin(ALICE);
    let mut chest = Chest { id: s.new_object(), inner: option::none() };
    df::add(&mut chest.id, b"count", n(1));
    transfer::public_share_object(chest);
    s.next_tx(BOB);
    let mut chest = s.take_shared<Chest>();
    *df::borrow_mut<vector<u8>, u64>(&mut chest.id, b"count") = 2;
    df::add(&mut chest.id, n(7), b"seven");
    ts::return_shared(chest);
    s.next_tx(CAROL);
    let mut chest = s.take_shared<Chest>();
    assert!(*df::borrow<vector<u8>, u64>(&chest.id, b"count") == 2, 0);
    assert!(df::remove<u64, vector<u8>>(&mut chest.id, 7) == b"seven", 1);
    assert!(!df::exists_(&chest.id, n(7)), 2);
    ts::return_shared(chest);
    s.end();
}

#[test]
fun table_in_shared_object_across_transactions() {
    let mut s = ts::begin(ALICE);
    let reg = Registry { id: s.new_object(), entries: table::new(s.ctx()) };
    transfer::share_object(reg);
    s.next_tx(ALICE);
    let mut reg = s.take_shared<Registry>();
    reg.entries.add(ALICE, n(1));
    ts::return_shared(reg);
    s.next_tx(BOB);
    let mut reg = s.take_shared<Registry>();
    reg.entries.add(BOB, n(2));
    *reg.entries.borrow_mut(ALICE) = 11;
    ts::return_shared(reg);
    s.next_tx(CAROL);
    let reg = s.take_shared<Registry>();
    assert!(reg.entries.length() == 2, 0);
    assert!(reg.entries[ALICE] == 11 && reg.entries[BOB] == 2, 1);
    ts::return_shared(reg);
    s.end();
}

#[test]
fun inventory_of_several_objects() {
    let mut s = ts::begin(ALICE);
    let a = Item { id: s.new_object(), n: n(1) };
    let b = Item { id: s.new_object(), n: n(2) };
    let (ida, idb) = (object::id(&a), object::id(&b));
    transfer::public_transfer(a, BOB);
    transfer::public_transfer(b, BOB);
    let fx = s.next_tx(BOB);
    let created = fx.created();
    assert!(created.length() == 2 && created.contains(&ida) && created.contains(&idb), 0);
    assert!(fx.transferred_to_account().size() == 2, 1);
    let ids = s.ids_for_sender<Item>();
    assert!(ids.length() == 2 && ids.contains(&ida) && ids.contains(&idb), 2);
    let a = s.take_from_sender_by_id<Item>(ida);
    let b = s.take_from_sender_by_id<Item>(idb);
    assert!(a.n + b.n == 3, 3);
    s.return_to_sender(a);
    s.return_to_sender(b);
    s.end();
}

#[test]
fun events_and_created_objects_per_transaction() {
    let mut s = ts::begin(ALICE);
    event::emit(Seen { n: n(1) });
    transfer::public_transfer(Item { id: s.new_object(), n: 0 }, ALICE);
    let fx = s.next_tx(ALICE);
    assert!(fx.num_user_events() == 1 && fx.created().length() == 1, 0);
    let mut item = s.take_from_sender<Item>();
    item.n = 5;
    event::emit(Seen { n: 2 });
    event::emit(Seen { n: 3 });
    s.return_to_sender(item);
    let fx = s.next_tx(ALICE);
    assert!(fx.num_user_events() == 2 && fx.created().is_empty(), 1);
    assert!(fx.written().length() == 1, 2);
    s.end();
}

#[test]
fun new_transaction_gets_new_ids() {
    let mut s = ts::begin(ALICE);
    let a = s.new_object();
    s.next_tx(ALICE);
    let b = s.new_object();
    assert!(a.to_inner() != b.to_inner(), 0);
    a.delete();
    b.delete();
    s.end();
}

#[test]
#[expected_failure(abort_code = 3, location = sui::test_scenario)]
fun other_sender_cannot_take() {
    let mut s = ts::begin(ALICE);
    transfer::public_transfer(Item { id: s.new_object(), n: n(1) }, ALICE);
    s.next_tx(BOB);
    let item = s.take_from_sender<Item>();
    s.return_to_sender(item);
    s.end();
}

#[test]
#[expected_failure(abort_code = 3, location = sui::test_scenario)]
fun take_shared_when_none_aborts() {
    let s = ts::begin(ALICE);
    let r = s.take_shared<Registry>();
    ts::return_shared(r);
    s.end();
}

#[test]
#[expected_failure(abort_code = 3, location = sui::test_scenario)]
fun object_not_visible_before_next_tx() {
    let mut s = ts::begin(ALICE);
    transfer::public_transfer(Item { id: s.new_object(), n: n(1) }, ALICE);
    let item = s.take_from_sender<Item>();
    s.return_to_sender(item);
    s.end();
}
