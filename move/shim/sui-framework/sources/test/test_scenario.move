// K3s-DaaS shim of sui::test_scenario (Sui 1.71.1 signatures; bodies are our own).

#[test_only]
/// Multi-transaction tests in one Move function: objects transferred, shared or
/// frozen during a transaction become visible in inventories after `next_tx`.
module sui::test_scenario;

use sui::vec_map::VecMap;

#[allow(unused_const)]
/// Effects of the transaction could not be computed (e.g. circular ownership).
const ECouldNotGenerateEffects: u64 = 0;
#[allow(unused_const)]
/// A shared or immutable object was not returned, or was transferred/wrapped.
const EInvalidSharedOrImmutableUsage: u64 = 1;
/// Returning an object that was not taken in this transaction.
const ECantReturnObject: u64 = 2;
/// No object of the requested type in the inventory.
const EEmptyInventory: u64 = 3;
#[allow(unused_const)]
/// No object with that ID in the inventory (possibly already taken).
const EObjectNotFound: u64 = 4;
#[allow(unused_const)]
/// A receiving ticket could not be allocated.
const EUnableToAllocateReceivingTicket: u64 = 5;
#[allow(unused_const)]
/// A receiving ticket for the object is already allocated.
const EReceivingTicketAlreadyAllocated: u64 = 6;
#[allow(unused_const)]
/// The receiving ticket could not be deallocated.
const EUnableToDeallocateReceivingTicket: u64 = 7;

/// The running scenario: a transaction counter and the current context.
public struct Scenario {
    txn_number: u64,
    ctx: TxContext,
}

/// What a finished transaction did.
public struct TransactionEffects has drop {
    created: vector<ID>,
    written: vector<ID>,
    deleted: vector<ID>,
    transferred_to_account: VecMap<ID, address>,
    transferred_to_object: VecMap<ID, ID>,
    shared: vector<ID>,
    frozen: vector<ID>,
    num_user_events: u64,
}

/// Start a scenario whose first transaction is sent by `sender`.
public fun begin(sender: address): Scenario {
    Scenario { txn_number: 0, ctx: tx_context::new_from_hint(sender, 0, 0, 0, 0) }
}

/// End the current transaction and start the next one, sent by `sender`, with
/// a new digest (so new object IDs differ). Returns the ended transaction's effects.
public fun next_tx(scenario: &mut Scenario, sender: address): TransactionEffects {
    scenario.txn_number = scenario.txn_number + 1;
    let epoch = scenario.ctx.epoch();
    let epoch_timestamp_ms = scenario.ctx.epoch_timestamp_ms();
    scenario.ctx =
        tx_context::new_from_hint(sender, scenario.txn_number, epoch, epoch_timestamp_ms, 0);
    end_transaction()
}

/// Like `next_tx`, in the next epoch.
public fun next_epoch(scenario: &mut Scenario, sender: address): TransactionEffects {
    scenario.ctx.increment_epoch_number();
    next_tx(scenario, sender)
}

/// Like `next_epoch`, with the epoch start `delta_ms` later.
public fun later_epoch(
    scenario: &mut Scenario,
    delta_ms: u64,
    sender: address,
): TransactionEffects {
    scenario.ctx.increment_epoch_timestamp(delta_ms);
    next_epoch(scenario, sender)
}

/// End the scenario; returns the last transaction's effects.
public fun end(scenario: Scenario): TransactionEffects {
    let Scenario { txn_number: _, ctx: _ } = scenario;
    end_transaction()
}

// === accessors ===

public fun ctx(scenario: &mut Scenario): &mut TxContext {
    &mut scenario.ctx
}

/// A fresh UID in the current transaction.
public fun new_object(scenario: &mut Scenario): UID {
    object::new(&mut scenario.ctx)
}

public fun sender(scenario: &Scenario): address {
    scenario.ctx.sender()
}

/// Transactions ended so far (0 before the first `next_tx`).
public fun num_concluded_txes(scenario: &Scenario): u64 {
    scenario.txn_number
}

public fun created(effects: &TransactionEffects): vector<ID> {
    effects.created
}

public fun written(effects: &TransactionEffects): vector<ID> {
    effects.written
}

public fun deleted(effects: &TransactionEffects): vector<ID> {
    effects.deleted
}

public fun transferred_to_account(effects: &TransactionEffects): VecMap<ID, address> {
    effects.transferred_to_account
}

public fun transferred_to_object(effects: &TransactionEffects): VecMap<ID, ID> {
    effects.transferred_to_object
}

public fun shared(effects: &TransactionEffects): vector<ID> {
    effects.shared
}

public fun frozen(effects: &TransactionEffects): vector<ID> {
    effects.frozen
}

public fun num_user_events(effects: &TransactionEffects): u64 {
    effects.num_user_events
}

// === address inventories ===

/// Take object `id` of type `T` owned by `account`. Aborts with `EObjectNotFound`.
public native fun take_from_address_by_id<T: key>(
    scenario: &Scenario,
    account: address,
    id: ID,
): T;

/// The most recent untaken object of type `T` owned by `account`.
public native fun most_recent_id_for_address<T: key>(account: address): Option<ID>;

/// Every object ID of type `T` owned by `account`.
public native fun ids_for_address<T: key>(account: address): vector<ID>;

public fun has_most_recent_for_address<T: key>(account: address): bool {
    most_recent_id_for_address<T>(account).is_some()
}

/// Take the most recent `T` owned by `account`. Aborts with `EEmptyInventory`.
public fun take_from_address<T: key>(scenario: &Scenario, account: address): T {
    let id = most_recent_id_for_address<T>(account);
    assert!(id.is_some(), EEmptyInventory);
    take_from_address_by_id(scenario, account, id.destroy_some())
}

/// Give back an object taken from `account`. Aborts with `ECantReturnObject`.
public fun return_to_address<T: key>(account: address, t: T) {
    assert!(was_taken_from_address(account, object::id(&t)), ECantReturnObject);
    transfer::transfer_impl(t, account)
}

public native fun was_taken_from_address(account: address, id: ID): bool;

// === sender inventory ===

public fun take_from_sender_by_id<T: key>(scenario: &Scenario, id: ID): T {
    take_from_address_by_id(scenario, scenario.sender(), id)
}

public fun most_recent_id_for_sender<T: key>(scenario: &Scenario): Option<ID> {
    most_recent_id_for_address<T>(scenario.sender())
}

public fun has_most_recent_for_sender<T: key>(scenario: &Scenario): bool {
    has_most_recent_for_address<T>(scenario.sender())
}

public fun take_from_sender<T: key>(scenario: &Scenario): T {
    take_from_address(scenario, scenario.sender())
}

public fun return_to_sender<T: key>(scenario: &Scenario, t: T) {
    return_to_address(scenario.sender(), t)
}

public fun was_taken_from_sender(scenario: &Scenario, id: ID): bool {
    was_taken_from_address(scenario.sender(), id)
}

public fun ids_for_sender<T: key>(scenario: &Scenario): vector<ID> {
    ids_for_address<T>(scenario.sender())
}

// === immutable objects ===

public native fun take_immutable_by_id<T: key>(scenario: &Scenario, id: ID): T;

public native fun most_recent_immutable_id<T: key>(): Option<ID>;

public fun has_most_recent_immutable<T: key>(): bool {
    most_recent_immutable_id<T>().is_some()
}

/// Aborts with `EEmptyInventory`.
public fun take_immutable<T: key>(scenario: &Scenario): T {
    let id = most_recent_immutable_id<T>();
    assert!(id.is_some(), EEmptyInventory);
    take_immutable_by_id(scenario, id.destroy_some())
}

/// Aborts with `ECantReturnObject`.
public fun return_immutable<T: key>(t: T) {
    assert!(was_taken_immutable(object::id(&t)), ECantReturnObject);
    transfer::freeze_object_impl(t)
}

public native fun was_taken_immutable(id: ID): bool;

// === shared objects ===

public native fun take_shared_by_id<T: key>(scenario: &Scenario, id: ID): T;

public native fun most_recent_id_shared<T: key>(): Option<ID>;

public fun has_most_recent_shared<T: key>(): bool {
    most_recent_id_shared<T>().is_some()
}

/// Aborts with `EEmptyInventory`.
public fun take_shared<T: key>(scenario: &Scenario): T {
    let id = most_recent_id_shared<T>();
    assert!(id.is_some(), EEmptyInventory);
    take_shared_by_id(scenario, id.destroy_some())
}

/// Aborts with `ECantReturnObject`.
public fun return_shared<T: key>(t: T) {
    assert!(was_taken_shared(object::id(&t)), ECantReturnObject);
    transfer::share_object_impl(t)
}

// === objects owned by objects ===

public fun receivable_object_ids_for_owner_id<T: key>(object: ID): vector<ID> {
    ids_for_address<T>(object.to_address())
}

/// A receiving ticket for the most recent `T` owned by object `parent`.
/// Aborts with `EEmptyInventory`.
public fun most_recent_receiving_ticket<T: key>(
    parent: &ID,
): transfer::Receiving<T> {
    let id = most_recent_id_for_address<T>(parent.to_address());
    assert!(id.is_some(), EEmptyInventory);
    receiving_ticket_by_id<T>(id.destroy_some())
}

public fun receiving_ticket_by_id<T: key>(
    object_id: ID,
): transfer::Receiving<T> {
    let version = allocate_receiving_ticket_for_object<T>(object_id);
    transfer::make_receiver(object_id, version)
}

/// Release an unused receiving ticket so the object can be used again.
public fun return_receiving_ticket<T: key>(ticket: transfer::Receiving<T>) {
    deallocate_receiving_ticket_for_object(transfer::receiving_id(&ticket));
}

native fun was_taken_shared(id: ID): bool;

native fun allocate_receiving_ticket_for_object<T: key>(object_id: ID): u64;

native fun deallocate_receiving_ticket_for_object(id: ID);

/// Realize the transaction's changes and compute its effects.
native fun end_transaction(): TransactionEffects;
