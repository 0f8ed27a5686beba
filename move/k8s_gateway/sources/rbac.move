/// Kubernetes RBAC rule matching over the structured request, following the
/// semantics of the Kubernetes RBAC authorizer:
/// - `*` in any list matches everything;
/// - the core API group is the empty string;
/// - resources are `pods`, `pods/log` (resource/subresource), `*/scale` (any
///   resource's `scale` subresource) or `*`; a bare `*` does not cover the
///   escalation-sensitive subresources (`pods/exec`, `pods/attach`,
///   `pods/portforward`, `pods/proxy`, `services/proxy`, `nodes/proxy`,
///   `serviceaccounts/token`): a rule must name them (`pods/exec`, `*/exec`);
/// - namespaces hold namespace names; `*` matches every namespace AND
///   cluster-scoped requests; `""` matches cluster-scoped (or all-namespace)
///   requests only;
/// - an empty resource-name list matches any name; a non-empty one matches
///   only requests that carry one of those names.
module k8s_gateway::rbac;

use std::string::String;

/// The verbs a request may carry (Kubernetes API verbs for resource requests).
public fun is_known_verb(verb: &String): bool {
    let v = *verb.as_bytes();
    v == b"get" || v == b"list" || v == b"watch" || is_write_verb(verb)
}

/// Verbs that change cluster state; they require the minimum write stake.
public fun is_write_verb(verb: &String): bool {
    let v = *verb.as_bytes();
    v == b"create" || v == b"update" || v == b"patch" || v == b"delete" || v == b"deletecollection"
}

/// Server-side apply: a patch that creates the object when it is missing.
public fun is_apply(verb: &String, content_type: &String): bool {
    verb.as_bytes() == &b"patch" && content_type.as_bytes() == &b"application/apply-patch+yaml"
}

/// True when `list` holds `*` or exactly `value`.
public fun list_matches(list: &vector<String>, value: &String): bool {
    let mut i = 0;
    let n = list.length();
    while (i < n) {
        let item = &list[i];
        if (item.as_bytes() == &b"*" || item == value) return true;
        i = i + 1;
    };
    false
}

/// Subresources that let a caller run code in, tunnel into, or mint
/// credentials for what it can otherwise only read: never granted by a bare
/// `*` resource rule.
public fun is_sensitive_subresource(resource: &String, subresource: &String): bool {
    let r = *resource.as_bytes();
    let s = *subresource.as_bytes();
    (r == b"pods" && (s == b"exec" || s == b"attach" || s == b"portforward" || s == b"proxy"))
        || ((r == b"services" || r == b"nodes") && s == b"proxy")
        || (r == b"serviceaccounts" && s == b"token")
}

/// Resource match including subresources (`pods/log`, `*/scale`, `*`).
public fun resource_matches(list: &vector<String>, resource: &String, subresource: &String): bool {
    let star_covers = !is_sensitive_subresource(resource, subresource);
    let mut combined = *resource;
    let mut any_with_sub = std::string::utf8(b"*/");
    if (!subresource.is_empty()) {
        combined.append_utf8(b"/");
        combined.append(*subresource);
        any_with_sub.append(*subresource);
    };
    let mut i = 0;
    let n = list.length();
    while (i < n) {
        let item = &list[i];
        if ((star_covers && item.as_bytes() == &b"*") || item == &combined) return true;
        if (!subresource.is_empty() && item == &any_with_sub) return true;
        i = i + 1;
    };
    false
}

/// Resource-name match: an empty list allows any name; otherwise the request
/// must name one of the listed objects (or the list holds `*`).
public fun name_matches(list: &vector<String>, name: &String): bool {
    if (list.is_empty()) return true;
    if (name.is_empty()) return list_matches(list, &std::string::utf8(b"*"));
    list_matches(list, name)
}

/// One rule against one structured request.
public fun rule_allows(
    verbs: &vector<String>,
    api_groups: &vector<String>,
    resources: &vector<String>,
    namespaces: &vector<String>,
    resource_names: &vector<String>,
    verb: &String,
    api_group: &String,
    resource: &String,
    subresource: &String,
    namespace: &String,
    name: &String,
): bool {
    list_matches(verbs, verb)
        && list_matches(api_groups, api_group)
        && resource_matches(resources, resource, subresource)
        && list_matches(namespaces, namespace)
        && name_matches(resource_names, name)
}

/// A URL path segment the executor can splice into a Kubernetes API path
/// without changing its meaning: printable ASCII without `/ ? # % \`, and
/// neither `.` nor `..`. Empty is allowed (the caller decides if it may be).
public fun is_safe_segment(s: &String): bool {
    let b = s.as_bytes();
    if (b == &b"." || b == &b"..") return false;
    let mut i = 0;
    let n = b.length();
    while (i < n) {
        let c = b[i];
        if (c <= 0x20 || c >= 0x7f) return false;
        if (c == 0x2f || c == 0x3f || c == 0x23 || c == 0x25 || c == 0x5c) return false;
        i = i + 1;
    };
    true
}

/// A query string (without the leading `?`): printable ASCII without `#`.
public fun is_safe_query(s: &String): bool {
    let b = s.as_bytes();
    let mut i = 0;
    let n = b.length();
    while (i < n) {
        let c = b[i];
        if (c <= 0x20 || c >= 0x7f || c == 0x23) return false;
        i = i + 1;
    };
    true
}
