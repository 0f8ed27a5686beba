/// K3s-DaaS gateway contract: every kubectl command is a call to
/// `execute_kubectl_command_with_id`, checked against the caller's SealToken
/// (cluster, owner, revocation, expiry, RBAC rules, stake), recorded as a
/// shared `Request` plus a `K8sAPIRequest` event, claimed by a staked executor
/// (Nautilus) under a lease, and answered with `store_k8s_response`.
///
/// The README next to this package is the reference for objects, functions,
/// events, abort codes and the chunking protocol.
module k8s_gateway::k8s_gateway;

use k8s_gateway::body;
use k8s_gateway::rbac;
use std::string::{Self, String};
use sui::balance::{Self, Balance};
use sui::clock::Clock;
use sui::coin::{Self, Coin};
use sui::event;
use sui::sui::SUI;
use sui::table::{Self, Table};

// === Abort codes ===
// Each doc comment is parsed by src/contract/gen-aborts.ts:
// `@status <HTTP code> <Kubernetes StatusReason>: <message>`.

/// @status 503 ServiceUnavailable: the cluster is paused by its administrator; retry later
const EPaused: u64 = 1;
/// @status 401 Unauthorized: the SealToken belongs to another cluster; use a token issued for this cluster
const ETokenWrongCluster: u64 = 2;
/// @status 401 Unauthorized: the SealToken has been revoked by the cluster administrator
const ETokenRevoked: u64 = 3;
/// @status 401 Unauthorized: the SealToken has expired; ask the administrator for a new one
const ETokenExpired: u64 = 4;
/// @status 400 BadRequest: unknown verb; expected get, list, watch, create, update, patch, delete or deletecollection
const EUnknownVerb: u64 = 5;
/// @status 403 Forbidden: the SealToken's rules do not allow this verb on this resource in this namespace
const EPermissionDenied: u64 = 6;
/// @status 403 Forbidden: write requests need a token stake of at least the cluster's minimum write stake; stake more SUI on the token
const EInsufficientStake: u64 = 7;
/// @status 413 RequestEntityTooLarge: the request body exceeds the cluster's maximum payload size
const EPayloadTooLarge: u64 = 8;
/// @status 400 BadRequest: the request body does not match its sha2-256 digest
const EPayloadDigestMismatch: u64 = 9;
/// @status 403 Forbidden: the fee coin is below the cluster's request fee
const EFeeTooLow: u64 = 10;
/// @status 409 Conflict: this request id was already used on this cluster
const EDuplicateRequestId: u64 = 11;
/// @status 403 Forbidden: the sender is not a registered executor of this cluster
const ENotExecutor: u64 = 12;
/// @status 403 Forbidden: the executor's stake is below the cluster's minimum executor stake
const EExecutorStakeTooLow: u64 = 13;
/// @status 409 Conflict: the sender is already a registered executor of this cluster
const EAlreadyExecutor: u64 = 14;
/// @status 409 Conflict: the request has already been answered
const ERequestAnswered: u64 = 15;
/// @status 409 Conflict: another executor holds an unexpired lease on this request
const ELeaseHeld: u64 = 16;
/// @status 403 Forbidden: only the executor that claimed the request may respond to it
const ENotClaimant: u64 = 17;
/// @status 409 Conflict: the executor's claim lease has expired; claim the request again
const ELeaseExpired: u64 = 18;
/// @status 413 RequestEntityTooLarge: the response body exceeds the cluster's maximum response size
const EResponseTooLarge: u64 = 19;
/// @status 400 BadRequest: the response body does not match its sha2-256 digest
const EResponseDigestMismatch: u64 = 20;
/// @status 400 BadRequest: the assembled response body size differs from the declared total size
const EResponseSizeMismatch: u64 = 21;
/// @status 403 Forbidden: only the requester may close this request
const ENotRequester: u64 = 22;
/// @status 409 Conflict: the request has not been answered yet and cannot be closed
const ERequestNotAnswered: u64 = 23;
/// @status 400 BadRequest: the request object belongs to another cluster
const EWrongCluster: u64 = 24;
/// @status 400 BadRequest: the amount exceeds the available balance
const EInsufficientFunds: u64 = 25;
/// @status 401 Unauthorized: the AdminCap does not administer this cluster
const EWrongAdminCap: u64 = 26;
/// @status 401 Unauthorized: the SealToken is not owned by the transaction sender
const ETokenNotOwner: u64 = 27;
/// @status 400 BadRequest: a request field is empty where required or contains characters not allowed in a Kubernetes API path
const EInvalidRequestField: u64 = 28;
/// @status 400 BadRequest: invalid cluster configuration (payload at most 112000 bytes, response at most 240000 bytes, lease above 0, name not empty)
const EInvalidConfig: u64 = 29;
/// @status 400 BadRequest: the token expiry must be 0 (never) or in the future
const EInvalidExpiry: u64 = 30;
/// @status 400 BadRequest: the response status code must be between 100 and 599
const EInvalidStatusCode: u64 = 31;

// === Limits and states ===

/// Payload limit: one transaction (131,072 B) must carry the whole payload plus
/// the other arguments.
const MAX_PAYLOAD_LIMIT: u64 = 112_000;
/// Response limit: the body lives in the Request object (256,000 B maximum)
/// next to the request's own fields.
const MAX_RESPONSE_LIMIT: u64 = 240_000;
const MAX_REQUEST_ID_BYTES: u64 = 128;

const STATE_OPEN: u8 = 0;
const STATE_CLAIMED: u8 = 1;
const STATE_ANSWERED: u8 = 2;

// === Objects ===

public struct Config has store, copy, drop {
    min_write_stake: u64,
    min_executor_stake: u64,
    request_fee: u64,
    max_payload_bytes: u64,
    max_response_bytes: u64,
    claim_lease_ms: u64,
}

/// One Kubernetes cluster behind this package (shared). A package serves any
/// number of clusters; each has its own AdminCap.
public struct Cluster has key {
    id: UID,
    name: String,
    config: Config,
    paused: bool,
    /// Revoked SealToken IDs.
    revoked: Table<ID, bool>,
    executors: Table<address, Executor>,
    /// Client request id -> Request object id; a retried id aborts instead of
    /// executing twice.
    request_ids: Table<String, ID>,
    request_count: u64,
    slashed: Balance<SUI>,
}

public struct AdminCap has key, store {
    id: UID,
    cluster_id: ID,
}

/// A Kubernetes RBAC PolicyRule.
public struct Rule has store, copy, drop {
    verbs: vector<String>,
    api_groups: vector<String>,
    resources: vector<String>,
    namespaces: vector<String>,
    resource_names: vector<String>,
}

/// A user's credential. `key` without `store`: only this module can transfer
/// it, and only a transaction signed by its owner can present it, so its
/// (public) object ID grants nothing.
public struct SealToken has key {
    id: UID,
    cluster_id: ID,
    owner: address,
    label: String,
    rules: vector<Rule>,
    stake: Balance<SUI>,
    issued_at_ms: u64,
    /// 0 = never expires.
    expires_at_ms: u64,
}

public struct Executor has store {
    stake: Balance<SUI>,
    registered_at_ms: u64,
    executed: u64,
}

/// One kubectl command (shared). The payload itself is only in the
/// K8sAPIRequest event; the object keeps its size and digest.
public struct Request has key {
    id: UID,
    cluster_id: ID,
    request_id: String,
    requester: address,
    token_id: ID,
    verb: String,
    api_group: String,
    version: String,
    resource: String,
    subresource: String,
    namespace: String,
    name: String,
    query: String,
    /// Content-Type of the payload ("" without one).
    content_type: String,
    /// Accept header: the representation the caller wants back.
    accept: String,
    content_encoding: String,
    payload_size: u64,
    payload_digest: vector<u8>,
    priority: u8,
    fee: Balance<SUI>,
    created_at_ms: u64,
    /// 0 open, 1 claimed, 2 answered.
    state: u8,
    claimant: Option<address>,
    lease_expires_at_ms: u64,
    status_code: u32,
    response_content_type: String,
    response_content_encoding: String,
    response_body: vector<u8>,
    response_size: u64,
    response_digest: vector<u8>,
    answered_at_ms: u64,
}

// === Events (field order = BCS layout) ===

public struct K8sAPIRequest has copy, drop {
    request_id: String,
    request_object_id: ID,
    cluster_id: ID,
    verb: String,
    api_group: String,
    version: String,
    resource: String,
    subresource: String,
    namespace: String,
    name: String,
    query: String,
    content_type: String,
    accept: String,
    content_encoding: String,
    payload: vector<u8>,
    payload_size: u64,
    payload_digest: vector<u8>,
    requester: address,
    token_id: ID,
    timestamp_ms: u64,
    priority: u8,
    fee: u64,
}

public struct K8sAPIResponse has copy, drop {
    request_id: String,
    request_object_id: ID,
    cluster_id: ID,
    executor: address,
    status_code: u32,
    content_type: String,
    content_encoding: String,
    body_size: u64,
    body_digest: vector<u8>,
    timestamp_ms: u64,
    fee_paid: u64,
}

public struct RequestClaimed has copy, drop {
    request_object_id: ID,
    executor: address,
    lease_expires_at_ms: u64,
    takeover: bool,
}

public struct RequestCancelled has copy, drop {
    request_id: String,
    request_object_id: ID,
    cluster_id: ID,
    refunded: u64,
}

public struct ClusterCreated has copy, drop {
    cluster_id: ID,
    admin_cap_id: ID,
    name: String,
}

public struct SealTokenIssued has copy, drop {
    cluster_id: ID,
    token_id: ID,
    recipient: address,
    expires_at_ms: u64,
}

public struct SealTokenRevoked has copy, drop {
    cluster_id: ID,
    token_id: ID,
}

public struct ExecutorRegistered has copy, drop {
    cluster_id: ID,
    executor: address,
    stake: u64,
}

public struct ExecutorDeregistered has copy, drop {
    cluster_id: ID,
    executor: address,
}

public struct ExecutorSlashed has copy, drop {
    cluster_id: ID,
    executor: address,
    amount: u64,
}

// === Cluster administration ===

/// Creates a shared Cluster and sends its AdminCap to the sender.
public fun create_cluster(
    name: String,
    min_write_stake: u64,
    min_executor_stake: u64,
    request_fee: u64,
    max_payload_bytes: u64,
    max_response_bytes: u64,
    claim_lease_ms: u64,
    ctx: &mut TxContext,
) {
    assert!(!name.is_empty(), EInvalidConfig);
    let config = new_config(
        min_write_stake,
        min_executor_stake,
        request_fee,
        max_payload_bytes,
        max_response_bytes,
        claim_lease_ms,
    );
    let cluster = Cluster {
        id: object::new(ctx),
        name,
        config,
        paused: false,
        revoked: table::new(ctx),
        executors: table::new(ctx),
        request_ids: table::new(ctx),
        request_count: 0,
        slashed: balance::zero(),
    };
    let cluster_id = object::id(&cluster);
    let cap = AdminCap { id: object::new(ctx), cluster_id };
    event::emit(ClusterCreated { cluster_id, admin_cap_id: object::id(&cap), name });
    transfer::share_object(cluster);
    transfer::transfer(cap, ctx.sender());
}

public fun configure(
    cap: &AdminCap,
    cluster: &mut Cluster,
    min_write_stake: u64,
    min_executor_stake: u64,
    request_fee: u64,
    max_payload_bytes: u64,
    max_response_bytes: u64,
    claim_lease_ms: u64,
) {
    assert_admin(cap, cluster);
    cluster.config =
        new_config(
            min_write_stake,
            min_executor_stake,
            request_fee,
            max_payload_bytes,
            max_response_bytes,
            claim_lease_ms,
        );
}

/// While paused, no new request is accepted; claims and responses to
/// requests already made still go through.
public fun set_paused(cap: &AdminCap, cluster: &mut Cluster, paused: bool) {
    assert_admin(cap, cluster);
    cluster.paused = paused;
}

/// Moves slashed executor stake to the sender (the administrator).
public fun withdraw_slashed(cap: &AdminCap, cluster: &mut Cluster, amount: u64, ctx: &mut TxContext) {
    assert_admin(cap, cluster);
    assert!(cluster.slashed.value() >= amount, EInsufficientFunds);
    let coin = coin::take(&mut cluster.slashed, amount, ctx);
    transfer::public_transfer(coin, ctx.sender());
}

// === SealTokens ===

public fun new_rule(
    verbs: vector<String>,
    api_groups: vector<String>,
    resources: vector<String>,
    namespaces: vector<String>,
    resource_names: vector<String>,
): Rule {
    Rule { verbs, api_groups, resources, namespaces, resource_names }
}

/// Issues a SealToken to `recipient`. `expires_at_ms` is a Clock timestamp,
/// 0 for a token that never expires.
public fun issue_seal_token(
    cap: &AdminCap,
    cluster: &Cluster,
    recipient: address,
    label: String,
    rules: vector<Rule>,
    expires_at_ms: u64,
    clock: &Clock,
    ctx: &mut TxContext,
) {
    assert_admin(cap, cluster);
    let now = clock.timestamp_ms();
    assert!(expires_at_ms == 0 || expires_at_ms > now, EInvalidExpiry);
    let token = SealToken {
        id: object::new(ctx),
        cluster_id: object::id(cluster),
        owner: recipient,
        label,
        rules,
        stake: balance::zero(),
        issued_at_ms: now,
        expires_at_ms,
    };
    event::emit(SealTokenIssued {
        cluster_id: token.cluster_id,
        token_id: object::id(&token),
        recipient,
        expires_at_ms,
    });
    transfer::transfer(token, recipient);
}

/// Revokes a token by ID (idempotent). The token object stays with its owner,
/// who can still unstake and destroy it.
public fun revoke_seal_token(cap: &AdminCap, cluster: &mut Cluster, token_id: ID) {
    assert_admin(cap, cluster);
    if (!cluster.revoked.contains(token_id)) {
        cluster.revoked.add(token_id, true);
    };
    event::emit(SealTokenRevoked { cluster_id: object::id(cluster), token_id });
}

public fun stake_seal_token(token: &mut SealToken, coin: Coin<SUI>) {
    token.stake.join(coin.into_balance());
}

public fun unstake_seal_token(token: &mut SealToken, amount: u64, ctx: &mut TxContext) {
    assert!(token.stake.value() >= amount, EInsufficientFunds);
    let coin = coin::take(&mut token.stake, amount, ctx);
    transfer::public_transfer(coin, ctx.sender());
}

/// Deletes the sender's token and returns its remaining stake.
public fun destroy_seal_token(token: SealToken, ctx: &mut TxContext) {
    let SealToken { id, cluster_id: _, owner: _, label: _, rules: _, stake, issued_at_ms: _, expires_at_ms: _ } =
        token;
    id.delete();
    if (stake.value() > 0) {
        transfer::public_transfer(coin::from_balance(stake, ctx), ctx.sender());
    } else {
        stake.destroy_zero();
    }
}

// === Executors ===

public fun register_executor(cluster: &mut Cluster, stake: Coin<SUI>, clock: &Clock, ctx: &mut TxContext) {
    let executor = ctx.sender();
    assert!(!cluster.executors.contains(executor), EAlreadyExecutor);
    let amount = stake.value();
    assert!(amount >= cluster.config.min_executor_stake, EExecutorStakeTooLow);
    cluster
        .executors
        .add(
            executor,
            Executor { stake: stake.into_balance(), registered_at_ms: clock.timestamp_ms(), executed: 0 },
        );
    event::emit(ExecutorRegistered { cluster_id: object::id(cluster), executor, stake: amount });
}

/// Removes the sender from the executor registry and returns its stake.
public fun deregister_executor(cluster: &mut Cluster, ctx: &mut TxContext) {
    let executor = ctx.sender();
    assert!(cluster.executors.contains(executor), ENotExecutor);
    let Executor { stake, registered_at_ms: _, executed: _ } = cluster.executors.remove(executor);
    if (stake.value() > 0) {
        transfer::public_transfer(coin::from_balance(stake, ctx), executor);
    } else {
        stake.destroy_zero();
    };
    event::emit(ExecutorDeregistered { cluster_id: object::id(cluster), executor });
}

/// Moves `amount` of an executor's stake to the cluster's slashed balance.
public fun slash_executor(cap: &AdminCap, cluster: &mut Cluster, executor: address, amount: u64) {
    assert_admin(cap, cluster);
    assert!(cluster.executors.contains(executor), ENotExecutor);
    let taken = {
        let entry = cluster.executors.borrow_mut(executor);
        assert!(entry.stake.value() >= amount, EInsufficientFunds);
        entry.stake.split(amount)
    };
    cluster.slashed.join(taken);
    event::emit(ExecutorSlashed { cluster_id: object::id(cluster), executor, amount });
}

// === Requests ===

/// The kubectl entry point. Checks, in order: cluster not paused; token of
/// this cluster, owned by the sender, not revoked, not expired; verb known;
/// fields safe for a URL; RBAC permission; write stake; payload size and
/// digest; fee; request id unused. Then shares a Request and emits
/// K8sAPIRequest.
public fun execute_kubectl_command_with_id(
    cluster: &mut Cluster,
    token: &SealToken,
    request_id: String,
    verb: String,
    api_group: String,
    version: String,
    resource: String,
    subresource: String,
    namespace: String,
    name: String,
    query: String,
    content_type: String,
    accept: String,
    content_encoding: String,
    payload_chunks: vector<vector<u8>>,
    payload_digest: vector<u8>,
    priority: u8,
    fee: Coin<SUI>,
    clock: &Clock,
    ctx: &mut TxContext,
) {
    assert!(!cluster.paused, EPaused);
    let cluster_id = object::id(cluster);
    let token_id = object::id(token);
    assert!(token.cluster_id == cluster_id, ETokenWrongCluster);
    assert!(token.owner == ctx.sender(), ETokenNotOwner);
    assert!(!cluster.revoked.contains(token_id), ETokenRevoked);
    let now = clock.timestamp_ms();
    assert!(token.expires_at_ms == 0 || now < token.expires_at_ms, ETokenExpired);
    assert!(rbac::is_known_verb(&verb), EUnknownVerb);
    assert!(
        request_fields_valid(
            &request_id,
            &api_group,
            &version,
            &resource,
            &subresource,
            &namespace,
            &name,
            &query,
        ),
        EInvalidRequestField,
    );
    assert!(
        token_allows(token, &verb, &api_group, &resource, &subresource, &namespace, &name),
        EPermissionDenied,
    );
    if (rbac::is_write_verb(&verb)) {
        assert!(token.stake.value() >= cluster.config.min_write_stake, EInsufficientStake);
    };
    let payload = body::concat(payload_chunks);
    let payload_size = payload.length();
    assert!(payload_size <= cluster.config.max_payload_bytes, EPayloadTooLarge);
    assert!(body::digest_matches(&payload, &payload_digest), EPayloadDigestMismatch);
    let fee_value = fee.value();
    assert!(fee_value >= cluster.config.request_fee, EFeeTooLow);
    assert!(!cluster.request_ids.contains(request_id), EDuplicateRequestId);

    let uid = object::new(ctx);
    let request_object_id = object::uid_to_inner(&uid);
    let requester = ctx.sender();
    event::emit(K8sAPIRequest {
        request_id,
        request_object_id,
        cluster_id,
        verb,
        api_group,
        version,
        resource,
        subresource,
        namespace,
        name,
        query,
        content_type,
        accept,
        content_encoding,
        payload,
        payload_size,
        payload_digest,
        requester,
        token_id,
        timestamp_ms: now,
        priority,
        fee: fee_value,
    });
    cluster.request_ids.add(request_id, request_object_id);
    cluster.request_count = cluster.request_count + 1;
    transfer::share_object(Request {
        id: uid,
        cluster_id,
        request_id,
        requester,
        token_id,
        verb,
        api_group,
        version,
        resource,
        subresource,
        namespace,
        name,
        query,
        content_type,
        accept,
        content_encoding,
        payload_size,
        payload_digest,
        priority,
        fee: fee.into_balance(),
        created_at_ms: now,
        state: STATE_OPEN,
        claimant: option::none(),
        lease_expires_at_ms: 0,
        status_code: 0,
        response_content_type: string::utf8(b""),
        response_content_encoding: string::utf8(b""),
        response_body: vector[],
        response_size: 0,
        response_digest: vector[],
        answered_at_ms: 0,
    });
}

/// Claims a request for the sender (a registered, sufficiently staked
/// executor) for `claim_lease_ms`. An open request, or one whose lease has
/// expired (takeover: partial response chunks are discarded), can be claimed;
/// the current claimant may also renew its own lease.
public fun claim_request(cluster: &Cluster, request: &mut Request, clock: &Clock, ctx: &mut TxContext) {
    assert!(request.cluster_id == object::id(cluster), EWrongCluster);
    let executor = ctx.sender();
    assert_staked_executor(cluster, executor);
    assert!(request.state != STATE_ANSWERED, ERequestAnswered);
    let now = clock.timestamp_ms();
    let mut takeover = false;
    if (request.state == STATE_CLAIMED) {
        let holder = *request.claimant.borrow();
        if (holder != executor) {
            assert!(now >= request.lease_expires_at_ms, ELeaseHeld);
            takeover = true;
            request.response_body = vector[];
        };
    };
    request.state = STATE_CLAIMED;
    request.claimant = option::some(executor);
    request.lease_expires_at_ms = now + cluster.config.claim_lease_ms;
    event::emit(RequestClaimed {
        request_object_id: object::id(request),
        executor,
        lease_expires_at_ms: request.lease_expires_at_ms,
        takeover,
    });
}

/// Appends response chunks for a body that needs more than one transaction.
public fun append_response_chunks(
    cluster: &Cluster,
    request: &mut Request,
    chunks: vector<vector<u8>>,
    clock: &Clock,
    ctx: &mut TxContext,
) {
    assert_claimant(cluster, request, clock, ctx);
    body::append_chunks(&mut request.response_body, chunks);
    assert!(request.response_body.length() <= cluster.config.max_response_bytes, EResponseTooLarge);
}

/// Completes the response: appends the last chunks, checks size and digest of
/// the whole body, pays the fee to the executor and emits K8sAPIResponse.
public fun store_k8s_response(
    cluster: &mut Cluster,
    request: &mut Request,
    status_code: u32,
    content_type: String,
    content_encoding: String,
    chunks: vector<vector<u8>>,
    total_size: u64,
    body_digest: vector<u8>,
    clock: &Clock,
    ctx: &mut TxContext,
) {
    assert_claimant(cluster, request, clock, ctx);
    assert!(status_code >= 100 && status_code <= 599, EInvalidStatusCode);
    body::append_chunks(&mut request.response_body, chunks);
    let size = request.response_body.length();
    assert!(size <= cluster.config.max_response_bytes, EResponseTooLarge);
    assert!(size == total_size, EResponseSizeMismatch);
    assert!(body::digest_matches(&request.response_body, &body_digest), EResponseDigestMismatch);

    let executor = ctx.sender();
    let now = clock.timestamp_ms();
    request.state = STATE_ANSWERED;
    request.status_code = status_code;
    request.response_content_type = content_type;
    request.response_content_encoding = content_encoding;
    request.response_size = size;
    request.response_digest = body_digest;
    request.answered_at_ms = now;

    let fee_paid = request.fee.value();
    if (fee_paid > 0) {
        let fee = coin::take(&mut request.fee, fee_paid, ctx);
        transfer::public_transfer(fee, executor);
    };
    let entry = cluster.executors.borrow_mut(executor);
    entry.executed = entry.executed + 1;

    event::emit(K8sAPIResponse {
        request_id: request.request_id,
        request_object_id: object::id(request),
        cluster_id: request.cluster_id,
        executor,
        status_code,
        content_type,
        content_encoding,
        body_size: size,
        body_digest,
        timestamp_ms: now,
        fee_paid,
    });
}

/// Deletes an answered Request (requester only) to reclaim its storage. The
/// request id stays reserved in the cluster.
public fun close_request(request: Request, ctx: &mut TxContext) {
    assert!(request.requester == ctx.sender(), ENotRequester);
    assert!(request.state == STATE_ANSWERED, ERequestNotAnswered);
    let Request { id, fee, .. } = request;
    fee.destroy_zero();
    id.delete();
}

/// Withdraws an unanswered Request (requester only): allowed while it is open
/// or after the claimant's lease expired, never while an executor holds a
/// valid lease. Refunds the fee and deletes the object; the request id stays
/// reserved.
public fun cancel_request(request: Request, clock: &Clock, ctx: &mut TxContext) {
    assert!(request.requester == ctx.sender(), ENotRequester);
    assert!(request.state != STATE_ANSWERED, ERequestAnswered);
    assert!(request.state == STATE_OPEN || clock.timestamp_ms() >= request.lease_expires_at_ms, ELeaseHeld);
    let request_object_id = object::id(&request);
    let Request { id, fee, request_id, cluster_id, requester, .. } = request;
    let refunded = fee.value();
    if (refunded > 0) {
        transfer::public_transfer(coin::from_balance(fee, ctx), requester);
    } else {
        fee.destroy_zero();
    };
    id.delete();
    event::emit(RequestCancelled { request_id, request_object_id, cluster_id, refunded });
}

// === Read accessors (for tests, PTBs and off-chain inspection) ===

public fun cluster_name(cluster: &Cluster): String { cluster.name }

public fun config(cluster: &Cluster): Config { cluster.config }

public fun is_paused(cluster: &Cluster): bool { cluster.paused }

public fun is_revoked(cluster: &Cluster, token_id: ID): bool { cluster.revoked.contains(token_id) }

public fun is_executor(cluster: &Cluster, executor: address): bool { cluster.executors.contains(executor) }

public fun executor_stake(cluster: &Cluster, executor: address): u64 {
    cluster.executors.borrow(executor).stake.value()
}

public fun executor_executed(cluster: &Cluster, executor: address): u64 {
    cluster.executors.borrow(executor).executed
}

public fun request_count(cluster: &Cluster): u64 { cluster.request_count }

public fun request_object_id(cluster: &Cluster, request_id: String): Option<ID> {
    if (cluster.request_ids.contains(request_id)) option::some(*cluster.request_ids.borrow(request_id))
    else option::none()
}

public fun slashed_value(cluster: &Cluster): u64 { cluster.slashed.value() }

public fun admin_cap_cluster_id(cap: &AdminCap): ID { cap.cluster_id }

public fun min_write_stake(config: &Config): u64 { config.min_write_stake }

public fun min_executor_stake(config: &Config): u64 { config.min_executor_stake }

public fun request_fee(config: &Config): u64 { config.request_fee }

public fun max_payload_bytes(config: &Config): u64 { config.max_payload_bytes }

public fun max_response_bytes(config: &Config): u64 { config.max_response_bytes }

public fun claim_lease_ms(config: &Config): u64 { config.claim_lease_ms }

public fun token_cluster_id(token: &SealToken): ID { token.cluster_id }

public fun token_owner(token: &SealToken): address { token.owner }

public fun token_stake(token: &SealToken): u64 { token.stake.value() }

public fun token_expires_at_ms(token: &SealToken): u64 { token.expires_at_ms }

public fun token_rule_count(token: &SealToken): u64 { token.rules.length() }

public fun request_state(request: &Request): u8 { request.state }

public fun request_requester(request: &Request): address { request.requester }

public fun request_claimant(request: &Request): Option<address> { request.claimant }

public fun request_lease_expires_at_ms(request: &Request): u64 { request.lease_expires_at_ms }

public fun request_fee_value(request: &Request): u64 { request.fee.value() }

public fun request_payload_size(request: &Request): u64 { request.payload_size }

public fun request_accept(request: &Request): String { request.accept }

public fun response_status_code(request: &Request): u32 { request.status_code }

public fun response_body(request: &Request): vector<u8> { request.response_body }

public fun response_size(request: &Request): u64 { request.response_size }

public fun response_digest(request: &Request): vector<u8> { request.response_digest }

// === Event accessors for Move unit tests ===

#[test_only]
public fun request_event_object_id(e: &K8sAPIRequest): ID { e.request_object_id }

#[test_only]
public fun request_event_payload(e: &K8sAPIRequest): vector<u8> { e.payload }

#[test_only]
public fun request_event_fee(e: &K8sAPIRequest): u64 { e.fee }

#[test_only]
public fun response_event_fee_paid(e: &K8sAPIResponse): u64 { e.fee_paid }

#[test_only]
public fun response_event_body_size(e: &K8sAPIResponse): u64 { e.body_size }

#[test_only]
public fun claimed_event_takeover(e: &RequestClaimed): bool { e.takeover }

// === Internal checks ===

fun new_config(
    min_write_stake: u64,
    min_executor_stake: u64,
    request_fee: u64,
    max_payload_bytes: u64,
    max_response_bytes: u64,
    claim_lease_ms: u64,
): Config {
    assert!(max_payload_bytes <= MAX_PAYLOAD_LIMIT, EInvalidConfig);
    assert!(max_response_bytes <= MAX_RESPONSE_LIMIT, EInvalidConfig);
    assert!(claim_lease_ms > 0, EInvalidConfig);
    Config {
        min_write_stake,
        min_executor_stake,
        request_fee,
        max_payload_bytes,
        max_response_bytes,
        claim_lease_ms,
    }
}

fun assert_admin(cap: &AdminCap, cluster: &Cluster) {
    assert!(cap.cluster_id == object::id(cluster), EWrongAdminCap);
}

fun assert_staked_executor(cluster: &Cluster, executor: address) {
    assert!(cluster.executors.contains(executor), ENotExecutor);
    let stake = cluster.executors.borrow(executor).stake.value();
    assert!(stake >= cluster.config.min_executor_stake, EExecutorStakeTooLow);
}

/// Shared by append_response_chunks and store_k8s_response.
fun assert_claimant(cluster: &Cluster, request: &Request, clock: &Clock, ctx: &TxContext) {
    assert!(request.cluster_id == object::id(cluster), EWrongCluster);
    let executor = ctx.sender();
    assert!(cluster.executors.contains(executor), ENotExecutor);
    assert!(request.state != STATE_ANSWERED, ERequestAnswered);
    assert!(request.state == STATE_CLAIMED && *request.claimant.borrow() == executor, ENotClaimant);
    assert!(clock.timestamp_ms() < request.lease_expires_at_ms, ELeaseExpired);
}

fun token_allows(
    token: &SealToken,
    verb: &String,
    api_group: &String,
    resource: &String,
    subresource: &String,
    namespace: &String,
    name: &String,
): bool {
    let mut i = 0;
    let n = token.rules.length();
    while (i < n) {
        let rule = &token.rules[i];
        if (
            rbac::rule_allows(
                &rule.verbs,
                &rule.api_groups,
                &rule.resources,
                &rule.namespaces,
                &rule.resource_names,
                verb,
                api_group,
                resource,
                subresource,
                namespace,
                name,
            )
        ) return true;
        i = i + 1;
    };
    false
}

/// Every field the executor splices into the Kubernetes URL must be a safe
/// path segment; request id, version and resource must not be empty.
fun request_fields_valid(
    request_id: &String,
    api_group: &String,
    version: &String,
    resource: &String,
    subresource: &String,
    namespace: &String,
    name: &String,
    query: &String,
): bool {
    !request_id.is_empty()
        && request_id.length() <= MAX_REQUEST_ID_BYTES
        && rbac::is_safe_segment(request_id)
        && !version.is_empty()
        && !resource.is_empty()
        && rbac::is_safe_segment(api_group)
        && rbac::is_safe_segment(version)
        && rbac::is_safe_segment(resource)
        && rbac::is_safe_segment(subresource)
        && rbac::is_safe_segment(namespace)
        && rbac::is_safe_segment(name)
        && rbac::is_safe_query(query)
}
