#[test_only]
module sui::event_tests;

use sui::event;
use sui::test_scenario;

public struct Ping has copy, drop { n: u64 }
public struct Pong has copy, drop { who: address }

#[test]
fun emitted_events_are_counted_and_listed_by_type() {
    let before = event::num_events();
    event::emit(Ping { n: 1 });
    event::emit(Pong { who: @0xA });
    event::emit(Ping { n: 2 });
    assert!(event::num_events() == before + 3);
    let pings = event::events_by_type<Ping>();
    assert!(pings == vector[Ping { n: 1 }, Ping { n: 2 }]);
    assert!(event::events_by_type<Pong>() == vector[Pong { who: @0xA }]);
}

#[test]
fun transaction_effects_count_user_events() {
    let mut scenario = test_scenario::begin(@0xA);
    event::emit(Ping { n: 1 });
    event::emit(Ping { n: 2 });
    let effects = scenario.next_tx(@0xA);
    assert!(effects.num_user_events() == 2);
    let effects = scenario.next_tx(@0xA);
    assert!(effects.num_user_events() == 0);
    scenario.end();
}
