// K3s-DaaS shim of sui::tx_context (Sui 1.71.1 signatures; bodies are our own).

/// The transaction context. Its values are read through natives: the struct
/// fields are only what the VM passes in to an entry function.
module sui::tx_context;

#[test_only]
/// Length of a transaction digest.
const TX_HASH_LENGTH: u64 = 32;

#[test_only]
/// The test digest is not 32 bytes long.
const EBadTxHashLength: u64 = 0;

#[allow(unused_field)]
/// Created by the VM and handed to entry functions as `&mut TxContext`.
public struct TxContext has drop {
    sender: address,
    tx_hash: vector<u8>,
    epoch: u64,
    epoch_timestamp_ms: u64,
    ids_created: u64,
}

/// The address that signed the transaction.
public fun sender(_self: &TxContext): address {
    native_sender()
}

native fun native_sender(): address;

/// The transaction digest (not a source of randomness).
public fun digest(self: &TxContext): &vector<u8> {
    &self.tx_hash
}

public fun epoch(_self: &TxContext): u64 {
    native_epoch()
}

native fun native_epoch(): u64;

public fun epoch_timestamp_ms(_self: &TxContext): u64 {
    native_epoch_timestamp_ms()
}

native fun native_epoch_timestamp_ms(): u64;

/// The sponsor of the transaction, if any.
public fun sponsor(_self: &TxContext): Option<address> {
    option_sponsor()
}

/// A never-used address, suitable as an object ID.
public fun fresh_object_address(_ctx: &mut TxContext): address {
    fresh_id()
}

native fun fresh_id(): address;

public fun reference_gas_price(_self: &TxContext): u64 {
    native_rgp()
}

native fun native_rgp(): u64;

public fun gas_price(_self: &TxContext): u64 {
    native_gas_price()
}

native fun native_gas_price(): u64;

// === test-only ===

#[test_only]
public fun ids_created(_self: &TxContext): u64 {
    native_ids_created()
}

#[allow(unused_function)]
native fun native_ids_created(): u64;

#[test_only]
public fun gas_budget(_self: &TxContext): u64 {
    native_gas_budget()
}

#[allow(unused_function)]
native fun native_gas_budget(): u64;

#[test_only]
/// A test context with every value given; installs them in the native runtime.
public fun create(
    sender: address,
    tx_hash: vector<u8>,
    epoch: u64,
    epoch_timestamp_ms: u64,
    ids_created: u64,
    rgp: u64,
    gas_price: u64,
    gas_budget: u64,
    sponsor: Option<address>,
): TxContext {
    assert!(tx_hash.length() == TX_HASH_LENGTH, EBadTxHashLength);
    replace(
        sender,
        tx_hash,
        epoch,
        epoch_timestamp_ms,
        ids_created,
        rgp,
        gas_price,
        gas_budget,
        sponsor.to_vec(),
    );
    // The natives are the source of truth; the struct only carries the digest.
    TxContext { sender: @0x0, tx_hash, epoch: 0, epoch_timestamp_ms: 0, ids_created: 0 }
}

#[test_only]
/// A test context keeping the current gas values and sponsor.
public fun new(
    sender: address,
    tx_hash: vector<u8>,
    epoch: u64,
    epoch_timestamp_ms: u64,
    ids_created: u64,
): TxContext {
    assert!(tx_hash.length() == TX_HASH_LENGTH, EBadTxHashLength);
    create(
        sender,
        tx_hash,
        epoch,
        epoch_timestamp_ms,
        ids_created,
        native_rgp(),
        native_gas_price(),
        native_gas_budget(),
        option_sponsor(),
    )
}

#[test_only]
/// A test context whose digest is derived from `hint`.
public fun new_from_hint(
    addr: address,
    hint: u64,
    epoch: u64,
    epoch_timestamp_ms: u64,
    ids_created: u64,
): TxContext {
    new(addr, dummy_tx_hash_with_hint(hint), epoch, epoch_timestamp_ms, ids_created)
}

#[test_only]
/// A test context for sender @0x0 at epoch 0 (same digest as the real framework,
/// so object IDs derived from it match).
public fun dummy(): TxContext {
    new(@0x0, x"3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532", 0, 0, 0)
}

#[test_only]
/// A 32-byte digest that is unique for each `hint`: its BCS bytes, zero padded.
public fun dummy_tx_hash_with_hint(hint: u64): vector<u8> {
    let mut hash = std::bcs::to_bytes(&hint);
    while (hash.length() < TX_HASH_LENGTH) hash.push_back(0);
    hash
}

#[test_only]
public fun get_ids_created(self: &TxContext): u64 {
    self.ids_created()
}

#[test_only]
public fun last_created_object_id(_self: &TxContext): address {
    last_created_id()
}

#[test_only]
native fun last_created_id(): address;

#[test_only]
public fun increment_epoch_number(self: &mut TxContext) {
    replace(
        native_sender(),
        self.tx_hash,
        native_epoch() + 1,
        native_epoch_timestamp_ms(),
        native_ids_created(),
        native_rgp(),
        native_gas_price(),
        native_gas_budget(),
        native_sponsor(),
    );
}

#[test_only]
public fun increment_epoch_timestamp(self: &mut TxContext, delta_ms: u64) {
    replace(
        native_sender(),
        self.tx_hash,
        native_epoch(),
        native_epoch_timestamp_ms() + delta_ms,
        native_ids_created(),
        native_rgp(),
        native_gas_price(),
        native_gas_budget(),
        native_sponsor(),
    );
}

fun option_sponsor(): Option<address> {
    let sponsors = native_sponsor();
    if (sponsors.is_empty()) option::none() else option::some(sponsors[0])
}

native fun native_sponsor(): vector<address>;

#[test_only]
native fun replace(
    sender: address,
    tx_hash: vector<u8>,
    epoch: u64,
    epoch_timestamp_ms: u64,
    ids_created: u64,
    rgp: u64,
    gas_price: u64,
    gas_budget: u64,
    sponsor: vector<address>,
);

#[allow(unused_function)]
/// An object ID derived as hash(tx_hash || ids_created).
native fun derive_id(tx_hash: vector<u8>, ids_created: u64): address;
