// K3s-DaaS shim of sui::dynamic_field (Sui 1.71.1 signatures; bodies are our own).

#[allow(unused_const)]
/// Fields added to an object after construction, named by any `copy + drop +
/// store` value. Each field is a child object whose ID is hash(parent, name, Name).
module sui::dynamic_field;

/// A field with this name (and type) already exists.
const EFieldAlreadyExists: u64 = 0;
/// No field with this name exists.
const EFieldDoesNotExist: u64 = 1;
/// A field with this name exists but holds another value type.
const EFieldTypeMismatch: u64 = 2;
/// The field name could not be serialized.
const EBCSSerializationFailure: u64 = 3;
/// A shared object cannot become a dynamic field.
const ESharedObjectOperationNotSupported: u64 = 4;

/// The child object that stores one field.
public struct Field<Name: copy + drop + store, Value: store> has key {
    id: UID,
    name: Name,
    value: Value,
}

/// Add field `name` to `object`. Aborts with `EFieldAlreadyExists` if present.
public fun add<Name: copy + drop + store, Value: store>(
    object: &mut UID,
    name: Name,
    value: Value,
) {
    let parent = object.to_address();
    let field_id = hash_type_and_key(parent, name);
    assert!(!has_child_object(parent, field_id), EFieldAlreadyExists);
    add_child_object(parent, Field { id: object::new_uid_from_hash(field_id), name, value })
}

/// Borrow field `name`. Aborts with `EFieldDoesNotExist` / `EFieldTypeMismatch`.
public fun borrow<Name: copy + drop + store, Value: store>(object: &UID, name: Name): &Value {
    let field_id = hash_type_and_key(object.to_address(), name);
    &borrow_child_object<Field<Name, Value>>(object, field_id).value
}

/// Mutably borrow field `name`. Aborts like `borrow`.
public fun borrow_mut<Name: copy + drop + store, Value: store>(
    object: &mut UID,
    name: Name,
): &mut Value {
    let field_id = hash_type_and_key(object.to_address(), name);
    &mut borrow_child_object_mut<Field<Name, Value>>(object, field_id).value
}

/// Remove field `name` and return its value. Aborts like `borrow`.
public fun remove<Name: copy + drop + store, Value: store>(object: &mut UID, name: Name): Value {
    let parent = object.to_address();
    let field_id = hash_type_and_key(parent, name);
    let Field { id, name: _, value } = remove_child_object<Field<Name, Value>>(parent, field_id);
    id.delete();
    value
}

/// Whether a field `name` exists, whatever its value type.
public fun exists_<Name: copy + drop + store>(object: &UID, name: Name): bool {
    let parent = object.to_address();
    has_child_object(parent, hash_type_and_key(parent, name))
}

/// Remove field `name` if it exists.
public fun remove_if_exists<Name: copy + drop + store, Value: store>(
    object: &mut UID,
    name: Name,
): Option<Value> {
    if (exists_(object, name)) option::some(remove(object, name)) else option::none()
}

/// Whether a field `name` with a value of type `Value` exists.
public fun exists_with_type<Name: copy + drop + store, Value: store>(
    object: &UID,
    name: Name,
): bool {
    let parent = object.to_address();
    has_child_object_with_ty<Field<Name, Value>>(parent, hash_type_and_key(parent, name))
}

/// For `dynamic_object_field`: the field's UID and the ID of the object it holds.
public(package) fun field_info<Name: copy + drop + store>(
    object: &UID,
    name: Name,
): (&UID, address) {
    let field_id = hash_type_and_key(object.to_address(), name);
    let field = borrow_child_object<Field<Name, ID>>(object, field_id);
    (&field.id, field.value.to_address())
}

public(package) fun field_info_mut<Name: copy + drop + store>(
    object: &mut UID,
    name: Name,
): (&mut UID, address) {
    let field_id = hash_type_and_key(object.to_address(), name);
    let field = borrow_child_object_mut<Field<Name, ID>>(object, field_id);
    let held = field.value.to_address();
    (&mut field.id, held)
}

/// May abort with `EBCSSerializationFailure`.
public(package) native fun hash_type_and_key<K: copy + drop + store>(
    parent: address,
    k: K,
): address;

public(package) native fun add_child_object<Child: key>(parent: address, child: Child);

/// Aborts with `EFieldDoesNotExist` or `EFieldTypeMismatch`.
public(package) native fun borrow_child_object<Child: key>(object: &UID, id: address): &Child;

public(package) native fun borrow_child_object_mut<Child: key>(
    object: &mut UID,
    id: address,
): &mut Child;

/// Aborts with `EFieldDoesNotExist` or `EFieldTypeMismatch`.
public(package) native fun remove_child_object<Child: key>(parent: address, id: address): Child;

public(package) native fun has_child_object(parent: address, id: address): bool;

public(package) native fun has_child_object_with_ty<Child: key>(parent: address, id: address): bool;
