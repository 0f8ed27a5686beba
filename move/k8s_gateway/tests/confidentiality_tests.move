/// Confidentiality with Seal (issue #17): the policies key servers simulate
/// (`seal_approve_payload` / `seal_approve_response`), the executor-set epoch
/// that revokes a removed executor, and the checks that keep clear or
/// misdirected bytes off a Seal cluster.
///
/// Tests named `attack_*` are attacks: each was run first with the protection
/// it names disabled (the attack went through: the test failed because
/// nothing aborted) and then with it (the expected abort). Against the code
/// before this module every one of them went through, as it had no Seal mode.
#[test_only]
module k8s_gateway::confidentiality_tests;

use k8s_gateway::confidentiality;
use k8s_gateway::k8s_gateway::{Self as gw, Cluster, AdminCap, SealToken, K8sAPIRequest};
use k8s_gateway::seal_vectors;
use k8s_gateway::test_helpers::{Self as h, alice, bob, exec, exec2, admin};
use std::string::utf8;
use sui::clock::Clock;
use sui::coin;
use sui::event;
use sui::test_scenario::{Self as ts, Scenario};

const NONCE: vector<u8> = x"000102030405060708090a0b0c0d0e0f";
const NONCE2: vector<u8> = x"f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff";

// === Fixtures ===

fun cluster_id(sc: &mut Scenario): ID {
    sc.next_tx(admin());
    let cluster = sc.take_shared<Cluster>();
    let id = object::id(&cluster);
    ts::return_shared(cluster);
    id
}

fun epoch(sc: &mut Scenario): u64 {
    sc.next_tx(admin());
    let cluster = sc.take_shared<Cluster>();
    let e = gw::executor_epoch(&cluster);
    ts::return_shared(cluster);
    e
}

fun servers(): vector<address> { h::key_servers().map!(|s| s.to_address()) }

/// An EncryptedObject as @mysten/seal 1.4.12 lays it out (src/bcs.ts): the
/// shares and blob are filler (the contract never checks cryptography).
fun encrypted(id: vector<u8>, services: vector<address>, threshold: u8, dem: u8, aad: vector<u8>): vector<u8> {
    let mut out = vector[0u8];
    out.append(std::bcs::to_bytes(&std::type_name::original_id<Cluster>()));
    out.append(std::bcs::to_bytes(&id));
    out.push_back(services.length() as u8);
    let mut i = 0;
    while (i < services.length()) {
        out.append(std::bcs::to_bytes(&services[i]));
        out.push_back((i + 1) as u8);
        i = i + 1;
    };
    out.push_back(threshold);
    out.push_back(0); // BonehFranklinBLS12381
    out.append(h::bytes(96, 0x11));
    out.push_back(services.length() as u8);
    out.append(h::bytes(32 * services.length(), 0x22));
    out.append(h::bytes(32, 0x33));
    out.push_back(dem);
    out.append(std::bcs::to_bytes(&b"opaque ciphertext bytes"));
    out.push_back(1);
    out.append(std::bcs::to_bytes(&aad));
    if (dem == 1) out.append(h::bytes(32, 0x44));
    out
}

/// A ciphertext for the cluster's own key servers and threshold.
fun sealed(id: vector<u8>, aad: vector<u8>): vector<u8> { encrypted(id, servers(), 2, 0, aad) }

fun payload_id_of(sc: &mut Scenario, user: address): vector<u8> {
    confidentiality::payload_id(cluster_id(sc), epoch(sc), user, NONCE)
}

fun response_id_of(sc: &mut Scenario, user: address): vector<u8> {
    confidentiality::response_id(cluster_id(sc), user, NONCE)
}

/// The AAD of `send`'s request header.
fun aad(cluster: ID, user: address, label: vector<u8>, namespace: vector<u8>): vector<u8> {
    confidentiality::payload_aad(
        cluster,
        user,
        utf8(label),
        utf8(b"create"),
        utf8(b""),
        utf8(b"v1"),
        utf8(b"secrets"),
        utf8(b""),
        utf8(namespace),
        utf8(b""),
        utf8(b""),
        utf8(b"application/json"),
        utf8(b"application/json"),
        utf8(b""),
        utf8(b""),
        vector[],
    )
}

/// The complete, honest ciphertext of `send(label, namespace)` by `user`.
fun honest(sc: &mut Scenario, user: address, label: vector<u8>, namespace: vector<u8>): vector<u8> {
    sealed(payload_id_of(sc, user), aad(cluster_id(sc), user, label, namespace))
}

/// `kubectl create secret … -n <namespace>` with `payload` and `response_id` as given.
fun send(sc: &mut Scenario, clock: &Clock, user: address, label: vector<u8>, namespace: vector<u8>, payload: vector<u8>, response_id: vector<u8>) {
    sc.next_tx(user);
    let cluster = sc.take_shared<Cluster>();
    let token = sc.take_from_sender<SealToken>();
    let chunks = if (payload.is_empty()) vector[] else vector[payload];
    let digest = if (payload.is_empty()) vector[] else std::hash::sha2_256(payload);
    gw::execute_kubectl_command_with_id(
        &cluster,
        &token,
        utf8(label),
        utf8(b"create"),
        utf8(b""),
        utf8(b"v1"),
        utf8(b"secrets"),
        utf8(b""),
        utf8(namespace),
        utf8(b""),
        utf8(b""),
        utf8(b"application/json"),
        utf8(b"application/json"),
        utf8(b""),
        utf8(b""),
        vector[],
        chunks,
        digest,
        response_id,
        0,
        coin::mint_for_testing(h::fee(), sc.ctx()),
        clock,
        sc.ctx(),
    );
    let events = event::events_by_type<K8sAPIRequest>();
    h::remember(sc, label, gw::request_event_object_id(&events[events.length() - 1]));
    sc.return_to_sender(token);
    ts::return_shared(cluster);
    sc.next_tx(user);
}

/// A Seal cluster with Alice's all-verbs staked token and EXEC registered.
fun sealed_cluster(): (Scenario, Clock) {
    let (mut sc, clock) = h::start_seal();
    h::issue(&mut sc, &clock, alice(), h::admin_rules(), 0);
    h::stake(&mut sc, alice(), h::min_write_stake());
    h::issue(&mut sc, &clock, bob(), h::admin_rules(), 0);
    h::stake(&mut sc, bob(), h::min_write_stake());
    h::register(&mut sc, &clock, exec(), h::min_exec_stake());
    (sc, clock)
}

/// The payload policy as key servers run it: `sender` presents `executor`'s Executor.
fun approve_payload(sc: &mut Scenario, sender: address, executor: address, id: vector<u8>) {
    sc.next_tx(sender);
    let cluster = sc.take_shared<Cluster>();
    let ex = h::take_executor(sc, executor);
    gw::assert_payload_access(&id, &cluster, &ex, sc.ctx());
    ts::return_shared(ex);
    ts::return_shared(cluster);
}

fun approve_response(sc: &mut Scenario, sender: address, id: vector<u8>) {
    sc.next_tx(sender);
    let cluster = sc.take_shared<Cluster>();
    gw::assert_response_access(&id, &cluster, sc.ctx());
    ts::return_shared(cluster);
}

fun remove(sc: &mut Scenario, clock: &Clock, executor: address) {
    sc.next_tx(admin());
    let mut cluster = sc.take_shared<Cluster>();
    let cap = sc.take_from_sender<AdminCap>();
    let mut ex = h::take_executor(sc, executor);
    gw::remove_executor(&cap, &mut cluster, &mut ex, clock);
    ts::return_shared(ex);
    sc.return_to_sender(cap);
    ts::return_shared(cluster);
}

fun slash(sc: &mut Scenario, executor: address, amount: u64) {
    sc.next_tx(admin());
    let mut cluster = sc.take_shared<Cluster>();
    let cap = sc.take_from_sender<AdminCap>();
    let mut ex = h::take_executor(sc, executor);
    gw::slash_executor(&cap, &mut cluster, &mut ex, amount, utf8(b"test"));
    ts::return_shared(ex);
    sc.return_to_sender(cap);
    ts::return_shared(cluster);
}

fun deregister(sc: &mut Scenario, clock: &Clock, executor: address) {
    sc.next_tx(executor);
    let mut cluster = sc.take_shared<Cluster>();
    let mut ex = h::take_executor(sc, executor);
    gw::deregister_executor(&mut cluster, &mut ex, clock, sc.ctx());
    ts::return_shared(ex);
    ts::return_shared(cluster);
}

// === The setting ===

#[test]
fun a_new_seal_cluster_records_its_key_servers_threshold_and_epoch_zero() {
    let (sc, clock) = h::start_seal();
    let mut sc = sc;
    sc.next_tx(admin());
    let cluster = sc.take_shared<Cluster>();
    let c = gw::cluster_confidentiality(&cluster);
    assert!(c.is_seal() && c.mode() == confidentiality::mode_seal());
    assert!(c.key_servers() == h::key_servers());
    assert!(c.threshold() == 2 && c.executor_epoch() == 0);
    ts::return_shared(cluster);
    h::finish(sc, clock);
}

#[test]
fun a_cluster_created_with_none_says_so() {
    let (mut sc, clock) = h::start();
    sc.next_tx(admin());
    let cluster = sc.take_shared<Cluster>();
    let c = gw::cluster_confidentiality(&cluster);
    assert!(!c.is_seal() && c.mode() == confidentiality::mode_none() && c.key_servers().is_empty());
    ts::return_shared(cluster);
    h::finish(sc, clock);
}

#[test, expected_failure(abort_code = gw::EInvalidConfidentiality)]
fun seal_needs_a_threshold_within_its_key_servers() {
    let mut sc = ts::begin(admin());
    gw::create_cluster(utf8(b"x"), 0, 0, 0, 100, 100, 10, 10, 0, 0, 0, 1, h::key_servers(), 4, sc.ctx());
    sc.end();
}

#[test, expected_failure(abort_code = gw::EInvalidConfidentiality)]
fun seal_needs_distinct_key_servers() {
    let mut sc = ts::begin(admin());
    let ks = object::id_from_address(@0x5E1);
    gw::create_cluster(utf8(b"x"), 0, 0, 0, 100, 100, 10, 10, 0, 0, 0, 1, vector[ks, ks], 1, sc.ctx());
    sc.end();
}

#[test, expected_failure(abort_code = gw::EInvalidConfidentiality)]
fun seal_needs_a_key_server() {
    let mut sc = ts::begin(admin());
    gw::create_cluster(utf8(b"x"), 0, 0, 0, 100, 100, 10, 10, 0, 0, 0, 1, vector[], 0, sc.ctx());
    sc.end();
}

#[test, expected_failure(abort_code = gw::EInvalidConfidentiality)]
fun none_names_no_key_servers() {
    let mut sc = ts::begin(admin());
    gw::create_cluster(utf8(b"x"), 0, 0, 0, 100, 100, 10, 10, 0, 0, 0, 0, h::key_servers(), 0, sc.ctx());
    sc.end();
}

#[test, expected_failure(abort_code = gw::EInvalidConfidentiality)]
fun an_unknown_mode_is_refused() {
    let mut sc = ts::begin(admin());
    gw::create_cluster(utf8(b"x"), 0, 0, 0, 100, 100, 10, 10, 0, 0, 0, 2, h::key_servers(), 2, sc.ctx());
    sc.end();
}

#[test]
fun the_administrator_replaces_the_key_servers_and_keeps_the_epoch() {
    let (mut sc, clock) = h::start_seal();
    sc.next_tx(admin());
    let mut cluster = sc.take_shared<Cluster>();
    let cap = sc.take_from_sender<AdminCap>();
    let one = vector[object::id_from_address(@0x5E9)];
    gw::set_key_servers(&cap, &mut cluster, one, 1);
    let c = gw::cluster_confidentiality(&cluster);
    assert!(c.key_servers() == one && c.threshold() == 1 && c.executor_epoch() == 0);
    sc.return_to_sender(cap);
    ts::return_shared(cluster);
    h::finish(sc, clock);
}

/// Attack: switching a cluster created in clear to other Seal settings would
/// make clients believe their payloads are protected by a policy the
/// cluster's history does not carry; the mode is fixed at creation.
#[test, expected_failure(abort_code = gw::ENotConfidential)]
fun attack_seal_settings_cannot_be_set_on_a_cluster_created_without_confidentiality() {
    let (mut sc, clock) = h::start();
    sc.next_tx(admin());
    let mut cluster = sc.take_shared<Cluster>();
    let cap = sc.take_from_sender<AdminCap>();
    gw::set_key_servers(&cap, &mut cluster, h::key_servers(), 2);
    sc.return_to_sender(cap);
    ts::return_shared(cluster);
    h::finish(sc, clock);
}

#[test, expected_failure(abort_code = gw::EInvalidConfidentiality)]
fun replaced_key_servers_are_validated() {
    let (mut sc, clock) = h::start_seal();
    sc.next_tx(admin());
    let mut cluster = sc.take_shared<Cluster>();
    let cap = sc.take_from_sender<AdminCap>();
    gw::set_key_servers(&cap, &mut cluster, h::key_servers(), 0);
    sc.return_to_sender(cap);
    ts::return_shared(cluster);
    h::finish(sc, clock);
}

// === Requests on a Seal cluster ===

#[test]
fun a_sealed_payload_for_this_cluster_epoch_requester_and_header_is_accepted() {
    let (mut sc, clock) = sealed_cluster();
    let payload = honest(&mut sc, alice(), b"s1", b"dev");
    let rid = response_id_of(&mut sc, alice());
    send(&mut sc, &clock, alice(), b"s1", b"dev", payload, rid);
    let request = h::take_request(&sc, b"s1");
    assert!(gw::request_response_seal_id(&request) == rid);
    assert!(gw::request_payload_size(&request) == payload.length());
    ts::return_shared(request);
    h::finish(sc, clock);
}

#[test]
fun an_hmac_ctr_ciphertext_is_accepted_too() {
    let (mut sc, clock) = sealed_cluster();
    let payload = encrypted(payload_id_of(&mut sc, alice()), servers(), 2, 1, aad(cluster_id(&mut sc), alice(), b"h", b"dev"));
    let rid = response_id_of(&mut sc, alice());
    send(&mut sc, &clock, alice(), b"h", b"dev", payload, rid);
    h::finish(sc, clock);
}

#[test]
fun a_bodiless_request_needs_no_ciphertext() {
    let (mut sc, clock) = sealed_cluster();
    let rid = response_id_of(&mut sc, alice());
    send(&mut sc, &clock, alice(), b"g", b"dev", vector[], rid);
    h::finish(sc, clock);
}

/// Attack: `kubectl create secret … --from-literal=password=hunter2` in
/// clear on a Seal cluster puts hunter2 in a public event.
#[test, expected_failure(abort_code = gw::EClearPayload)]
fun attack_a_clear_payload_on_a_seal_cluster_is_refused() {
    let (mut sc, clock) = sealed_cluster();
    let rid = response_id_of(&mut sc, alice());
    send(&mut sc, &clock, alice(), b"c", b"dev", b"{\"data\":{\"password\":\"aHVudGVyMg==\"}}", rid);
    h::finish(sc, clock);
}

/// Attack: a Plain Seal object (key only, data in clear elsewhere) or one
/// with bytes after it smuggles clear data past a header check.
#[test, expected_failure(abort_code = gw::EClearPayload)]
fun attack_a_ciphertext_with_trailing_clear_bytes_is_refused() {
    let (mut sc, clock) = sealed_cluster();
    let mut payload = honest(&mut sc, alice(), b"t", b"dev");
    payload.append(b"hunter2");
    let rid = response_id_of(&mut sc, alice());
    send(&mut sc, &clock, alice(), b"t", b"dev", payload, rid);
    h::finish(sc, clock);
}

#[test, expected_failure(abort_code = gw::EClearPayload)]
fun a_plain_seal_object_is_refused() {
    let (mut sc, clock) = sealed_cluster();
    let mut payload = honest(&mut sc, alice(), b"p", b"dev");
    // Cut at the ciphertext variant and put Plain (2) there.
    let header_and_shares = 1 + 32 + 1 + 90 + 1 + 3 * 33 + 1 + 1 + 96 + 1 + 3 * 32 + 32;
    while (payload.length() > header_and_shares) { payload.pop_back(); };
    payload.push_back(2);
    let rid = response_id_of(&mut sc, alice());
    send(&mut sc, &clock, alice(), b"p", b"dev", payload, rid);
    h::finish(sc, clock);
}

#[test, expected_failure(abort_code = gw::EClearPayload)]
fun a_truncated_ciphertext_is_refused() {
    let (mut sc, clock) = sealed_cluster();
    let mut payload = honest(&mut sc, alice(), b"tr", b"dev");
    payload.pop_back();
    let rid = response_id_of(&mut sc, alice());
    send(&mut sc, &clock, alice(), b"tr", b"dev", payload, rid);
    h::finish(sc, clock);
}

/// Attack (revocation): an executor removed from the cluster still holds
/// the key of the epoch-0 payload id it fetched; a gateway that keeps
/// encrypting under that id would hand it every later payload.
#[test, expected_failure(abort_code = gw::EStalePayloadId)]
fun attack_a_payload_for_the_epoch_before_a_removal_is_refused() {
    let (mut sc, clock) = sealed_cluster();
    let old_id = payload_id_of(&mut sc, alice());
    remove(&mut sc, &clock, exec());
    let payload = sealed(old_id, aad(cluster_id(&mut sc), alice(), b"after", b"dev"));
    let rid = response_id_of(&mut sc, alice());
    send(&mut sc, &clock, alice(), b"after", b"dev", payload, rid);
    h::finish(sc, clock);
}

/// Attack: a payload id of another cluster would be decryptable by that
/// cluster's executors (the policy checks the id's cluster).
#[test, expected_failure(abort_code = gw::EStalePayloadId)]
fun attack_a_payload_id_of_another_cluster_is_refused() {
    let (mut sc, clock) = sealed_cluster();
    let other = confidentiality::payload_id(object::id_from_address(@0xC2), 0, alice(), NONCE);
    let payload = sealed(other, aad(cluster_id(&mut sc), alice(), b"o", b"dev"));
    let rid = response_id_of(&mut sc, alice());
    send(&mut sc, &clock, alice(), b"o", b"dev", payload, rid);
    h::finish(sc, clock);
}

/// Attack: Bob re-submits Alice's ciphertext (same id) under his token.
#[test, expected_failure(abort_code = gw::EStalePayloadId)]
fun attack_another_requesters_payload_id_is_refused() {
    let (mut sc, clock) = sealed_cluster();
    let payload = sealed(payload_id_of(&mut sc, alice()), aad(cluster_id(&mut sc), bob(), b"b", b"dev"));
    let rid = response_id_of(&mut sc, bob());
    send(&mut sc, &clock, bob(), b"b", b"dev", payload, rid);
    h::finish(sc, clock);
}

#[test, expected_failure(abort_code = gw::EStalePayloadId)]
fun a_response_id_is_no_payload_id() {
    let (mut sc, clock) = sealed_cluster();
    let payload = sealed(response_id_of(&mut sc, alice()), aad(cluster_id(&mut sc), alice(), b"r", b"dev"));
    let rid = response_id_of(&mut sc, alice());
    send(&mut sc, &clock, alice(), b"r", b"dev", payload, rid);
    h::finish(sc, clock);
}

/// Attack: a payload encrypted for a key server that is not the cluster's
/// (one the encrypting party controls) is readable by whoever runs it.
#[test, expected_failure(abort_code = gw::ESealSettingMismatch)]
fun attack_a_key_server_outside_the_clusters_set_is_refused() {
    let (mut sc, clock) = sealed_cluster();
    let mut services = servers();
    services.push_back(@0xBAD);
    let payload = encrypted(payload_id_of(&mut sc, alice()), services, 2, 0, aad(cluster_id(&mut sc), alice(), b"k", b"dev"));
    let rid = response_id_of(&mut sc, alice());
    send(&mut sc, &clock, alice(), b"k", b"dev", payload, rid);
    h::finish(sc, clock);
}

/// Attack: threshold 1 where the cluster says 2 makes one key server enough.
#[test, expected_failure(abort_code = gw::ESealSettingMismatch)]
fun attack_a_lower_threshold_than_the_clusters_is_refused() {
    let (mut sc, clock) = sealed_cluster();
    let payload = encrypted(payload_id_of(&mut sc, alice()), servers(), 1, 0, aad(cluster_id(&mut sc), alice(), b"t1", b"dev"));
    let rid = response_id_of(&mut sc, alice());
    send(&mut sc, &clock, alice(), b"t1", b"dev", payload, rid);
    h::finish(sc, clock);
}

#[test, expected_failure(abort_code = gw::ESealSettingMismatch)]
fun a_ciphertext_of_another_package_is_refused() {
    let (mut sc, clock) = sealed_cluster();
    let mut payload = honest(&mut sc, alice(), b"pk", b"dev");
    *&mut payload[1] = 0x99;
    let rid = response_id_of(&mut sc, alice());
    send(&mut sc, &clock, alice(), b"pk", b"dev", payload, rid);
    h::finish(sc, clock);
}

/// Attack (replay): Alice's Secret for namespace dev, copied into a request
/// for namespace prod, would be applied where she never meant it.
#[test, expected_failure(abort_code = gw::EPayloadAadMismatch)]
fun attack_a_ciphertext_replayed_into_another_request_header_is_refused() {
    let (mut sc, clock) = sealed_cluster();
    let payload = honest(&mut sc, alice(), b"x", b"dev");
    let rid = response_id_of(&mut sc, alice());
    send(&mut sc, &clock, alice(), b"x", b"prod", payload, rid);
    h::finish(sc, clock);
}

#[test, expected_failure(abort_code = gw::EPayloadAadMismatch)]
fun a_ciphertext_without_the_request_aad_is_refused() {
    let (mut sc, clock) = sealed_cluster();
    let payload = sealed(payload_id_of(&mut sc, alice()), vector[]);
    let rid = response_id_of(&mut sc, alice());
    send(&mut sc, &clock, alice(), b"n", b"dev", payload, rid);
    h::finish(sc, clock);
}

/// Attack: naming Bob's response id would let Bob decrypt Alice's answer
/// (the response policy releases a response id's key to the address in it).
#[test, expected_failure(abort_code = gw::EInvalidResponseId)]
fun attack_a_response_id_naming_another_reader_is_refused() {
    let (mut sc, clock) = sealed_cluster();
    let rid = response_id_of(&mut sc, bob());
    send(&mut sc, &clock, alice(), b"g", b"dev", vector[], rid);
    h::finish(sc, clock);
}

#[test, expected_failure(abort_code = gw::EInvalidResponseId)]
fun a_seal_request_needs_a_response_id() {
    let (mut sc, clock) = sealed_cluster();
    send(&mut sc, &clock, alice(), b"g", b"dev", vector[], vector[]);
    h::finish(sc, clock);
}

#[test, expected_failure(abort_code = gw::EInvalidResponseId)]
fun a_response_id_on_a_cluster_without_confidentiality_is_refused() {
    let (mut sc, clock) = h::start();
    h::issue(&mut sc, &clock, alice(), h::admin_rules(), 0);
    h::stake(&mut sc, alice(), h::min_write_stake());
    let rid = confidentiality::response_id(cluster_id(&mut sc), alice(), NONCE);
    send(&mut sc, &clock, alice(), b"g", b"dev", vector[], rid);
    h::finish(sc, clock);
}

#[test]
fun a_cluster_without_confidentiality_takes_clear_payloads() {
    let (mut sc, clock) = h::start();
    h::issue(&mut sc, &clock, alice(), h::admin_rules(), 0);
    h::stake(&mut sc, alice(), h::min_write_stake());
    send(&mut sc, &clock, alice(), b"c", b"dev", b"{\"kind\":\"Secret\"}", vector[]);
    h::finish(sc, clock);
}

// === Responses on a Seal cluster ===

fun sealed_request(sc: &mut Scenario, clock: &Clock, label: vector<u8>) {
    let payload = honest(sc, alice(), label, b"dev");
    let rid = response_id_of(sc, alice());
    send(sc, clock, alice(), label, b"dev", payload, rid);
    h::claim(sc, clock, exec(), label);
}

fun response_ciphertext(sc: &mut Scenario, label: vector<u8>): vector<u8> {
    sc.next_tx(exec());
    let request = h::take_request(sc, label);
    let rid = gw::request_response_seal_id(&request);
    let raad = gw::response_aad(&request, 201, utf8(b"application/json"), utf8(b""));
    ts::return_shared(request);
    sealed(rid, raad)
}

#[test]
fun an_encrypted_answer_for_the_requests_response_id_is_stored() {
    let (mut sc, clock) = sealed_cluster();
    sealed_request(&mut sc, &clock, b"r");
    let body = response_ciphertext(&mut sc, b"r");
    h::respond(&mut sc, &clock, exec(), b"r", 201, body);
    sc.next_tx(alice());
    let request = h::take_request(&sc, b"r");
    assert!(gw::request_state(&request) == 2);
    ts::return_shared(request);
    h::finish(sc, clock);
}

#[test]
fun a_multi_transaction_answer_carries_the_header_in_its_first_chunk() {
    let (mut sc, clock) = sealed_cluster();
    sealed_request(&mut sc, &clock, b"m");
    let body = response_ciphertext(&mut sc, b"m");
    let mut head = vector[];
    let mut tail = vector[];
    body.do_ref!(|b| if (head.length() < 300) head.push_back(*b) else tail.push_back(*b));
    h::append(&mut sc, &clock, exec(), b"m", vector[head]);
    let digest = k8s_gateway::body::chain_digest(
        &k8s_gateway::body::chain_digest(&vector::tabulate!(32, |_| 0u8), 0, &head),
        1,
        &tail,
    );
    h::respond_raw(&mut sc, &clock, exec(), b"m", 201, vector[tail], body.length(), digest);
    h::finish(sc, clock);
}

/// Attack: a listener that answers in clear (`kubectl get secret -o yaml`)
/// publishes the Secret in the K8sAPIResponse event.
#[test, expected_failure(abort_code = gw::EClearResponse)]
fun attack_a_clear_answer_on_a_seal_cluster_is_refused() {
    let (mut sc, clock) = sealed_cluster();
    sealed_request(&mut sc, &clock, b"r");
    h::respond(&mut sc, &clock, exec(), b"r", 200, b"{\"data\":{\"password\":\"aHVudGVyMg==\"}}");
    h::finish(sc, clock);
}

/// Attack: an answer encrypted for another response id (here Bob's) would
/// be readable by Bob instead of the requester.
#[test, expected_failure(abort_code = gw::EClearResponse)]
fun attack_an_answer_for_another_response_id_is_refused() {
    let (mut sc, clock) = sealed_cluster();
    sealed_request(&mut sc, &clock, b"r");
    let body = sealed(response_id_of(&mut sc, bob()), vector[]);
    h::respond(&mut sc, &clock, exec(), b"r", 200, body);
    h::finish(sc, clock);
}

#[test, expected_failure(abort_code = gw::EClearResponse)]
fun an_answer_for_foreign_key_servers_is_refused() {
    let (mut sc, clock) = sealed_cluster();
    sealed_request(&mut sc, &clock, b"r");
    sc.next_tx(exec());
    let request = h::take_request(&sc, b"r");
    let rid = gw::request_response_seal_id(&request);
    ts::return_shared(request);
    let body = encrypted(rid, vector[@0xBAD, @0xBAD2], 2, 0, vector[]);
    h::respond(&mut sc, &clock, exec(), b"r", 200, body);
    h::finish(sc, clock);
}

#[test, expected_failure(abort_code = gw::EClearResponse)]
fun an_empty_answer_on_a_seal_cluster_is_refused() {
    let (mut sc, clock) = sealed_cluster();
    sealed_request(&mut sc, &clock, b"r");
    h::respond_raw(&mut sc, &clock, exec(), b"r", 204, vector[], 0, vector[]);
    h::finish(sc, clock);
}

// === Payload policy (seal_approve_payload) ===

#[test]
fun an_active_executor_gets_the_key_of_a_current_payload_id() {
    let (mut sc, clock) = sealed_cluster();
    let id = payload_id_of(&mut sc, alice());
    approve_payload(&mut sc, exec(), exec(), id);
    h::finish(sc, clock);
}

/// Attack: anyone can pass a (shared) Executor object; only its operator may use it.
#[test, expected_failure(abort_code = gw::ESealPayloadDenied)]
fun attack_a_stranger_presenting_an_executor_gets_no_payload_key() {
    let (mut sc, clock) = sealed_cluster();
    let id = payload_id_of(&mut sc, alice());
    approve_payload(&mut sc, bob(), exec(), id);
    h::finish(sc, clock);
}

/// Attack (revocation): the removed executor asks for the key of the new
/// epoch's payload id.
#[test, expected_failure(abort_code = gw::ESealPayloadDenied)]
fun attack_a_removed_executor_gets_no_key_for_the_new_epoch() {
    let (mut sc, clock) = sealed_cluster();
    remove(&mut sc, &clock, exec());
    let id = payload_id_of(&mut sc, alice());
    approve_payload(&mut sc, exec(), exec(), id);
    h::finish(sc, clock);
}

/// Attack (revocation): … nor for the old epoch it used to read.
#[test, expected_failure(abort_code = gw::ESealPayloadDenied)]
fun attack_a_removed_executor_gets_no_key_for_its_old_epoch_either() {
    let (mut sc, clock) = sealed_cluster();
    let id = payload_id_of(&mut sc, alice());
    remove(&mut sc, &clock, exec());
    approve_payload(&mut sc, exec(), exec(), id);
    h::finish(sc, clock);
}

#[test, expected_failure(abort_code = gw::ESealPayloadDenied)]
fun a_deregistered_executor_gets_no_payload_key() {
    let (mut sc, clock) = sealed_cluster();
    deregister(&mut sc, &clock, exec());
    let id = payload_id_of(&mut sc, alice());
    approve_payload(&mut sc, exec(), exec(), id);
    h::finish(sc, clock);
}

/// Attack: slashed below the minimum stake, an executor can no longer claim;
/// it must not keep reading payloads either.
#[test, expected_failure(abort_code = gw::ESealPayloadDenied)]
fun attack_an_executor_slashed_below_the_minimum_gets_no_payload_key() {
    let (mut sc, clock) = sealed_cluster();
    slash(&mut sc, exec(), h::penalty());
    let id = payload_id_of(&mut sc, alice());
    approve_payload(&mut sc, exec(), exec(), id);
    h::finish(sc, clock);
}

/// Attack: with two executors, removing one must not let the other keep
/// using old-epoch ids (gateways must move on), and the remaining one reads
/// the new epoch.
#[test, expected_failure(abort_code = gw::ESealPayloadDenied)]
fun an_old_epoch_id_is_refused_even_to_a_remaining_executor() {
    let (mut sc, clock) = sealed_cluster();
    h::register(&mut sc, &clock, exec2(), h::min_exec_stake());
    let old_id = payload_id_of(&mut sc, alice());
    remove(&mut sc, &clock, exec());
    let new_id = payload_id_of(&mut sc, alice());
    approve_payload(&mut sc, exec2(), exec2(), new_id);
    approve_payload(&mut sc, exec2(), exec2(), old_id);
    h::finish(sc, clock);
}

#[test, expected_failure(abort_code = gw::ESealPayloadDenied)]
fun a_payload_id_of_another_cluster_gets_no_key() {
    let (mut sc, clock) = sealed_cluster();
    let id = confidentiality::payload_id(object::id_from_address(@0xC2), 0, alice(), NONCE);
    approve_payload(&mut sc, exec(), exec(), id);
    h::finish(sc, clock);
}

#[test, expected_failure(abort_code = gw::ESealPayloadDenied)]
fun a_malformed_payload_id_gets_no_key() {
    let (mut sc, clock) = sealed_cluster();
    let mut id = payload_id_of(&mut sc, alice());
    id.push_back(0);
    approve_payload(&mut sc, exec(), exec(), id);
    h::finish(sc, clock);
}

#[test, expected_failure(abort_code = gw::ESealPayloadDenied)]
fun a_cluster_without_confidentiality_releases_no_payload_key() {
    let (mut sc, clock) = h::start();
    h::register(&mut sc, &clock, exec(), h::min_exec_stake());
    let id = confidentiality::payload_id(cluster_id(&mut sc), 0, alice(), NONCE);
    approve_payload(&mut sc, exec(), exec(), id);
    h::finish(sc, clock);
}

// === Executor epoch ===

#[test]
fun every_removal_from_the_executor_set_moves_the_epoch_on() {
    let (mut sc, clock) = sealed_cluster();
    assert!(epoch(&mut sc) == 0);
    h::register(&mut sc, &clock, exec2(), h::min_exec_stake() + h::penalty());
    assert!(epoch(&mut sc) == 0); // joining revokes nobody
    slash(&mut sc, exec2(), h::penalty());
    assert!(epoch(&mut sc) == 0); // still at the minimum
    slash(&mut sc, exec2(), 1);
    assert!(epoch(&mut sc) == 1); // below it
    deregister(&mut sc, &clock, exec());
    assert!(epoch(&mut sc) == 2);
    h::register(&mut sc, &clock, @0xE3, h::min_exec_stake());
    remove(&mut sc, &clock, @0xE3);
    assert!(epoch(&mut sc) == 3);
    h::finish(sc, clock);
}

#[test]
fun raising_the_minimum_executor_stake_moves_the_epoch_on() {
    let (mut sc, clock) = sealed_cluster();
    sc.next_tx(admin());
    let mut cluster = sc.take_shared<Cluster>();
    let cap = sc.take_from_sender<AdminCap>();
    let c = gw::config(&cluster);
    gw::configure(
        &cap,
        &mut cluster,
        c.min_write_stake(),
        c.min_executor_stake() + 1,
        c.request_fee(),
        c.max_payload_bytes(),
        c.max_response_bytes(),
        c.claim_lease_ms(),
        c.max_hold_ms(),
        c.executor_unbonding_ms(),
        c.stake_cooldown_ms(),
        c.slash_penalty(),
    );
    assert!(gw::executor_epoch(&cluster) == 1);
    sc.return_to_sender(cap);
    ts::return_shared(cluster);
    h::finish(sc, clock);
}

#[test]
fun a_removed_executor_may_still_answer_what_it_holds_but_claims_nothing_new() {
    let (mut sc, clock) = sealed_cluster();
    sealed_request(&mut sc, &clock, b"held");
    remove(&mut sc, &clock, exec());
    let body = response_ciphertext(&mut sc, b"held");
    h::respond(&mut sc, &clock, exec(), b"held", 201, body);
    h::finish(sc, clock);
}

#[test, expected_failure(abort_code = gw::EExecutorUnbonding)]
fun a_removed_executor_cannot_claim() {
    let (mut sc, clock) = sealed_cluster();
    remove(&mut sc, &clock, exec());
    let payload = honest(&mut sc, alice(), b"n", b"dev");
    let rid = response_id_of(&mut sc, alice());
    send(&mut sc, &clock, alice(), b"n", b"dev", payload, rid);
    h::claim(&mut sc, &clock, exec(), b"n");
    h::finish(sc, clock);
}

#[test, expected_failure(abort_code = gw::EWrongAdminCap)]
fun only_the_clusters_administrator_removes_executors() {
    let (mut sc, clock) = sealed_cluster();
    let first = cluster_id(&mut sc);
    // Bob administers a cluster of his own, not this one.
    sc.next_tx(bob());
    gw::create_cluster(utf8(b"bobs"), 0, 0, 0, 100, 100, 10, 10, 0, 0, 0, 0, vector[], 0, sc.ctx());
    sc.next_tx(bob());
    let cap = sc.take_from_sender<AdminCap>();
    let mut cluster = sc.take_shared_by_id<Cluster>(first);
    let mut ex = h::take_executor(&sc, exec());
    gw::remove_executor(&cap, &mut cluster, &mut ex, &clock);
    ts::return_shared(ex);
    ts::return_shared(cluster);
    sc.return_to_sender(cap);
    h::finish(sc, clock);
}

#[test, expected_failure(abort_code = gw::EExecutorUnbonding)]
fun an_executor_is_removed_once() {
    let (mut sc, clock) = sealed_cluster();
    remove(&mut sc, &clock, exec());
    remove(&mut sc, &clock, exec());
    h::finish(sc, clock);
}

// === Response policy (seal_approve_response) ===

#[test]
fun the_requester_gets_the_key_of_its_response_id() {
    let (mut sc, clock) = sealed_cluster();
    let id = response_id_of(&mut sc, alice());
    approve_response(&mut sc, alice(), id);
    h::finish(sc, clock);
}

/// Attack: Bob asks for the key of Alice's response id.
#[test, expected_failure(abort_code = gw::ESealResponseDenied)]
fun attack_another_identity_gets_no_key_for_the_requesters_response() {
    let (mut sc, clock) = sealed_cluster();
    let id = response_id_of(&mut sc, alice());
    approve_response(&mut sc, bob(), id);
    h::finish(sc, clock);
}

/// Attack: the executor (who encrypted it) asks for the response key.
#[test, expected_failure(abort_code = gw::ESealResponseDenied)]
fun attack_the_executor_gets_no_response_key() {
    let (mut sc, clock) = sealed_cluster();
    let id = response_id_of(&mut sc, alice());
    approve_response(&mut sc, exec(), id);
    h::finish(sc, clock);
}

#[test, expected_failure(abort_code = gw::ESealResponseDenied)]
fun a_payload_id_is_no_response_id() {
    let (mut sc, clock) = sealed_cluster();
    let id = confidentiality::payload_id(cluster_id(&mut sc), 0, alice(), NONCE);
    approve_response(&mut sc, alice(), id);
    h::finish(sc, clock);
}

#[test, expected_failure(abort_code = gw::ESealResponseDenied)]
fun a_response_id_of_another_cluster_gets_no_key() {
    let (mut sc, clock) = sealed_cluster();
    let id = confidentiality::response_id(object::id_from_address(@0xC2), alice(), NONCE2);
    approve_response(&mut sc, alice(), id);
    h::finish(sc, clock);
}

// === Layouts shared with TypeScript (tests/seal_vectors.move, generated by src/contract) ===

#[test]
fun ids_and_aad_match_the_typescript_builders() {
    let cluster = object::id_from_address(seal_vectors::cluster());
    let requester = seal_vectors::requester();
    let nonce = seal_vectors::nonce();
    assert!(confidentiality::payload_id(cluster, 7, requester, nonce) == seal_vectors::payload_id());
    assert!(confidentiality::response_id(cluster, requester, nonce) == seal_vectors::response_id());
    assert!(confidentiality::is_payload_id(&seal_vectors::payload_id(), cluster, 7));
    assert!(!confidentiality::is_payload_id(&seal_vectors::payload_id(), cluster, 8));
    assert!(confidentiality::payload_id_requester(&seal_vectors::payload_id()) == requester);
    assert!(confidentiality::is_response_id(&seal_vectors::response_id(), cluster, requester));
    let aad = confidentiality::payload_aad(
        cluster,
        requester,
        utf8(b"req-7"),
        utf8(b"create"),
        utf8(b""),
        utf8(b"v1"),
        utf8(b"secrets"),
        utf8(b""),
        utf8(b"dev"),
        utf8(b"s"),
        utf8(b"fieldManager=kubectl"),
        utf8(b"application/json"),
        utf8(b"application/json"),
        utf8(b"gzip"),
        utf8(b"jane"),
        vector[utf8(b"devs"), utf8(b"ops")],
    );
    assert!(aad == seal_vectors::payload_aad());
    let raad = confidentiality::response_aad(
        cluster,
        object::id_from_address(seal_vectors::request_object()),
        requester,
        201,
        utf8(b"application/json"),
        utf8(b"gzip"),
    );
    assert!(raad == seal_vectors::response_aad());
}

#[test]
fun an_encrypted_object_serialised_by_the_seal_sdk_parses() {
    let bytes = seal_vectors::sdk_object();
    let h = confidentiality::parse_encrypted_object(&bytes).destroy_some();
    assert!(h.header_id() == seal_vectors::payload_id());
    assert!(h.header_aad() == option::some(seal_vectors::payload_aad()));
    assert!(h.header_threshold() == 2);
    assert!(h.header_services() == vector[@0x5E1, @0x5E2, @0x5E3]);
    assert!(h.header_package_id() == seal_vectors::package());
    let prefix = confidentiality::parse_encrypted_header(&bytes).destroy_some();
    assert!(prefix.header_id() == seal_vectors::payload_id() && prefix.header_aad().is_none());
}

#[test]
fun an_answered_seal_request_is_closed_by_its_requester() {
    let (mut sc, clock) = sealed_cluster();
    sealed_request(&mut sc, &clock, b"r");
    let body = response_ciphertext(&mut sc, b"r");
    h::respond(&mut sc, &clock, exec(), b"r", 201, body);
    sc.next_tx(alice());
    let request = h::take_request(&sc, b"r");
    gw::close_request(request, sc.ctx());
    h::finish(sc, clock);
}
