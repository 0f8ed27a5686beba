#[test_only]
module sui::tx_context_tests;

use sui::test_scenario;

#[test]
fun dummy_context_has_system_sender_and_epoch_zero() {
    let ctx = tx_context::dummy();
    assert!(ctx.sender() == @0x0);
    assert!(ctx.epoch() == 0);
    assert!(ctx.epoch_timestamp_ms() == 0);
    assert!(ctx.digest().length() == 32);
    assert!(ctx.sponsor().is_none());
}

#[test]
fun fresh_addresses_differ_and_are_counted() {
    let mut ctx = tx_context::dummy();
    let before = ctx.get_ids_created();
    let a = ctx.fresh_object_address();
    let b = ctx.fresh_object_address();
    assert!(a != b);
    assert!(ctx.get_ids_created() == before + 2);
    assert!(ctx.last_created_object_id() == b);
}

#[test]
fun new_from_hint_sets_sender_epoch_and_time() {
    let ctx = tx_context::new_from_hint(@0xCAFE, 7, 3, 1_000, 0);
    assert!(ctx.sender() == @0xCAFE);
    assert!(ctx.epoch() == 3);
    assert!(ctx.epoch_timestamp_ms() == 1_000);
    assert!(*ctx.digest() == tx_context::dummy_tx_hash_with_hint(7));
}

#[test]
#[expected_failure(abort_code = 0, location = sui::tx_context)]
fun new_rejects_a_digest_that_is_not_32_bytes() {
    tx_context::new(@0x1, b"short", 0, 0, 0);
}

#[test]
fun scenario_epochs_and_senders_advance() {
    let mut scenario = test_scenario::begin(@0xA);
    assert!(scenario.ctx().sender() == @0xA);
    assert!(scenario.ctx().epoch() == 0);
    scenario.next_tx(@0xB);
    assert!(scenario.sender() == @0xB);
    scenario.next_epoch(@0xB);
    assert!(scenario.ctx().epoch() == 1);
    scenario.later_epoch(500, @0xC);
    assert!(scenario.ctx().epoch() == 2);
    assert!(scenario.ctx().epoch_timestamp_ms() == 500);
    assert!(scenario.sender() == @0xC);
    assert!(scenario.num_concluded_txes() == 3);
    scenario.end();
}

#[test]
fun each_transaction_of_a_scenario_has_its_own_digest() {
    let mut scenario = test_scenario::begin(@0xA);
    let first = *scenario.ctx().digest();
    scenario.next_tx(@0xA);
    assert!(*scenario.ctx().digest() != first);
    scenario.end();
}

#[test]
fun create_installs_every_value_in_the_runtime() {
    let ctx = tx_context::create(
        @0xBEEF,
        tx_context::dummy_tx_hash_with_hint(42),
        5,
        7_000,
        0,
        1_000,
        1_500,
        50_000_000,
        option::some(@0x5905),
    );
    assert!(ctx.sender() == @0xBEEF);
    assert!(ctx.epoch() == 5);
    assert!(ctx.epoch_timestamp_ms() == 7_000);
    assert!(ctx.reference_gas_price() == 1_000);
    assert!(ctx.gas_price() == 1_500);
    assert!(ctx.gas_budget() == 50_000_000);
    assert!(ctx.sponsor() == option::some(@0x5905));
    assert!(ctx.ids_created() == 0);
    // `new` keeps the gas values and the sponsor already installed.
    let next = tx_context::new(@0xA, tx_context::dummy_tx_hash_with_hint(43), 6, 8_000, 0);
    assert!(next.gas_price() == 1_500 && next.sponsor() == option::some(@0x5905));
}

#[test]
fun epoch_helpers_move_epoch_and_start_time() {
    let mut ctx = tx_context::new_from_hint(@0xA, 1, 2, 100, 0);
    ctx.increment_epoch_number();
    assert!(ctx.epoch() == 3 && ctx.epoch_timestamp_ms() == 100);
    ctx.increment_epoch_timestamp(50);
    assert!(ctx.epoch() == 3 && ctx.epoch_timestamp_ms() == 150);
    assert!(ctx.sender() == @0xA);
}
