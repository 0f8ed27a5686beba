// K3s-DaaS shim of sui::transfer (Sui 1.71.1 signatures; bodies are our own).

/// Ownership changes: transfer to an address, share, freeze, receive.
/// The non-`public_` variants are restricted by the Sui verifier to the module
/// that defines `T`.
module sui::transfer;

/// Ticket to receive the object `id` (at `version`) sent to another object.
/// Only ever created by the runtime for a transaction input.
public struct Receiving<phantom T: key> has drop {
    id: ID,
    version: u64,
}

#[allow(unused_const)]
/// The object being shared was not created in this transaction.
const ESharedNonNewObject: u64 = 0;
#[allow(unused_const)]
/// Serializing the object failed.
const EBCSSerializationFailure: u64 = 1;
#[allow(unused_const)]
/// The received object's type is not `T`.
const EReceivingObjectTypeMismatch: u64 = 2;
#[allow(unused_const)]
/// The object could not be received (wrong owner, version, or already taken).
const EUnableToReceiveObject: u64 = 3;
#[allow(unused_const)]
/// Shared objects cannot be transferred, wrapped or frozen.
const ESharedObjectOperationNotSupported: u64 = 4;

/// Send `obj` to `recipient` (only from the module that defines `T`).
public fun transfer<T: key>(obj: T, recipient: address) {
    transfer_impl(obj, recipient)
}

/// Send `obj` to `recipient` from any module.
public fun public_transfer<T: key + store>(obj: T, recipient: address) {
    transfer_impl(obj, recipient)
}

/// Make `obj` immutable (only from the module that defines `T`).
public fun freeze_object<T: key>(obj: T) {
    freeze_object_impl(obj)
}

public fun public_freeze_object<T: key + store>(obj: T) {
    freeze_object_impl(obj)
}

/// Make `obj` a shared object (only from the module that defines `T`).
/// Aborts with `ESharedNonNewObject` unless `obj` was created in this transaction.
public fun share_object<T: key>(obj: T) {
    share_object_impl(obj)
}

public fun public_share_object<T: key + store>(obj: T) {
    share_object_impl(obj)
}

/// Take the object `to_receive` refers to out of `parent`'s ownership.
public fun receive<T: key>(parent: &mut UID, to_receive: Receiving<T>): T {
    let Receiving { id, version } = to_receive;
    receive_impl(parent.to_address(), id, version)
}

public fun public_receive<T: key + store>(parent: &mut UID, to_receive: Receiving<T>): T {
    let Receiving { id, version } = to_receive;
    receive_impl(parent.to_address(), id, version)
}

/// The object ID a `Receiving` ticket refers to.
public fun receiving_object_id<T: key>(receiving: &Receiving<T>): ID {
    receiving.id
}

public(package) native fun freeze_object_impl<T: key>(obj: T);

public(package) native fun share_object_impl<T: key>(obj: T);

public(package) native fun transfer_impl<T: key>(obj: T, recipient: address);

native fun receive_impl<T: key>(parent: address, to_receive: ID, version: u64): T;

#[test_only]
public(package) fun make_receiver<T: key>(id: ID, version: u64): Receiving<T> {
    Receiving { id, version }
}

#[test_only]
public(package) fun receiving_id<T: key>(r: &Receiving<T>): ID {
    r.id
}
