#[test_only]
module conformance::receiving;

use sui::test_scenario as ts;

public struct Parent has key { id: UID }
public struct Child has key, store { id: UID, n: u64 }

const ALICE: address = @0xA11CE;

#[test]
fun receive_object_sent_to_an_object() {
    let mut sc = ts::begin(ALICE);
    let parent = Parent { id: object::new(sc.ctx()) };
    let pid = object::id(&parent);
    transfer::transfer(parent, ALICE);
    transfer::public_transfer(Child { id: object::new(sc.ctx()), n: 4 }, pid.to_address());
    sc.next_tx(ALICE);
    let mut p = sc.take_from_sender<Parent>();
    let ticket = ts::most_recent_receiving_ticket<Child>(&pid);
    let c: Child = transfer::public_receive(&mut p.id, ticket);
    assert!(c.n == 4, 0);
    transfer::public_transfer(c, ALICE);
    sc.return_to_sender(p);
    sc.next_tx(ALICE);
    let c2 = sc.take_from_sender<Child>();
    assert!(c2.n == 4, 1);
    sc.return_to_sender(c2);
    sc.end();
}
