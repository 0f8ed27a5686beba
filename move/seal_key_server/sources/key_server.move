// K3s-DaaS: on-chain registration of the harness's embedded Seal key servers.
//
// Our own code. The struct layouts and field order are those @mysten/seal reads
// (retrieveKeyServers in its dist/key-server.mjs, bcs.mjs) and that Seal's own
// registration module (MystenLabs/seal move/seal/sources/key_server.move) defines:
// a `KeyServer` object with the range of versions it supports, and one dynamic field per
// version, keyed by that version as a u64, holding `KeyServerV1` or `KeyServerV2`.
#[allow(unused_field)]
module seal_key_server::key_server;

use std::string::String;
use sui::dynamic_field as df;

/// Only Boneh-Franklin on BLS12-381 exists (the SDK's KeyType 0).
const KEY_TYPE_BONEH_FRANKLIN_BLS12381: u8 = 0;
/// A compressed G2 element is 96 bytes.
const G2_LENGTH: u64 = 96;

const EInvalidKeyType: u64 = 1;
const EInvalidPublicKey: u64 = 7;

const V1: u64 = 1;
const V2: u64 = 2;

public struct KeyServer has key, store {
    id: UID,
    first_version: u64,
    last_version: u64,
}

public struct KeyServerV1 has store {
    name: String,
    url: String,
    key_type: u8,
    pk: vector<u8>,
}

public struct KeyServerV2 has store {
    name: String,
    key_type: u8,
    pk: vector<u8>,
    server_type: ServerType,
}

public enum ServerType has drop, store {
    Independent { url: String },
    Committee { version: u32, threshold: u16, partial_key_servers: vector<PartialKeyServer> },
}

public struct PartialKeyServer has copy, drop, store {
    name: String,
    url: String,
    partial_pk: vector<u8>,
    party_id: u16,
}

fun check_key(key_type: u8, pk: &vector<u8>) {
    assert!(key_type == KEY_TYPE_BONEH_FRANKLIN_BLS12381, EInvalidKeyType);
    // The real module parses the point (bls12381::g2_from_bytes); the shim has no BLS natives,
    // so only the length is checked here and the SDK's proof-of-possession check does the rest.
    assert!(pk.length() == G2_LENGTH, EInvalidPublicKey);
}

/// A V1 key server (versions 1..1), as servers registered before V2 are.
public fun create_v1(name: String, url: String, key_type: u8, pk: vector<u8>, ctx: &mut TxContext): KeyServer {
    check_key(key_type, &pk);
    let mut ks = KeyServer { id: object::new(ctx), first_version: V1, last_version: V1 };
    df::add(&mut ks.id, V1, KeyServerV1 { name, url, key_type, pk });
    ks
}

/// An independent V2 key server (versions 2..2).
public fun create_v2_independent(
    name: String,
    url: String,
    key_type: u8,
    pk: vector<u8>,
    ctx: &mut TxContext,
): KeyServer {
    check_key(key_type, &pk);
    let mut ks = KeyServer { id: object::new(ctx), first_version: V2, last_version: V2 };
    df::add(&mut ks.id, V2, KeyServerV2 { name, key_type, pk, server_type: ServerType::Independent { url } });
    ks
}

entry fun create_and_transfer_v1(name: String, url: String, key_type: u8, pk: vector<u8>, ctx: &mut TxContext) {
    transfer::transfer(create_v1(name, url, key_type, pk, ctx), ctx.sender());
}

entry fun create_and_transfer_v2_independent_server(
    name: String,
    url: String,
    key_type: u8,
    pk: vector<u8>,
    ctx: &mut TxContext,
) {
    transfer::transfer(create_v2_independent(name, url, key_type, pk, ctx), ctx.sender());
}

public fun first_version(s: &KeyServer): u64 { s.first_version }

public fun last_version(s: &KeyServer): u64 { s.last_version }

/// The public key, whichever version the server carries.
public fun pk(s: &KeyServer): &vector<u8> {
    if (df::exists_(&s.id, V2)) {
        let v2: &KeyServerV2 = df::borrow(&s.id, V2);
        &v2.pk
    } else {
        let v1: &KeyServerV1 = df::borrow(&s.id, V1);
        &v1.pk
    }
}
