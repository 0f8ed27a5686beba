/// Shared fixtures for the k8s_gateway unit tests: one cluster created by
/// ADMIN, a test Clock at START_MS, and one-transaction helpers for each call.
#[test_only]
module k8s_gateway::test_helpers;

use k8s_gateway::k8s_gateway::{Self as gw, Cluster, AdminCap, SealToken, Request, Rule};
use std::string::{String, utf8};
use sui::clock::{Self, Clock};
use sui::coin;
use sui::test_scenario::{Self as ts, Scenario};

const ADMIN: address = @0xAD;
const ALICE: address = @0xA11CE;
const BOB: address = @0xB0B;
const EXEC: address = @0xE1;
const EXEC2: address = @0xE2;

const MIN_WRITE_STAKE: u64 = 100;
const MIN_EXEC_STAKE: u64 = 1_000;
const FEE: u64 = 10;
const MAX_PAYLOAD: u64 = 1_000;
const MAX_RESPONSE: u64 = 2_000;
const LEASE: u64 = 5_000;
const START_MS: u64 = 1_000_000;

public fun admin(): address { ADMIN }

public fun alice(): address { ALICE }

public fun bob(): address { BOB }

public fun exec(): address { EXEC }

public fun exec2(): address { EXEC2 }

public fun min_write_stake(): u64 { MIN_WRITE_STAKE }

public fun min_exec_stake(): u64 { MIN_EXEC_STAKE }

public fun fee(): u64 { FEE }

public fun max_payload(): u64 { MAX_PAYLOAD }

public fun max_response(): u64 { MAX_RESPONSE }

public fun lease(): u64 { LEASE }

public fun start_ms(): u64 { START_MS }

/// Begins a scenario with one cluster ("prod") and a clock at START_MS.
public fun start(): (Scenario, Clock) {
    let mut sc = ts::begin(ADMIN);
    gw::create_cluster(
        utf8(b"prod"),
        MIN_WRITE_STAKE,
        MIN_EXEC_STAKE,
        FEE,
        MAX_PAYLOAD,
        MAX_RESPONSE,
        LEASE,
        sc.ctx(),
    );
    let mut clock = clock::create_for_testing(sc.ctx());
    clock.set_for_testing(START_MS);
    (sc, clock)
}

public fun finish(sc: Scenario, clock: Clock) {
    clock.destroy_for_testing();
    sc.end();
}

public fun strs(mut items: vector<vector<u8>>): vector<String> {
    let mut out = vector[];
    items.reverse();
    while (!items.is_empty()) {
        out.push_back(utf8(items.pop_back()));
    };
    out
}

public fun rule(
    verbs: vector<vector<u8>>,
    groups: vector<vector<u8>>,
    resources: vector<vector<u8>>,
    namespaces: vector<vector<u8>>,
    names: vector<vector<u8>>,
): Rule {
    gw::new_rule(strs(verbs), strs(groups), strs(resources), strs(namespaces), strs(names))
}

/// Read pods in namespace `dev` only.
public fun pod_reader_rules(): vector<Rule> {
    vector[rule(vector[b"get", b"list", b"watch"], vector[b""], vector[b"pods"], vector[b"dev"], vector[])]
}

/// Everything, everywhere.
public fun admin_rules(): vector<Rule> {
    vector[rule(vector[b"*"], vector[b"*"], vector[b"*"], vector[b"*"], vector[])]
}

public fun issue(sc: &mut Scenario, clock: &Clock, recipient: address, rules: vector<Rule>, expires_at_ms: u64) {
    sc.next_tx(ADMIN);
    let cluster = sc.take_shared<Cluster>();
    let cap = sc.take_from_sender<AdminCap>();
    gw::issue_seal_token(&cap, &cluster, recipient, utf8(b"test token"), rules, expires_at_ms, clock, sc.ctx());
    sc.return_to_sender(cap);
    ts::return_shared(cluster);
}

public fun stake(sc: &mut Scenario, user: address, amount: u64) {
    sc.next_tx(user);
    let mut token = sc.take_from_sender<SealToken>();
    gw::stake_seal_token(&mut token, coin::mint_for_testing(amount, sc.ctx()));
    sc.return_to_sender(token);
}

/// One kubectl call with every structured field chosen by the test.
public fun request(
    sc: &mut Scenario,
    clock: &Clock,
    user: address,
    request_id: vector<u8>,
    verb: vector<u8>,
    group: vector<u8>,
    resource: vector<u8>,
    subresource: vector<u8>,
    namespace: vector<u8>,
    name: vector<u8>,
    payload_chunks: vector<vector<u8>>,
    payload_digest: vector<u8>,
    fee: u64,
) {
    sc.next_tx(user);
    let mut cluster = sc.take_shared<Cluster>();
    let token = sc.take_from_sender<SealToken>();
    gw::execute_kubectl_command_with_id(
        &mut cluster,
        &token,
        utf8(request_id),
        utf8(verb),
        utf8(group),
        utf8(b"v1"),
        utf8(resource),
        utf8(subresource),
        utf8(namespace),
        utf8(name),
        utf8(b""),
        utf8(b"application/json"),
        utf8(b"application/json"),
        utf8(b""),
        payload_chunks,
        payload_digest,
        0,
        coin::mint_for_testing(fee, sc.ctx()),
        clock,
        sc.ctx(),
    );
    sc.return_to_sender(token);
    ts::return_shared(cluster);
}

/// A bodiless request with the standard fee (get/list/delete...).
public fun simple(
    sc: &mut Scenario,
    clock: &Clock,
    user: address,
    request_id: vector<u8>,
    verb: vector<u8>,
    resource: vector<u8>,
    namespace: vector<u8>,
    name: vector<u8>,
) {
    request(sc, clock, user, request_id, verb, b"", resource, b"", namespace, name, vector[], vector[], FEE)
}

/// A create with a JSON body and its correct digest.
public fun create_pod(sc: &mut Scenario, clock: &Clock, user: address, request_id: vector<u8>, namespace: vector<u8>) {
    let body = b"{\"kind\":\"Pod\",\"metadata\":{\"name\":\"web\"}}";
    request(
        sc,
        clock,
        user,
        request_id,
        b"create",
        b"",
        b"pods",
        b"",
        namespace,
        b"",
        vector[body],
        std::hash::sha2_256(body),
        FEE,
    )
}

/// The Request object created for `request_id` (taken as shared).
public fun take_request(sc: &Scenario, request_id: vector<u8>): Request {
    let cluster = sc.take_shared<Cluster>();
    let request = take_request_in(sc, &cluster, request_id);
    ts::return_shared(cluster);
    request
}

/// Same, when the transaction already holds the Cluster.
public fun take_request_in(sc: &Scenario, cluster: &Cluster, request_id: vector<u8>): Request {
    let id = gw::request_object_id(cluster, utf8(request_id)).destroy_some();
    sc.take_shared_by_id<Request>(id)
}

public fun register(sc: &mut Scenario, clock: &Clock, executor: address, amount: u64) {
    sc.next_tx(executor);
    let mut cluster = sc.take_shared<Cluster>();
    gw::register_executor(&mut cluster, coin::mint_for_testing(amount, sc.ctx()), clock, sc.ctx());
    ts::return_shared(cluster);
}

public fun claim(sc: &mut Scenario, clock: &Clock, executor: address, request_id: vector<u8>) {
    sc.next_tx(executor);
    let cluster = sc.take_shared<Cluster>();
    let mut request = take_request_in(sc, &cluster, request_id);
    gw::claim_request(&cluster, &mut request, clock, sc.ctx());
    ts::return_shared(request);
    ts::return_shared(cluster);
}

/// Stores a one-chunk response with its correct size and digest.
public fun respond(
    sc: &mut Scenario,
    clock: &Clock,
    executor: address,
    request_id: vector<u8>,
    status: u32,
    body: vector<u8>,
) {
    let size = body.length();
    let digest = std::hash::sha2_256(body);
    respond_raw(sc, clock, executor, request_id, status, vector[body], size, digest)
}

public fun respond_raw(
    sc: &mut Scenario,
    clock: &Clock,
    executor: address,
    request_id: vector<u8>,
    status: u32,
    chunks: vector<vector<u8>>,
    total_size: u64,
    digest: vector<u8>,
) {
    sc.next_tx(executor);
    let mut cluster = sc.take_shared<Cluster>();
    let mut request = take_request_in(sc, &cluster, request_id);
    gw::store_k8s_response(
        &mut cluster,
        &mut request,
        status,
        utf8(b"application/json"),
        utf8(b""),
        chunks,
        total_size,
        digest,
        clock,
        sc.ctx(),
    );
    ts::return_shared(request);
    ts::return_shared(cluster);
}

/// A bytes vector of `n` copies of `b`.
public fun bytes(n: u64, b: u8): vector<u8> {
    let mut out = vector[];
    let mut i = 0;
    while (i < n) {
        out.push_back(b);
        i = i + 1;
    };
    out
}
