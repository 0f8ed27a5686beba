/// Cluster administration, SealTokens and the checks of
/// execute_kubectl_command_with_id.
#[test_only]
module k8s_gateway::cluster_token_tests;

use k8s_gateway::k8s_gateway::{Self as gw, Cluster, AdminCap, SealToken, Request, K8sAPIRequest};
use k8s_gateway::test_helpers::{Self as h, admin, alice, bob};
use std::string::utf8;
use sui::clock::Clock;
use sui::coin::{Self, Coin};
use sui::event;
use sui::sui::SUI;
use sui::test_scenario::{Self as ts, Scenario};

// === Cluster ===

#[test]
fun create_cluster_shares_cluster_and_sends_admin_cap() {
    let (mut sc, clock) = h::start();
    let effects = sc.next_tx(admin());
    assert!(effects.num_user_events() == 1);
    let cluster = sc.take_shared<Cluster>();
    let cap = sc.take_from_sender<AdminCap>();
    assert!(gw::admin_cap_cluster_id(&cap) == object::id(&cluster));
    assert!(gw::cluster_name(&cluster) == utf8(b"prod"));
    let config = gw::config(&cluster);
    assert!(config.min_write_stake() == h::min_write_stake());
    assert!(config.min_executor_stake() == h::min_exec_stake());
    assert!(config.request_fee() == h::fee());
    assert!(config.max_payload_bytes() == h::max_payload());
    assert!(config.max_response_bytes() == h::max_response());
    assert!(config.claim_lease_ms() == h::lease());
    assert!(config.max_hold_ms() == h::max_hold());
    assert!(config.executor_unbonding_ms() == h::unbonding());
    assert!(config.stake_cooldown_ms() == h::cooldown());
    assert!(config.slash_penalty() == h::penalty());
    assert!(!gw::is_paused(&cluster));
    assert!(gw::active_executors(&cluster) == 0);
    sc.return_to_sender(cap);
    ts::return_shared(cluster);
    h::finish(sc, clock);
}

#[test]
fun one_package_serves_two_clusters_with_separate_caps() {
    let (mut sc, clock) = h::start();
    sc.next_tx(admin());
    let first = ts::most_recent_id_shared<Cluster>().destroy_some();
    gw::create_cluster(utf8(b"staging"), 1, 1, 0, 100, 100, 10, 10, 0, 0, 0, 0, vector[], 0, sc.ctx());
    sc.next_tx(admin());
    let second = ts::most_recent_id_shared<Cluster>().destroy_some();
    assert!(first != second);
    let a = sc.take_shared_by_id<Cluster>(first);
    let b = sc.take_shared_by_id<Cluster>(second);
    assert!(gw::cluster_name(&b) == utf8(b"staging"));
    assert!(gw::cluster_name(&a) == utf8(b"prod"));
    ts::return_shared(a);
    ts::return_shared(b);
    h::finish(sc, clock);
}

#[test, expected_failure(abort_code = gw::EInvalidConfig)]
fun create_cluster_rejects_payload_limit_beyond_one_transaction() {
    let mut sc = ts::begin(admin());
    gw::create_cluster(utf8(b"big"), 0, 0, 0, 112_001, 1_000, 1_000, 1_000, 0, 0, 0, 0, vector[], 0, sc.ctx());
    sc.end();
}

#[test, expected_failure(abort_code = gw::EInvalidConfig)]
fun create_cluster_rejects_empty_name() {
    let mut sc = ts::begin(admin());
    gw::create_cluster(utf8(b""), 0, 0, 0, 1_000, 1_000, 1_000, 1_000, 0, 0, 0, 0, vector[], 0, sc.ctx());
    sc.end();
}

#[test]
fun configure_replaces_the_config() {
    let (mut sc, clock) = h::start();
    sc.next_tx(admin());
    let mut cluster = sc.take_shared<Cluster>();
    let cap = sc.take_from_sender<AdminCap>();
    gw::configure(&cap, &mut cluster, 7, 8, 9, 112_000, 240_000, 11, 12, 13, 14, 15);
    let config = gw::config(&cluster);
    assert!(config.min_write_stake() == 7);
    assert!(config.min_executor_stake() == 8);
    assert!(config.request_fee() == 9);
    assert!(config.max_payload_bytes() == 112_000);
    assert!(config.max_response_bytes() == 240_000);
    assert!(config.claim_lease_ms() == 11);
    assert!(config.max_hold_ms() == 12);
    assert!(config.executor_unbonding_ms() == 13);
    assert!(config.stake_cooldown_ms() == 14);
    assert!(config.slash_penalty() == 15);
    sc.return_to_sender(cap);
    ts::return_shared(cluster);
    h::finish(sc, clock);
}

#[test, expected_failure(abort_code = gw::EInvalidConfig)]
fun configure_rejects_response_limit_beyond_object_size() {
    let (mut sc, _clock) = h::start();
    sc.next_tx(admin());
    let mut cluster = sc.take_shared<Cluster>();
    let cap = sc.take_from_sender<AdminCap>();
    gw::configure(&cap, &mut cluster, 0, 0, 0, 1_000, 240_001, 1_000, 1_000, 0, 0, 0);
    abort 0
}

#[test, expected_failure(abort_code = gw::EInvalidConfig)]
fun configure_rejects_zero_lease() {
    let (mut sc, _clock) = h::start();
    sc.next_tx(admin());
    let mut cluster = sc.take_shared<Cluster>();
    let cap = sc.take_from_sender<AdminCap>();
    gw::configure(&cap, &mut cluster, 0, 0, 0, 1_000, 1_000, 0, 1_000, 0, 0, 0);
    abort 0
}

/// The AdminCap of one cluster cannot configure another.
#[test, expected_failure(abort_code = gw::EWrongAdminCap)]
fun configure_with_another_clusters_cap_is_refused() {
    let (mut sc, _clock) = h::start();
    sc.next_tx(bob());
    gw::create_cluster(utf8(b"bobs"), 0, 0, 0, 100, 100, 10, 10, 0, 0, 0, 0, vector[], 0, sc.ctx());
    sc.next_tx(bob());
    let bobs_cap = sc.take_from_sender<AdminCap>();
    let prod_id = first_cluster_id(&sc, &bobs_cap);
    let mut prod = sc.take_shared_by_id<Cluster>(prod_id);
    gw::configure(&bobs_cap, &mut prod, 0, 0, 0, 100, 100, 10, 10, 0, 0, 0);
    abort 0
}

#[test, expected_failure(abort_code = gw::EPaused)]
fun paused_cluster_refuses_requests() {
    let (mut sc, clock) = h::start();
    h::issue(&mut sc, &clock, alice(), h::pod_reader_rules(), 0);
    set_paused(&mut sc, true);
    h::simple(&mut sc, &clock, alice(), b"r1", b"get", b"pods", b"dev", b"web");
    abort 0
}

#[test]
fun unpaused_cluster_accepts_requests_again() {
    let (mut sc, clock) = h::start();
    h::issue(&mut sc, &clock, alice(), h::pod_reader_rules(), 0);
    set_paused(&mut sc, true);
    sc.next_tx(admin());
    let cluster = sc.take_shared<Cluster>();
    assert!(gw::is_paused(&cluster));
    ts::return_shared(cluster);
    set_paused(&mut sc, false);
    h::simple(&mut sc, &clock, alice(), b"r1", b"get", b"pods", b"dev", b"web");
    let request = h::take_request(&sc, b"r1");
    assert!(gw::request_state(&request) == 0);
    ts::return_shared(request);
    h::finish(sc, clock);
}

#[test, expected_failure(abort_code = gw::EWrongAdminCap)]
fun pausing_with_another_clusters_cap_is_refused() {
    let (mut sc, _clock) = h::start();
    sc.next_tx(bob());
    gw::create_cluster(utf8(b"bobs"), 0, 0, 0, 100, 100, 10, 10, 0, 0, 0, 0, vector[], 0, sc.ctx());
    sc.next_tx(bob());
    let bobs_cap = sc.take_from_sender<AdminCap>();
    let prod_id = first_cluster_id(&sc, &bobs_cap);
    let mut prod = sc.take_shared_by_id<Cluster>(prod_id);
    gw::set_paused(&bobs_cap, &mut prod, true);
    abort 0
}

// === SealTokens ===

#[test]
fun issued_token_is_owned_by_the_recipient() {
    let (mut sc, clock) = h::start();
    h::issue(&mut sc, &clock, alice(), h::pod_reader_rules(), h::start_ms() + 60_000);
    let effects = sc.next_tx(alice());
    assert!(effects.num_user_events() == 1);
    let token = sc.take_from_sender<SealToken>();
    let cluster = sc.take_shared<Cluster>();
    assert!(gw::token_owner(&token) == alice());
    assert!(gw::token_cluster_id(&token) == object::id(&cluster));
    assert!(gw::token_stake(&token) == 0);
    assert!(gw::token_expires_at_ms(&token) == h::start_ms() + 60_000);
    assert!(gw::token_rule_count(&token) == 1);
    assert!(!ts::has_most_recent_for_address<SealToken>(bob()));
    sc.return_to_sender(token);
    ts::return_shared(cluster);
    h::finish(sc, clock);
}

#[test, expected_failure(abort_code = gw::EInvalidExpiry)]
fun issuing_an_already_expired_token_is_refused() {
    let (mut sc, clock) = h::start();
    h::issue(&mut sc, &clock, alice(), h::pod_reader_rules(), h::start_ms());
    abort 0
}

#[test, expected_failure(abort_code = gw::EWrongAdminCap)]
fun issuing_with_another_clusters_cap_is_refused() {
    let (mut sc, clock) = h::start();
    sc.next_tx(bob());
    gw::create_cluster(utf8(b"bobs"), 0, 0, 0, 100, 100, 10, 10, 0, 0, 0, 0, vector[], 0, sc.ctx());
    sc.next_tx(bob());
    let bobs_cap = sc.take_from_sender<AdminCap>();
    let prod_id = first_cluster_id(&sc, &bobs_cap);
    let prod = sc.take_shared_by_id<Cluster>(prod_id);
    gw::issue_seal_token(&bobs_cap, &prod, bob(), utf8(b"x"), h::admin_rules(), 0, &clock, sc.ctx());
    abort 0
}

#[test]
fun stake_and_unstake_move_sui_in_and_out_of_the_token() {
    let (mut sc, mut clock) = h::start();
    h::issue(&mut sc, &clock, alice(), h::pod_reader_rules(), 0);
    h::stake(&mut sc, alice(), 500);
    h::stake(&mut sc, alice(), 250);
    sc.next_tx(alice());
    let mut token = sc.take_from_sender<SealToken>();
    assert!(gw::token_stake(&token) == 750);
    let cluster = sc.take_shared<Cluster>();
    gw::unstake_seal_token(&cluster, &mut token, 300, &clock, sc.ctx());
    assert!(gw::token_stake(&token) == 450);
    assert!(gw::token_unstaking(&token) == 300);
    ts::return_shared(cluster);
    sc.return_to_sender(token);
    clock.increment_for_testing(h::cooldown());
    sc.next_tx(alice());
    let mut token = sc.take_from_sender<SealToken>();
    gw::withdraw_unstaked(&mut token, &clock, sc.ctx());
    assert!(gw::token_unstaking(&token) == 0);
    sc.return_to_sender(token);
    sc.next_tx(alice());
    let coin = sc.take_from_sender<Coin<SUI>>();
    assert!(coin.value() == 300);
    coin.burn_for_testing();
    h::finish(sc, clock);
}

#[test, expected_failure(abort_code = gw::EInsufficientFunds)]
fun unstaking_more_than_the_stake_is_refused() {
    let (mut sc, clock) = h::start();
    h::issue(&mut sc, &clock, alice(), h::pod_reader_rules(), 0);
    h::stake(&mut sc, alice(), 50);
    sc.next_tx(alice());
    let mut token = sc.take_from_sender<SealToken>();
    let cluster = sc.take_shared<Cluster>();
    gw::unstake_seal_token(&cluster, &mut token, 51, &clock, sc.ctx());
    abort 0
}

#[test, expected_failure(abort_code = gw::EStakeLocked)]
fun unstaked_sui_cannot_be_withdrawn_before_the_cooldown() {
    let (mut sc, mut clock) = h::start();
    h::issue(&mut sc, &clock, alice(), h::pod_reader_rules(), 0);
    h::stake(&mut sc, alice(), 100);
    unstake(&mut sc, &clock, alice(), 100);
    clock.increment_for_testing(h::cooldown() - 1);
    sc.next_tx(alice());
    let mut token = sc.take_from_sender<SealToken>();
    gw::withdraw_unstaked(&mut token, &clock, sc.ctx());
    abort 0
}

/// The flash-loan attack: stake, write and take the stake back in one
/// transaction. The unstaked part no longer counts, and nothing can be
/// withdrawn before the cooldown, so a loan cannot be repaid in the same PTB.
#[test, expected_failure(abort_code = gw::EStakeLocked)]
fun stake_write_unstake_in_one_transaction_cannot_return_the_stake() {
    let (mut sc, clock) = h::start();
    h::issue(&mut sc, &clock, alice(), h::admin_rules(), 0);
    sc.next_tx(alice());
    let cluster = sc.take_shared<Cluster>();
    let mut token = sc.take_from_sender<SealToken>();
    gw::stake_seal_token(&mut token, coin::mint_for_testing(h::min_write_stake(), sc.ctx()));
    write_pod(&cluster, &token, &clock, &mut sc);
    gw::unstake_seal_token(&cluster, &mut token, h::min_write_stake(), &clock, sc.ctx());
    gw::withdraw_unstaked(&mut token, &clock, sc.ctx());
    abort 0
}

#[test, expected_failure(abort_code = gw::EInsufficientStake)]
fun unstaking_stake_stops_it_counting_for_writes_at_once() {
    let (mut sc, clock) = h::start();
    h::issue(&mut sc, &clock, alice(), h::admin_rules(), 0);
    h::stake(&mut sc, alice(), h::min_write_stake());
    unstake(&mut sc, &clock, alice(), 1);
    h::create_pod(&mut sc, &clock, alice(), b"r1", b"dev");
    abort 0
}

#[test, expected_failure(abort_code = gw::ETokenHoldsStake)]
fun a_token_with_stake_cannot_be_destroyed() {
    let (mut sc, clock) = h::start();
    h::issue(&mut sc, &clock, alice(), h::pod_reader_rules(), 0);
    h::stake(&mut sc, alice(), 123);
    sc.next_tx(alice());
    gw::destroy_seal_token(sc.take_from_sender<SealToken>());
    abort 0
}

#[test]
fun destroying_an_unstaked_token_leaves_no_coin() {
    let (mut sc, clock) = h::start();
    h::issue(&mut sc, &clock, alice(), h::pod_reader_rules(), 0);
    sc.next_tx(alice());
    let token = sc.take_from_sender<SealToken>();
    gw::destroy_seal_token(token);
    sc.next_tx(alice());
    assert!(!ts::has_most_recent_for_sender<Coin<SUI>>(&sc));
    assert!(!ts::has_most_recent_for_sender<SealToken>(&sc));
    h::finish(sc, clock);
}

#[test]
fun revoking_marks_the_token_and_is_idempotent() {
    let (mut sc, clock) = h::start();
    h::issue(&mut sc, &clock, alice(), h::pod_reader_rules(), 0);
    let token_id = token_id_of(&mut sc, alice());
    revoke(&mut sc, token_id);
    revoke(&mut sc, token_id);
    sc.next_tx(admin());
    let cluster = sc.take_shared<Cluster>();
    assert!(gw::is_revoked(&cluster, token_id));
    ts::return_shared(cluster);
    h::finish(sc, clock);
}

#[test, expected_failure(abort_code = gw::EWrongAdminCap)]
fun revoking_with_another_clusters_cap_is_refused() {
    let (mut sc, clock) = h::start();
    h::issue(&mut sc, &clock, alice(), h::pod_reader_rules(), 0);
    let token_id = token_id_of(&mut sc, alice());
    sc.next_tx(bob());
    gw::create_cluster(utf8(b"bobs"), 0, 0, 0, 100, 100, 10, 10, 0, 0, 0, 0, vector[], 0, sc.ctx());
    sc.next_tx(bob());
    let bobs_cap = sc.take_from_sender<AdminCap>();
    let prod_id = first_cluster_id(&sc, &bobs_cap);
    let mut prod = sc.take_shared_by_id<Cluster>(prod_id);
    gw::revoke_seal_token(&bobs_cap, &mut prod, token_id);
    abort 0
}

// === Token checks in execute_kubectl_command_with_id ===

#[test]
fun read_without_stake_creates_a_request_and_an_event() {
    let (mut sc, clock) = h::start();
    h::issue(&mut sc, &clock, alice(), h::pod_reader_rules(), 0);
    sc.next_tx(alice());
    let cluster = sc.take_shared<Cluster>();
    let token = sc.take_from_sender<SealToken>();
    gw::execute_kubectl_command_with_id(
        &cluster,
        &token,
        utf8(b"req-1"),
        utf8(b"get"),
        utf8(b""),
        utf8(b"v1"),
        utf8(b"pods"),
        utf8(b""),
        utf8(b"dev"),
        utf8(b"web"),
        utf8(b"pretty=true"),
        utf8(b""),
        utf8(b"application/json;as=Table;v=v1;g=meta.k8s.io"),
        utf8(b""),
        utf8(b""),
        vector[],
        vector[],
        vector[],
        vector[],
        3,
        coin::mint_for_testing(h::fee() + 5, sc.ctx()),
        &clock,
        sc.ctx(),
    );
    let events = event::events_by_type<K8sAPIRequest>();
    assert!(events.length() == 1);
    let request_object_id = gw::request_event_object_id(&events[0]);
    assert!(gw::request_event_fee(&events[0]) == h::fee() + 5);
    sc.return_to_sender(token);
    ts::return_shared(cluster);

    sc.next_tx(alice());
    let request = sc.take_shared_by_id<Request>(request_object_id);
    assert!(gw::request_state(&request) == 0);
    assert!(gw::request_requester(&request) == alice());
    assert!(gw::request_fee_value(&request) == h::fee() + 5);
    assert!(gw::request_payload_size(&request) == 0);
    assert!(gw::request_accept(&request) == utf8(b"application/json;as=Table;v=v1;g=meta.k8s.io"));
    assert!(gw::request_claimant(&request) == object::id_from_address(@0x0));
    ts::return_shared(request);
    h::finish(sc, clock);
}

#[test, expected_failure(abort_code = gw::EInsufficientStake)]
fun write_with_too_little_stake_is_refused() {
    let (mut sc, clock) = h::start();
    h::issue(&mut sc, &clock, alice(), h::admin_rules(), 0);
    h::stake(&mut sc, alice(), h::min_write_stake() - 1);
    h::create_pod(&mut sc, &clock, alice(), b"w1", b"dev");
    abort 0
}

#[test]
fun write_with_enough_stake_is_accepted_and_carries_the_payload() {
    let (mut sc, clock) = h::start();
    h::issue(&mut sc, &clock, alice(), h::admin_rules(), 0);
    h::stake(&mut sc, alice(), h::min_write_stake());
    h::create_pod(&mut sc, &clock, alice(), b"w1", b"dev");
    sc.next_tx(alice());
    let request = h::take_request(&sc, b"w1");
    assert!(gw::request_payload_size(&request) == 40);
    ts::return_shared(request);
    h::finish(sc, clock);
}

#[test, expected_failure(abort_code = gw::EInsufficientStake)]
fun every_write_verb_needs_stake_delete() {
    let (mut sc, clock) = h::start();
    h::issue(&mut sc, &clock, alice(), h::admin_rules(), 0);
    h::simple(&mut sc, &clock, alice(), b"d1", b"delete", b"pods", b"dev", b"web");
    abort 0
}

#[test, expected_failure(abort_code = gw::EInsufficientStake)]
fun every_write_verb_needs_stake_deletecollection() {
    let (mut sc, clock) = h::start();
    h::issue(&mut sc, &clock, alice(), h::admin_rules(), 0);
    h::simple(&mut sc, &clock, alice(), b"d1", b"deletecollection", b"pods", b"dev", b"");
    abort 0
}

#[test, expected_failure(abort_code = gw::ETokenWrongCluster)]
fun token_of_another_cluster_is_refused() {
    let (mut sc, clock) = h::start();
    h::issue(&mut sc, &clock, alice(), h::admin_rules(), 0);
    sc.next_tx(bob());
    gw::create_cluster(utf8(b"bobs"), 0, 0, 0, 100, 100, 10, 10, 0, 0, 0, 0, vector[], 0, sc.ctx());
    sc.next_tx(alice());
    // The most recent shared Cluster is now Bob's.
    let mut bobs = sc.take_shared<Cluster>();
    assert!(gw::cluster_name(&bobs) == utf8(b"bobs"));
    let token = sc.take_from_sender<SealToken>();
    execute_get(&mut sc, &mut bobs, &token, &clock, b"x1");
    abort 0
}

#[test, expected_failure(abort_code = gw::ETokenExpired)]
fun expired_token_is_refused() {
    let (mut sc, mut clock) = h::start();
    h::issue(&mut sc, &clock, alice(), h::pod_reader_rules(), h::start_ms() + 1_000);
    clock.set_for_testing(h::start_ms() + 1_000);
    h::simple(&mut sc, &clock, alice(), b"r1", b"get", b"pods", b"dev", b"web");
    abort 0
}

#[test]
fun token_works_until_just_before_expiry() {
    let (mut sc, mut clock) = h::start();
    h::issue(&mut sc, &clock, alice(), h::pod_reader_rules(), h::start_ms() + 1_000);
    clock.set_for_testing(h::start_ms() + 999);
    h::simple(&mut sc, &clock, alice(), b"r1", b"get", b"pods", b"dev", b"web");
    h::finish(sc, clock);
}

#[test, expected_failure(abort_code = gw::ETokenRevoked)]
fun revoked_token_is_refused() {
    let (mut sc, clock) = h::start();
    h::issue(&mut sc, &clock, alice(), h::pod_reader_rules(), 0);
    let token_id = token_id_of(&mut sc, alice());
    revoke(&mut sc, token_id);
    h::simple(&mut sc, &clock, alice(), b"r1", b"get", b"pods", b"dev", b"web");
    abort 0
}

/// Knowing a token's object ID is not enough: a transaction of someone else
/// cannot use it (test_scenario lets us try what a real chain forbids).
#[test, expected_failure(abort_code = gw::ETokenNotOwner)]
fun token_presented_by_someone_else_is_refused() {
    let (mut sc, clock) = h::start();
    h::issue(&mut sc, &clock, alice(), h::admin_rules(), 0);
    sc.next_tx(bob());
    let cluster = sc.take_shared<Cluster>();
    let token = sc.take_from_address<SealToken>(alice());
    execute_get(&mut sc, &cluster, &token, &clock, b"stolen");
    abort 0
}

#[test, expected_failure(abort_code = gw::EUnknownVerb)]
fun unknown_verb_is_refused() {
    let (mut sc, clock) = h::start();
    h::issue(&mut sc, &clock, alice(), h::admin_rules(), 0);
    h::simple(&mut sc, &clock, alice(), b"r1", b"escalate", b"pods", b"dev", b"web");
    abort 0
}

#[test, expected_failure(abort_code = gw::EInvalidRequestField)]
fun namespace_with_a_slash_is_refused() {
    let (mut sc, clock) = h::start();
    h::issue(&mut sc, &clock, alice(), h::admin_rules(), 0);
    h::simple(&mut sc, &clock, alice(), b"r1", b"get", b"pods", b"dev/../kube-system", b"web");
    abort 0
}

#[test, expected_failure(abort_code = gw::EInvalidRequestField)]
fun dot_dot_name_is_refused() {
    let (mut sc, clock) = h::start();
    h::issue(&mut sc, &clock, alice(), h::admin_rules(), 0);
    h::simple(&mut sc, &clock, alice(), b"r1", b"get", b"pods", b"dev", b"..");
    abort 0
}

#[test, expected_failure(abort_code = gw::EInvalidRequestField)]
fun empty_request_id_is_refused() {
    let (mut sc, clock) = h::start();
    h::issue(&mut sc, &clock, alice(), h::admin_rules(), 0);
    h::simple(&mut sc, &clock, alice(), b"", b"get", b"pods", b"dev", b"web");
    abort 0
}

#[test, expected_failure(abort_code = gw::EPayloadTooLarge)]
fun payload_over_the_cluster_limit_is_refused() {
    let (mut sc, clock) = h::start();
    h::issue(&mut sc, &clock, alice(), h::admin_rules(), 0);
    h::stake(&mut sc, alice(), h::min_write_stake());
    let body = h::bytes(h::max_payload() + 1, 0x41);
    let digest = std::hash::sha2_256(body);
    h::request(&mut sc, &clock, alice(), b"big", b"create", b"", b"configmaps", b"", b"dev", b"", vector[body], digest, h::fee());
    abort 0
}

#[test, expected_failure(abort_code = gw::EPayloadDigestMismatch)]
fun payload_with_a_wrong_digest_is_refused() {
    let (mut sc, clock) = h::start();
    h::issue(&mut sc, &clock, alice(), h::admin_rules(), 0);
    h::stake(&mut sc, alice(), h::min_write_stake());
    let digest = std::hash::sha2_256(b"something else");
    h::request(&mut sc, &clock, alice(), b"w", b"create", b"", b"configmaps", b"", b"dev", b"", vector[b"{}"], digest, h::fee());
    abort 0
}

#[test]
fun chunked_payload_is_assembled_in_order_and_digest_checked() {
    let (mut sc, clock) = h::start();
    h::issue(&mut sc, &clock, alice(), h::admin_rules(), 0);
    h::stake(&mut sc, alice(), h::min_write_stake());
    let a = h::bytes(300, 0x61);
    let b = h::bytes(300, 0x62);
    let c = b"tail";
    let mut whole = a;
    whole.append(b);
    whole.append(c);
    let digest = std::hash::sha2_256(whole);
    sc.next_tx(alice());
    let cluster = sc.take_shared<Cluster>();
    let token = sc.take_from_sender<SealToken>();
    gw::execute_kubectl_command_with_id(
        &cluster,
        &token,
        utf8(b"chunked"),
        utf8(b"create"),
        utf8(b""),
        utf8(b"v1"),
        utf8(b"configmaps"),
        utf8(b""),
        utf8(b"dev"),
        utf8(b""),
        utf8(b""),
        utf8(b"application/json"),
        utf8(b"application/json"),
        utf8(b""),
        utf8(b""),
        vector[],
        vector[a, b, c],
        digest,
        vector[],
        0,
        coin::mint_for_testing(h::fee(), sc.ctx()),
        &clock,
        sc.ctx(),
    );
    let events = event::events_by_type<K8sAPIRequest>();
    assert!(gw::request_event_payload(&events[0]) == whole);
    sc.return_to_sender(token);
    ts::return_shared(cluster);
    sc.next_tx(alice());
    let request = sc.take_shared_by_id<Request>(gw::request_event_object_id(&events[0]));
    assert!(gw::request_payload_size(&request) == 604);
    ts::return_shared(request);
    h::finish(sc, clock);
}

#[test, expected_failure(abort_code = gw::EFeeTooLow)]
fun fee_below_the_request_fee_is_refused() {
    let (mut sc, clock) = h::start();
    h::issue(&mut sc, &clock, alice(), h::pod_reader_rules(), 0);
    h::request(&mut sc, &clock, alice(), b"r1", b"get", b"", b"pods", b"", b"dev", b"web", vector[], vector[], h::fee() - 1);
    abort 0
}

/// Request ids are labels: another identity reusing one (the squatting
/// attack on watch windows) creates its own request and breaks nobody's.
#[test]
fun a_request_id_used_by_someone_else_does_not_block_mine() {
    let (mut sc, clock) = h::start();
    h::issue(&mut sc, &clock, alice(), h::pod_reader_rules(), 0);
    h::issue(&mut sc, &clock, bob(), h::pod_reader_rules(), 0);
    h::simple(&mut sc, &clock, bob(), b"r1.w1", b"get", b"pods", b"dev", b"web");
    let squatted = h::request_id_of(&sc, b"r1.w1");
    sc.next_tx(alice());
    h::simple(&mut sc, &clock, alice(), b"r1.w1", b"get", b"pods", b"dev", b"web");
    let mine = h::request_id_of(&sc, b"r1.w1");
    assert!(mine != squatted);
    sc.next_tx(alice());
    let request = h::take_request(&sc, b"r1.w1");
    assert!(gw::request_requester(&request) == alice());
    ts::return_shared(request);
    h::finish(sc, clock);
}

// === local helpers ===

fun set_paused(sc: &mut Scenario, paused: bool) {
    sc.next_tx(admin());
    let mut cluster = sc.take_shared<Cluster>();
    let cap = sc.take_from_sender<AdminCap>();
    gw::set_paused(&cap, &mut cluster, paused);
    sc.return_to_sender(cap);
    ts::return_shared(cluster);
}

fun revoke(sc: &mut Scenario, token_id: ID) {
    sc.next_tx(admin());
    let mut cluster = sc.take_shared<Cluster>();
    let cap = sc.take_from_sender<AdminCap>();
    gw::revoke_seal_token(&cap, &mut cluster, token_id);
    sc.return_to_sender(cap);
    ts::return_shared(cluster);
}

fun token_id_of(sc: &mut Scenario, owner: address): ID {
    sc.next_tx(owner);
    ts::most_recent_id_for_address<SealToken>(owner).destroy_some()
}

/// The ID of the "prod" cluster, knowing the ID of the other one's cap.
fun first_cluster_id(sc: &Scenario, other_cap: &AdminCap): ID {
    let ids = ts::ids_for_address<AdminCap>(admin());
    let prod_cap = sc.take_from_address_by_id<AdminCap>(admin(), ids[0]);
    let id = gw::admin_cap_cluster_id(&prod_cap);
    assert!(id != gw::admin_cap_cluster_id(other_cap));
    ts::return_to_address(admin(), prod_cap);
    id
}

fun execute_get(sc: &mut Scenario, cluster: &Cluster, token: &SealToken, clock: &Clock, request_id: vector<u8>) {
    gw::execute_kubectl_command_with_id(
        cluster,
        token,
        utf8(request_id),
        utf8(b"get"),
        utf8(b""),
        utf8(b"v1"),
        utf8(b"pods"),
        utf8(b""),
        utf8(b"dev"),
        utf8(b"web"),
        utf8(b""),
        utf8(b""),
        utf8(b"application/json"),
        utf8(b""),
        utf8(b""),
        vector[],
        vector[],
        vector[],
        vector[],
        0,
        coin::mint_for_testing(h::fee(), sc.ctx()),
        clock,
        sc.ctx(),
    );
}

fun unstake(sc: &mut Scenario, clock: &Clock, user: address, amount: u64) {
    sc.next_tx(user);
    let cluster = sc.take_shared<Cluster>();
    let mut token = sc.take_from_sender<SealToken>();
    gw::unstake_seal_token(&cluster, &mut token, amount, clock, sc.ctx());
    sc.return_to_sender(token);
    ts::return_shared(cluster);
}

fun write_pod(cluster: &Cluster, token: &SealToken, clock: &Clock, sc: &mut Scenario) {
    let body = b"{}";
    gw::execute_kubectl_command_with_id(
        cluster,
        token,
        utf8(b"w"),
        utf8(b"create"),
        utf8(b""),
        utf8(b"v1"),
        utf8(b"pods"),
        utf8(b""),
        utf8(b"dev"),
        utf8(b""),
        utf8(b""),
        utf8(b"application/json"),
        utf8(b"application/json"),
        utf8(b""),
        utf8(b""),
        vector[],
        vector[body],
        std::hash::sha2_256(body),
        vector[],
        0,
        coin::mint_for_testing(h::fee(), sc.ctx()),
        clock,
        sc.ctx(),
    );
}
