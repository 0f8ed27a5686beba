/// Executors: admission, registration with a signing key, unbonding and
/// withdrawal, and slashing (bounded discretionary, lapsed claims,
/// equivocation).
#[test_only]
module k8s_gateway::executor_tests;

use k8s_gateway::k8s_gateway::{Self as gw, Cluster, AdminCap, ExecutorCap, ExecutorSlashed};
use k8s_gateway::test_helpers::{Self as h, admin, alice, bob, exec, exec2};
use std::string::utf8;
use sui::clock::Clock;
use sui::coin::{Self, Coin};
use sui::event;
use sui::sui::SUI;
use sui::test_scenario::{Self as ts, Scenario};

/// Cluster + Alice with a read token + one open request "r1" + EXEC registered.
fun with_open_request(): (Scenario, Clock) {
    let (mut sc, clock) = h::start();
    h::issue(&mut sc, &clock, alice(), h::pod_reader_rules(), 0);
    h::simple(&mut sc, &clock, alice(), b"r1", b"get", b"pods", b"dev", b"web");
    h::register(&mut sc, &clock, exec(), h::min_exec_stake());
    (sc, clock)
}

// === Admission and registration ===

#[test]
fun an_admitted_account_registers_with_its_signing_key_and_stake() {
    let (mut sc, clock) = h::start();
    h::register(&mut sc, &clock, exec(), h::min_exec_stake() + 1);
    // The admission is consumed.
    assert!(!ts::has_most_recent_for_sender<ExecutorCap>(&sc));
    let ex = h::take_executor(&sc, exec());
    assert!(gw::executor_account(&ex) == exec());
    assert!(gw::executor_stake(&ex) == h::min_exec_stake() + 1);
    assert!(gw::executor_signing_key(&ex) == h::test_key());
    assert!(gw::executor_unbonding_until_ms(&ex) == 0);
    ts::return_shared(ex);
    let cluster = sc.take_shared<Cluster>();
    assert!(gw::active_executors(&cluster) == 1);
    ts::return_shared(cluster);
    h::finish(sc, clock);
}

/// The open-registration attack: a fresh key with enough stake but no
/// admission has no ExecutorCap to present, so the only way in is another
/// account's cap, which is refused.
#[test, expected_failure(abort_code = gw::ENotAdmitted)]
fun an_admission_cannot_be_used_by_another_account() {
    let (mut sc, clock) = h::start();
    h::admit(&mut sc, exec());
    sc.next_tx(exec2());
    let mut cluster = sc.take_shared<Cluster>();
    let stolen = sc.take_from_address<ExecutorCap>(exec());
    gw::register_executor(&mut cluster, stolen, h::test_key(), coin::mint_for_testing(h::min_exec_stake(), sc.ctx()), &clock, sc.ctx());
    abort 0
}

#[test, expected_failure(abort_code = gw::ENotAdmitted)]
fun an_admission_for_another_cluster_is_refused() {
    let (mut sc, clock) = h::start();
    h::admit(&mut sc, exec());
    sc.next_tx(bob());
    gw::create_cluster(utf8(b"bobs"), 0, 0, 0, 100, 100, 10, 10, 0, 0, 0, 0, vector[], 0, sc.ctx());
    sc.next_tx(exec());
    let mut bobs = sc.take_shared<Cluster>();
    assert!(gw::cluster_name(&bobs) == utf8(b"bobs"));
    let admission = sc.take_from_sender<ExecutorCap>();
    gw::register_executor(&mut bobs, admission, h::test_key(), coin::mint_for_testing(1, sc.ctx()), &clock, sc.ctx());
    abort 0
}

#[test, expected_failure(abort_code = gw::EWrongAdminCap)]
fun only_the_clusters_administrator_admits() {
    let (mut sc, _clock) = h::start();
    sc.next_tx(bob());
    gw::create_cluster(utf8(b"bobs"), 0, 0, 0, 100, 100, 10, 10, 0, 0, 0, 0, vector[], 0, sc.ctx());
    sc.next_tx(bob());
    let bobs_cap = sc.take_from_sender<AdminCap>();
    let prod_id = gw::admin_cap_cluster_id(&sc.take_from_address<AdminCap>(admin()));
    let prod = sc.take_shared_by_id<Cluster>(prod_id);
    gw::admit_executor(&bobs_cap, &prod, bob(), sc.ctx());
    abort 0
}

#[test, expected_failure(abort_code = gw::EInvalidSigningKey)]
fun a_signing_key_must_be_32_bytes() {
    let (mut sc, clock) = h::start();
    h::admit(&mut sc, exec());
    h::register_admitted(&mut sc, &clock, exec(), h::min_exec_stake(), x"0102");
    abort 0
}

#[test, expected_failure(abort_code = gw::EExecutorStakeTooLow)]
fun registering_with_too_little_stake_is_refused() {
    let (mut sc, clock) = h::start();
    h::register(&mut sc, &clock, exec(), h::min_exec_stake() - 1);
    abort 0
}

// === Unbonding ===

#[test]
fun deregistration_locks_the_stake_until_the_unbonding_period_ends() {
    let (mut sc, mut clock) = h::start();
    h::register(&mut sc, &clock, exec(), 4_321);
    deregister(&mut sc, &clock, exec());
    sc.next_tx(exec());
    let ex = h::take_executor(&sc, exec());
    assert!(gw::executor_unbonding_until_ms(&ex) == h::start_ms() + h::unbonding());
    ts::return_shared(ex);
    clock.increment_for_testing(h::unbonding());
    withdraw(&mut sc, &clock, exec());
    sc.next_tx(exec());
    let coin = sc.take_from_sender<Coin<SUI>>();
    assert!(coin.value() == 4_321);
    coin.burn_for_testing();
    let cluster = sc.take_shared<Cluster>();
    assert!(gw::active_executors(&cluster) == 0);
    ts::return_shared(cluster);
    h::finish(sc, clock);
}

/// The exit-before-slash attack: deregister and take the stake in one go.
#[test, expected_failure(abort_code = gw::EStakeLocked)]
fun the_stake_cannot_be_withdrawn_during_unbonding() {
    let (mut sc, mut clock) = h::start();
    h::register(&mut sc, &clock, exec(), 4_321);
    deregister(&mut sc, &clock, exec());
    clock.increment_for_testing(h::unbonding() - 1);
    withdraw(&mut sc, &clock, exec());
    abort 0
}

#[test, expected_failure(abort_code = gw::EStakeLocked)]
fun an_active_executor_cannot_withdraw() {
    let (mut sc, clock) = h::start();
    h::register(&mut sc, &clock, exec(), 4_321);
    withdraw(&mut sc, &clock, exec());
    abort 0
}

#[test]
fun slashing_within_unbonding_still_works() {
    let (mut sc, mut clock) = h::start();
    h::register(&mut sc, &clock, exec(), 2_000);
    deregister(&mut sc, &clock, exec());
    clock.increment_for_testing(h::unbonding() - 1);
    slash(&mut sc, exec(), h::penalty());
    clock.increment_for_testing(1);
    withdraw(&mut sc, &clock, exec());
    sc.next_tx(exec());
    let coin = sc.take_from_sender<Coin<SUI>>();
    assert!(coin.value() == 2_000 - h::penalty());
    coin.burn_for_testing();
    h::finish(sc, clock);
}

#[test, expected_failure(abort_code = gw::EExecutorHoldsClaims)]
fun no_deregistration_while_a_claim_is_live() {
    let (mut sc, mut clock) = with_open_request();
    h::claim(&mut sc, &clock, exec(), b"r1");
    clock.increment_for_testing(h::lease() - 1);
    deregister(&mut sc, &clock, exec());
    abort 0
}

#[test, expected_failure(abort_code = gw::EExecutorUnbonding)]
fun an_unbonding_executor_takes_no_new_claims() {
    let (mut sc, clock) = with_open_request();
    deregister(&mut sc, &clock, exec());
    h::claim(&mut sc, &clock, exec(), b"r1");
    abort 0
}

#[test, expected_failure(abort_code = gw::ENotExecutor)]
fun only_the_executors_account_deregisters_it() {
    let (mut sc, clock) = h::start();
    h::register(&mut sc, &clock, exec(), 2_000);
    sc.next_tx(exec2());
    let mut cluster = sc.take_shared<Cluster>();
    let mut ex = h::take_executor(&sc, exec());
    gw::deregister_executor(&mut cluster, &mut ex, &clock, sc.ctx());
    abort 0
}

// === Slashing ===

#[test]
fun a_discretionary_slash_is_bounded_logged_and_withdrawable() {
    let (mut sc, clock) = h::start();
    h::register(&mut sc, &clock, exec(), 2_000);
    slash(&mut sc, exec(), h::penalty());
    let slashed = event::events_by_type<ExecutorSlashed>();
    assert!(gw::slashed_event_fault(&slashed[0]) == 0);
    assert!(gw::slashed_event_amount(&slashed[0]) == h::penalty());
    sc.next_tx(admin());
    let ex = h::take_executor(&sc, exec());
    assert!(gw::executor_stake(&ex) == 2_000 - h::penalty());
    ts::return_shared(ex);
    let mut cluster = sc.take_shared<Cluster>();
    assert!(gw::slashed_value(&cluster) == h::penalty());
    let cap = sc.take_from_sender<AdminCap>();
    gw::withdraw_slashed(&cap, &mut cluster, 100, sc.ctx());
    assert!(gw::slashed_value(&cluster) == h::penalty() - 100);
    sc.return_to_sender(cap);
    ts::return_shared(cluster);
    sc.next_tx(admin());
    let coin = sc.take_from_sender<Coin<SUI>>();
    assert!(coin.value() == 100);
    coin.burn_for_testing();
    h::finish(sc, clock);
}

#[test, expected_failure(abort_code = gw::ESlashTooLarge)]
fun a_discretionary_slash_above_the_penalty_is_refused() {
    let (mut sc, clock) = h::start();
    h::register(&mut sc, &clock, exec(), 2_000);
    slash(&mut sc, exec(), h::penalty() + 1);
    abort 0
}

#[test, expected_failure(abort_code = gw::EInsufficientFunds)]
fun withdrawing_more_than_slashed_is_refused() {
    let (mut sc, clock) = h::start();
    h::register(&mut sc, &clock, exec(), 2_000);
    slash(&mut sc, exec(), 10);
    sc.next_tx(admin());
    let mut cluster = sc.take_shared<Cluster>();
    let cap = sc.take_from_sender<AdminCap>();
    gw::withdraw_slashed(&cap, &mut cluster, 11, sc.ctx());
    abort 0
}

#[test, expected_failure(abort_code = gw::EExecutorStakeTooLow)]
fun slashed_executor_below_minimum_cannot_claim() {
    let (mut sc, clock) = with_open_request();
    slash(&mut sc, exec(), 1);
    h::claim(&mut sc, &clock, exec(), b"r1");
    abort 0
}

#[test]
fun anyone_can_slash_a_claim_that_outlived_its_hold_time_once() {
    let (mut sc, mut clock) = with_open_request();
    h::claim(&mut sc, &clock, exec(), b"r1");
    clock.set_for_testing(h::start_ms() + h::max_hold());
    slash_lapse(&mut sc, &clock, bob(), exec(), b"r1");
    let slashed = event::events_by_type<ExecutorSlashed>();
    assert!(gw::slashed_event_fault(&slashed[0]) == 1);
    sc.next_tx(bob());
    let ex = h::take_executor(&sc, exec());
    assert!(gw::executor_stake(&ex) == h::min_exec_stake() - h::penalty());
    ts::return_shared(ex);
    h::finish(sc, clock);
}

#[test, expected_failure(abort_code = gw::ENoLapse)]
fun a_lapsed_claim_is_penalised_only_once() {
    let (mut sc, mut clock) = with_open_request();
    h::claim(&mut sc, &clock, exec(), b"r1");
    clock.set_for_testing(h::start_ms() + h::max_hold());
    slash_lapse(&mut sc, &clock, bob(), exec(), b"r1");
    slash_lapse(&mut sc, &clock, bob(), exec(), b"r1");
    abort 0
}

#[test, expected_failure(abort_code = gw::ENoLapse)]
fun a_claim_within_its_hold_time_is_no_fault() {
    let (mut sc, mut clock) = with_open_request();
    h::claim(&mut sc, &clock, exec(), b"r1");
    clock.set_for_testing(h::start_ms() + h::max_hold() - 1);
    slash_lapse(&mut sc, &clock, bob(), exec(), b"r1");
    abort 0
}

#[test, expected_failure(abort_code = gw::ENoLapse)]
fun an_answered_request_is_no_lapse() {
    let (mut sc, mut clock) = with_open_request();
    h::claim(&mut sc, &clock, exec(), b"r1");
    h::respond(&mut sc, &clock, exec(), b"r1", 200, b"{}");
    clock.set_for_testing(h::start_ms() + h::max_hold());
    slash_lapse(&mut sc, &clock, bob(), exec(), b"r1");
    abort 0
}

// === local helpers ===

fun deregister(sc: &mut Scenario, clock: &Clock, executor: address) {
    sc.next_tx(executor);
    let mut cluster = sc.take_shared<Cluster>();
    let mut ex = h::take_executor(sc, executor);
    gw::deregister_executor(&mut cluster, &mut ex, clock, sc.ctx());
    ts::return_shared(ex);
    ts::return_shared(cluster);
}

fun withdraw(sc: &mut Scenario, clock: &Clock, executor: address) {
    sc.next_tx(executor);
    let ex = h::take_executor(sc, executor);
    gw::withdraw_executor_stake(ex, clock, sc.ctx());
}

fun slash(sc: &mut Scenario, executor: address, amount: u64) {
    sc.next_tx(admin());
    let mut cluster = sc.take_shared<Cluster>();
    let mut ex = h::take_executor(sc, executor);
    let cap = sc.take_from_sender<AdminCap>();
    gw::slash_executor(&cap, &mut cluster, &mut ex, amount, utf8(b"test"));
    sc.return_to_sender(cap);
    ts::return_shared(ex);
    ts::return_shared(cluster);
}

fun slash_lapse(sc: &mut Scenario, clock: &Clock, reporter: address, executor: address, label: vector<u8>) {
    sc.next_tx(reporter);
    let mut cluster = sc.take_shared<Cluster>();
    let (mut ex, mut request) = h::take_executor_and_request(sc, executor, label);
    gw::slash_lapsed_claim(&mut cluster, &mut ex, &mut request, clock);
    ts::return_shared(request);
    ts::return_shared(ex);
    ts::return_shared(cluster);
}
