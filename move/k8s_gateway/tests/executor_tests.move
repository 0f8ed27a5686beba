/// Executors: registration, slashing, claims with leases, responses (single
/// and chunked), fees and closing requests.
#[test_only]
module k8s_gateway::executor_tests;

use k8s_gateway::k8s_gateway::{Self as gw, Cluster, AdminCap, Request, RequestClaimed, K8sAPIResponse};
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

// === Registration ===

#[test]
fun register_executor_records_its_stake() {
    let (mut sc, clock) = h::start();
    h::register(&mut sc, &clock, exec(), h::min_exec_stake() + 1);
    let effects = sc.next_tx(exec());
    assert!(effects.num_user_events() == 1);
    let cluster = sc.take_shared<Cluster>();
    assert!(gw::is_executor(&cluster, exec()));
    assert!(!gw::is_executor(&cluster, exec2()));
    assert!(gw::executor_stake(&cluster, exec()) == h::min_exec_stake() + 1);
    assert!(gw::executor_executed(&cluster, exec()) == 0);
    ts::return_shared(cluster);
    h::finish(sc, clock);
}

#[test, expected_failure(abort_code = gw::EAlreadyExecutor)]
fun registering_twice_is_refused() {
    let (mut sc, clock) = h::start();
    h::register(&mut sc, &clock, exec(), h::min_exec_stake());
    h::register(&mut sc, &clock, exec(), h::min_exec_stake());
    abort 0
}

#[test, expected_failure(abort_code = gw::EExecutorStakeTooLow)]
fun registering_with_too_little_stake_is_refused() {
    let (mut sc, clock) = h::start();
    h::register(&mut sc, &clock, exec(), h::min_exec_stake() - 1);
    abort 0
}

#[test]
fun deregister_returns_the_stake() {
    let (mut sc, clock) = h::start();
    h::register(&mut sc, &clock, exec(), 4_321);
    deregister(&mut sc, exec());
    sc.next_tx(exec());
    let cluster = sc.take_shared<Cluster>();
    assert!(!gw::is_executor(&cluster, exec()));
    ts::return_shared(cluster);
    let coin = sc.take_from_sender<Coin<SUI>>();
    assert!(coin.value() == 4_321);
    coin.burn_for_testing();
    h::finish(sc, clock);
}

#[test, expected_failure(abort_code = gw::ENotExecutor)]
fun deregistering_a_non_executor_is_refused() {
    let (mut sc, _clock) = h::start();
    deregister(&mut sc, exec());
    abort 0
}

#[test]
fun slash_moves_stake_to_the_cluster_and_admin_can_withdraw_it() {
    let (mut sc, clock) = h::start();
    h::register(&mut sc, &clock, exec(), 2_000);
    slash(&mut sc, exec(), 700);
    sc.next_tx(admin());
    let mut cluster = sc.take_shared<Cluster>();
    assert!(gw::executor_stake(&cluster, exec()) == 1_300);
    assert!(gw::slashed_value(&cluster) == 700);
    let cap = sc.take_from_sender<AdminCap>();
    gw::withdraw_slashed(&cap, &mut cluster, 500, sc.ctx());
    assert!(gw::slashed_value(&cluster) == 200);
    sc.return_to_sender(cap);
    ts::return_shared(cluster);
    sc.next_tx(admin());
    let coin = sc.take_from_sender<Coin<SUI>>();
    assert!(coin.value() == 500);
    coin.burn_for_testing();
    h::finish(sc, clock);
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

#[test, expected_failure(abort_code = gw::EInsufficientFunds)]
fun slashing_more_than_the_stake_is_refused() {
    let (mut sc, clock) = h::start();
    h::register(&mut sc, &clock, exec(), 2_000);
    slash(&mut sc, exec(), 2_001);
    abort 0
}

#[test, expected_failure(abort_code = gw::ENotExecutor)]
fun slashing_a_non_executor_is_refused() {
    let (mut sc, _clock) = h::start();
    slash(&mut sc, exec(), 1);
    abort 0
}

#[test, expected_failure(abort_code = gw::EExecutorStakeTooLow)]
fun slashed_executor_below_minimum_cannot_claim() {
    let (mut sc, clock) = with_open_request();
    slash(&mut sc, exec(), 1);
    h::claim(&mut sc, &clock, exec(), b"r1");
    abort 0
}

// === Claims and leases ===

#[test]
fun claim_sets_claimant_and_lease() {
    let (mut sc, clock) = with_open_request();
    h::claim(&mut sc, &clock, exec(), b"r1");
    sc.next_tx(exec());
    let request = h::take_request(&sc, b"r1");
    assert!(gw::request_state(&request) == 1);
    assert!(gw::request_claimant(&request).destroy_some() == exec());
    assert!(gw::request_lease_expires_at_ms(&request) == h::start_ms() + h::lease());
    ts::return_shared(request);
    h::finish(sc, clock);
}

#[test, expected_failure(abort_code = gw::ENotExecutor)]
fun unregistered_executor_cannot_claim() {
    let (mut sc, clock) = with_open_request();
    h::claim(&mut sc, &clock, exec2(), b"r1");
    abort 0
}

#[test, expected_failure(abort_code = gw::ELeaseHeld)]
fun claim_held_by_another_executor_cannot_be_taken_before_expiry() {
    let (mut sc, mut clock) = with_open_request();
    h::register(&mut sc, &clock, exec2(), h::min_exec_stake());
    h::claim(&mut sc, &clock, exec(), b"r1");
    clock.increment_for_testing(h::lease() - 1);
    h::claim(&mut sc, &clock, exec2(), b"r1");
    abort 0
}

#[test]
fun expired_claim_is_taken_over_and_the_old_claimant_cannot_respond() {
    let (mut sc, mut clock) = with_open_request();
    h::register(&mut sc, &clock, exec2(), h::min_exec_stake());
    h::claim(&mut sc, &clock, exec(), b"r1");
    // The first executor uploads part of a body, then goes quiet.
    append(&mut sc, &clock, exec(), b"r1", vector[b"stale"]);
    clock.increment_for_testing(h::lease());

    sc.next_tx(exec2());
    let cluster = sc.take_shared<Cluster>();
    let mut request = h::take_request_in(&sc, &cluster, b"r1");
    gw::claim_request(&cluster, &mut request, &clock, sc.ctx());
    let claimed = event::events_by_type<RequestClaimed>();
    assert!(gw::claimed_event_takeover(&claimed[0]));
    assert!(gw::request_claimant(&request).destroy_some() == exec2());
    assert!(gw::response_body(&request).is_empty());
    ts::return_shared(request);
    ts::return_shared(cluster);

    h::respond(&mut sc, &clock, exec2(), b"r1", 200, b"{}");
    sc.next_tx(exec2());
    let request = h::take_request(&sc, b"r1");
    assert!(gw::response_body(&request) == b"{}");
    ts::return_shared(request);
    h::finish(sc, clock);
}

#[test, expected_failure(abort_code = gw::ENotClaimant)]
fun old_claimant_is_refused_after_a_takeover() {
    let (mut sc, mut clock) = with_open_request();
    h::register(&mut sc, &clock, exec2(), h::min_exec_stake());
    h::claim(&mut sc, &clock, exec(), b"r1");
    clock.increment_for_testing(h::lease());
    h::claim(&mut sc, &clock, exec2(), b"r1");
    h::respond(&mut sc, &clock, exec(), b"r1", 200, b"{}");
    abort 0
}

#[test]
fun claimant_can_renew_its_own_lease() {
    let (mut sc, mut clock) = with_open_request();
    h::claim(&mut sc, &clock, exec(), b"r1");
    clock.increment_for_testing(h::lease() - 1);
    h::claim(&mut sc, &clock, exec(), b"r1");
    sc.next_tx(exec());
    let request = h::take_request(&sc, b"r1");
    assert!(gw::request_lease_expires_at_ms(&request) == h::start_ms() + 2 * h::lease() - 1);
    ts::return_shared(request);
    h::finish(sc, clock);
}

#[test, expected_failure(abort_code = gw::ELeaseExpired)]
fun claimant_cannot_respond_after_its_lease_expired() {
    let (mut sc, mut clock) = with_open_request();
    h::claim(&mut sc, &clock, exec(), b"r1");
    clock.increment_for_testing(h::lease());
    h::respond(&mut sc, &clock, exec(), b"r1", 200, b"{}");
    abort 0
}

#[test]
fun claims_and_responses_still_work_while_paused() {
    let (mut sc, clock) = with_open_request();
    sc.next_tx(admin());
    let mut cluster = sc.take_shared<Cluster>();
    let cap = sc.take_from_sender<AdminCap>();
    gw::set_paused(&cap, &mut cluster, true);
    sc.return_to_sender(cap);
    ts::return_shared(cluster);
    h::claim(&mut sc, &clock, exec(), b"r1");
    h::respond(&mut sc, &clock, exec(), b"r1", 200, b"{}");
    h::finish(sc, clock);
}

#[test, expected_failure(abort_code = gw::EWrongCluster)]
fun request_of_another_cluster_cannot_be_claimed_through_this_one() {
    let (mut sc, clock) = with_open_request();
    sc.next_tx(bob());
    gw::create_cluster(utf8(b"bobs"), 0, 0, 0, 100, 100, 10, sc.ctx());
    sc.next_tx(exec());
    let bobs = sc.take_shared<Cluster>();
    assert!(gw::cluster_name(&bobs) == utf8(b"bobs"));
    let cluster_ids = ts::ids_for_address<AdminCap>(admin());
    let prod_cap = sc.take_from_address_by_id<AdminCap>(admin(), cluster_ids[0]);
    let prod = sc.take_shared_by_id<Cluster>(gw::admin_cap_cluster_id(&prod_cap));
    let request_id = gw::request_object_id(&prod, utf8(b"r1")).destroy_some();
    let mut request = sc.take_shared_by_id<Request>(request_id);
    gw::claim_request(&bobs, &mut request, &clock, sc.ctx());
    abort 0
}

// === Responses ===

#[test]
fun response_is_stored_and_the_fee_reaches_the_executor() {
    let (mut sc, clock) = with_open_request();
    h::claim(&mut sc, &clock, exec(), b"r1");
    sc.next_tx(exec());
    let mut cluster = sc.take_shared<Cluster>();
    let mut request = h::take_request_in(&sc, &cluster, b"r1");
    let body = b"{\"kind\":\"Pod\"}";
    gw::store_k8s_response(
        &mut cluster,
        &mut request,
        200,
        utf8(b"application/json"),
        utf8(b""),
        vector[body],
        body.length(),
        std::hash::sha2_256(body),
        &clock,
        sc.ctx(),
    );
    let events = event::events_by_type<K8sAPIResponse>();
    assert!(events.length() == 1);
    assert!(gw::response_event_fee_paid(&events[0]) == h::fee());
    assert!(gw::response_event_body_size(&events[0]) == body.length());
    assert!(gw::request_state(&request) == 2);
    assert!(gw::response_status_code(&request) == 200);
    assert!(gw::response_body(&request) == body);
    assert!(gw::response_size(&request) == body.length());
    assert!(gw::response_digest(&request) == std::hash::sha2_256(body));
    assert!(gw::request_fee_value(&request) == 0);
    assert!(gw::executor_executed(&cluster, exec()) == 1);
    ts::return_shared(request);
    ts::return_shared(cluster);

    sc.next_tx(exec());
    let fee = sc.take_from_sender<Coin<SUI>>();
    assert!(fee.value() == h::fee());
    fee.burn_for_testing();
    h::finish(sc, clock);
}

#[test, expected_failure(abort_code = gw::ERequestAnswered)]
fun second_response_is_refused() {
    let (mut sc, clock) = with_open_request();
    h::claim(&mut sc, &clock, exec(), b"r1");
    h::respond(&mut sc, &clock, exec(), b"r1", 200, b"{}");
    h::respond(&mut sc, &clock, exec(), b"r1", 500, b"{}");
    abort 0
}

#[test, expected_failure(abort_code = gw::ERequestAnswered)]
fun answered_request_cannot_be_claimed() {
    let (mut sc, clock) = with_open_request();
    h::claim(&mut sc, &clock, exec(), b"r1");
    h::respond(&mut sc, &clock, exec(), b"r1", 200, b"{}");
    h::claim(&mut sc, &clock, exec(), b"r1");
    abort 0
}

#[test, expected_failure(abort_code = gw::ENotExecutor)]
fun unregistered_sender_cannot_respond() {
    let (mut sc, clock) = with_open_request();
    h::claim(&mut sc, &clock, exec(), b"r1");
    h::respond(&mut sc, &clock, bob(), b"r1", 200, b"{}");
    abort 0
}

#[test, expected_failure(abort_code = gw::ENotExecutor)]
fun deregistered_claimant_cannot_respond() {
    let (mut sc, clock) = with_open_request();
    h::claim(&mut sc, &clock, exec(), b"r1");
    deregister(&mut sc, exec());
    h::respond(&mut sc, &clock, exec(), b"r1", 200, b"{}");
    abort 0
}

#[test, expected_failure(abort_code = gw::ENotClaimant)]
fun registered_executor_that_did_not_claim_cannot_respond() {
    let (mut sc, clock) = with_open_request();
    h::register(&mut sc, &clock, exec2(), h::min_exec_stake());
    h::claim(&mut sc, &clock, exec(), b"r1");
    h::respond(&mut sc, &clock, exec2(), b"r1", 200, b"{}");
    abort 0
}

#[test, expected_failure(abort_code = gw::ENotClaimant)]
fun unclaimed_request_cannot_be_answered() {
    let (mut sc, clock) = with_open_request();
    h::respond(&mut sc, &clock, exec(), b"r1", 200, b"{}");
    abort 0
}

#[test]
fun chunked_response_is_assembled_across_transactions() {
    let (mut sc, clock) = with_open_request();
    h::claim(&mut sc, &clock, exec(), b"r1");
    let a = h::bytes(700, 0x61);
    let b = h::bytes(700, 0x62);
    let c = h::bytes(100, 0x63);
    let d = b"end";
    let mut whole = a;
    whole.append(b);
    whole.append(c);
    whole.append(d);
    append(&mut sc, &clock, exec(), b"r1", vector[a, b]);
    append(&mut sc, &clock, exec(), b"r1", vector[c]);
    h::respond_raw(&mut sc, &clock, exec(), b"r1", 200, vector[d], 1_503, std::hash::sha2_256(whole));
    sc.next_tx(alice());
    let request = h::take_request(&sc, b"r1");
    assert!(gw::response_body(&request) == whole);
    assert!(gw::response_size(&request) == 1_503);
    ts::return_shared(request);
    h::finish(sc, clock);
}

#[test, expected_failure(abort_code = gw::EResponseDigestMismatch)]
fun chunked_response_with_a_wrong_digest_is_refused() {
    let (mut sc, clock) = with_open_request();
    h::claim(&mut sc, &clock, exec(), b"r1");
    append(&mut sc, &clock, exec(), b"r1", vector[b"hello "]);
    // Digest of the last chunk only, not of the whole body.
    h::respond_raw(&mut sc, &clock, exec(), b"r1", 200, vector[b"world"], 11, std::hash::sha2_256(b"world"));
    abort 0
}

#[test, expected_failure(abort_code = gw::EResponseSizeMismatch)]
fun response_with_a_wrong_total_size_is_refused() {
    let (mut sc, clock) = with_open_request();
    h::claim(&mut sc, &clock, exec(), b"r1");
    h::respond_raw(&mut sc, &clock, exec(), b"r1", 200, vector[b"{}"], 3, std::hash::sha2_256(b"{}"));
    abort 0
}

#[test, expected_failure(abort_code = gw::EResponseTooLarge)]
fun appending_past_the_response_limit_is_refused() {
    let (mut sc, clock) = with_open_request();
    h::claim(&mut sc, &clock, exec(), b"r1");
    append(&mut sc, &clock, exec(), b"r1", vector[h::bytes(h::max_response(), 0x61)]);
    append(&mut sc, &clock, exec(), b"r1", vector[b"x"]);
    abort 0
}

#[test, expected_failure(abort_code = gw::EResponseTooLarge)]
fun storing_past_the_response_limit_is_refused() {
    let (mut sc, clock) = with_open_request();
    h::claim(&mut sc, &clock, exec(), b"r1");
    h::respond(&mut sc, &clock, exec(), b"r1", 200, h::bytes(h::max_response() + 1, 0x61));
    abort 0
}

#[test, expected_failure(abort_code = gw::EInvalidStatusCode)]
fun status_code_outside_http_range_is_refused() {
    let (mut sc, clock) = with_open_request();
    h::claim(&mut sc, &clock, exec(), b"r1");
    h::respond(&mut sc, &clock, exec(), b"r1", 600, b"{}");
    abort 0
}

#[test]
fun empty_body_with_empty_digest_is_accepted() {
    let (mut sc, clock) = with_open_request();
    h::claim(&mut sc, &clock, exec(), b"r1");
    h::respond_raw(&mut sc, &clock, exec(), b"r1", 204, vector[], 0, vector[]);
    sc.next_tx(alice());
    let request = h::take_request(&sc, b"r1");
    assert!(gw::response_status_code(&request) == 204);
    assert!(gw::response_size(&request) == 0);
    ts::return_shared(request);
    h::finish(sc, clock);
}

// === Closing ===

#[test]
fun requester_closes_an_answered_request() {
    let (mut sc, clock) = with_open_request();
    h::claim(&mut sc, &clock, exec(), b"r1");
    h::respond(&mut sc, &clock, exec(), b"r1", 200, b"{}");
    sc.next_tx(alice());
    let request = h::take_request(&sc, b"r1");
    let request_object_id = object::id(&request);
    gw::close_request(request, sc.ctx());
    let effects = sc.next_tx(alice());
    assert!(effects.deleted().contains(&request_object_id));
    // The request id stays reserved: a retry with it aborts instead of re-running.
    let cluster = sc.take_shared<Cluster>();
    assert!(gw::request_object_id(&cluster, utf8(b"r1")).is_some());
    ts::return_shared(cluster);
    h::finish(sc, clock);
}

#[test, expected_failure(abort_code = gw::ENotRequester)]
fun someone_else_cannot_close_a_request() {
    let (mut sc, clock) = with_open_request();
    h::claim(&mut sc, &clock, exec(), b"r1");
    h::respond(&mut sc, &clock, exec(), b"r1", 200, b"{}");
    sc.next_tx(bob());
    let request = h::take_request(&sc, b"r1");
    gw::close_request(request, sc.ctx());
    abort 0
}

#[test, expected_failure(abort_code = gw::ERequestNotAnswered)]
fun unanswered_request_cannot_be_closed() {
    let (mut sc, _clock) = with_open_request();
    sc.next_tx(alice());
    let request = h::take_request(&sc, b"r1");
    gw::close_request(request, sc.ctx());
    abort 0
}

// === local helpers ===

fun deregister(sc: &mut Scenario, executor: address) {
    sc.next_tx(executor);
    let mut cluster = sc.take_shared<Cluster>();
    gw::deregister_executor(&mut cluster, sc.ctx());
    ts::return_shared(cluster);
}

fun slash(sc: &mut Scenario, executor: address, amount: u64) {
    sc.next_tx(admin());
    let mut cluster = sc.take_shared<Cluster>();
    let cap = sc.take_from_sender<AdminCap>();
    gw::slash_executor(&cap, &mut cluster, executor, amount);
    sc.return_to_sender(cap);
    ts::return_shared(cluster);
}

fun append(sc: &mut Scenario, clock: &Clock, executor: address, request_id: vector<u8>, chunks: vector<vector<u8>>) {
    sc.next_tx(executor);
    let cluster = sc.take_shared<Cluster>();
    let mut request = h::take_request_in(sc, &cluster, request_id);
    gw::append_response_chunks(&cluster, &mut request, chunks, clock, sc.ctx());
    ts::return_shared(request);
    ts::return_shared(cluster);
}

// === Cancelling ===

#[test]
fun requester_cancels_an_open_request_and_gets_the_fee_back() {
    let (mut sc, clock) = with_open_request();
    sc.next_tx(alice());
    let request = h::take_request(&sc, b"r1");
    let request_object_id = object::id(&request);
    gw::cancel_request(request, &clock, sc.ctx());
    let effects = sc.next_tx(alice());
    assert!(effects.deleted().contains(&request_object_id));
    assert!(effects.num_user_events() == 1);
    let refund = sc.take_from_sender<Coin<SUI>>();
    assert!(refund.value() == h::fee());
    refund.burn_for_testing();
    h::finish(sc, clock);
}

#[test]
fun requester_cancels_after_the_claimants_lease_expired() {
    let (mut sc, mut clock) = with_open_request();
    h::claim(&mut sc, &clock, exec(), b"r1");
    clock.increment_for_testing(h::lease());
    sc.next_tx(alice());
    let request = h::take_request(&sc, b"r1");
    gw::cancel_request(request, &clock, sc.ctx());
    h::finish(sc, clock);
}

#[test, expected_failure(abort_code = gw::ELeaseHeld)]
fun request_under_a_valid_lease_cannot_be_cancelled() {
    let (mut sc, mut clock) = with_open_request();
    h::claim(&mut sc, &clock, exec(), b"r1");
    clock.increment_for_testing(h::lease() - 1);
    sc.next_tx(alice());
    let request = h::take_request(&sc, b"r1");
    gw::cancel_request(request, &clock, sc.ctx());
    abort 0
}

#[test, expected_failure(abort_code = gw::ERequestAnswered)]
fun answered_request_cannot_be_cancelled() {
    let (mut sc, clock) = with_open_request();
    h::claim(&mut sc, &clock, exec(), b"r1");
    h::respond(&mut sc, &clock, exec(), b"r1", 200, b"{}");
    sc.next_tx(alice());
    let request = h::take_request(&sc, b"r1");
    gw::cancel_request(request, &clock, sc.ctx());
    abort 0
}

#[test, expected_failure(abort_code = gw::ENotRequester)]
fun someone_else_cannot_cancel_a_request() {
    let (mut sc, clock) = with_open_request();
    sc.next_tx(bob());
    let request = h::take_request(&sc, b"r1");
    gw::cancel_request(request, &clock, sc.ctx());
    abort 0
}
