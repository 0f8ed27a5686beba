/// K3s-DaaS gateway contract (v2): every kubectl command is a call to
/// `execute_kubectl_command_with_id`, checked against the caller's SealToken
/// (cluster, owner, revocation, expiry, RBAC rules, stake), recorded as a
/// shared `Request` plus a `K8sAPIRequest` event, claimed by an executor the
/// administrator admitted (Nautilus) under a lease and a bounded hold time,
/// and answered once with `store_k8s_response`, whose body travels in the
/// `K8sAPIResponse` event and whose fields the executor signs with its
/// registered ed25519 key.
///
/// The README next to this package is the reference for objects, functions,
/// events, abort codes, the answer intent, the chunking protocol and the
/// object conflict graph.
module k8s_gateway::k8s_gateway;

use k8s_gateway::body;
use k8s_gateway::confidentiality::{Self, Confidentiality};
use k8s_gateway::rbac;
use std::string::{Self, String};
use sui::balance::{Self, Balance};
use sui::clock::Clock;
use sui::coin::{Self, Coin};
use sui::ed25519;
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
/// @status 403 Forbidden: the sender does not operate this executor
const ENotExecutor: u64 = 12;
/// @status 403 Forbidden: the executor's stake is below the cluster's minimum executor stake
const EExecutorStakeTooLow: u64 = 13;
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
/// @status 400 BadRequest: the response body does not match its digest (sha2-256, chained across transactions)
const EResponseDigestMismatch: u64 = 20;
/// @status 400 BadRequest: the assembled response body size differs from the declared total size
const EResponseSizeMismatch: u64 = 21;
/// @status 403 Forbidden: only the requester may close or cancel this request
const ENotRequester: u64 = 22;
/// @status 409 Conflict: the request has not been answered yet and cannot be closed
const ERequestNotAnswered: u64 = 23;
/// @status 400 BadRequest: the object belongs to another cluster
const EWrongCluster: u64 = 24;
/// @status 400 BadRequest: the amount exceeds the available balance
const EInsufficientFunds: u64 = 25;
/// @status 401 Unauthorized: the AdminCap does not administer this cluster
const EWrongAdminCap: u64 = 26;
/// @status 401 Unauthorized: the SealToken is not owned by the transaction sender
const ETokenNotOwner: u64 = 27;
/// @status 400 BadRequest: a request field is empty where required or contains characters not allowed in a Kubernetes API path
const EInvalidRequestField: u64 = 28;
/// @status 400 BadRequest: invalid cluster configuration (payload at most 112000 bytes, response at most 240000 bytes, lease above 0, hold time at least the lease, name not empty)
const EInvalidConfig: u64 = 29;
/// @status 400 BadRequest: the token expiry must be 0 (never) or in the future
const EInvalidExpiry: u64 = 30;
/// @status 400 BadRequest: the response status code must be between 100 and 599
const EInvalidStatusCode: u64 = 31;
/// @status 403 Forbidden: the ExecutorCap admits another account or cluster; ask the cluster administrator to admit this account (k3s-daas executor admit)
const ENotAdmitted: u64 = 32;
/// @status 400 BadRequest: the executor signing key must be a 32-byte ed25519 public key
const EInvalidSigningKey: u64 = 33;
/// @status 403 Forbidden: the answer's ed25519 signature does not verify against the executor's registered signing key
const EBadAnswerSignature: u64 = 34;
/// @status 409 Conflict: the executor's hold time on this request is over; another executor may take it over or the requester may cancel it
const EHoldTimeExceeded: u64 = 35;
/// @status 409 Conflict: the executor is unbonding (deregistered or slashed for equivocation) and takes no new work
const EExecutorUnbonding: u64 = 36;
/// @status 409 Conflict: the executor still holds unexpired claims; deregister after its last lease ends
const EExecutorHoldsClaims: u64 = 37;
/// @status 409 Conflict: the stake is still locked (executor unbonding or token stake cooldown); retry after the unlock time
const EStakeLocked: u64 = 38;
/// @status 400 BadRequest: a discretionary slash may take at most the cluster's slash penalty per call
const ESlashTooLarge: u64 = 39;
/// @status 409 Conflict: the claim has not outlived its hold time, or was already penalised, so it is no lapse fault
const ENoLapse: u64 = 40;
/// @status 400 BadRequest: the evidence is not two valid answers signed by this executor for one request with different bodies
const ENotEquivocation: u64 = 41;
/// @status 400 BadRequest: the answer's signing time must lie between the request's creation and now
const EInvalidAnswerTime: u64 = 42;
/// @status 403 Forbidden: server-side apply creates the object when it does not exist, so it needs create as well as patch; ask for a rule granting create
const EApplyNeedsCreate: u64 = 43;
/// @status 400 BadRequest: destroy the SealToken only after unstaking its stake and withdrawing it after the cooldown
const ETokenHoldsStake: u64 = 44;
/// @status 403 Forbidden: the SealToken's rules do not allow impersonating this user or group (kubectl --as needs the impersonate verb on users/<name>, groups/<name>; groups only with a user), or a name is not printable ASCII
const EImpersonationDenied: u64 = 45;
/// @status 400 BadRequest: the cluster requires Seal-encrypted payloads; the request body is not a Seal EncryptedObject (version 0, Aes256Gcm or Hmac256Ctr with associated data); encrypt it with the cluster's key servers
const EClearPayload: u64 = 46;
/// @status 409 Conflict: the payload's Seal id is not a payload id of this cluster's current executor epoch for the sender; the executor set changed: re-read the cluster's confidentiality setting and encrypt again
const EStalePayloadId: u64 = 47;
/// @status 400 BadRequest: the Seal ciphertext names another package, a key server that is not one of the cluster's, or a threshold other than the cluster's
const ESealSettingMismatch: u64 = 48;
/// @status 400 BadRequest: the Seal ciphertext's associated data is not this request's header (k3s-daas payload AAD: cluster, requester and every request field)
const EPayloadAadMismatch: u64 = 49;
/// @status 400 BadRequest: the response Seal id must be a response id of this cluster for the sender on a Seal cluster, and empty on a cluster without confidentiality
const EInvalidResponseId: u64 = 50;
/// @status 400 BadRequest: on a Seal cluster the response body must be a Seal EncryptedObject of the cluster's key servers for the request's response id
const EClearResponse: u64 = 51;
/// @status 400 BadRequest: confidentiality must be none (0: no key servers, threshold 0) or seal (1: 1 to 16 distinct key servers, threshold between 1 and their number)
const EInvalidConfidentiality: u64 = 52;
/// @status 409 Conflict: the cluster was created without confidentiality; its Seal settings cannot be set (create a Seal cluster)
const ENotConfidential: u64 = 53;
/// @status 403 Forbidden: Seal key denied: the id is not a payload id of this cluster's current executor epoch, or the sender does not operate an active executor of the cluster with the minimum stake
const ESealPayloadDenied: u64 = 54;
/// @status 403 Forbidden: Seal key denied: the id is not a response id of this cluster for the sender (only the requester may decrypt a response)
const ESealResponseDenied: u64 = 55;

// === Limits and states ===

/// Payload limit: one transaction (131,072 B) must carry the whole payload plus
/// the other arguments.
const MAX_PAYLOAD_LIMIT: u64 = 112_000;
/// Response limit: the body travels in events (chunks, a segment of them per
/// transaction), bounded so a gateway can hold it and a few transactions
/// carry it.
const MAX_RESPONSE_LIMIT: u64 = 240_000;
const MAX_REQUEST_ID_BYTES: u64 = 128;
const SIGNING_KEY_BYTES: u64 = 32;

const STATE_OPEN: u8 = 0;
const STATE_CLAIMED: u8 = 1;
const STATE_ANSWERED: u8 = 2;

const SLASH_ADMIN: u8 = 0;
const SLASH_LAPSE: u8 = 1;
const SLASH_EQUIVOCATION: u8 = 2;

/// Domain tag of the answer intent: a signature over it means nothing to
/// any other protocol. 18 bytes, so the intent's fixed prefix is:
/// [0] len 18, [1..19) tag, [19..51) cluster id, [51..83) request object id,
/// [83] len 32, [84..116) body digest.
const ANSWER_DOMAIN: vector<u8> = b"k3s-daas/answer/v1";
const INTENT_CLUSTER_AT: u64 = 19;
const INTENT_REQUEST_AT: u64 = 51;
const INTENT_DIGEST_AT: u64 = 84;
const INTENT_PREFIX_BYTES: u64 = 116;

const PENDING_UNSTAKE_NONE: u64 = 0;

// === Objects ===

public struct Config has store, copy, drop {
    min_write_stake: u64,
    min_executor_stake: u64,
    request_fee: u64,
    max_payload_bytes: u64,
    max_response_bytes: u64,
    /// How long one claim (or renewal) holds a request.
    claim_lease_ms: u64,
    /// How long one executor may hold a request in total, renewals included.
    max_hold_ms: u64,
    /// Stake stays locked and slashable this long after deregistration.
    executor_unbonding_ms: u64,
    /// A SealToken's unstaked SUI is withdrawable this long after unstaking.
    stake_cooldown_ms: u64,
    /// Penalty of a lapsed claim, and the cap of one discretionary slash.
    slash_penalty: u64,
}

/// One Kubernetes cluster behind this package (shared). A package serves any
/// number of clusters; each has its own AdminCap. Nothing here grows with
/// the number of requests: the request path only reads it.
public struct Cluster has key {
    id: UID,
    name: String,
    config: Config,
    paused: bool,
    /// Revoked SealToken IDs (grows with revocations, an administrator act).
    revoked: Table<ID, bool>,
    /// Registered executors that are not unbonding.
    active_executors: u64,
    slashed: Balance<SUI>,
    /// none or seal, the key servers and threshold, the executor-set epoch.
    confidentiality: Confidentiality,
}

public struct AdminCap has key, store {
    id: UID,
    cluster_id: ID,
}

/// The administrator's admission of one account as an executor, consumed by
/// `register_executor`. `key` only: it cannot be handed on.
public struct ExecutorCap has key {
    id: UID,
    cluster_id: ID,
    account: address,
}

/// A registered executor (shared): its Sui account, the ed25519 key that
/// signs its answers (separate from the account key, so it can come from an
/// attested enclave) and its stake. Only its own claims mutate it.
public struct Executor has key {
    id: UID,
    cluster_id: ID,
    account: address,
    signing_key: vector<u8>,
    stake: Balance<SUI>,
    registered_at_ms: u64,
    /// 0 while active; otherwise when the stake can be withdrawn.
    unbonding_until_ms: u64,
    /// The latest lease end among its claims: no deregistration before it.
    lease_horizon_ms: u64,
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
    /// Counts for the write-stake check.
    stake: Balance<SUI>,
    /// Unstaked, not yet withdrawable: does not count for writes.
    unstaking: Balance<SUI>,
    unstaking_until_ms: u64,
    issued_at_ms: u64,
    /// 0 = never expires.
    expires_at_ms: u64,
}

/// One kubectl command (shared). The payload is only in the K8sAPIRequest
/// event and the response body only in K8sAPIResponse(Chunk) events; the
/// object keeps sizes and digests. Every field answering writes has its final
/// size from creation on, so answering never grows the object and the
/// requester's storage rebate never exceeds what it paid.
public struct Request has key {
    id: UID,
    cluster_id: ID,
    /// The client's label for this request (not unique; the object id is).
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
    /// `kubectl --as`: the user the request acts as ("" = the token holder).
    impersonate_user: String,
    /// `kubectl --as-group`: groups it acts in (only with a user).
    impersonate_groups: vector<String>,
    payload_size: u64,
    payload_digest: vector<u8>,
    priority: u8,
    fee: Balance<SUI>,
    created_at_ms: u64,
    /// 0 open, 1 claimed, 2 answered.
    state: u8,
    /// The claiming Executor object (zero ID while open).
    claimant: ID,
    lease_expires_at_ms: u64,
    /// End of the current claimant's total hold time.
    hold_deadline_ms: u64,
    /// The current claimant was already penalised for outliving its hold.
    lapse_penalised: bool,
    status_code: u32,
    /// Response bytes received so far (all of them once answered).
    response_size: u64,
    /// Response segments received so far (one per transaction).
    response_segments: u64,
    /// Response chunks received so far (a segment holds one or more).
    response_chunks: u64,
    /// Chained sha2-256 of the chunks so far (32 zero bytes before the first).
    response_digest: vector<u8>,
    /// Digest of the transaction that stored the answer (32 zero bytes before).
    answer_tx_digest: vector<u8>,
    answered_at_ms: u64,
    /// Seal id the response body is encrypted for (empty without confidentiality).
    response_seal_id: vector<u8>,
}

/// What an executor signs (ed25519) when it answers: BCS of this struct.
/// Binds the cluster, the request object and every checked request field,
/// the answer's status, representation, size and body digest, and a time.
public struct AnswerIntent has copy, drop {
    domain: vector<u8>,
    cluster_id: ID,
    request_object_id: ID,
    body_digest: vector<u8>,
    body_size: u64,
    status_code: u32,
    content_type: String,
    content_encoding: String,
    signed_at_ms: u64,
    requester: address,
    verb: String,
    api_group: String,
    version: String,
    resource: String,
    subresource: String,
    namespace: String,
    name: String,
    query: String,
    request_content_type: String,
    accept: String,
    payload_digest: vector<u8>,
    impersonate_user: String,
    impersonate_groups: vector<String>,
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
    impersonate_user: String,
    impersonate_groups: vector<String>,
    payload: vector<u8>,
    payload_size: u64,
    payload_digest: vector<u8>,
    requester: address,
    token_id: ID,
    timestamp_ms: u64,
    priority: u8,
    fee: u64,
    /// Seal id the executor encrypts the response for (empty without confidentiality).
    response_seal_id: vector<u8>,
}

/// One segment of a response that needs several transactions: its chunks,
/// as sent (the contract never concatenates response bytes).
public struct K8sAPIResponseChunk has copy, drop {
    request_object_id: ID,
    cluster_id: ID,
    executor_object_id: ID,
    /// 0-based segment index.
    segment: u64,
    chunks: vector<vector<u8>>,
}

/// The answer: its last (often only) segment, the executor's signature and
/// the digests of the transactions that carried earlier segments.
public struct K8sAPIResponse has copy, drop {
    request_id: String,
    request_object_id: ID,
    cluster_id: ID,
    executor: address,
    executor_object_id: ID,
    status_code: u32,
    content_type: String,
    content_encoding: String,
    body_size: u64,
    body_digest: vector<u8>,
    /// Segments of the body; this event carries the last one, as chunks.
    segments: u64,
    body: vector<vector<u8>>,
    /// Transactions that carried segments 0..segments-2 (as the executor
    /// names them; a reader checks them against body_digest).
    segment_tx_digests: vector<vector<u8>>,
    signed_at_ms: u64,
    signature: vector<u8>,
    timestamp_ms: u64,
    fee_paid: u64,
}

public struct RequestClaimed has copy, drop {
    request_object_id: ID,
    executor: address,
    executor_object_id: ID,
    lease_expires_at_ms: u64,
    hold_deadline_ms: u64,
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

public struct ExecutorAdmitted has copy, drop {
    cluster_id: ID,
    account: address,
    cap_id: ID,
}

public struct ExecutorRegistered has copy, drop {
    cluster_id: ID,
    executor: address,
    executor_object_id: ID,
    signing_key: vector<u8>,
    stake: u64,
}

public struct ExecutorDeregistered has copy, drop {
    cluster_id: ID,
    executor: address,
    executor_object_id: ID,
    unbonding_until_ms: u64,
}

/// The administrator removed the executor (`remove_executor`).
public struct ExecutorRemoved has copy, drop {
    cluster_id: ID,
    executor: address,
    executor_object_id: ID,
    unbonding_until_ms: u64,
}

public struct ExecutorWithdrawn has copy, drop {
    cluster_id: ID,
    executor: address,
    executor_object_id: ID,
    amount: u64,
}

public struct ExecutorSlashed has copy, drop {
    cluster_id: ID,
    executor: address,
    executor_object_id: ID,
    amount: u64,
    /// 0 administrator, 1 lapsed claim, 2 equivocation.
    fault: u8,
    /// The request concerned (zero ID for an administrator slash).
    request_object_id: ID,
    note: String,
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
    max_hold_ms: u64,
    executor_unbonding_ms: u64,
    stake_cooldown_ms: u64,
    slash_penalty: u64,
    confidentiality: u8,
    key_servers: vector<ID>,
    threshold: u8,
    ctx: &mut TxContext,
) {
    assert!(!name.is_empty(), EInvalidConfig);
    assert!(confidentiality::is_valid_setting(confidentiality, &key_servers, threshold), EInvalidConfidentiality);
    let config = new_config(
        min_write_stake,
        min_executor_stake,
        request_fee,
        max_payload_bytes,
        max_response_bytes,
        claim_lease_ms,
        max_hold_ms,
        executor_unbonding_ms,
        stake_cooldown_ms,
        slash_penalty,
    );
    let cluster = Cluster {
        id: object::new(ctx),
        name,
        config,
        paused: false,
        revoked: table::new(ctx),
        active_executors: 0,
        slashed: balance::zero(),
        confidentiality: confidentiality::new(confidentiality, key_servers, threshold),
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
    max_hold_ms: u64,
    executor_unbonding_ms: u64,
    stake_cooldown_ms: u64,
    slash_penalty: u64,
) {
    assert_admin(cap, cluster);
    // Executors below a raised minimum stop being able to decrypt: a new epoch for what follows.
    if (min_executor_stake > cluster.config.min_executor_stake) cluster.confidentiality.bump_epoch();
    cluster.config =
        new_config(
            min_write_stake,
            min_executor_stake,
            request_fee,
            max_payload_bytes,
            max_response_bytes,
            claim_lease_ms,
            max_hold_ms,
            executor_unbonding_ms,
            stake_cooldown_ms,
            slash_penalty,
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

/// Replaces a Seal cluster's key servers and threshold (e.g. to retire a
/// key server). Payloads encrypted for the old setting are refused from now
/// on; the executor epoch is unchanged (key servers do not decide who may
/// decrypt). The mode is fixed at creation: a cluster created with
/// `confidentiality: none` cannot be switched (ENotConfidential).
public fun set_key_servers(cap: &AdminCap, cluster: &mut Cluster, key_servers: vector<ID>, threshold: u8) {
    assert_admin(cap, cluster);
    assert!(cluster.confidentiality.is_seal(), ENotConfidential);
    assert!(
        confidentiality::is_valid_setting(confidentiality::mode_seal(), &key_servers, threshold),
        EInvalidConfidentiality,
    );
    cluster.confidentiality.set_key_servers(key_servers, threshold);
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
        unstaking: balance::zero(),
        unstaking_until_ms: PENDING_UNSTAKE_NONE,
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

/// Starts unstaking `amount`: it stops counting for writes at once and can be
/// withdrawn after the cluster's stake cooldown (a later unstake restarts the
/// cooldown for everything pending). Borrowed SUI cannot be staked, used for
/// a write and returned within one transaction.
public fun unstake_seal_token(
    cluster: &Cluster,
    token: &mut SealToken,
    amount: u64,
    clock: &Clock,
    _ctx: &mut TxContext,
) {
    assert!(token.cluster_id == object::id(cluster), ETokenWrongCluster);
    assert!(token.stake.value() >= amount, EInsufficientFunds);
    token.unstaking.join(token.stake.split(amount));
    token.unstaking_until_ms = clock.timestamp_ms() + cluster.config.stake_cooldown_ms;
}

/// Sends the sender the SUI whose unstaking cooldown is over.
public fun withdraw_unstaked(token: &mut SealToken, clock: &Clock, ctx: &mut TxContext) {
    assert!(clock.timestamp_ms() >= token.unstaking_until_ms, EStakeLocked);
    let amount = token.unstaking.value();
    assert!(amount > 0, EInsufficientFunds);
    let coin = coin::take(&mut token.unstaking, amount, ctx);
    token.unstaking_until_ms = PENDING_UNSTAKE_NONE;
    transfer::public_transfer(coin, ctx.sender());
}

/// Deletes the sender's token; its stake must be unstaked and withdrawn first.
public fun destroy_seal_token(token: SealToken) {
    let SealToken { id, stake, unstaking, .. } = token;
    assert!(stake.value() == 0 && unstaking.value() == 0, ETokenHoldsStake);
    stake.destroy_zero();
    unstaking.destroy_zero();
    id.delete();
}

// === Executors ===

/// Admits `account` as an executor of this cluster: sends it an ExecutorCap
/// that `register_executor` consumes.
public fun admit_executor(cap: &AdminCap, cluster: &Cluster, account: address, ctx: &mut TxContext) {
    assert_admin(cap, cluster);
    let executor_cap = ExecutorCap { id: object::new(ctx), cluster_id: object::id(cluster), account };
    event::emit(ExecutorAdmitted { cluster_id: object::id(cluster), account, cap_id: object::id(&executor_cap) });
    transfer::transfer(executor_cap, account);
}

/// Registers the sender as an executor with its ed25519 answer-signing key
/// and stake, consuming its admission. Shares the Executor object.
public fun register_executor(
    cluster: &mut Cluster,
    admission: ExecutorCap,
    signing_key: vector<u8>,
    stake: Coin<SUI>,
    clock: &Clock,
    ctx: &mut TxContext,
) {
    let ExecutorCap { id: cap_id, cluster_id, account } = admission;
    assert!(cluster_id == object::id(cluster) && account == ctx.sender(), ENotAdmitted);
    cap_id.delete();
    assert!(signing_key.length() == SIGNING_KEY_BYTES, EInvalidSigningKey);
    let amount = stake.value();
    assert!(amount >= cluster.config.min_executor_stake, EExecutorStakeTooLow);
    let executor = Executor {
        id: object::new(ctx),
        cluster_id,
        account,
        signing_key,
        stake: stake.into_balance(),
        registered_at_ms: clock.timestamp_ms(),
        unbonding_until_ms: 0,
        lease_horizon_ms: 0,
    };
    cluster.active_executors = cluster.active_executors + 1;
    event::emit(ExecutorRegistered {
        cluster_id,
        executor: account,
        executor_object_id: object::id(&executor),
        signing_key,
        stake: amount,
    });
    transfer::share_object(executor);
}

/// Starts unbonding: the executor takes no new claims and its stake stays
/// locked and slashable for the cluster's unbonding period. Refused while
/// any of its leases is live.
public fun deregister_executor(cluster: &mut Cluster, executor: &mut Executor, clock: &Clock, ctx: &TxContext) {
    assert_executor_of(cluster, executor, ctx);
    assert!(executor.unbonding_until_ms == 0, EExecutorUnbonding);
    let now = clock.timestamp_ms();
    assert!(now >= executor.lease_horizon_ms, EExecutorHoldsClaims);
    start_unbonding(cluster, executor, now);
    event::emit(ExecutorDeregistered {
        cluster_id: executor.cluster_id,
        executor: executor.account,
        executor_object_id: object::id(executor),
        unbonding_until_ms: executor.unbonding_until_ms,
    });
}

/// The administrator removes an executor (revokes its admission): it starts
/// unbonding at once, takes no new claims and, as the executor epoch moves
/// on, can fetch no Seal key for payloads sent from now on. Its live leases
/// may still be answered (it has already read those payloads).
public fun remove_executor(cap: &AdminCap, cluster: &mut Cluster, executor: &mut Executor, clock: &Clock) {
    assert_admin(cap, cluster);
    assert!(executor.cluster_id == object::id(cluster), EWrongCluster);
    assert!(executor.unbonding_until_ms == 0, EExecutorUnbonding);
    start_unbonding(cluster, executor, clock.timestamp_ms());
    event::emit(ExecutorRemoved {
        cluster_id: executor.cluster_id,
        executor: executor.account,
        executor_object_id: object::id(executor),
        unbonding_until_ms: executor.unbonding_until_ms,
    });
}

/// After unbonding: returns what is left of the stake and deletes the Executor.
public fun withdraw_executor_stake(executor: Executor, clock: &Clock, ctx: &mut TxContext) {
    assert!(executor.account == ctx.sender(), ENotExecutor);
    assert!(executor.unbonding_until_ms != 0 && clock.timestamp_ms() >= executor.unbonding_until_ms, EStakeLocked);
    let executor_object_id = object::id(&executor);
    let Executor { id, cluster_id, account, stake, .. } = executor;
    let amount = stake.value();
    if (amount > 0) transfer::public_transfer(coin::from_balance(stake, ctx), account)
    else stake.destroy_zero();
    id.delete();
    event::emit(ExecutorWithdrawn { cluster_id, executor: account, executor_object_id, amount });
}

/// Discretionary slash by the administrator: at most the cluster's slash
/// penalty per call, logged with the administrator's note.
public fun slash_executor(cap: &AdminCap, cluster: &mut Cluster, executor: &mut Executor, amount: u64, note: String) {
    assert_admin(cap, cluster);
    assert!(executor.cluster_id == object::id(cluster), EWrongCluster);
    assert!(amount <= cluster.config.slash_penalty, ESlashTooLarge);
    assert!(executor.stake.value() >= amount, EInsufficientFunds);
    slash(cluster, executor, amount, SLASH_ADMIN, object::id_from_address(@0x0), note);
}

/// Provable fault, anyone may submit: the executor still holds `request`
/// after its hold time without answering. Takes the slash penalty (or what
/// is left of the stake), once per claimant.
public fun slash_lapsed_claim(cluster: &mut Cluster, executor: &mut Executor, request: &mut Request, clock: &Clock) {
    assert!(executor.cluster_id == object::id(cluster) && request.cluster_id == executor.cluster_id, EWrongCluster);
    assert!(
        request.state == STATE_CLAIMED
            && request.claimant == object::id(executor)
            && clock.timestamp_ms() >= request.hold_deadline_ms
            && !request.lapse_penalised,
        ENoLapse,
    );
    request.lapse_penalised = true;
    let amount = min(cluster.config.slash_penalty, executor.stake.value());
    slash(cluster, executor, amount, SLASH_LAPSE, object::id(request), string::utf8(b"claim outlived its hold time"));
}

/// Provable fault, anyone may submit: two answer intents for the same request
/// with different body digests, both signed with the executor's key. Takes
/// the whole stake and starts unbonding.
public fun slash_equivocation(
    cluster: &mut Cluster,
    executor: &mut Executor,
    intent_a: vector<u8>,
    signature_a: vector<u8>,
    intent_b: vector<u8>,
    signature_b: vector<u8>,
    clock: &Clock,
) {
    assert!(executor.cluster_id == object::id(cluster), EWrongCluster);
    let request_object_id = equivocated_request(executor, &intent_a, &signature_a, &intent_b, &signature_b);
    if (executor.unbonding_until_ms == 0) start_unbonding(cluster, executor, clock.timestamp_ms());
    let amount = executor.stake.value();
    slash(cluster, executor, amount, SLASH_EQUIVOCATION, request_object_id, string::utf8(b"two different signed answers"));
}

// === Requests ===

/// The kubectl entry point. Checks, in order: cluster not paused; token of
/// this cluster, owned by the sender, not revoked, not expired; verb known;
/// fields safe for a URL; RBAC permission (server-side apply also needs
/// create); write stake; payload size and digest; fee. Then shares a Request
/// and emits K8sAPIRequest. Reads the Cluster only, so requests of different
/// users do not contend; a resubmitted signed transaction is not executed
/// twice (Sui's own idempotency), and the object id, not `request_id`,
/// names the request.
public fun execute_kubectl_command_with_id(
    cluster: &Cluster,
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
    impersonate_user: String,
    impersonate_groups: vector<String>,
    payload_chunks: vector<vector<u8>>,
    payload_digest: vector<u8>,
    response_seal_id: vector<u8>,
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
    assert!(
        impersonation_allowed(token, &impersonate_user, &impersonate_groups),
        EImpersonationDenied,
    );
    if (rbac::is_apply(&verb, &content_type)) {
        let create = string::utf8(b"create");
        assert!(token_allows(token, &create, &api_group, &resource, &subresource, &namespace, &name), EApplyNeedsCreate);
    };
    if (rbac::is_write_verb(&verb)) {
        assert!(token.stake.value() >= cluster.config.min_write_stake, EInsufficientStake);
    };
    let payload = body::concat(payload_chunks);
    let payload_size = payload.length();
    assert!(payload_size <= cluster.config.max_payload_bytes, EPayloadTooLarge);
    assert!(body::digest_matches(&payload, &payload_digest), EPayloadDigestMismatch);
    let fee_value = fee.value();
    assert!(fee_value >= cluster.config.request_fee, EFeeTooLow);
    let requester = ctx.sender();
    if (cluster.confidentiality.is_seal()) {
        assert!(
            confidentiality::is_response_id(&response_seal_id, cluster_id, requester),
            EInvalidResponseId,
        );
        // An empty body has nothing to hide; any other must be a ciphertext for this request.
        if (payload_size > 0) {
            let aad = confidentiality::payload_aad(
                cluster_id,
                requester,
                request_id,
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
                impersonate_user,
                impersonate_groups,
            );
            assert_sealed_payload(cluster, &payload, &aad, requester);
        };
    } else {
        assert!(response_seal_id.is_empty(), EInvalidResponseId);
    };

    let uid = object::new(ctx);
    let request_object_id = object::uid_to_inner(&uid);
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
        impersonate_user,
        impersonate_groups,
        payload,
        payload_size,
        payload_digest,
        requester,
        token_id,
        timestamp_ms: now,
        priority,
        fee: fee_value,
        response_seal_id,
    });
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
        impersonate_user,
        impersonate_groups,
        payload_size,
        payload_digest,
        priority,
        fee: fee.into_balance(),
        created_at_ms: now,
        state: STATE_OPEN,
        claimant: object::id_from_address(@0x0),
        lease_expires_at_ms: 0,
        hold_deadline_ms: 0,
        lapse_penalised: false,
        status_code: 0,
        response_size: 0,
        response_segments: 0,
        response_chunks: 0,
        response_digest: zero_digest(),
        answer_tx_digest: zero_digest(),
        answered_at_ms: 0,
        response_seal_id,
    });
}

/// Claims a request for the sender's executor for `claim_lease_ms`, never
/// past the end of its hold time (`max_hold_ms` after it first took the
/// request). An open request, or one whose lease has expired (takeover:
/// partial response segments are discarded, a new hold starts), can be
/// claimed; the current claimant may renew within its hold time.
public fun claim_request(
    cluster: &Cluster,
    executor: &mut Executor,
    request: &mut Request,
    clock: &Clock,
    ctx: &TxContext,
) {
    assert!(request.cluster_id == object::id(cluster), EWrongCluster);
    assert_executor_of(cluster, executor, ctx);
    assert!(executor.unbonding_until_ms == 0, EExecutorUnbonding);
    assert!(executor.stake.value() >= cluster.config.min_executor_stake, EExecutorStakeTooLow);
    assert!(request.state != STATE_ANSWERED, ERequestAnswered);
    let now = clock.timestamp_ms();
    let me = object::id(executor);
    let claimed = request.state == STATE_CLAIMED;
    let mine = claimed && request.claimant == me;
    // A claim after a lapsed lease is a takeover whoever makes it: the lapsed holder (even this
    // executor, restarted) may have run the request, so the new claimant must not assume it did not.
    let takeover = claimed && now >= request.lease_expires_at_ms;
    if (claimed && !mine) assert!(takeover, ELeaseHeld);
    if (mine) {
        // Renewal or re-claim by the same executor: its hold time goes on (no new hold by lapsing).
        assert!(now < request.hold_deadline_ms, EHoldTimeExceeded);
    } else {
        request.claimant = me;
        request.hold_deadline_ms = now + cluster.config.max_hold_ms;
        request.lapse_penalised = false;
    };
    if (takeover || !claimed) {
        request.response_size = 0;
        request.response_segments = 0;
        request.response_chunks = 0;
        request.response_digest = zero_digest();
    };
    request.state = STATE_CLAIMED;
    request.lease_expires_at_ms = min(now + cluster.config.claim_lease_ms, request.hold_deadline_ms);
    if (request.lease_expires_at_ms > executor.lease_horizon_ms) {
        executor.lease_horizon_ms = request.lease_expires_at_ms;
    };
    event::emit(RequestClaimed {
        request_object_id: object::id(request),
        executor: executor.account,
        executor_object_id: me,
        lease_expires_at_ms: request.lease_expires_at_ms,
        hold_deadline_ms: request.hold_deadline_ms,
        takeover,
    });
}

/// Emits one segment of a response that needs more than one transaction and
/// folds it into the request's chained digest.
public fun append_response_chunks(
    cluster: &Cluster,
    executor: &Executor,
    request: &mut Request,
    chunks: vector<vector<u8>>,
    clock: &Clock,
    ctx: &TxContext,
) {
    assert_claimant(cluster, executor, request, clock, ctx);
    let segment = request.response_segments;
    add_segment(cluster, request, &chunks);
    event::emit(K8sAPIResponseChunk {
        request_object_id: object::id(request),
        cluster_id: request.cluster_id,
        executor_object_id: object::id(executor),
        segment,
        chunks,
    });
}

/// Completes the response: folds in the last segment, checks size and
/// digest of the whole body and the executor's ed25519 signature over the
/// answer intent, pays the fee to the executor and emits K8sAPIResponse
/// carrying the last segment.
public fun store_k8s_response(
    cluster: &Cluster,
    executor: &Executor,
    request: &mut Request,
    status_code: u32,
    content_type: String,
    content_encoding: String,
    chunks: vector<vector<u8>>,
    total_size: u64,
    body_digest: vector<u8>,
    segment_tx_digests: vector<vector<u8>>,
    signed_at_ms: u64,
    signature: vector<u8>,
    clock: &Clock,
    ctx: &mut TxContext,
) {
    let last = check_answer(cluster, executor, request, status_code, chunks, total_size, &body_digest, signed_at_ms, clock, ctx);
    let intent = answer_intent(
        request,
        request.response_size,
        request.response_digest,
        status_code,
        content_type,
        content_encoding,
        signed_at_ms,
    );
    assert!(ed25519::ed25519_verify(&signature, &executor.signing_key, &intent), EBadAnswerSignature);
    record_answer(
        executor,
        request,
        status_code,
        content_type,
        content_encoding,
        last,
        body_digest,
        segment_tx_digests,
        signed_at_ms,
        signature,
        clock,
        ctx,
    );
}

/// `store_k8s_response` without the signature check, for Move unit tests of
/// everything else about answers (Move tests cannot sign; the signed path
/// has its own tests with recorded signatures).
#[test_only]
public fun store_k8s_response_unsigned_for_testing(
    cluster: &Cluster,
    executor: &Executor,
    request: &mut Request,
    status_code: u32,
    chunks: vector<vector<u8>>,
    total_size: u64,
    body_digest: vector<u8>,
    clock: &Clock,
    ctx: &mut TxContext,
) {
    let now = clock.timestamp_ms();
    let last = check_answer(cluster, executor, request, status_code, chunks, total_size, &body_digest, now, clock, ctx);
    let json = string::utf8(b"application/json");
    record_answer(executor, request, status_code, json, string::utf8(b""), last, body_digest, vector[], now, vector[], clock, ctx);
}

/// Every check of an answer but its signature; folds in the last segment.
fun check_answer(
    cluster: &Cluster,
    executor: &Executor,
    request: &mut Request,
    status_code: u32,
    chunks: vector<vector<u8>>,
    total_size: u64,
    body_digest: &vector<u8>,
    signed_at_ms: u64,
    clock: &Clock,
    ctx: &TxContext,
): vector<vector<u8>> {
    assert_claimant(cluster, executor, request, clock, ctx);
    assert!(status_code >= 100 && status_code <= 599, EInvalidStatusCode);
    let last = chunks;
    add_segment(cluster, request, &last);
    assert!(request.response_size == total_size, EResponseSizeMismatch);
    assert!(&request.response_digest == body_digest, EResponseDigestMismatch);
    assert!(signed_at_ms >= request.created_at_ms && signed_at_ms <= clock.timestamp_ms(), EInvalidAnswerTime);
    last
}

/// Marks the request answered, pays the fee and emits K8sAPIResponse.
fun record_answer(
    executor: &Executor,
    request: &mut Request,
    status_code: u32,
    content_type: String,
    content_encoding: String,
    last: vector<vector<u8>>,
    body_digest: vector<u8>,
    segment_tx_digests: vector<vector<u8>>,
    signed_at_ms: u64,
    signature: vector<u8>,
    clock: &Clock,
    ctx: &mut TxContext,
) {
    let now = clock.timestamp_ms();
    request.state = STATE_ANSWERED;
    request.status_code = status_code;
    request.answer_tx_digest = *ctx.digest();
    request.answered_at_ms = now;
    let fee_paid = request.fee.value();
    if (fee_paid > 0) {
        transfer::public_transfer(coin::take(&mut request.fee, fee_paid, ctx), executor.account);
    };
    event::emit(K8sAPIResponse {
        request_id: request.request_id,
        request_object_id: object::id(request),
        cluster_id: request.cluster_id,
        executor: executor.account,
        executor_object_id: object::id(executor),
        status_code,
        content_type,
        content_encoding,
        body_size: request.response_size,
        body_digest,
        segments: request.response_segments,
        body: last,
        segment_tx_digests,
        signed_at_ms,
        signature,
        timestamp_ms: now,
        fee_paid,
    });
}

/// Deletes an answered Request (requester only) to reclaim its storage.
public fun close_request(request: Request, ctx: &TxContext) {
    assert!(request.requester == ctx.sender(), ENotRequester);
    assert!(request.state == STATE_ANSWERED, ERequestNotAnswered);
    let Request { id, fee, .. } = request;
    fee.destroy_zero();
    id.delete();
}

/// Withdraws an unanswered Request (requester only): allowed while it is open
/// or once the claimant's lease has expired (at the latest at the end of its
/// hold time), never while an executor holds a valid lease. Refunds the fee
/// and deletes the object.
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

// === Seal policies (key servers simulate these; an abort denies the key) ===

/// A request payload's key: only for the operator (sender) of an active
/// Executor of this cluster holding the minimum stake, and only for payload
/// ids of the cluster's current executor epoch. `id` is the Seal id inside
/// this package's namespace (see the README's Confidentiality section).
entry fun seal_approve_payload(id: vector<u8>, cluster: &Cluster, executor: &Executor, ctx: &TxContext) {
    assert_payload_access(&id, cluster, executor, ctx);
}

/// A response's key: only for the requester named in the response id
/// (sender), on this cluster.
entry fun seal_approve_response(id: vector<u8>, cluster: &Cluster, ctx: &TxContext) {
    assert_response_access(&id, cluster, ctx);
}

/// The checks of `seal_approve_payload` (package-visible for the Move tests).
public(package) fun assert_payload_access(id: &vector<u8>, cluster: &Cluster, executor: &Executor, ctx: &TxContext) {
    let c = &cluster.confidentiality;
    assert!(
        c.is_seal()
            && confidentiality::is_payload_id(id, object::id(cluster), c.executor_epoch())
            && executor.cluster_id == object::id(cluster)
            && executor.account == ctx.sender()
            && executor.unbonding_until_ms == 0
            && executor.stake.value() >= cluster.config.min_executor_stake,
        ESealPayloadDenied,
    );
}

/// The checks of `seal_approve_response`.
public(package) fun assert_response_access(id: &vector<u8>, cluster: &Cluster, ctx: &TxContext) {
    assert!(
        cluster.confidentiality.is_seal()
            && confidentiality::is_response_id(id, object::id(cluster), ctx.sender()),
        ESealResponseDenied,
    );
}

/// The bytes an executor signs to answer `request` with a body of
/// `body_size` bytes and (chained) digest `body_digest` (BCS of
/// AnswerIntent). Public so executors, gateways and auditors build exactly
/// what the contract verifies.
public fun answer_intent(
    request: &Request,
    body_size: u64,
    body_digest: vector<u8>,
    status_code: u32,
    content_type: String,
    content_encoding: String,
    signed_at_ms: u64,
): vector<u8> {
    std::bcs::to_bytes(
        &AnswerIntent {
            domain: ANSWER_DOMAIN,
            cluster_id: request.cluster_id,
            request_object_id: object::id(request),
            body_digest,
            body_size,
            status_code,
            content_type,
            content_encoding,
            signed_at_ms,
            requester: request.requester,
            verb: request.verb,
            api_group: request.api_group,
            version: request.version,
            resource: request.resource,
            subresource: request.subresource,
            namespace: request.namespace,
            name: request.name,
            query: request.query,
            request_content_type: request.content_type,
            accept: request.accept,
            payload_digest: request.payload_digest,
            impersonate_user: request.impersonate_user,
            impersonate_groups: request.impersonate_groups,
        },
    )
}

// === Read accessors (for tests, PTBs and off-chain inspection) ===

public fun cluster_name(cluster: &Cluster): String { cluster.name }

public fun config(cluster: &Cluster): Config { cluster.config }

public fun is_paused(cluster: &Cluster): bool { cluster.paused }

public fun is_revoked(cluster: &Cluster, token_id: ID): bool { cluster.revoked.contains(token_id) }

public fun active_executors(cluster: &Cluster): u64 { cluster.active_executors }

/// none or seal, key servers, threshold and executor epoch (see confidentiality.move).
public fun cluster_confidentiality(cluster: &Cluster): Confidentiality { cluster.confidentiality }

public fun executor_epoch(cluster: &Cluster): u64 { cluster.confidentiality.executor_epoch() }

public fun request_response_seal_id(request: &Request): vector<u8> { request.response_seal_id }

/// The AAD a payload of a request with these fields must carry (BCS of
/// confidentiality::PayloadAad, requester = sender).
public fun payload_aad(
    cluster: &Cluster,
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
    impersonate_user: String,
    impersonate_groups: vector<String>,
    ctx: &TxContext,
): vector<u8> {
    confidentiality::payload_aad(
        object::id(cluster),
        ctx.sender(),
        request_id,
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
        impersonate_user,
        impersonate_groups,
    )
}

/// The AAD the executor encrypts an answer of `request` with (BCS of
/// confidentiality::ResponseAad); the requester checks it after decrypting.
public fun response_aad(request: &Request, status_code: u32, content_type: String, content_encoding: String): vector<u8> {
    confidentiality::response_aad(
        request.cluster_id,
        object::id(request),
        request.requester,
        status_code,
        content_type,
        content_encoding,
    )
}

public fun slashed_value(cluster: &Cluster): u64 { cluster.slashed.value() }

public fun admin_cap_cluster_id(cap: &AdminCap): ID { cap.cluster_id }

public fun min_write_stake(config: &Config): u64 { config.min_write_stake }

public fun min_executor_stake(config: &Config): u64 { config.min_executor_stake }

public fun request_fee(config: &Config): u64 { config.request_fee }

public fun max_payload_bytes(config: &Config): u64 { config.max_payload_bytes }

public fun max_response_bytes(config: &Config): u64 { config.max_response_bytes }

public fun claim_lease_ms(config: &Config): u64 { config.claim_lease_ms }

public fun max_hold_ms(config: &Config): u64 { config.max_hold_ms }

public fun executor_unbonding_ms(config: &Config): u64 { config.executor_unbonding_ms }

public fun stake_cooldown_ms(config: &Config): u64 { config.stake_cooldown_ms }

public fun slash_penalty(config: &Config): u64 { config.slash_penalty }

public fun executor_account(executor: &Executor): address { executor.account }

public fun executor_stake(executor: &Executor): u64 { executor.stake.value() }

public fun executor_signing_key(executor: &Executor): vector<u8> { executor.signing_key }

public fun executor_unbonding_until_ms(executor: &Executor): u64 { executor.unbonding_until_ms }

public fun token_cluster_id(token: &SealToken): ID { token.cluster_id }

public fun token_owner(token: &SealToken): address { token.owner }

public fun token_stake(token: &SealToken): u64 { token.stake.value() }

public fun token_unstaking(token: &SealToken): u64 { token.unstaking.value() }

public fun token_expires_at_ms(token: &SealToken): u64 { token.expires_at_ms }

public fun token_rule_count(token: &SealToken): u64 { token.rules.length() }

public fun request_state(request: &Request): u8 { request.state }

public fun request_requester(request: &Request): address { request.requester }

public fun request_claimant(request: &Request): ID { request.claimant }

public fun request_lease_expires_at_ms(request: &Request): u64 { request.lease_expires_at_ms }

public fun request_hold_deadline_ms(request: &Request): u64 { request.hold_deadline_ms }

public fun request_fee_value(request: &Request): u64 { request.fee.value() }

public fun request_payload_size(request: &Request): u64 { request.payload_size }

public fun request_accept(request: &Request): String { request.accept }

public fun response_status_code(request: &Request): u32 { request.status_code }

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
public fun response_event_body(e: &K8sAPIResponse): vector<vector<u8>> { e.body }

#[test_only]
public fun response_event_segments(e: &K8sAPIResponse): u64 { e.segments }

#[test_only]
public fun chunk_event_chunks(e: &K8sAPIResponseChunk): vector<vector<u8>> { e.chunks }

#[test_only]
public fun registered_event_executor_id(e: &ExecutorRegistered): ID { e.executor_object_id }

#[test_only]
public fun claimed_event_takeover(e: &RequestClaimed): bool { e.takeover }

#[test_only]
public fun slashed_event_fault(e: &ExecutorSlashed): u8 { e.fault }

#[test_only]
public fun slashed_event_amount(e: &ExecutorSlashed): u64 { e.amount }

// === Internal checks ===

fun new_config(
    min_write_stake: u64,
    min_executor_stake: u64,
    request_fee: u64,
    max_payload_bytes: u64,
    max_response_bytes: u64,
    claim_lease_ms: u64,
    max_hold_ms: u64,
    executor_unbonding_ms: u64,
    stake_cooldown_ms: u64,
    slash_penalty: u64,
): Config {
    assert!(max_payload_bytes <= MAX_PAYLOAD_LIMIT, EInvalidConfig);
    assert!(max_response_bytes <= MAX_RESPONSE_LIMIT, EInvalidConfig);
    assert!(claim_lease_ms > 0 && max_hold_ms >= claim_lease_ms, EInvalidConfig);
    Config {
        min_write_stake,
        min_executor_stake,
        request_fee,
        max_payload_bytes,
        max_response_bytes,
        claim_lease_ms,
        max_hold_ms,
        executor_unbonding_ms,
        stake_cooldown_ms,
        slash_penalty,
    }
}

fun assert_admin(cap: &AdminCap, cluster: &Cluster) {
    assert!(cap.cluster_id == object::id(cluster), EWrongAdminCap);
}

/// This package's original id: the namespace of its Seal ids (key servers
/// prefix the id with the first version's package id).
fun package_id(): address { std::type_name::original_id<Cluster>() }

/// A Seal cluster's payload: a whole EncryptedObject of this package for the
/// cluster's key servers and threshold, for a payload id of this cluster's
/// current epoch and of the sender, carrying the request's AAD.
fun assert_sealed_payload(cluster: &Cluster, payload: &vector<u8>, aad: &vector<u8>, requester: address) {
    let header = confidentiality::parse_encrypted_object(payload);
    assert!(header.is_some(), EClearPayload);
    let header = header.destroy_some();
    assert!(header.header_fits(package_id(), &cluster.confidentiality), ESealSettingMismatch);
    let id = header.header_id();
    assert!(
        confidentiality::is_payload_id(&id, object::id(cluster), cluster.confidentiality.executor_epoch())
            && confidentiality::payload_id_requester(&id) == requester,
        EStalePayloadId,
    );
    assert!(header.header_aad() == option::some(*aad), EPayloadAadMismatch);
}

fun assert_executor_of(cluster: &Cluster, executor: &Executor, ctx: &TxContext) {
    assert!(executor.cluster_id == object::id(cluster), EWrongCluster);
    assert!(executor.account == ctx.sender(), ENotExecutor);
}

/// Shared by append_response_chunks and store_k8s_response.
fun assert_claimant(cluster: &Cluster, executor: &Executor, request: &Request, clock: &Clock, ctx: &TxContext) {
    assert!(request.cluster_id == object::id(cluster), EWrongCluster);
    assert_executor_of(cluster, executor, ctx);
    assert!(request.state != STATE_ANSWERED, ERequestAnswered);
    assert!(request.state == STATE_CLAIMED && request.claimant == object::id(executor), ENotClaimant);
    assert!(clock.timestamp_ms() < request.lease_expires_at_ms, ELeaseExpired);
}

/// Folds one segment (its chunks) into the request's running size and
/// chained digest (see body::chain_digest); an answer with no chunk at all
/// counts as one empty chunk, so every body has a digest.
fun add_segment(cluster: &Cluster, request: &mut Request, chunks: &vector<vector<u8>>) {
    if (cluster.confidentiality.is_seal() && request.response_chunks == 0) {
        // The body's first chunk must start with the header of a ciphertext for the request's
        // response id (its digest, which the executor signs, is over the ciphertext).
        assert!(!chunks.is_empty(), EClearResponse);
        let header = confidentiality::parse_encrypted_header(&chunks[0]);
        assert!(header.is_some(), EClearResponse);
        let header = header.destroy_some();
        assert!(header.header_fits(package_id(), &cluster.confidentiality), EClearResponse);
        assert!(header.header_id() == request.response_seal_id, EClearResponse);
    };
    if (chunks.is_empty() && request.response_chunks == 0) {
        request.response_digest = body::chain_digest(&request.response_digest, 0, &vector[]);
    };
    chunks.do_ref!(|chunk| {
        request.response_size = request.response_size + chunk.length();
        request.response_digest = body::chain_digest(&request.response_digest, request.response_chunks, chunk);
        request.response_chunks = request.response_chunks + 1;
    });
    assert!(request.response_size <= cluster.config.max_response_bytes, EResponseTooLarge);
    request.response_segments = request.response_segments + 1;
}

/// Every removal from the executor set goes through here (or through a
/// slash below the minimum stake): the epoch moves on, so the removed
/// executor's Seal keys cover nothing sent afterwards.
fun start_unbonding(cluster: &mut Cluster, executor: &mut Executor, now: u64) {
    executor.unbonding_until_ms = max(now + cluster.config.executor_unbonding_ms, 1);
    cluster.active_executors = cluster.active_executors - 1;
    cluster.confidentiality.bump_epoch();
}

fun slash(cluster: &mut Cluster, executor: &mut Executor, amount: u64, fault: u8, request_object_id: ID, note: String) {
    cluster.slashed.join(executor.stake.split(amount));
    // Slashed below the minimum stake: out of the set that may decrypt.
    if (executor.unbonding_until_ms == 0 && executor.stake.value() < cluster.config.min_executor_stake) {
        cluster.confidentiality.bump_epoch();
    };
    event::emit(ExecutorSlashed {
        cluster_id: executor.cluster_id,
        executor: executor.account,
        executor_object_id: object::id(executor),
        amount,
        fault,
        request_object_id,
        note,
    });
}

/// The request two signed intents disagree about, or ENotEquivocation: both
/// must be answer intents of this executor's cluster for the same request
/// object, with valid signatures by its key and different body digests.
fun equivocated_request(
    executor: &Executor,
    a: &vector<u8>,
    sig_a: &vector<u8>,
    b: &vector<u8>,
    sig_b: &vector<u8>,
): ID {
    assert!(is_answer_intent(a) && is_answer_intent(b), ENotEquivocation);
    let cluster_bytes = executor.cluster_id.to_bytes();
    assert!(slice(a, INTENT_CLUSTER_AT, 32) == cluster_bytes, ENotEquivocation);
    assert!(slice(b, INTENT_CLUSTER_AT, 32) == cluster_bytes, ENotEquivocation);
    let request_bytes = slice(a, INTENT_REQUEST_AT, 32);
    assert!(slice(b, INTENT_REQUEST_AT, 32) == request_bytes, ENotEquivocation);
    assert!(slice(a, INTENT_DIGEST_AT, 32) != slice(b, INTENT_DIGEST_AT, 32), ENotEquivocation);
    assert!(ed25519::ed25519_verify(sig_a, &executor.signing_key, a), ENotEquivocation);
    assert!(ed25519::ed25519_verify(sig_b, &executor.signing_key, b), ENotEquivocation);
    object::id_from_bytes(request_bytes)
}

fun is_answer_intent(intent: &vector<u8>): bool {
    let domain = ANSWER_DOMAIN;
    let n = domain.length();
    intent.length() >= INTENT_PREFIX_BYTES
        && intent[0] == (n as u8)
        && slice(intent, 1, n) == domain
        && intent[INTENT_DIGEST_AT - 1] == 32
}

fun slice(bytes: &vector<u8>, from: u64, len: u64): vector<u8> {
    let mut out = vector[];
    let mut i = from;
    while (i < from + len) {
        out.push_back(bytes[i]);
        i = i + 1;
    };
    out
}

fun zero_digest(): vector<u8> {
    vector::tabulate!(32, |_| 0u8)
}

fun min(a: u64, b: u64): u64 { if (a < b) a else b }

fun max(a: u64, b: u64): u64 { if (a > b) a else b }

fun token_allows(
    token: &SealToken,
    verb: &String,
    api_group: &String,
    resource: &String,
    subresource: &String,
    namespace: &String,
    name: &String,
): bool {
    token.rules.any!(|rule| rbac::rule_allows(
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
    ))
}

/// `kubectl --as <user> --as-group <g>`: the token must allow the verb
/// `impersonate` on `users` named `<user>` and on `groups` named `<g>`
/// (cluster-scoped, core group, as kube-apiserver checks it); groups need a
/// user; names travel in HTTP headers, so they must be printable ASCII.
fun impersonation_allowed(token: &SealToken, user: &String, groups: &vector<String>): bool {
    if (user.is_empty()) return groups.is_empty();
    let impersonate = string::utf8(b"impersonate");
    let (core, none) = (string::utf8(b""), string::utf8(b""));
    rbac::is_safe_query(user)
        && token_allows(token, &impersonate, &core, &string::utf8(b"users"), &none, &none, user)
        && groups.all!(|g| !g.is_empty()
            && rbac::is_safe_query(g)
            && token_allows(token, &impersonate, &core, &string::utf8(b"groups"), &none, &none, g))
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
