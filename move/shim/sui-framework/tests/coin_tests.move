#[test_only]
module sui::coin_tests;

use std::unit_test::destroy;
use sui::balance::{Self, Balance};
use sui::coin::{Self, Coin};
use sui::sui::SUI;
use sui::test_scenario;
use sui::test_utils;

/// One-time witness of this module.
public struct COIN_TESTS has drop {}

public struct NotAWitness has drop {}

#[test]
fun balance_join_split_withdraw() {
    let mut b = balance::create_for_testing<SUI>(100);
    assert!(b.value() == 100);
    let part = b.split(30);
    assert!(part.value() == 30 && b.value() == 70);
    assert!(b.join(part) == 100);
    let all = b.withdraw_all();
    assert!(all.value() == 100 && b.value() == 0);
    b.destroy_zero();
    assert!(all.destroy_for_testing() == 100);
    balance::zero<SUI>().destroy_zero();
}

#[test]
#[expected_failure(abort_code = 2, location = sui::balance)]
fun splitting_more_than_the_balance_aborts() {
    let mut b = balance::create_for_testing<SUI>(5);
    let part = b.split(6);
    destroy(part);
    destroy(b);
}

#[test]
#[expected_failure(abort_code = 0, location = sui::balance)]
fun destroying_a_non_zero_balance_aborts() {
    balance::create_for_testing<SUI>(1).destroy_zero();
}

#[test]
fun supply_mints_and_burns() {
    let mut supply = balance::create_supply(NotAWitness {});
    let minted = supply.increase_supply(50);
    assert!(supply.value() == 50);
    assert!(supply.supply_value() == 50);
    assert!(supply.decrease_supply(minted) == 50);
    assert!(supply.value() == 0);
    destroy(supply);
}

#[test]
#[expected_failure(abort_code = 1, location = sui::balance)]
fun supply_overflow_aborts() {
    let mut supply = balance::create_supply_for_testing<SUI>();
    let a = supply.increase_supply(std::u64::max_value!());
    let b = supply.increase_supply(1);
    destroy(a);
    destroy(b);
    destroy(supply);
}

#[test]
#[expected_failure(abort_code = 1, location = sui::balance)]
fun burning_more_than_the_supply_aborts() {
    let mut supply = balance::create_supply_for_testing<SUI>();
    supply.decrease_supply(balance::create_for_testing(1));
    destroy(supply);
}

#[test]
fun coin_split_join_take_put() {
    let mut ctx = tx_context::dummy();
    let mut c = coin::mint_for_testing<SUI>(1_000, &mut ctx);
    assert!(c.value() == 1_000);
    let part = c.split(400, &mut ctx);
    assert!(part.value() == 400 && c.value() == 600);
    c.join(part);
    assert!(c.value() == 1_000);
    let mut bal: Balance<SUI> = balance::zero();
    let taken = coin::take(c.balance_mut(), 250, &mut ctx);
    coin::put(&mut bal, taken);
    assert!(bal.value() == 250 && c.balance().value() == 750);
    let back = bal.into_coin(&mut ctx);
    assert!(back.value() == 250);
    let b = back.into_balance();
    let again = coin::from_balance(b, &mut ctx);
    c.join(again);
    assert!(c.burn_for_testing() == 1_000);
    coin::zero<SUI>(&mut ctx).destroy_zero();
}

#[test]
#[expected_failure(abort_code = 2, location = sui::balance)]
fun splitting_a_coin_beyond_its_value_aborts() {
    let mut ctx = tx_context::dummy();
    let mut c = coin::mint_for_testing<SUI>(10, &mut ctx);
    let part = c.split(11, &mut ctx);
    destroy(part);
    destroy(c);
}

#[test]
#[expected_failure(abort_code = 0, location = sui::balance)]
fun destroying_a_non_zero_coin_aborts() {
    let mut ctx = tx_context::dummy();
    coin::mint_for_testing<SUI>(1, &mut ctx).destroy_zero();
}

#[test]
fun divide_into_n_leaves_the_remainder() {
    let mut ctx = tx_context::dummy();
    let mut c = coin::mint_for_testing<SUI>(10, &mut ctx);
    let mut parts = c.divide_into_n(3, &mut ctx);
    assert!(parts.length() == 2);
    assert!(c.value() == 4);
    while (!parts.is_empty()) {
        let p: Coin<SUI> = parts.pop_back();
        assert!(p.value() == 3);
        p.burn_for_testing();
    };
    parts.destroy_empty();
    c.burn_for_testing();
}

#[test]
#[expected_failure(abort_code = 1, location = sui::coin)]
fun divide_into_zero_parts_aborts() {
    let mut ctx = tx_context::dummy();
    let mut c = coin::mint_for_testing<SUI>(10, &mut ctx);
    let parts = c.divide_into_n(0, &mut ctx);
    destroy(parts);
    destroy(c);
}

#[test]
#[expected_failure(abort_code = 2, location = sui::coin)]
fun divide_into_more_parts_than_value_aborts() {
    let mut ctx = tx_context::dummy();
    let mut c = coin::mint_for_testing<SUI>(2, &mut ctx);
    let parts = c.divide_into_n(3, &mut ctx);
    destroy(parts);
    destroy(c);
}

#[test]
#[allow(deprecated_usage)]
fun create_currency_with_a_one_time_witness() {
    let mut scenario = test_scenario::begin(@0xA);
    let otw = test_utils::create_one_time_witness<COIN_TESTS>();
    let (mut cap, mut meta) = coin::create_currency(
        otw,
        6,
        b"K3S",
        b"K3s token",
        b"test currency",
        option::none(),
        scenario.ctx(),
    );
    assert!(meta.get_decimals() == 6);
    assert!(meta.get_symbol() == std::ascii::string(b"K3S"));
    assert!(meta.get_name() == std::string::utf8(b"K3s token"));
    assert!(meta.get_description() == std::string::utf8(b"test currency"));
    assert!(meta.get_icon_url().is_none());
    coin::update_name(&cap, &mut meta, std::string::utf8(b"K3s"));
    coin::update_icon_url(&cap, &mut meta, std::ascii::string(b"https://k3s.example/icon.png"));
    assert!(meta.get_name() == std::string::utf8(b"K3s"));
    assert!(meta.get_icon_url().borrow().inner_url() == std::ascii::string(b"https://k3s.example/icon.png"));
    let c = cap.mint(500, scenario.ctx());
    let b = cap.mint_balance(20);
    assert!(cap.total_supply() == 520);
    assert!(cap.burn(c) == 500);
    assert!(cap.supply_immut().supply_value() == 20);
    cap.supply_mut().decrease_supply(b);
    coin::mint_and_transfer(&mut cap, 7, @0xB, scenario.ctx());
    transfer::public_freeze_object(meta);
    transfer::public_transfer(cap, @0xA);
    scenario.next_tx(@0xB);
    let received = scenario.take_from_sender<Coin<COIN_TESTS>>();
    assert!(received.value() == 7);
    scenario.return_to_sender(received);
    scenario.end();
}

#[test]
#[allow(deprecated_usage)]
#[expected_failure(abort_code = 0, location = sui::coin)]
fun create_currency_without_a_one_time_witness_aborts() {
    let mut ctx = tx_context::dummy();
    let (cap, meta) = coin::create_currency(
        NotAWitness {},
        0,
        b"X",
        b"X",
        b"",
        option::none(),
        &mut ctx,
    );
    destroy(cap);
    destroy(meta);
}

#[test]
fun treasury_cap_for_testing_into_supply() {
    let mut ctx = tx_context::dummy();
    let mut cap = coin::create_treasury_cap_for_testing<NotAWitness>(&mut ctx);
    let c = cap.mint(3, &mut ctx);
    let mut supply = cap.into_supply();
    assert!(supply.value() == 3);
    supply.decrease_supply(c.into_balance());
    destroy(supply);
}
