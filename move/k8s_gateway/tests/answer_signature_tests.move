/// Signed answers: the contract verifies the executor's ed25519 signature
/// over the answer intent, and punishes two different signed answers.
/// Move tests cannot sign, so the signatures are recorded in
/// `answer_vectors.move` by `npm run gen:answer-vectors` (RFC 8032 §7.1 test
/// keys, over the intents `vector_intents` returns); the scenario here is
/// deterministic, so object ids and intents are the same on every run.
#[test_only]
module k8s_gateway::answer_signature_tests;

use k8s_gateway::answer_vectors as v;
use k8s_gateway::k8s_gateway::{Self as gw, Cluster, ExecutorSlashed};
use k8s_gateway::test_helpers::{Self as h, alice, bob, exec};
use std::string::utf8;
use sui::clock::Clock;
use sui::event;
use sui::test_scenario::{Self as ts, Scenario};

const BODY: vector<u8> = b"{\"kind\":\"Pod\",\"metadata\":{\"name\":\"web\"}}";
const FORGED: vector<u8> = b"{\"kind\":\"Secret\",\"data\":{\"password\":\"aHVudGVyMg==\"}}";

/// Alice's `get pods web` (r1), claimed by EXEC, whose signing key is the
/// RFC 8032 TEST 1 key.
fun claimed(): (Scenario, Clock) {
    let (mut sc, clock) = h::start();
    h::issue(&mut sc, &clock, alice(), h::pod_reader_rules(), 0);
    h::simple(&mut sc, &clock, alice(), b"r1", b"get", b"pods", b"dev", b"web");
    h::register(&mut sc, &clock, exec(), h::min_exec_stake());
    h::claim(&mut sc, &clock, exec(), b"r1");
    sc.next_tx(exec());
    (sc, clock)
}

/// The intents the recorded signatures sign: [the honest answer (200,
/// BODY), a forged answer to the same request (200, FORGED)].
public fun vector_intents(): vector<vector<u8>> {
    let (sc, clock) = claimed();
    let request = h::take_request(&sc, b"r1");
    let json = utf8(b"application/json");
    let (body, forged_body) = (BODY, FORGED);
    let honest = gw::answer_intent(&request, body.length(), std::hash::sha2_256(body), 200, json, utf8(b""), h::start_ms());
    let forged = gw::answer_intent(&request, forged_body.length(), std::hash::sha2_256(forged_body), 200, json, utf8(b""), h::start_ms());
    ts::return_shared(request);
    h::finish(sc, clock);
    vector[honest, forged]
}

fun store(sc: &mut Scenario, clock: &Clock, body: vector<u8>, signature: vector<u8>) {
    store_at(sc, clock, body, h::start_ms(), signature)
}

fun store_at(sc: &mut Scenario, clock: &Clock, body: vector<u8>, signed_at_ms: u64, signature: vector<u8>) {
    let cluster = sc.take_shared<Cluster>();
    let (ex, mut request) = h::take_executor_and_request(sc, exec(), b"r1");
    gw::store_k8s_response(
        &cluster,
        &ex,
        &mut request,
        200,
        utf8(b"application/json"),
        utf8(b""),
        vector[body],
        body.length(),
        std::hash::sha2_256(body),
        vector[],
        signed_at_ms,
        signature,
        clock,
        sc.ctx(),
    );
    ts::return_shared(request);
    ts::return_shared(ex);
    ts::return_shared(cluster);
}

#[test]
fun the_intents_are_the_recorded_ones() {
    assert!(vector_intents() == vector[v::honest_intent(), v::forged_intent()]);
}

#[test]
fun an_answer_signed_with_the_registered_key_is_accepted() {
    let (mut sc, clock) = claimed();
    store(&mut sc, &clock, BODY, v::honest_by_test1());
    sc.next_tx(alice());
    let request = h::take_request(&sc, b"r1");
    assert!(gw::request_state(&request) == 2);
    ts::return_shared(request);
    h::finish(sc, clock);
}

/// The forged-answer attack: valid digest, content the executor made up,
/// signed with someone else's key.
#[test, expected_failure(abort_code = gw::EBadAnswerSignature)]
fun an_answer_signed_with_another_key_is_refused() {
    let (mut sc, clock) = claimed();
    store(&mut sc, &clock, FORGED, v::forged_by_test2());
    abort 0
}

/// A signature over the honest answer does not cover other content.
#[test, expected_failure(abort_code = gw::EBadAnswerSignature)]
fun a_signature_does_not_carry_over_to_another_body() {
    let (mut sc, clock) = claimed();
    store(&mut sc, &clock, FORGED, v::honest_by_test1());
    abort 0
}

#[test, expected_failure(abort_code = gw::EBadAnswerSignature)]
fun an_unsigned_answer_is_refused() {
    let (mut sc, clock) = claimed();
    store(&mut sc, &clock, BODY, vector[]);
    abort 0
}

#[test]
fun two_different_signed_answers_cost_the_whole_stake() {
    let (mut sc, clock) = claimed();
    sc.next_tx(bob());
    let mut cluster = sc.take_shared<Cluster>();
    let mut ex = h::take_executor(&sc, exec());
    gw::slash_equivocation(
        &mut cluster,
        &mut ex,
        v::honest_intent(),
        v::honest_by_test1(),
        v::forged_intent(),
        v::forged_by_test1(),
        &clock,
    );
    let slashed = event::events_by_type<ExecutorSlashed>();
    assert!(gw::slashed_event_fault(&slashed[0]) == 2);
    assert!(gw::executor_stake(&ex) == 0);
    assert!(gw::executor_unbonding_until_ms(&ex) != 0);
    assert!(gw::active_executors(&cluster) == 0);
    ts::return_shared(ex);
    ts::return_shared(cluster);
    h::finish(sc, clock);
}

#[test, expected_failure(abort_code = gw::ENotEquivocation)]
fun the_same_answer_twice_is_no_equivocation() {
    let (mut sc, clock) = claimed();
    sc.next_tx(bob());
    let mut cluster = sc.take_shared<Cluster>();
    let mut ex = h::take_executor(&sc, exec());
    gw::slash_equivocation(&mut cluster, &mut ex, v::honest_intent(), v::honest_by_test1(), v::honest_intent(), v::honest_by_test1(), &clock);
    abort 0
}

#[test, expected_failure(abort_code = gw::ENotEquivocation)]
fun evidence_signed_by_another_key_is_refused() {
    let (mut sc, clock) = claimed();
    sc.next_tx(bob());
    let mut cluster = sc.take_shared<Cluster>();
    let mut ex = h::take_executor(&sc, exec());
    gw::slash_equivocation(&mut cluster, &mut ex, v::honest_intent(), v::honest_by_test1(), v::forged_intent(), v::forged_by_test2(), &clock);
    abort 0
}

#[test, expected_failure(abort_code = gw::EInvalidAnswerTime)]
fun an_answer_signed_in_the_future_is_refused() {
    let (mut sc, clock) = claimed();
    store_at(&mut sc, &clock, BODY, h::start_ms() + 1, v::honest_by_test1());
    abort 0
}
