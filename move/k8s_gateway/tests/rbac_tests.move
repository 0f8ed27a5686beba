/// RBAC rule matching: direct checks of k8s_gateway::rbac and the same rules
/// enforced through execute_kubectl_command_with_id.
#[test_only]
module k8s_gateway::rbac_tests;

use k8s_gateway::body;
use k8s_gateway::k8s_gateway as gw;
use k8s_gateway::rbac;
use k8s_gateway::test_helpers::{Self as h, alice};
use std::string::{String, utf8};

fun s(b: vector<u8>): String { utf8(b) }

// === rbac, function by function ===

#[test]
fun known_and_write_verbs() {
    let reads = vector[b"get", b"list", b"watch"];
    let writes = vector[b"create", b"update", b"patch", b"delete", b"deletecollection"];
    let mut i = 0;
    while (i < reads.length()) {
        assert!(rbac::is_known_verb(&s(reads[i])));
        assert!(!rbac::is_write_verb(&s(reads[i])));
        i = i + 1;
    };
    i = 0;
    while (i < writes.length()) {
        assert!(rbac::is_known_verb(&s(writes[i])));
        assert!(rbac::is_write_verb(&s(writes[i])));
        i = i + 1;
    };
    assert!(!rbac::is_known_verb(&s(b"GET")));
    assert!(!rbac::is_known_verb(&s(b"*")));
    assert!(!rbac::is_known_verb(&s(b"")));
}

#[test]
fun list_matching_with_and_without_wildcard() {
    let pods = h::strs(vector[b"pods", b"services"]);
    assert!(rbac::list_matches(&pods, &s(b"services")));
    assert!(!rbac::list_matches(&pods, &s(b"secrets")));
    assert!(!rbac::list_matches(&pods, &s(b"pod")));
    assert!(rbac::list_matches(&h::strs(vector[b"*"]), &s(b"anything")));
    assert!(!rbac::list_matches(&vector[], &s(b"pods")));
    // The core group is the empty string and matches only itself or `*`.
    let core = h::strs(vector[b""]);
    assert!(rbac::list_matches(&core, &s(b"")));
    assert!(!rbac::list_matches(&core, &s(b"apps")));
}

#[test]
fun resource_matching_with_subresources() {
    let rules = h::strs(vector[b"pods", b"pods/log", b"*/scale"]);
    assert!(rbac::resource_matches(&rules, &s(b"pods"), &s(b"")));
    assert!(rbac::resource_matches(&rules, &s(b"pods"), &s(b"log")));
    assert!(!rbac::resource_matches(&rules, &s(b"pods"), &s(b"exec")));
    assert!(rbac::resource_matches(&rules, &s(b"deployments"), &s(b"scale")));
    assert!(!rbac::resource_matches(&rules, &s(b"deployments"), &s(b"")));
    // `pods` alone does not grant subresources.
    assert!(!rbac::resource_matches(&h::strs(vector[b"pods"]), &s(b"pods"), &s(b"status")));
    assert!(rbac::resource_matches(&h::strs(vector[b"*"]), &s(b"pods"), &s(b"log")));
    // `*/scale` never matches a request without a subresource.
    assert!(!rbac::resource_matches(&h::strs(vector[b"*/scale"]), &s(b"scale"), &s(b"")));
}

#[test]
fun bare_star_does_not_grant_escalation_sensitive_subresources() {
    let star = h::strs(vector[b"*"]);
    let sensitive = vector[
        vector[b"pods", b"exec"],
        vector[b"pods", b"attach"],
        vector[b"pods", b"portforward"],
        vector[b"pods", b"proxy"],
        vector[b"services", b"proxy"],
        vector[b"nodes", b"proxy"],
        vector[b"serviceaccounts", b"token"],
    ];
    sensitive.do!(|pair| {
        let (r, sub) = (s(pair[0]), s(pair[1]));
        assert!(rbac::is_sensitive_subresource(&r, &sub));
        assert!(!rbac::resource_matches(&star, &r, &sub));
        let mut named = r;
        named.append_utf8(b"/");
        named.append(sub);
        assert!(rbac::resource_matches(&vector[named], &r, &sub));
        let mut any = s(b"*/");
        any.append(sub);
        assert!(rbac::resource_matches(&vector[any], &r, &sub));
    });
    // Other subresources and the resources themselves stay covered by `*`.
    assert!(rbac::resource_matches(&star, &s(b"pods"), &s(b"status")));
    assert!(rbac::resource_matches(&star, &s(b"serviceaccounts"), &s(b"")));
    assert!(!rbac::is_sensitive_subresource(&s(b"deployments"), &s(b"exec")));
}

#[test]
fun resource_name_matching() {
    let names = h::strs(vector[b"web", b"db"]);
    assert!(rbac::name_matches(&vector[], &s(b"anything")));
    assert!(rbac::name_matches(&vector[], &s(b"")));
    assert!(rbac::name_matches(&names, &s(b"db")));
    assert!(!rbac::name_matches(&names, &s(b"cache")));
    // A list or create (no name) is not covered by a resourceNames rule.
    assert!(!rbac::name_matches(&names, &s(b"")));
    assert!(rbac::name_matches(&h::strs(vector[b"*"]), &s(b"")));
}

#[test]
fun safe_segments_and_queries() {
    assert!(rbac::is_safe_segment(&s(b"")));
    assert!(rbac::is_safe_segment(&s(b"networking.k8s.io")));
    assert!(rbac::is_safe_segment(&s(b"system:controller:job-controller")));
    assert!(!rbac::is_safe_segment(&s(b"a/b")));
    assert!(!rbac::is_safe_segment(&s(b".")));
    assert!(!rbac::is_safe_segment(&s(b"..")));
    assert!(!rbac::is_safe_segment(&s(b"a?b")));
    assert!(!rbac::is_safe_segment(&s(b"a%2Fb")));
    assert!(!rbac::is_safe_segment(&s(b"a b")));
    assert!(!rbac::is_safe_segment(&s(b"a#b")));
    assert!(!rbac::is_safe_segment(&s(b"a\\b")));
    assert!(rbac::is_safe_query(&s(b"labelSelector=app%3Dweb&limit=500")));
    assert!(!rbac::is_safe_query(&s(b"a=b#frag")));
    assert!(!rbac::is_safe_query(&s(b"a=b c")));
}

fun deploy_reader_allows(verb: vector<u8>, group: vector<u8>, resource: vector<u8>, namespace: vector<u8>): bool {
    rbac::rule_allows(
        &h::strs(vector[b"get"]),
        &h::strs(vector[b"apps"]),
        &h::strs(vector[b"deployments"]),
        &h::strs(vector[b"dev"]),
        &vector[],
        &s(verb),
        &s(group),
        &s(resource),
        &s(b""),
        &s(namespace),
        &s(b"web"),
    )
}

#[test]
fun rule_needs_every_dimension_to_match() {
    assert!(deploy_reader_allows(b"get", b"apps", b"deployments", b"dev"));
    assert!(!deploy_reader_allows(b"list", b"apps", b"deployments", b"dev"));
    assert!(!deploy_reader_allows(b"get", b"", b"deployments", b"dev"));
    assert!(!deploy_reader_allows(b"get", b"apps", b"replicasets", b"dev"));
    assert!(!deploy_reader_allows(b"get", b"apps", b"deployments", b"prod"));
}

#[test]
fun body_concat_keeps_order_and_digest_matches() {
    assert!(body::concat(vector[]) == vector[]);
    assert!(body::concat(vector[b"abc"]) == b"abc");
    assert!(body::concat(vector[b"ab", b"", b"cd", b"e"]) == b"abcde");
    // Chained digest: the first chunk's is its plain sha2-256, each next one hashes chunk ++ previous.
    let d0 = body::chain_digest(&vector[], 0, &b"12");
    assert!(d0 == std::hash::sha2_256(b"12"));
    let mut joined = b"345";
    joined.append(d0);
    assert!(body::chain_digest(&d0, 1, &b"345") == std::hash::sha2_256(joined));
    assert!(body::digest_matches(&vector[], &vector[]));
    assert!(body::digest_matches(&vector[], &std::hash::sha2_256(vector[])));
    assert!(body::digest_matches(&b"abc", &std::hash::sha2_256(b"abc")));
    assert!(!body::digest_matches(&b"abc", &vector[]));
    assert!(!body::digest_matches(&b"abc", &std::hash::sha2_256(b"abd")));
}

// === The same rules through the contract ===

#[test]
fun wildcard_rule_allows_any_verb_group_resource_and_namespace() {
    let (mut sc, clock) = h::start();
    h::issue(&mut sc, &clock, alice(), h::admin_rules(), 0);
    h::stake(&mut sc, alice(), h::min_write_stake());
    h::simple(&mut sc, &clock, alice(), b"a", b"get", b"pods", b"kube-system", b"coredns");
    h::simple(&mut sc, &clock, alice(), b"b", b"list", b"nodes", b"", b"");
    h::simple(&mut sc, &clock, alice(), b"c", b"delete", b"namespaces", b"", b"dev");
    h::request(&mut sc, &clock, alice(), b"d", b"patch", b"apps", b"deployments", b"scale", b"dev", b"web", vector[], vector[], h::fee());
    h::finish(sc, clock);
}

#[test]
fun namespace_scoped_rule_allows_its_namespace() {
    let (mut sc, clock) = h::start();
    h::issue(&mut sc, &clock, alice(), h::pod_reader_rules(), 0);
    h::simple(&mut sc, &clock, alice(), b"a", b"get", b"pods", b"dev", b"web");
    h::simple(&mut sc, &clock, alice(), b"b", b"list", b"pods", b"dev", b"");
    h::simple(&mut sc, &clock, alice(), b"c", b"watch", b"pods", b"dev", b"");
    h::finish(sc, clock);
}

#[test, expected_failure(abort_code = gw::EPermissionDenied)]
fun namespace_scoped_rule_denies_another_namespace() {
    let (mut sc, clock) = h::start();
    h::issue(&mut sc, &clock, alice(), h::pod_reader_rules(), 0);
    h::simple(&mut sc, &clock, alice(), b"a", b"get", b"pods", b"prod", b"web");
    abort 0
}

/// `kubectl get pods -A` is a cluster-wide list (namespace ""): a rule scoped
/// to `dev` must not allow it.
#[test, expected_failure(abort_code = gw::EPermissionDenied)]
fun namespace_scoped_rule_denies_all_namespace_list() {
    let (mut sc, clock) = h::start();
    h::issue(&mut sc, &clock, alice(), h::pod_reader_rules(), 0);
    h::simple(&mut sc, &clock, alice(), b"a", b"list", b"pods", b"", b"");
    abort 0
}

#[test, expected_failure(abort_code = gw::EPermissionDenied)]
fun read_rule_denies_a_write_verb() {
    let (mut sc, clock) = h::start();
    h::issue(&mut sc, &clock, alice(), h::pod_reader_rules(), 0);
    h::stake(&mut sc, alice(), h::min_write_stake());
    h::create_pod(&mut sc, &clock, alice(), b"a", b"dev");
    abort 0
}

#[test]
fun cluster_scoped_rule_allows_nodes_only() {
    let (mut sc, clock) = h::start();
    let rules = vector[h::rule(vector[b"get", b"list"], vector[b""], vector[b"nodes"], vector[b""], vector[])];
    h::issue(&mut sc, &clock, alice(), rules, 0);
    h::simple(&mut sc, &clock, alice(), b"a", b"list", b"nodes", b"", b"");
    h::simple(&mut sc, &clock, alice(), b"b", b"get", b"nodes", b"", b"node-1");
    h::finish(sc, clock);
}

#[test, expected_failure(abort_code = gw::EPermissionDenied)]
fun cluster_scoped_rule_denies_namespaced_requests() {
    let (mut sc, clock) = h::start();
    let rules = vector[h::rule(vector[b"get", b"list"], vector[b""], vector[b"nodes"], vector[b""], vector[])];
    h::issue(&mut sc, &clock, alice(), rules, 0);
    h::simple(&mut sc, &clock, alice(), b"a", b"list", b"nodes", b"dev", b"");
    abort 0
}

#[test]
fun subresource_rule_allows_logs() {
    let (mut sc, clock) = h::start();
    let rules = vector[h::rule(vector[b"get"], vector[b""], vector[b"pods/log"], vector[b"dev"], vector[])];
    h::issue(&mut sc, &clock, alice(), rules, 0);
    h::request(&mut sc, &clock, alice(), b"a", b"get", b"", b"pods", b"log", b"dev", b"web", vector[], vector[], h::fee());
    h::finish(sc, clock);
}

#[test, expected_failure(abort_code = gw::EPermissionDenied)]
fun subresource_rule_does_not_grant_the_parent_resource() {
    let (mut sc, clock) = h::start();
    let rules = vector[h::rule(vector[b"get"], vector[b""], vector[b"pods/log"], vector[b"dev"], vector[])];
    h::issue(&mut sc, &clock, alice(), rules, 0);
    h::simple(&mut sc, &clock, alice(), b"a", b"get", b"pods", b"dev", b"web");
    abort 0
}

#[test, expected_failure(abort_code = gw::EPermissionDenied)]
fun resource_names_rule_denies_other_names() {
    let (mut sc, clock) = h::start();
    let rules = vector[h::rule(vector[b"get"], vector[b""], vector[b"configmaps"], vector[b"*"], vector[b"app-config"])];
    h::issue(&mut sc, &clock, alice(), rules, 0);
    h::simple(&mut sc, &clock, alice(), b"a", b"get", b"configmaps", b"dev", b"app-config");
    h::simple(&mut sc, &clock, alice(), b"b", b"get", b"configmaps", b"dev", b"other-config");
    abort 0
}

#[test, expected_failure(abort_code = gw::EPermissionDenied)]
fun token_without_rules_grants_nothing() {
    let (mut sc, clock) = h::start();
    h::issue(&mut sc, &clock, alice(), vector[], 0);
    h::simple(&mut sc, &clock, alice(), b"a", b"get", b"pods", b"dev", b"web");
    abort 0
}

#[test]
fun any_of_several_rules_may_grant() {
    let (mut sc, clock) = h::start();
    let rules = vector[
        h::rule(vector[b"get"], vector[b""], vector[b"pods"], vector[b"dev"], vector[]),
        h::rule(vector[b"list"], vector[b"apps"], vector[b"deployments"], vector[b"prod"], vector[]),
    ];
    h::issue(&mut sc, &clock, alice(), rules, 0);
    h::simple(&mut sc, &clock, alice(), b"a", b"get", b"pods", b"dev", b"web");
    h::request(&mut sc, &clock, alice(), b"b", b"list", b"apps", b"deployments", b"", b"prod", b"", vector[], vector[], h::fee());
    h::finish(sc, clock);
}

// === Server-side apply ===

/// The create-by-apply attack: a token that may only patch ConfigMaps
/// creates a new one with server-side apply.
#[test, expected_failure(abort_code = gw::EApplyNeedsCreate)]
fun server_side_apply_without_create_is_refused() {
    let (mut sc, clock) = h::start();
    let patch_only = vector[h::rule(vector[b"patch"], vector[b""], vector[b"configmaps"], vector[b"dev"], vector[])];
    h::issue(&mut sc, &clock, alice(), patch_only, 0);
    h::stake(&mut sc, alice(), h::min_write_stake());
    h::apply(&mut sc, &clock, alice(), b"r1", b"configmaps", b"dev", b"new-one");
    abort 0
}

#[test]
fun server_side_apply_with_create_and_patch_is_accepted() {
    let (mut sc, clock) = h::start();
    let rules = vector[h::rule(vector[b"patch", b"create"], vector[b""], vector[b"configmaps"], vector[b"dev"], vector[])];
    h::issue(&mut sc, &clock, alice(), rules, 0);
    h::stake(&mut sc, alice(), h::min_write_stake());
    h::apply(&mut sc, &clock, alice(), b"r1", b"configmaps", b"dev", b"new-one");
    h::finish(sc, clock);
}

#[test]
fun a_merge_patch_needs_only_patch() {
    let (mut sc, clock) = h::start();
    let patch_only = vector[h::rule(vector[b"patch"], vector[b""], vector[b"configmaps"], vector[b"dev"], vector[])];
    h::issue(&mut sc, &clock, alice(), patch_only, 0);
    h::stake(&mut sc, alice(), h::min_write_stake());
    let body = b"{}";
    h::typed_request(&mut sc, &clock, alice(), b"r1", b"patch", b"", b"configmaps", b"", b"dev", b"old", b"application/merge-patch+json", vector[body], std::hash::sha2_256(body), h::fee());
    h::finish(sc, clock);
}

// === Impersonation (kubectl --as / --as-group) ===

fun impersonator_rules(): vector<gw::Rule> {
    vector[
        h::rule(vector[b"get"], vector[b""], vector[b"pods"], vector[b"dev"], vector[]),
        h::rule(vector[b"impersonate"], vector[b""], vector[b"users"], vector[b""], vector[b"bob"]),
        h::rule(vector[b"impersonate"], vector[b""], vector[b"groups"], vector[b""], vector[b"devs"]),
    ]
}

#[test]
fun impersonating_a_granted_user_and_group_is_accepted() {
    let (mut sc, clock) = h::start();
    h::issue(&mut sc, &clock, alice(), impersonator_rules(), 0);
    h::get_as(&mut sc, &clock, alice(), b"r1", b"dev", b"web", b"bob", vector[b"devs"]);
    h::finish(sc, clock);
}

/// The --as attack: acting as a user the token was never granted.
#[test, expected_failure(abort_code = gw::EImpersonationDenied)]
fun impersonating_another_user_is_refused() {
    let (mut sc, clock) = h::start();
    h::issue(&mut sc, &clock, alice(), impersonator_rules(), 0);
    h::get_as(&mut sc, &clock, alice(), b"r1", b"dev", b"web", b"system:admin", vector[]);
    abort 0
}

#[test, expected_failure(abort_code = gw::EImpersonationDenied)]
fun impersonating_an_ungranted_group_is_refused() {
    let (mut sc, clock) = h::start();
    h::issue(&mut sc, &clock, alice(), impersonator_rules(), 0);
    h::get_as(&mut sc, &clock, alice(), b"r1", b"dev", b"web", b"bob", vector[b"system:masters"]);
    abort 0
}

#[test, expected_failure(abort_code = gw::EImpersonationDenied)]
fun groups_without_a_user_are_refused() {
    let (mut sc, clock) = h::start();
    h::issue(&mut sc, &clock, alice(), impersonator_rules(), 0);
    h::get_as(&mut sc, &clock, alice(), b"r1", b"dev", b"web", b"", vector[b"devs"]);
    abort 0
}

#[test, expected_failure(abort_code = gw::EImpersonationDenied)]
fun a_token_without_impersonate_cannot_act_as_anyone() {
    let (mut sc, clock) = h::start();
    h::issue(&mut sc, &clock, alice(), h::pod_reader_rules(), 0);
    h::get_as(&mut sc, &clock, alice(), b"r1", b"dev", b"web", b"bob", vector[]);
    abort 0
}

#[test, expected_failure(abort_code = gw::EImpersonationDenied)]
fun a_header_breaking_name_is_refused() {
    let (mut sc, clock) = h::start();
    let rules = vector[
        h::rule(vector[b"get"], vector[b""], vector[b"pods"], vector[b"dev"], vector[]),
        h::rule(vector[b"impersonate"], vector[b""], vector[b"users"], vector[b""], vector[]),
    ];
    h::issue(&mut sc, &clock, alice(), rules, 0);
    h::get_as(&mut sc, &clock, alice(), b"r1", b"dev", b"web", b"bob\r\nImpersonate-Group: system:masters", vector[]);
    abort 0
}
