/// Requests through their life: claims with leases and hold times,
/// takeovers, responses (single and multi-transaction segments with a
/// chained digest, body in events), fees, closing and cancelling.
#[test_only]
module k8s_gateway::request_flow_tests;

use k8s_gateway::k8s_gateway::{Self as gw, Cluster, AdminCap, RequestClaimed, K8sAPIResponse, K8sAPIResponseChunk};
use k8s_gateway::test_helpers::{Self as h, admin, alice, bob, exec, exec2};
use std::string::utf8;
use sui::clock::Clock;
use sui::coin::Coin;
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

// === Claims and leases ===

#[test]
fun claim_sets_claimant_and_lease() {
    let (mut sc, clock) = with_open_request();
    h::claim(&mut sc, &clock, exec(), b"r1");
    sc.next_tx(exec());
    let (ex, request) = h::take_executor_and_request(&sc, exec(), b"r1");
    assert!(gw::request_state(&request) == 1);
    assert!(gw::request_claimant(&request) == object::id(&ex));
    ts::return_shared(ex);
    assert!(gw::request_hold_deadline_ms(&request) == h::start_ms() + h::max_hold());
    assert!(gw::request_lease_expires_at_ms(&request) == h::start_ms() + h::lease());
    ts::return_shared(request);
    h::finish(sc, clock);
}

#[test, expected_failure(abort_code = gw::ENotExecutor)]
fun an_executor_object_cannot_be_used_by_another_account() {
    let (mut sc, clock) = with_open_request();
    sc.next_tx(exec2());
    let cluster = sc.take_shared<Cluster>();
    let (mut ex, mut request) = h::take_executor_and_request(&sc, exec(), b"r1");
    gw::claim_request(&cluster, &mut ex, &mut request, &clock, sc.ctx());
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
    h::append(&mut sc, &clock, exec(), b"r1", vector[b"stale"]);
    clock.increment_for_testing(h::lease());

    sc.next_tx(exec2());
    let cluster = sc.take_shared<Cluster>();
    let (mut ex2, mut request) = h::take_executor_and_request(&sc, exec2(), b"r1");
    gw::claim_request(&cluster, &mut ex2, &mut request, &clock, sc.ctx());
    let claimed = event::events_by_type<RequestClaimed>();
    assert!(gw::claimed_event_takeover(&claimed[0]));
    assert!(gw::request_claimant(&request) == object::id(&ex2));
    // The stale partial body is forgotten: size and chained digest restart.
    assert!(gw::response_size(&request) == 0);
    ts::return_shared(request);
    ts::return_shared(ex2);
    ts::return_shared(cluster);

    h::respond(&mut sc, &clock, exec2(), b"r1", 200, b"{}");
    sc.next_tx(exec2());
    let request = h::take_request(&sc, b"r1");
    assert!(gw::response_size(&request) == 2);
    assert!(gw::response_digest(&request) == std::hash::sha2_256(b"{}"));
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
    gw::create_cluster(utf8(b"bobs"), 0, 0, 0, 100, 100, 10, 10, 0, 0, 0, 0, vector[], 0, sc.ctx());
    sc.next_tx(exec());
    let bobs = sc.take_shared<Cluster>();
    assert!(gw::cluster_name(&bobs) == utf8(b"bobs"));
    let (mut ex, mut request) = h::take_executor_and_request(&sc, exec(), b"r1");
    gw::claim_request(&bobs, &mut ex, &mut request, &clock, sc.ctx());
    abort 0
}

// === Responses ===

#[test]
fun response_is_recorded_its_body_is_in_the_event_and_the_fee_reaches_the_executor() {
    let (mut sc, clock) = with_open_request();
    h::claim(&mut sc, &clock, exec(), b"r1");
    let body = b"{\"kind\":\"Pod\"}";
    h::respond(&mut sc, &clock, exec(), b"r1", 200, body);
    let effects = sc.next_tx(exec());
    assert!(effects.num_user_events() == 1);
    let request = h::take_request(&sc, b"r1");
    assert!(gw::request_state(&request) == 2);
    assert!(gw::response_status_code(&request) == 200);
    assert!(gw::response_size(&request) == body.length());
    assert!(gw::response_digest(&request) == std::hash::sha2_256(body));
    assert!(gw::request_fee_value(&request) == 0);
    ts::return_shared(request);
    let fee = sc.take_from_sender<Coin<SUI>>();
    assert!(fee.value() == h::fee());
    fee.burn_for_testing();
    h::finish(sc, clock);
}

#[test]
fun the_response_event_carries_the_body() {
    let (mut sc, clock) = with_open_request();
    h::claim(&mut sc, &clock, exec(), b"r1");
    sc.next_tx(exec());
    let cluster = sc.take_shared<Cluster>();
    let (ex, mut request) = h::take_executor_and_request(&sc, exec(), b"r1");
    let body = b"{\"kind\":\"Pod\"}";
    gw::store_k8s_response_unsigned_for_testing(
        &cluster,
        &ex,
        &mut request,
        200,
        vector[body],
        body.length(),
        std::hash::sha2_256(body),
        &clock,
        sc.ctx(),
    );
    let events = event::events_by_type<K8sAPIResponse>();
    assert!(events.length() == 1);
    assert!(gw::response_event_body(&events[0]) == vector[body]);
    assert!(gw::response_event_segments(&events[0]) == 1);
    assert!(gw::response_event_fee_paid(&events[0]) == h::fee());
    assert!(gw::response_event_body_size(&events[0]) == body.length());
    ts::return_shared(request);
    ts::return_shared(ex);
    ts::return_shared(cluster);
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
fun another_account_cannot_respond_through_the_claimants_executor() {
    let (mut sc, clock) = with_open_request();
    h::claim(&mut sc, &clock, exec(), b"r1");
    sc.next_tx(bob());
    let cluster = sc.take_shared<Cluster>();
    let (ex, mut request) = h::take_executor_and_request(&sc, exec(), b"r1");
    gw::store_k8s_response_unsigned_for_testing(&cluster, &ex, &mut request, 200, vector[], 0, std::hash::sha2_256(vector[]), &clock, sc.ctx());
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
    h::append(&mut sc, &clock, exec(), b"r1", vector[a, b]);
    let chunks = event::events_by_type<K8sAPIResponseChunk>();
    assert!(gw::chunk_event_chunks(&chunks[0]) == vector[a, b]);
    h::append(&mut sc, &clock, exec(), b"r1", vector[c]);
    // The digest chains the chunks: d0 = sha2(a), d(i) = sha2(chunk(i) ++ d(i-1)).
    let chained = chain(d, chain(c, chain(b, std::hash::sha2_256(a))));
    h::respond_raw(&mut sc, &clock, exec(), b"r1", 200, vector[d], 1_503, chained);
    sc.next_tx(alice());
    let request = h::take_request(&sc, b"r1");
    assert!(gw::response_digest(&request) == chained);
    assert!(gw::response_size(&request) == 1_503);
    let _ = whole;
    ts::return_shared(request);
    h::finish(sc, clock);
}

#[test, expected_failure(abort_code = gw::EResponseDigestMismatch)]
fun chunked_response_with_a_wrong_digest_is_refused() {
    let (mut sc, clock) = with_open_request();
    h::claim(&mut sc, &clock, exec(), b"r1");
    h::append(&mut sc, &clock, exec(), b"r1", vector[b"hello "]);
    // The plain digest of the whole body is not the chained digest of its segments.
    h::respond_raw(&mut sc, &clock, exec(), b"r1", 200, vector[b"world"], 11, std::hash::sha2_256(b"hello world"));
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
    h::append(&mut sc, &clock, exec(), b"r1", vector[h::bytes(h::max_response(), 0x61)]);
    h::append(&mut sc, &clock, exec(), b"r1", vector[b"x"]);
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
fun empty_body_has_the_digest_of_no_bytes() {
    let (mut sc, clock) = with_open_request();
    h::claim(&mut sc, &clock, exec(), b"r1");
    h::respond_raw(&mut sc, &clock, exec(), b"r1", 204, vector[], 0, std::hash::sha2_256(vector[]));
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

// === Hold time ===

#[test]
fun renewals_never_extend_past_the_hold_time() {
    let (mut sc, mut clock) = with_open_request();
    h::claim(&mut sc, &clock, exec(), b"r1");
    // Renew every lease - 1 ms: the lease end is capped at the hold deadline.
    clock.increment_for_testing(h::lease() - 1);
    h::claim(&mut sc, &clock, exec(), b"r1");
    clock.increment_for_testing(h::lease() - 1);
    h::claim(&mut sc, &clock, exec(), b"r1");
    sc.next_tx(alice());
    let request = h::take_request(&sc, b"r1");
    assert!(gw::request_lease_expires_at_ms(&request) == h::start_ms() + h::max_hold());
    ts::return_shared(request);
    h::finish(sc, clock);
}

/// The hold-forever attack: a claimant renewing its own lease without end.
#[test, expected_failure(abort_code = gw::EHoldTimeExceeded)]
fun the_claimant_cannot_renew_after_its_hold_time() {
    let (mut sc, mut clock) = with_open_request();
    h::claim(&mut sc, &clock, exec(), b"r1");
    clock.increment_for_testing(h::lease() - 1);
    h::claim(&mut sc, &clock, exec(), b"r1");
    clock.increment_for_testing(h::lease() - 1);
    h::claim(&mut sc, &clock, exec(), b"r1");
    clock.set_for_testing(h::start_ms() + h::max_hold());
    h::claim(&mut sc, &clock, exec(), b"r1");
    abort 0
}

#[test]
fun after_the_hold_time_another_executor_takes_over_and_answers() {
    let (mut sc, mut clock) = with_open_request();
    h::register(&mut sc, &clock, exec2(), h::min_exec_stake());
    h::claim(&mut sc, &clock, exec(), b"r1");
    clock.increment_for_testing(h::lease() - 1);
    h::claim(&mut sc, &clock, exec(), b"r1");
    clock.increment_for_testing(h::lease() - 1);
    h::claim(&mut sc, &clock, exec(), b"r1");
    clock.set_for_testing(h::start_ms() + h::max_hold());
    h::claim(&mut sc, &clock, exec2(), b"r1");
    h::respond(&mut sc, &clock, exec2(), b"r1", 200, b"{}");
    sc.next_tx(alice());
    let (ex2, request) = h::take_executor_and_request(&sc, exec2(), b"r1");
    assert!(gw::request_state(&request) == 2);
    assert!(gw::request_claimant(&request) == object::id(&ex2));
    ts::return_shared(ex2);
    ts::return_shared(request);
    h::finish(sc, clock);
}

#[test]
fun after_the_hold_time_the_requester_cancels_and_gets_the_fee_back() {
    let (mut sc, mut clock) = with_open_request();
    h::claim(&mut sc, &clock, exec(), b"r1");
    clock.increment_for_testing(h::lease() - 1);
    h::claim(&mut sc, &clock, exec(), b"r1");
    clock.increment_for_testing(h::lease() - 1);
    h::claim(&mut sc, &clock, exec(), b"r1");
    clock.set_for_testing(h::start_ms() + h::max_hold());
    sc.next_tx(alice());
    gw::cancel_request(h::take_request(&sc, b"r1"), &clock, sc.ctx());
    sc.next_tx(alice());
    let refund = sc.take_from_sender<Coin<SUI>>();
    assert!(refund.value() == h::fee());
    refund.burn_for_testing();
    h::finish(sc, clock);
}

/// Issue #16: a re-claim after one's own lease lapsed is a takeover (the lapsed attempt may have
/// run), and it does not restart the hold time.
#[test]
fun reclaiming_after_ones_own_lapsed_lease_is_a_takeover_within_the_same_hold() {
    let (mut sc, mut clock) = with_open_request();
    h::claim(&mut sc, &clock, exec(), b"r1");
    clock.increment_for_testing(h::lease());
    sc.next_tx(exec());
    let cluster = sc.take_shared<Cluster>();
    let (mut ex, mut request) = h::take_executor_and_request(&sc, exec(), b"r1");
    gw::claim_request(&cluster, &mut ex, &mut request, &clock, sc.ctx());
    let claimed = event::events_by_type<RequestClaimed>();
    assert!(gw::claimed_event_takeover(&claimed[0]));
    assert!(gw::request_hold_deadline_ms(&request) == h::start_ms() + h::max_hold());
    ts::return_shared(request);
    ts::return_shared(ex);
    ts::return_shared(cluster);
    h::finish(sc, clock);
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

/// sha2(chunk ++ previous): one step of the response digest chain.
fun chain(mut chunk: vector<u8>, previous: vector<u8>): vector<u8> {
    chunk.append(previous);
    std::hash::sha2_256(chunk)
}
