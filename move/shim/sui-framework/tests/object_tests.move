#[test_only]
module sui::object_tests;

use sui::test_scenario;

public struct Thing has key, store { id: UID }

#[test]
fun new_ids_are_unique_and_convert_consistently() {
    let mut ctx = tx_context::dummy();
    let a = object::new(&mut ctx);
    let b = object::new(&mut ctx);
    assert!(a.to_inner() != b.to_inner());
    assert!(a.to_address() == object::id_to_address(a.as_inner()));
    assert!(object::id_from_address(a.to_address()) == a.to_inner());
    assert!(object::id_from_bytes(a.to_bytes()) == a.to_inner());
    assert!(a.to_bytes().length() == 32);
    assert!(a.to_inner().to_bytes() == a.to_bytes());
    assert!(object::last_created(&ctx) == b.to_inner());
    a.delete();
    b.delete();
}

#[test]
fun id_of_an_object_matches_its_uid() {
    let mut ctx = tx_context::dummy();
    let thing = Thing { id: object::new(&mut ctx) };
    let id = object::id(&thing);
    assert!(&id == object::borrow_id(&thing));
    assert!(id == thing.id.to_inner());
    assert!(object::id_address(&thing) == id.to_address());
    assert!(object::id_bytes(&thing) == id.to_bytes());
    let Thing { id } = thing;
    id.delete();
}

#[test]
#[expected_failure(abort_code = 0, location = sui::address)]
fun id_from_bytes_rejects_a_short_vector() {
    let mut bytes = vector[];
    31u64.do!(|_| bytes.push_back(1u8));
    object::id_from_bytes(bytes);
}

#[test]
fun dummy_contexts_share_one_digest() {
    let c1 = tx_context::dummy();
    let c2 = tx_context::dummy();
    assert!(c1.digest() == c2.digest());
    assert!(c1.digest() == &x"3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532");
}

#[test]
fun deleted_objects_show_up_in_effects() {
    let mut scenario = test_scenario::begin(@0xA);
    let thing = Thing { id: scenario.new_object() };
    let id = object::id(&thing);
    transfer::public_transfer(thing, @0xA);
    let effects = scenario.next_tx(@0xA);
    assert!(effects.created() == vector[id]);
    let Thing { id: uid } = scenario.take_from_sender<Thing>();
    uid.delete();
    let effects = scenario.next_tx(@0xA);
    assert!(effects.deleted() == vector[id]);
    assert!(!scenario.has_most_recent_for_sender<Thing>());
    scenario.end();
}
