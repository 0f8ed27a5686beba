/// Shared fixtures for the k8s_gateway unit tests: one cluster created by
/// ADMIN, a test Clock at START_MS, a Registry of the ids the contract
/// created, and one-transaction helpers for each call.
#[test_only]
module k8s_gateway::test_helpers;

use k8s_gateway::k8s_gateway::{
    Self as gw,
    Cluster,
    AdminCap,
    SealToken,
    Request,
    Rule,
    Executor,
    ExecutorCap,
    K8sAPIRequest,
    ExecutorRegistered
};
use std::string::{String, utf8};
use sui::clock::{Self, Clock};
use sui::coin;
use sui::event;
use sui::test_scenario::{Self as ts, Scenario};
use sui::vec_map::{Self, VecMap};

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
const MAX_HOLD: u64 = 12_000;
const UNBONDING: u64 = 60_000;
const COOLDOWN: u64 = 10_000;
const PENALTY: u64 = 300;
const START_MS: u64 = 1_000_000;

/// RFC 8032 §7.1 TEST 1 public key: the default executor signing key.
const TEST_KEY: vector<u8> = x"d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";

/// Test bookkeeping (shared): request labels and executor accounts to the
/// object ids the contract created for them.
public struct Registry has key {
    id: UID,
    requests: VecMap<String, ID>,
    executors: VecMap<address, ID>,
}

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

public fun max_hold(): u64 { MAX_HOLD }

public fun unbonding(): u64 { UNBONDING }

public fun cooldown(): u64 { COOLDOWN }

public fun penalty(): u64 { PENALTY }

public fun test_key(): vector<u8> { TEST_KEY }

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
        MAX_HOLD,
        UNBONDING,
        COOLDOWN,
        PENALTY,
        0,
        vector[],
        0,
        sc.ctx(),
    );
    transfer::share_object(Registry { id: object::new(sc.ctx()), requests: vec_map::empty(), executors: vec_map::empty() });
    let mut clock = clock::create_for_testing(sc.ctx());
    clock.set_for_testing(START_MS);
    (sc, clock)
}

/// Seal key-server object ids of `start_seal`'s cluster (threshold 2).
public fun key_servers(): vector<ID> {
    vector[object::id_from_address(@0x5E1), object::id_from_address(@0x5E2), object::id_from_address(@0x5E3)]
}

/// `start` with a Seal cluster ("sealed": the three `key_servers`, threshold 2).
public fun start_seal(): (Scenario, Clock) {
    let mut sc = ts::begin(ADMIN);
    gw::create_cluster(
        utf8(b"sealed"),
        MIN_WRITE_STAKE,
        MIN_EXEC_STAKE,
        FEE,
        MAX_PAYLOAD,
        MAX_RESPONSE,
        LEASE,
        MAX_HOLD,
        UNBONDING,
        COOLDOWN,
        PENALTY,
        1,
        key_servers(),
        2,
        sc.ctx(),
    );
    transfer::share_object(Registry { id: object::new(sc.ctx()), requests: vec_map::empty(), executors: vec_map::empty() });
    let mut clock = clock::create_for_testing(sc.ctx());
    clock.set_for_testing(START_MS);
    (sc, clock)
}

/// Records a request made outside these helpers under `label`.
public fun remember(sc: &Scenario, label: vector<u8>, id: ID) {
    remember_request(sc, label, id)
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
    typed_request(
        sc,
        clock,
        user,
        request_id,
        verb,
        group,
        resource,
        subresource,
        namespace,
        name,
        b"application/json",
        payload_chunks,
        payload_digest,
        fee,
    )
}

/// A server-side apply (`kubectl apply --server-side`) of `name`.
public fun apply(sc: &mut Scenario, clock: &Clock, user: address, request_id: vector<u8>, resource: vector<u8>, namespace: vector<u8>, name: vector<u8>) {
    let body = b"{\"kind\":\"ConfigMap\"}";
    typed_request(
        sc,
        clock,
        user,
        request_id,
        b"patch",
        b"",
        resource,
        b"",
        namespace,
        name,
        b"application/apply-patch+yaml",
        vector[body],
        std::hash::sha2_256(body),
        FEE,
    )
}

/// `request` with the payload's content type chosen by the test.
public fun typed_request(
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
    content_type: vector<u8>,
    payload_chunks: vector<vector<u8>>,
    payload_digest: vector<u8>,
    fee: u64,
) {
    request_as(
        sc,
        clock,
        user,
        request_id,
        verb,
        group,
        resource,
        subresource,
        namespace,
        name,
        content_type,
        b"",
        vector[],
        payload_chunks,
        payload_digest,
        fee,
    )
}

/// A `kubectl get pods <name> -n <namespace> --as <as_user> --as-group …`.
public fun get_as(
    sc: &mut Scenario,
    clock: &Clock,
    user: address,
    request_id: vector<u8>,
    namespace: vector<u8>,
    name: vector<u8>,
    as_user: vector<u8>,
    as_groups: vector<vector<u8>>,
) {
    request_as(sc, clock, user, request_id, b"get", b"", b"pods", b"", namespace, name, b"", as_user, as_groups, vector[], vector[], FEE)
}

/// Every field chosen by the test, impersonation included.
public fun request_as(
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
    content_type: vector<u8>,
    as_user: vector<u8>,
    as_groups: vector<vector<u8>>,
    payload_chunks: vector<vector<u8>>,
    payload_digest: vector<u8>,
    fee: u64,
) {
    sc.next_tx(user);
    let cluster = sc.take_shared<Cluster>();
    let token = sc.take_from_sender<SealToken>();
    gw::execute_kubectl_command_with_id(
        &cluster,
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
        utf8(content_type),
        utf8(b"application/json"),
        utf8(b""),
        utf8(as_user),
        strs(as_groups),
        payload_chunks,
        payload_digest,
        vector[],
        0,
        coin::mint_for_testing(fee, sc.ctx()),
        clock,
        sc.ctx(),
    );
    let events = event::events_by_type<K8sAPIRequest>();
    remember_request(sc, request_id, gw::request_event_object_id(&events[events.length() - 1]));
    sc.return_to_sender(token);
    ts::return_shared(cluster);
    sc.next_tx(user);
}

/// Labels are not unique on chain; the latest request with a label wins
/// here. Helpers that record ids end their transaction, so the objects they
/// created can be taken at once.
fun remember_request(sc: &Scenario, label: vector<u8>, id: ID) {
    let mut registry = sc.take_shared<Registry>();
    let key = utf8(label);
    if (registry.requests.contains(&key)) {
        registry.requests.remove(&key);
    };
    registry.requests.insert(key, id);
    ts::return_shared(registry);
}

/// The object id of the latest request made with `label`.
public fun request_id_of(sc: &Scenario, label: vector<u8>): ID {
    let registry = sc.take_shared<Registry>();
    let id = *registry.requests.get(&utf8(label));
    ts::return_shared(registry);
    id
}

/// The Executor object registered by `account`.
public fun executor_id_of(sc: &Scenario, account: address): ID {
    let registry = sc.take_shared<Registry>();
    let id = *registry.executors.get(&account);
    ts::return_shared(registry);
    id
}

public fun take_executor(sc: &Scenario, account: address): Executor {
    sc.take_shared_by_id<Executor>(executor_id_of(sc, account))
}

/// `account`'s Executor and the latest Request labelled `label`, looked up
/// with one take of the Registry (a shared object is taken once per
/// transaction).
public fun take_executor_and_request(sc: &Scenario, account: address, label: vector<u8>): (Executor, Request) {
    let registry = sc.take_shared<Registry>();
    let executor_id = *registry.executors.get(&account);
    let request_id = *registry.requests.get(&utf8(label));
    ts::return_shared(registry);
    (sc.take_shared_by_id<Executor>(executor_id), sc.take_shared_by_id<Request>(request_id))
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

/// The latest Request object created with label `request_id` (taken as shared).
public fun take_request(sc: &Scenario, request_id: vector<u8>): Request {
    sc.take_shared_by_id<Request>(request_id_of(sc, request_id))
}

/// The administrator admits `account` as an executor (sends it an ExecutorCap).
public fun admit(sc: &mut Scenario, account: address) {
    sc.next_tx(ADMIN);
    let cluster = sc.take_shared<Cluster>();
    let cap = sc.take_from_sender<AdminCap>();
    gw::admit_executor(&cap, &cluster, account, sc.ctx());
    sc.return_to_sender(cap);
    ts::return_shared(cluster);
}

/// Admission plus registration with the test signing key.
public fun register(sc: &mut Scenario, clock: &Clock, executor: address, amount: u64) {
    admit(sc, executor);
    register_admitted(sc, clock, executor, amount, TEST_KEY);
}

/// Registers with the ExecutorCap `executor` already holds.
public fun register_admitted(sc: &mut Scenario, clock: &Clock, executor: address, amount: u64, key: vector<u8>) {
    sc.next_tx(executor);
    let mut cluster = sc.take_shared<Cluster>();
    let admission = sc.take_from_sender<ExecutorCap>();
    gw::register_executor(&mut cluster, admission, key, coin::mint_for_testing(amount, sc.ctx()), clock, sc.ctx());
    let events = event::events_by_type<ExecutorRegistered>();
    let id = gw::registered_event_executor_id(&events[events.length() - 1]);
    let mut registry = sc.take_shared<Registry>();
    if (registry.executors.contains(&executor)) {
        registry.executors.remove(&executor);
    };
    registry.executors.insert(executor, id);
    ts::return_shared(registry);
    ts::return_shared(cluster);
    sc.next_tx(executor);
}

public fun claim(sc: &mut Scenario, clock: &Clock, executor: address, request_id: vector<u8>) {
    sc.next_tx(executor);
    let cluster = sc.take_shared<Cluster>();
    let (mut ex, mut request) = take_executor_and_request(sc, executor, request_id);
    gw::claim_request(&cluster, &mut ex, &mut request, clock, sc.ctx());
    ts::return_shared(request);
    ts::return_shared(ex);
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
    let cluster = sc.take_shared<Cluster>();
    let (ex, mut request) = take_executor_and_request(sc, executor, request_id);
    gw::store_k8s_response_unsigned_for_testing(
        &cluster,
        &ex,
        &mut request,
        status,
        chunks,
        total_size,
        digest,
        clock,
        sc.ctx(),
    );
    ts::return_shared(request);
    ts::return_shared(ex);
    ts::return_shared(cluster);
}

/// Appends one segment (one transaction) of a multi-transaction response.
public fun append(sc: &mut Scenario, clock: &Clock, executor: address, request_id: vector<u8>, chunks: vector<vector<u8>>) {
    sc.next_tx(executor);
    let cluster = sc.take_shared<Cluster>();
    let (ex, mut request) = take_executor_and_request(sc, executor, request_id);
    gw::append_response_chunks(&cluster, &ex, &mut request, chunks, clock, sc.ctx());
    ts::return_shared(request);
    ts::return_shared(ex);
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
