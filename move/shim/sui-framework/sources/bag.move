// K3s-DaaS shim of sui::bag (Sui 1.71.1 signatures; bodies are our own).

/// A heterogeneous map: keys and values of any (storable) types, stored as
/// dynamic fields of the bag object.
module sui::bag;

use sui::dynamic_field as field;

/// Destroying a bag that still has entries.
const EBagNotEmpty: u64 = 0;

public struct Bag has key, store {
    id: UID,
    size: u64,
}

public fun new(ctx: &mut TxContext): Bag {
    Bag { id: object::new(ctx), size: 0 }
}

/// Aborts with `dynamic_field::EFieldAlreadyExists` if `k` is present.
public fun add<K: copy + drop + store, V: store>(bag: &mut Bag, k: K, v: V) {
    field::add(&mut bag.id, k, v);
    bag.size = bag.size + 1;
}

#[syntax(index)]
/// Aborts with `EFieldDoesNotExist` / `EFieldTypeMismatch` from `dynamic_field`.
public fun borrow<K: copy + drop + store, V: store>(bag: &Bag, k: K): &V {
    field::borrow(&bag.id, k)
}

#[syntax(index)]
public fun borrow_mut<K: copy + drop + store, V: store>(bag: &mut Bag, k: K): &mut V {
    field::borrow_mut(&mut bag.id, k)
}

public fun remove<K: copy + drop + store, V: store>(bag: &mut Bag, k: K): V {
    let v = field::remove(&mut bag.id, k);
    bag.size = bag.size - 1;
    v
}

/// Whether `k` is present, whatever its value type.
public fun contains<K: copy + drop + store>(bag: &Bag, k: K): bool {
    field::exists_<K>(&bag.id, k)
}

/// Whether `k` is present with a value of type `V`.
public fun contains_with_type<K: copy + drop + store, V: store>(bag: &Bag, k: K): bool {
    field::exists_with_type<K, V>(&bag.id, k)
}

public fun length(bag: &Bag): u64 {
    bag.size
}

public fun is_empty(bag: &Bag): bool {
    bag.size == 0
}

/// Aborts with `EBagNotEmpty` if entries remain.
public fun destroy_empty(bag: Bag) {
    let Bag { id, size } = bag;
    assert!(size == 0, EBagNotEmpty);
    id.delete()
}
