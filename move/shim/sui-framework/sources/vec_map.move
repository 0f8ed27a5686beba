// K3s-DaaS shim of sui::vec_map (Sui 1.71.1 signatures; bodies are our own).

/// A small map backed by a vector, in insertion order; O(n) operations.
module sui::vec_map;

/// The key is already present.
const EKeyAlreadyExists: u64 = 0;
/// The key is absent.
const EKeyDoesNotExist: u64 = 1;
/// Destroying a map that is not empty.
const EMapNotEmpty: u64 = 2;
/// Index past the end of the map.
const EIndexOutOfBounds: u64 = 3;
/// Popping from an empty map.
const EMapEmpty: u64 = 4;
/// Keys and values of different lengths.
const EUnequalLengths: u64 = 5;

public struct VecMap<K: copy, V> has copy, drop, store {
    contents: vector<Entry<K, V>>,
}

public struct Entry<K: copy, V> has copy, drop, store {
    key: K,
    value: V,
}

public fun empty<K: copy, V>(): VecMap<K, V> {
    VecMap { contents: vector[] }
}

/// Aborts with `EKeyAlreadyExists`.
public fun insert<K: copy, V>(self: &mut VecMap<K, V>, key: K, value: V) {
    assert!(!self.contains(&key), EKeyAlreadyExists);
    self.contents.push_back(Entry { key, value })
}

/// Aborts with `EKeyDoesNotExist`.
public fun remove<K: copy, V>(self: &mut VecMap<K, V>, key: &K): (K, V) {
    let idx = self.get_idx(key);
    let Entry { key, value } = self.contents.remove(idx);
    (key, value)
}

/// Remove the last inserted entry. Aborts with `EMapEmpty`.
public fun pop<K: copy, V>(self: &mut VecMap<K, V>): (K, V) {
    assert!(!self.contents.is_empty(), EMapEmpty);
    let Entry { key, value } = self.contents.pop_back();
    (key, value)
}

#[syntax(index)]
/// Aborts with `EKeyDoesNotExist`.
public fun get_mut<K: copy, V>(self: &mut VecMap<K, V>, key: &K): &mut V {
    let idx = self.get_idx(key);
    &mut self.contents[idx].value
}

#[syntax(index)]
/// Aborts with `EKeyDoesNotExist`.
public fun get<K: copy, V>(self: &VecMap<K, V>, key: &K): &V {
    let idx = self.get_idx(key);
    &self.contents[idx].value
}

public fun try_get<K: copy, V: copy>(self: &VecMap<K, V>, key: &K): Option<V> {
    let idx = self.get_idx_opt(key);
    if (idx.is_some()) option::some(self.contents[idx.destroy_some()].value) else option::none()
}

public fun contains<K: copy, V>(self: &VecMap<K, V>, key: &K): bool {
    self.get_idx_opt(key).is_some()
}

public fun size<K: copy, V>(self: &VecMap<K, V>): u64 {
    self.contents.length()
}

public fun is_empty<K: copy, V>(self: &VecMap<K, V>): bool {
    self.contents.is_empty()
}

/// Aborts with `EMapNotEmpty`.
public fun destroy_empty<K: copy, V>(self: VecMap<K, V>) {
    let VecMap { contents } = self;
    assert!(contents.is_empty(), EMapNotEmpty);
    contents.destroy_empty()
}

/// Keys and values, in insertion order.
public fun into_keys_values<K: copy, V>(self: VecMap<K, V>): (vector<K>, vector<V>) {
    let VecMap { mut contents } = self;
    contents.reverse();
    let mut keys = vector[];
    let mut values = vector[];
    while (!contents.is_empty()) {
        let Entry { key, value } = contents.pop_back();
        keys.push_back(key);
        values.push_back(value);
    };
    contents.destroy_empty();
    (keys, values)
}

/// A map of `keys[i] -> values[i]`. Aborts with `EUnequalLengths` or `EKeyAlreadyExists`.
public fun from_keys_values<K: copy, V>(mut keys: vector<K>, mut values: vector<V>): VecMap<K, V> {
    assert!(keys.length() == values.length(), EUnequalLengths);
    keys.reverse();
    values.reverse();
    let mut map = empty();
    while (!keys.is_empty()) map.insert(keys.pop_back(), values.pop_back());
    keys.destroy_empty();
    values.destroy_empty();
    map
}

/// The keys, in insertion order.
public fun keys<K: copy, V>(self: &VecMap<K, V>): vector<K> {
    let mut out = vector[];
    let mut i = 0;
    while (i < self.contents.length()) {
        out.push_back(self.contents[i].key);
        i = i + 1;
    };
    out
}

/// Index of `key`, if present.
public fun get_idx_opt<K: copy, V>(self: &VecMap<K, V>, key: &K): Option<u64> {
    let mut i = 0;
    let n = self.contents.length();
    while (i < n) {
        if (&self.contents[i].key == key) return option::some(i);
        i = i + 1;
    };
    option::none()
}

/// Index of `key`. Aborts with `EKeyDoesNotExist`.
public fun get_idx<K: copy, V>(self: &VecMap<K, V>, key: &K): u64 {
    let idx = self.get_idx_opt(key);
    assert!(idx.is_some(), EKeyDoesNotExist);
    idx.destroy_some()
}

/// Aborts with `EIndexOutOfBounds`.
public fun get_entry_by_idx<K: copy, V>(self: &VecMap<K, V>, idx: u64): (&K, &V) {
    assert!(idx < self.size(), EIndexOutOfBounds);
    let entry = &self.contents[idx];
    (&entry.key, &entry.value)
}

/// Aborts with `EIndexOutOfBounds`.
public fun get_entry_by_idx_mut<K: copy, V>(self: &mut VecMap<K, V>, idx: u64): (&K, &mut V) {
    assert!(idx < self.size(), EIndexOutOfBounds);
    let entry = &mut self.contents[idx];
    (&entry.key, &mut entry.value)
}

/// Aborts with `EIndexOutOfBounds`.
public fun remove_entry_by_idx<K: copy, V>(self: &mut VecMap<K, V>, idx: u64): (K, V) {
    assert!(idx < self.size(), EIndexOutOfBounds);
    let Entry { key, value } = self.contents.remove(idx);
    (key, value)
}
