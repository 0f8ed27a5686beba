// K3s-DaaS shim of sui::vec_set (Sui 1.71.1 signatures; bodies are our own).

/// A small set backed by a vector, in insertion order; O(n) operations.
module sui::vec_set;

/// The key is already present.
const EKeyAlreadyExists: u64 = 0;
/// The key is absent.
const EKeyDoesNotExist: u64 = 1;

public struct VecSet<K: copy + drop> has copy, drop, store {
    contents: vector<K>,
}

public fun empty<K: copy + drop>(): VecSet<K> {
    VecSet { contents: vector[] }
}

public fun singleton<K: copy + drop>(key: K): VecSet<K> {
    VecSet { contents: vector[key] }
}

/// Aborts with `EKeyAlreadyExists`.
public fun insert<K: copy + drop>(self: &mut VecSet<K>, key: K) {
    assert!(!self.contents.contains(&key), EKeyAlreadyExists);
    self.contents.push_back(key)
}

/// Aborts with `EKeyDoesNotExist`.
public fun remove<K: copy + drop>(self: &mut VecSet<K>, key: &K) {
    let (found, idx) = self.contents.index_of(key);
    assert!(found, EKeyDoesNotExist);
    self.contents.remove(idx);
}

public fun contains<K: copy + drop>(self: &VecSet<K>, key: &K): bool {
    self.contents.contains(key)
}

public fun size<K: copy + drop>(self: &VecSet<K>): u64 {
    self.contents.length()
}

public fun is_empty<K: copy + drop>(self: &VecSet<K>): bool {
    self.contents.is_empty()
}

public fun into_keys<K: copy + drop>(self: VecSet<K>): vector<K> {
    let VecSet { contents } = self;
    contents
}

/// A set of `keys`. Aborts with `EKeyAlreadyExists` on a duplicate.
public fun from_keys<K: copy + drop>(mut keys: vector<K>): VecSet<K> {
    keys.reverse();
    let mut set = empty();
    while (!keys.is_empty()) set.insert(keys.pop_back());
    set
}

/// The keys, in insertion order.
public fun keys<K: copy + drop>(self: &VecSet<K>): &vector<K> {
    &self.contents
}
