#[test_only]
module sui::clock_tests;

use sui::clock::{Self, Clock};
use sui::test_scenario;

#[test]
fun clock_starts_at_zero_and_moves_forward() {
    let mut ctx = tx_context::dummy();
    let mut clock = clock::create_for_testing(&mut ctx);
    assert!(clock.timestamp_ms() == 0);
    clock.increment_for_testing(1_500);
    assert!(clock.timestamp_ms() == 1_500);
    clock.set_for_testing(1_500);
    clock.set_for_testing(90_000);
    assert!(clock.timestamp_ms() == 90_000);
    clock.destroy_for_testing();
}

#[test]
#[expected_failure]
fun setting_the_clock_backwards_aborts() {
    let mut ctx = tx_context::dummy();
    let mut clock = clock::create_for_testing(&mut ctx);
    clock.set_for_testing(10);
    clock.set_for_testing(9);
    clock.destroy_for_testing();
}

#[test]
fun shared_clock_is_visible_to_later_transactions() {
    let mut scenario = test_scenario::begin(@0xA);
    let mut clock = clock::create_for_testing(scenario.ctx());
    clock.set_for_testing(42);
    clock.share_for_testing();
    scenario.next_tx(@0xB);
    let mut clock = scenario.take_shared<Clock>();
    assert!(clock.timestamp_ms() == 42);
    clock.increment_for_testing(8);
    test_scenario::return_shared(clock);
    scenario.next_tx(@0xA);
    let clock = scenario.take_shared<Clock>();
    assert!(clock.timestamp_ms() == 50);
    test_scenario::return_shared(clock);
    scenario.end();
}
