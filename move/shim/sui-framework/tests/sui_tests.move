#[test_only]
module sui::sui_tests;

use sui::coin::{Self, Coin};
use sui::sui::{Self, SUI};
use sui::test_scenario;

#[test]
fun sui_transfer_moves_the_coin() {
    let mut scenario = test_scenario::begin(@0xA);
    let c = coin::mint_for_testing<SUI>(9, scenario.ctx());
    sui::transfer(c, @0xB);
    scenario.next_tx(@0xB);
    let c = scenario.take_from_sender<Coin<SUI>>();
    assert!(c.value() == 9);
    c.burn_for_testing();
    scenario.end();
}
