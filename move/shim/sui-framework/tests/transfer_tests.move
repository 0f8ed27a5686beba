#[test_only]
module sui::transfer_tests;

use sui::test_scenario;

public struct Owned has key, store { id: UID, value: u64 }
public struct Shared has key { id: UID, counter: u64 }
public struct Frozen has key { id: UID }

const ALICE: address = @0xA11CE;
const BOB: address = @0xB0B;

#[test]
fun transferred_object_lands_in_the_recipients_inventory() {
    let mut scenario = test_scenario::begin(ALICE);
    let obj = Owned { id: scenario.new_object(), value: 7 };
    let id = object::id(&obj);
    transfer::public_transfer(obj, BOB);
    let effects = scenario.next_tx(BOB);
    assert!(effects.created() == vector[id]);
    assert!(effects.transferred_to_account().size() == 1);
    assert!(*effects.transferred_to_account().get(&id) == BOB);
    assert!(scenario.has_most_recent_for_sender<Owned>());
    assert!(!test_scenario::has_most_recent_for_address<Owned>(ALICE));
    assert!(test_scenario::most_recent_id_for_address<Owned>(BOB) == option::some(id));
    assert!(scenario.ids_for_sender<Owned>() == vector[id]);
    let obj = scenario.take_from_sender<Owned>();
    assert!(obj.value == 7);
    assert!(scenario.was_taken_from_sender(id));
    scenario.return_to_sender(obj);
    scenario.next_tx(ALICE);
    let obj = scenario.take_from_address_by_id<Owned>(BOB, id);
    test_scenario::return_to_address(BOB, obj);
    scenario.end();
}

#[test]
fun shared_object_can_be_taken_mutated_and_returned() {
    let mut scenario = test_scenario::begin(ALICE);
    transfer::share_object(Shared { id: scenario.new_object(), counter: 0 });
    let effects = scenario.next_tx(BOB);
    assert!(effects.shared().length() == 1);
    assert!(test_scenario::has_most_recent_shared<Shared>());
    let mut shared = scenario.take_shared<Shared>();
    shared.counter = shared.counter + 1;
    test_scenario::return_shared(shared);
    let effects = scenario.next_tx(ALICE);
    assert!(effects.written().length() == 1);
    let shared = scenario.take_shared<Shared>();
    assert!(shared.counter == 1);
    test_scenario::return_shared(shared);
    scenario.end();
}

#[test]
fun frozen_object_is_in_the_immutable_inventory() {
    let mut scenario = test_scenario::begin(ALICE);
    transfer::freeze_object(Frozen { id: scenario.new_object() });
    let effects = scenario.next_tx(BOB);
    assert!(effects.frozen().length() == 1);
    assert!(test_scenario::has_most_recent_immutable<Frozen>());
    let frozen = scenario.take_immutable<Frozen>();
    test_scenario::return_immutable(frozen);
    scenario.end();
}

#[test]
#[expected_failure(abort_code = 3, location = sui::test_scenario)]
fun taking_from_an_empty_inventory_aborts() {
    let scenario = test_scenario::begin(ALICE);
    let obj = scenario.take_from_sender<Owned>();
    transfer::public_transfer(obj, ALICE);
    scenario.end();
}

#[test]
#[expected_failure(abort_code = 2, location = sui::test_scenario)]
fun returning_an_object_that_was_not_taken_aborts() {
    let mut scenario = test_scenario::begin(ALICE);
    let obj = Owned { id: scenario.new_object(), value: 1 };
    scenario.return_to_sender(obj);
    scenario.end();
}

#[test]
fun object_sent_to_an_object_can_be_received() {
    let mut scenario = test_scenario::begin(ALICE);
    let mut parent = Owned { id: scenario.new_object(), value: 0 };
    let parent_id = object::id(&parent);
    let child = Owned { id: scenario.new_object(), value: 42 };
    let child_id = object::id(&child);
    transfer::public_transfer(child, parent_id.to_address());
    let effects = scenario.next_tx(ALICE);
    // Sending to an object's address makes it address-owned by that ID.
    assert!(*effects.transferred_to_account().get(&child_id) == parent_id.to_address());
    assert!(effects.transferred_to_object().is_empty());
    assert!(test_scenario::receivable_object_ids_for_owner_id<Owned>(parent_id) == vector[child_id]);
    let ticket = test_scenario::most_recent_receiving_ticket<Owned>(&parent_id);
    assert!(ticket.receiving_object_id() == child_id);
    let child = transfer::public_receive(&mut parent.id, ticket);
    assert!(child.value == 42);
    transfer::public_transfer(child, ALICE);
    transfer::public_transfer(parent, ALICE);
    scenario.end();
}

#[test]
fun an_unused_receiving_ticket_can_be_returned() {
    let mut scenario = test_scenario::begin(ALICE);
    let parent = Owned { id: scenario.new_object(), value: 0 };
    let parent_id = object::id(&parent);
    let child = Owned { id: scenario.new_object(), value: 1 };
    let child_id = object::id(&child);
    transfer::public_transfer(child, parent_id.to_address());
    transfer::public_transfer(parent, ALICE);
    scenario.next_tx(ALICE);
    let ticket = test_scenario::receiving_ticket_by_id<Owned>(child_id);
    test_scenario::return_receiving_ticket(ticket);
    scenario.end();
}

#[test]
#[expected_failure(abort_code = 2, location = sui::test_scenario)]
fun returning_a_shared_object_that_was_not_taken_aborts() {
    let mut scenario = test_scenario::begin(ALICE);
    test_scenario::return_shared(Shared { id: scenario.new_object(), counter: 0 });
    scenario.end();
}

#[test]
#[expected_failure(abort_code = 2, location = sui::test_scenario)]
fun returning_an_immutable_object_that_was_not_taken_aborts() {
    let mut scenario = test_scenario::begin(ALICE);
    test_scenario::return_immutable(Frozen { id: scenario.new_object() });
    scenario.end();
}

#[test]
#[expected_failure(abort_code = 3, location = sui::test_scenario)]
fun taking_a_shared_object_that_does_not_exist_aborts() {
    let scenario = test_scenario::begin(ALICE);
    let shared = scenario.take_shared<Shared>();
    test_scenario::return_shared(shared);
    scenario.end();
}

#[test]
#[expected_failure(abort_code = 3, location = sui::test_scenario)]
fun taking_an_immutable_object_that_does_not_exist_aborts() {
    let scenario = test_scenario::begin(ALICE);
    let frozen = scenario.take_immutable<Frozen>();
    test_scenario::return_immutable(frozen);
    scenario.end();
}
