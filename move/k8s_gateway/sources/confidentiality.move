/// Confidentiality with Seal (issue #17): the cluster's setting (mode, key
/// servers, threshold, executor-set epoch), the layout of the Seal ids the
/// policies in `k8s_gateway` accept, the associated data (AAD) that binds a
/// ciphertext to one request's header, and a reader of Seal's
/// `EncryptedObject` header (layout of @mysten/seal 1.4.12, `src/bcs.ts`).
///
/// Pure byte logic only: nothing here aborts (checks return bools or
/// options), so every refusal is an abort of `k8s_gateway` with its
/// Kubernetes status. The README's "Confidentiality" section is the
/// reference for the layouts.
module k8s_gateway::confidentiality;

use std::string::String;

/// `confidentiality: none`: payloads and responses travel in clear.
const MODE_NONE: u8 = 0;
/// `confidentiality: seal`: payloads and responses are Seal ciphertexts.
const MODE_SEAL: u8 = 1;
/// Key servers a cluster may name (bounds the ciphertext header, which must
/// fit in the first 16,000-byte response chunk).
const MAX_KEY_SERVERS: u64 = 16;

/// First byte of a Seal id (inside the package namespace).
const KIND_PAYLOAD: u8 = 1;
const KIND_RESPONSE: u8 = 2;
/// The session nonce at the end of an id: 16 to 32 bytes.
const NONCE_MIN: u64 = 16;
const NONCE_MAX: u64 = 32;
/// kind 1 + cluster 32 + epoch 8 + requester 32 + nonce length 1.
const PAYLOAD_ID_PREFIX: u64 = 74;
/// kind 1 + cluster 32 + requester 32 + nonce length 1.
const RESPONSE_ID_PREFIX: u64 = 66;

const PAYLOAD_AAD_DOMAIN: vector<u8> = b"k3s-daas/payload-aad/v1";
const RESPONSE_AAD_DOMAIN: vector<u8> = b"k3s-daas/response-aad/v1";

/// EncryptedObject.version the SDK writes.
const SEAL_VERSION: u8 = 0;
/// IBEEncryptions::BonehFranklinBLS12381: nonce (G2, 96 B), shares of 32 B, randomness 32 B.
const IBE_NONCE_BYTES: u64 = 96;
const IBE_SHARE_BYTES: u64 = 32;
/// Ciphertext variants: 0 Aes256Gcm { blob, aad }, 1 Hmac256Ctr { blob, aad, mac[32] }, 2 Plain.
const DEM_AES_GCM: u8 = 0;
const DEM_HMAC_CTR: u8 = 1;

/// Stored in every Cluster (last field): who may decrypt what, and which
/// key servers and threshold every party uses.
public struct Confidentiality has store, copy, drop {
    /// 0 none, 1 seal.
    mode: u8,
    /// Seal key-server object ids (KeyServer objects of the seal package).
    key_servers: vector<ID>,
    /// Shares needed to decrypt (0 when mode is none).
    threshold: u8,
    /// Bumped whenever an executor leaves the set that may decrypt
    /// (deregistered, removed, slashed below the minimum stake, minimum
    /// raised); payload ids carry it and the policy accepts only the current one.
    executor_epoch: u64,
}

/// The AAD of a request payload: BCS of this struct. Every header field the
/// contract checks and the executor acts on, so a ciphertext is valid only
/// in a request with exactly this header, by this requester, on this cluster.
public struct PayloadAad has copy, drop {
    domain: vector<u8>,
    cluster_id: ID,
    requester: address,
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
}

/// The AAD of a response body (checked by the requester after decryption):
/// binds it to one request object and the answer's status and representation.
public struct ResponseAad has copy, drop {
    domain: vector<u8>,
    cluster_id: ID,
    request_object_id: ID,
    requester: address,
    status_code: u32,
    content_type: String,
    content_encoding: String,
}

/// What the contract reads of a Seal EncryptedObject.
public struct SealHeader has copy, drop {
    package_id: address,
    id: vector<u8>,
    /// Key-server object ids, in the ciphertext's order (repeats = weights).
    services: vector<address>,
    threshold: u8,
    /// The AAD (Some for a full object the SDK wrote; None for a header read only).
    aad: Option<vector<u8>>,
}

// === Setting ===

public fun mode_none(): u8 { MODE_NONE }

public fun mode_seal(): u8 { MODE_SEAL }

public fun max_key_servers(): u64 { MAX_KEY_SERVERS }

/// none: no key servers and threshold 0; seal: 1..=16 distinct key servers
/// and 1 ≤ threshold ≤ their number.
public fun is_valid_setting(mode: u8, key_servers: &vector<ID>, threshold: u8): bool {
    if (mode == MODE_NONE) return key_servers.is_empty() && threshold == 0;
    if (mode != MODE_SEAL) return false;
    let n = key_servers.length();
    if (n == 0 || n > MAX_KEY_SERVERS || threshold == 0 || (threshold as u64) > n) return false;
    let mut i = 0;
    while (i < n) {
        let mut j = i + 1;
        while (j < n) {
            if (key_servers[i] == key_servers[j]) return false;
            j = j + 1;
        };
        i = i + 1;
    };
    true
}

/// Assumes `is_valid_setting`.
public(package) fun new(mode: u8, key_servers: vector<ID>, threshold: u8): Confidentiality {
    Confidentiality { mode, key_servers, threshold, executor_epoch: 0 }
}

/// Assumes a Seal setting and `is_valid_setting`; keeps the epoch.
public(package) fun set_key_servers(self: &mut Confidentiality, key_servers: vector<ID>, threshold: u8) {
    self.key_servers = key_servers;
    self.threshold = threshold;
}

public(package) fun bump_epoch(self: &mut Confidentiality) {
    self.executor_epoch = self.executor_epoch + 1;
}

public fun mode(self: &Confidentiality): u8 { self.mode }

public fun is_seal(self: &Confidentiality): bool { self.mode == MODE_SEAL }

public fun key_servers(self: &Confidentiality): vector<ID> { self.key_servers }

public fun threshold(self: &Confidentiality): u8 { self.threshold }

public fun executor_epoch(self: &Confidentiality): u64 { self.executor_epoch }

// === Seal ids ===

/// `[1][cluster 32][epoch u64 LE][requester 32][nonce len][nonce]` (BCS of
/// (u8, ID, u64, address, vector<u8>)).
public fun payload_id(cluster_id: ID, epoch: u64, requester: address, nonce: vector<u8>): vector<u8> {
    let mut out = vector[KIND_PAYLOAD];
    out.append(cluster_id.to_bytes());
    out.append(std::bcs::to_bytes(&epoch));
    out.append(std::bcs::to_bytes(&requester));
    out.append(std::bcs::to_bytes(&nonce));
    out
}

/// `[2][cluster 32][requester 32][nonce len][nonce]`.
public fun response_id(cluster_id: ID, requester: address, nonce: vector<u8>): vector<u8> {
    let mut out = vector[KIND_RESPONSE];
    out.append(cluster_id.to_bytes());
    out.append(std::bcs::to_bytes(&requester));
    out.append(std::bcs::to_bytes(&nonce));
    out
}

/// A well-formed payload id of `cluster_id` at `epoch` (any requester).
public fun is_payload_id(id: &vector<u8>, cluster_id: ID, epoch: u64): bool {
    well_formed(id, KIND_PAYLOAD, PAYLOAD_ID_PREFIX)
        && slice(id, 1, 32) == cluster_id.to_bytes()
        && read_u64(id, 33) == epoch
}

/// The requester bytes of a well-formed payload id.
public fun payload_id_requester(id: &vector<u8>): address {
    sui::address::from_bytes(slice(id, 41, 32))
}

/// A well-formed response id of `cluster_id` for `requester`.
public fun is_response_id(id: &vector<u8>, cluster_id: ID, requester: address): bool {
    well_formed(id, KIND_RESPONSE, RESPONSE_ID_PREFIX)
        && slice(id, 1, 32) == cluster_id.to_bytes()
        && slice(id, 33, 32) == std::bcs::to_bytes(&requester)
}

fun well_formed(id: &vector<u8>, kind: u8, prefix: u64): bool {
    if (id.length() < prefix || id[0] != kind) return false;
    let nonce_len = id[prefix - 1] as u64;
    nonce_len >= NONCE_MIN && nonce_len <= NONCE_MAX && id.length() == prefix + nonce_len
}

// === AAD ===

public fun payload_aad(
    cluster_id: ID,
    requester: address,
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
): vector<u8> {
    std::bcs::to_bytes(
        &PayloadAad {
            domain: PAYLOAD_AAD_DOMAIN,
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
        },
    )
}

public fun response_aad(
    cluster_id: ID,
    request_object_id: ID,
    requester: address,
    status_code: u32,
    content_type: String,
    content_encoding: String,
): vector<u8> {
    std::bcs::to_bytes(
        &ResponseAad {
            domain: RESPONSE_AAD_DOMAIN,
            cluster_id,
            request_object_id,
            requester,
            status_code,
            content_type,
            content_encoding,
        },
    )
}

// === EncryptedObject ===

/// The whole object: version 0, a BonehFranklinBLS12381 share per service,
/// an Aes256Gcm or Hmac256Ctr ciphertext with its AAD, and nothing after it.
/// None for anything else (clear bytes, Plain, truncated, trailing bytes).
public fun parse_encrypted_object(bytes: &vector<u8>): Option<SealHeader> {
    let (mut header, mut pos) = read_header(bytes);
    if (pos == 0) return option::none();
    let h = header.borrow_mut();
    let n = bytes.length();
    // encryptedShares: enum variant 0, nonce, one 32-byte share per service, randomness.
    if (pos >= n || bytes[pos] != 0) return option::none();
    pos = pos + 1 + IBE_NONCE_BYTES;
    let (shares, at) = read_uleb(bytes, pos);
    if (at == 0 || shares != h.services.length()) return option::none();
    pos = at + shares * IBE_SHARE_BYTES + 32;
    // ciphertext: variant, blob, aad option (, mac).
    if (pos >= n) return option::none();
    let dem = bytes[pos];
    if (dem != DEM_AES_GCM && dem != DEM_HMAC_CTR) return option::none();
    let (blob, at) = read_uleb(bytes, pos + 1);
    if (at == 0) return option::none();
    pos = at + blob;
    if (pos >= n || bytes[pos] != 1) return option::none();
    let (aad_len, at) = read_uleb(bytes, pos + 1);
    if (at == 0 || at + aad_len > n) return option::none();
    h.aad = option::some(slice(bytes, at, aad_len));
    pos = at + aad_len;
    if (dem == DEM_HMAC_CTR) pos = pos + 32;
    if (pos != n) return option::none();
    header
}

/// Only the header (version, package, id, services, threshold) from the
/// start of `bytes`: for a response's first chunk, which may hold only the
/// beginning of the object. `aad` is None.
public fun parse_encrypted_header(bytes: &vector<u8>): Option<SealHeader> {
    let (header, pos) = read_header(bytes);
    if (pos == 0) option::none() else header
}

/// Ciphertext of this package for this setting: package id, threshold equal
/// to the cluster's, at least `threshold` services, every one a key server
/// of the cluster.
public fun header_fits(h: &SealHeader, package_id: address, setting: &Confidentiality): bool {
    let servers = setting.key_servers.map_ref!(|s| s.to_address());
    h.package_id == package_id
        && h.threshold == setting.threshold
        && h.services.length() >= (setting.threshold as u64)
        && h.services.all!(|s| servers.contains(s))
}

public fun header_id(h: &SealHeader): vector<u8> { h.id }

public fun header_aad(h: &SealHeader): Option<vector<u8>> { h.aad }

public fun header_package_id(h: &SealHeader): address { h.package_id }

public fun header_services(h: &SealHeader): vector<address> { h.services }

public fun header_threshold(h: &SealHeader): u8 { h.threshold }

/// (header, position after threshold) or (none, 0).
fun read_header(bytes: &vector<u8>): (Option<SealHeader>, u64) {
    let n = bytes.length();
    if (n < 34 || bytes[0] != SEAL_VERSION) return (option::none(), 0);
    let package_id = sui::address::from_bytes(slice(bytes, 1, 32));
    let (id_len, at) = read_uleb(bytes, 33);
    if (at == 0 || at + id_len > n) return (option::none(), 0);
    let id = slice(bytes, at, id_len);
    let (count, mut pos) = read_uleb(bytes, at + id_len);
    if (pos == 0 || count == 0 || count > MAX_KEY_SERVERS || pos + count * 33 + 1 > n) return (option::none(), 0);
    let mut services = vector[];
    let mut i = 0;
    while (i < count) {
        services.push_back(sui::address::from_bytes(slice(bytes, pos, 32)));
        pos = pos + 33;
        i = i + 1;
    };
    let threshold = bytes[pos];
    (option::some(SealHeader { package_id, id, services, threshold, aad: option::none() }), pos + 1)
}

/// ULEB128 at `pos` (at most 4 bytes, i.e. below 2^28): (value, next
/// position), or (0, 0) when it runs past the end or is longer.
fun read_uleb(bytes: &vector<u8>, pos: u64): (u64, u64) {
    let n = bytes.length();
    let mut value = 0u64;
    let mut shift = 0u8;
    let mut i = pos;
    while (i < n && i < pos + 4) {
        let b = bytes[i];
        value = value | (((b & 0x7f) as u64) << shift);
        i = i + 1;
        if (b & 0x80 == 0) return (value, i);
        shift = shift + 7;
    };
    (0, 0)
}

fun read_u64(bytes: &vector<u8>, pos: u64): u64 {
    let mut value = 0u64;
    let mut i = 8;
    while (i > 0) {
        i = i - 1;
        value = (value << 8) | (bytes[pos + i] as u64);
    };
    value
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
