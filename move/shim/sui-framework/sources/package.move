// K3s-DaaS shim of sui::package (Sui 1.71.1 signatures; bodies are our own).
// `original_package_id` (a native added after 1.71) is not part of this subset.

/// Proof of publishing (`Publisher`) and package upgrade administration
/// (`UpgradeCap`, `UpgradeTicket`, `UpgradeReceipt`).
module sui::package;

use std::ascii::String;
use std::type_name;
use sui::types;

public use fun burn_publisher as Publisher.burn;
public use fun published_module as Publisher.module_;
public use fun published_package as Publisher.package;
public use fun upgrade_package as UpgradeCap.package;
public use fun upgrade_policy as UpgradeCap.policy;
public use fun authorize_upgrade as UpgradeCap.authorize;
public use fun commit_upgrade as UpgradeCap.commit;
public use fun ticket_package as UpgradeTicket.package;
public use fun ticket_policy as UpgradeTicket.policy;
public use fun ticket_digest as UpgradeTicket.digest;
public use fun receipt_cap as UpgradeReceipt.cap;
public use fun receipt_package as UpgradeReceipt.package;

/// `claim` was given a type that is not a one-time witness.
const ENotOneTimeWitness: u64 = 0;
/// The requested policy is less restrictive than the cap's.
const ETooPermissive: u64 = 1;
/// The cap already authorized an upgrade that is not committed.
const EAlreadyAuthorized: u64 = 2;
/// The cap has not authorized an upgrade.
const ENotAuthorized: u64 = 3;
/// The receipt belongs to another cap.
const EWrongUpgradeCap: u64 = 4;

/// Any change that keeps the package compatible.
const COMPATIBLE: u8 = 0;
/// Only additions (new functions/types) and dependency changes.
const ADDITIVE: u8 = 128;
/// Only dependency changes.
const DEP_ONLY: u8 = 192;

/// Proof that its holder published the module `module_name` of `package`.
public struct Publisher has key, store {
    id: UID,
    package: String,
    module_name: String,
}

/// Authority to upgrade `package`, created when the package is published.
public struct UpgradeCap has key, store {
    id: UID,
    /// Latest package ID, or 0x0 while an upgrade is authorized but not committed.
    package: ID,
    /// Number of upgrades applied so far.
    version: u64,
    /// Most permissive upgrade kind allowed.
    policy: u8,
}

/// Permission for one upgrade (hot potato, consumed by the Upgrade command).
public struct UpgradeTicket {
    cap: ID,
    package: ID,
    policy: u8,
    digest: vector<u8>,
}

/// Result of an upgrade (hot potato, consumed by `commit_upgrade`).
public struct UpgradeReceipt {
    cap: ID,
    package: ID,
}

/// A `Publisher` for the module of one-time witness `otw`. Aborts with `ENotOneTimeWitness`.
public fun claim<OTW: drop>(otw: OTW, ctx: &mut TxContext): Publisher {
    assert!(types::is_one_time_witness(&otw), ENotOneTimeWitness);
    new_publisher<OTW>(ctx)
}

#[allow(lint(self_transfer))]
/// `claim` and send the `Publisher` to the sender (the publisher, inside `init`).
public fun claim_and_keep<OTW: drop>(otw: OTW, ctx: &mut TxContext) {
    transfer::public_transfer(claim(otw, ctx), ctx.sender())
}

public fun burn_publisher(self: Publisher) {
    let Publisher { id, package: _, module_name: _ } = self;
    id.delete();
}

/// Whether `T` is defined in the publisher's package.
public fun from_package<T>(self: &Publisher): bool {
    type_name::with_original_ids<T>().address_string() == self.package
}

/// Whether `T` is defined in the publisher's module.
public fun from_module<T>(self: &Publisher): bool {
    let t = type_name::with_original_ids<T>();
    t.address_string() == self.package && t.module_string() == self.module_name
}

public fun published_module(self: &Publisher): &String {
    &self.module_name
}

public fun published_package(self: &Publisher): &String {
    &self.package
}

public fun upgrade_package(cap: &UpgradeCap): ID {
    cap.package
}

public fun version(cap: &UpgradeCap): u64 {
    cap.version
}

public fun upgrade_policy(cap: &UpgradeCap): u8 {
    cap.policy
}

public fun ticket_package(ticket: &UpgradeTicket): ID {
    ticket.package
}

public fun ticket_policy(ticket: &UpgradeTicket): u8 {
    ticket.policy
}

public fun receipt_cap(receipt: &UpgradeReceipt): ID {
    receipt.cap
}

public fun receipt_package(receipt: &UpgradeReceipt): ID {
    receipt.package
}

/// Digest of the new package contents this ticket allows.
public fun ticket_digest(ticket: &UpgradeTicket): &vector<u8> {
    &ticket.digest
}

public fun compatible_policy(): u8 { COMPATIBLE }

public fun additive_policy(): u8 { ADDITIVE }

public fun dep_only_policy(): u8 { DEP_ONLY }

#[allow(lint(public_entry))]
public entry fun only_additive_upgrades(cap: &mut UpgradeCap) {
    restrict(cap, ADDITIVE)
}

#[allow(lint(public_entry))]
public entry fun only_dep_upgrades(cap: &mut UpgradeCap) {
    restrict(cap, DEP_ONLY)
}

#[allow(lint(public_entry))]
/// Destroy the cap: the package can never be upgraded again.
public entry fun make_immutable(cap: UpgradeCap) {
    let UpgradeCap { id, package: _, version: _, policy: _ } = cap;
    id.delete();
}

/// A ticket for one upgrade to bytecode with `digest`. Aborts with
/// `EAlreadyAuthorized` or `ETooPermissive`.
public fun authorize_upgrade(cap: &mut UpgradeCap, policy: u8, digest: vector<u8>): UpgradeTicket {
    assert!(cap.package.to_address() != @0x0, EAlreadyAuthorized);
    assert!(policy >= cap.policy, ETooPermissive);
    let package = cap.package;
    cap.package = object::id_from_address(@0x0);
    UpgradeTicket { cap: object::id(cap), package, policy, digest }
}

/// Finish an upgrade. Aborts with `EWrongUpgradeCap` or `ENotAuthorized`.
public fun commit_upgrade(cap: &mut UpgradeCap, receipt: UpgradeReceipt) {
    let UpgradeReceipt { cap: cap_id, package } = receipt;
    assert!(object::id(cap) == cap_id, EWrongUpgradeCap);
    assert!(cap.package.to_address() == @0x0, ENotAuthorized);
    cap.package = package;
    cap.version = cap.version + 1;
}

// === test-only ===

#[test_only]
/// `claim` without the one-time-witness check.
public fun test_claim<OTW: drop>(_: OTW, ctx: &mut TxContext): Publisher {
    new_publisher<OTW>(ctx)
}

#[test_only]
/// An `UpgradeCap` for `package`, as publishing would create.
public fun test_publish(package: ID, ctx: &mut TxContext): UpgradeCap {
    UpgradeCap { id: object::new(ctx), package, version: 1, policy: COMPATIBLE }
}

#[test_only]
/// Plays the Upgrade command: the new package ID is blake2b256(cap || old package).
public fun test_upgrade(ticket: UpgradeTicket): UpgradeReceipt {
    let UpgradeTicket { cap, package, policy: _, digest: _ } = ticket;
    let mut seed = cap.to_bytes();
    seed.append(package.to_bytes());
    UpgradeReceipt { cap, package: object::id_from_bytes(sui::hash::blake2b256(&seed)) }
}

fun new_publisher<OTW>(ctx: &mut TxContext): Publisher {
    let t = type_name::with_original_ids<OTW>();
    Publisher { id: object::new(ctx), package: t.address_string(), module_name: t.module_string() }
}

/// Aborts with `ETooPermissive` when loosening the policy.
fun restrict(cap: &mut UpgradeCap, policy: u8) {
    assert!(cap.policy <= policy, ETooPermissive);
    cap.policy = policy;
}
