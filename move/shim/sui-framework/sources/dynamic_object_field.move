// K3s-DaaS shim of sui::dynamic_object_field (Sui 1.71.1 signatures; bodies are our own).

/// Dynamic fields whose values are objects (`key + store`): the value keeps its
/// own ID and stays visible to off-chain readers by that ID.
module sui::dynamic_object_field;

use sui::dynamic_field as field;

/// Wraps the name so object fields never collide with plain dynamic fields.
public struct Wrapper<Name> has copy, drop, store {
    name: Name,
}

/// Add object field `name`. Aborts with `dynamic_field::EFieldAlreadyExists`.
public fun add<Name: copy + drop + store, Value: key + store>(
    object: &mut UID,
    name: Name,
    value: Value,
) {
    let key = Wrapper { name };
    field::add(object, key, object::id(&value));
    let (field_uid, _) = field::field_info_mut(object, key);
    field::add_child_object(field_uid.to_address(), value);
}

/// Borrow object field `name`.
public fun borrow<Name: copy + drop + store, Value: key + store>(object: &UID, name: Name): &Value {
    let (field_uid, value_id) = field::field_info(object, Wrapper { name });
    field::borrow_child_object<Value>(field_uid, value_id)
}

/// Mutably borrow object field `name`.
public fun borrow_mut<Name: copy + drop + store, Value: key + store>(
    object: &mut UID,
    name: Name,
): &mut Value {
    let (field_uid, value_id) = field::field_info_mut(object, Wrapper { name });
    field::borrow_child_object_mut<Value>(field_uid, value_id)
}

/// Remove object field `name` and return the object.
public fun remove<Name: copy + drop + store, Value: key + store>(
    object: &mut UID,
    name: Name,
): Value {
    let key = Wrapper { name };
    let (field_uid, value_id) = field::field_info(object, key);
    let value = field::remove_child_object<Value>(field_uid.to_address(), value_id);
    field::remove<Wrapper<Name>, ID>(object, key);
    value
}

/// Whether object field `name` exists.
public fun exists_<Name: copy + drop + store>(object: &UID, name: Name): bool {
    field::exists_with_type<Wrapper<Name>, ID>(object, Wrapper { name })
}

/// Whether object field `name` exists and holds a `Value`.
public fun exists_with_type<Name: copy + drop + store, Value: key + store>(
    object: &UID,
    name: Name,
): bool {
    let key = Wrapper { name };
    if (!field::exists_with_type<Wrapper<Name>, ID>(object, key)) return false;
    let (field_uid, value_id) = field::field_info(object, key);
    field::has_child_object_with_ty<Value>(field_uid.to_address(), value_id)
}

/// The ID of the object held in field `name`, if any.
public fun id<Name: copy + drop + store>(object: &UID, name: Name): Option<ID> {
    let key = Wrapper { name };
    if (!field::exists_with_type<Wrapper<Name>, ID>(object, key)) return option::none();
    let (_, value_id) = field::field_info(object, key);
    option::some(object::id_from_address(value_id))
}
