// K3s-DaaS shim of sui::object (Sui 1.71.1 signatures; bodies are our own).

/// Object identifiers: `ID` (a copyable address) and `UID` (the unique id every
/// object carries as its first field).
module sui::object;

use std::bcs;
use sui::address;

/// Method aliases, as in the real framework.
public use fun id_to_address as ID.to_address;
public use fun id_to_bytes as ID.to_bytes;
public use fun uid_as_inner as UID.as_inner;
public use fun uid_to_inner as UID.to_inner;
public use fun uid_to_address as UID.to_address;
public use fun uid_to_bytes as UID.to_bytes;

/// Address of the singleton `Clock` object.
const SUI_CLOCK_OBJECT_ID: address = @0x6;

#[allow(unused_const)]
/// Sender is not @0x0 the system address.
const ENotSystemAddress: u64 = 0;

/// An object ID: copyable, droppable, not guaranteed unique.
public struct ID has copy, drop, store {
    bytes: address,
}

/// The globally unique identifier of an object in storage.
public struct UID has store {
    id: ID,
}

// === ID ===

public fun id_to_bytes(id: &ID): vector<u8> {
    bcs::to_bytes(&id.bytes)
}

public fun id_to_address(id: &ID): address {
    id.bytes
}

/// Aborts with `sui::address::EAddressParseError` unless `bytes` has 32 bytes.
public fun id_from_bytes(bytes: vector<u8>): ID {
    ID { bytes: address::from_bytes(bytes) }
}

public fun id_from_address(bytes: address): ID {
    ID { bytes }
}

// === UID ===

/// The `UID` of the singleton `Clock` (only `sui::clock` uses it).
public(package) fun clock(): UID {
    UID { id: ID { bytes: SUI_CLOCK_OBJECT_ID } }
}

public fun uid_as_inner(uid: &UID): &ID {
    &uid.id
}

public fun uid_to_inner(uid: &UID): ID {
    uid.id
}

public fun uid_to_bytes(uid: &UID): vector<u8> {
    bcs::to_bytes(&uid.id.bytes)
}

public fun uid_to_address(uid: &UID): address {
    uid.id.bytes
}

// === any object ===

/// A fresh `UID`; the only way to create one.
public fun new(ctx: &mut TxContext): UID {
    UID { id: ID { bytes: ctx.fresh_object_address() } }
}

/// Destroy a `UID`, telling the runtime the object is deleted.
public fun delete(id: UID) {
    let UID { id: ID { bytes } } = id;
    delete_impl(bytes)
}

public fun id<T: key>(obj: &T): ID {
    borrow_uid(obj).id
}

public fun borrow_id<T: key>(obj: &T): &ID {
    &borrow_uid(obj).id
}

public fun id_bytes<T: key>(obj: &T): vector<u8> {
    bcs::to_bytes(&borrow_uid(obj).id)
}

public fun id_address<T: key>(obj: &T): address {
    borrow_uid(obj).id.bytes
}

/// The `UID` of any object (every `key` struct starts with `id: UID`).
native fun borrow_uid<T: key>(obj: &T): &UID;

/// A `UID` derived from a hash (dynamic fields); registered with the runtime.
public(package) fun new_uid_from_hash(bytes: address): UID {
    record_new_uid(bytes);
    UID { id: ID { bytes } }
}

native fun delete_impl(id: address);

native fun record_new_uid(id: address);

#[test_only]
/// The most recently created object ID of this transaction.
public fun last_created(ctx: &TxContext): ID {
    ID { bytes: ctx.last_created_object_id() }
}
