// K3s-DaaS shim of std::type_name. Struct layout, signatures, natives and abort
// codes follow the real MoveStdlib; the bodies are written for this project.

/// Runtime names of Move types.
module std::type_name;

use std::ascii::String;

/// `address_string`/`module_string`/`datatype_string` were asked of a primitive type.
const ENonModuleType: u64 = 0;

/// A type's name in source syntax: `u64`, `vector<u8>`, or
/// `<64 hex digits>::module::Type<...>` for datatypes.
public struct TypeName has copy, drop, store {
    name: String,
}

/// Name of `T` using defining package IDs.
public native fun with_defining_ids<T>(): TypeName;

/// Name of `T` using original package IDs.
public native fun with_original_ids<T>(): TypeName;

/// Defining package ID of datatype `T`.
public native fun defining_id<T>(): address;

/// Original package ID of datatype `T`.
public native fun original_id<T>(): address;

/// True for bool, u8..u256, address and vector<...>.
public fun is_primitive(self: &TypeName): bool {
    let b = self.name.as_bytes();
    if (b == &b"bool" || b == &b"address") return true;
    if (b == &b"u8" || b == &b"u16" || b == &b"u32") return true;
    if (b == &b"u64" || b == &b"u128" || b == &b"u256") return true;
    starts_with(b, &b"vector")
}

public fun as_string(self: &TypeName): &String {
    &self.name
}

/// The 64 hex digits of the defining address; aborts for primitive types.
public fun address_string(self: &TypeName): String {
    assert!(!self.is_primitive(), ENonModuleType);
    let b = self.name.as_bytes();
    let hex_len = std::address::length() * 2;
    let mut out = vector[];
    let mut i = 0;
    while (i < hex_len) {
        out.push_back(b[i]);
        i = i + 1;
    };
    out.to_ascii_string()
}

/// The module name; aborts for primitive types.
public fun module_string(self: &TypeName): String {
    assert!(!self.is_primitive(), ENonModuleType);
    let b = self.name.as_bytes();
    let mut i = std::address::length() * 2 + 2;
    let mut out = vector[];
    while (b[i] != 58 /* ':' */) {
        out.push_back(b[i]);
        i = i + 1;
    };
    out.to_ascii_string()
}

/// The struct or enum name without type arguments; aborts for primitive types.
public fun datatype_string(self: &TypeName): String {
    assert!(!self.is_primitive(), ENonModuleType);
    let b = self.name.as_bytes();
    let n = b.length();
    let mut i = std::address::length() * 2 + 2;
    while (b[i] != 58) i = i + 1; // end of module name
    i = i + 2; // skip "::"
    let mut out = vector[];
    while (i < n && b[i] != 60 /* '<' */) {
        out.push_back(b[i]);
        i = i + 1;
    };
    out.to_ascii_string()
}

public fun into_string(self: TypeName): String {
    self.name
}

// === Deprecated names, kept for compatibility ===

#[deprecated(note = b"Renamed to `with_defining_ids` for clarity.")]
public fun get<T>(): TypeName {
    with_defining_ids<T>()
}

#[deprecated(note = b"Renamed to `with_original_ids` for clarity.")]
public fun get_with_original_ids<T>(): TypeName {
    with_original_ids<T>()
}

#[deprecated(note = b"Renamed to `as_string` for consistency.")]
public fun borrow_string(self: &TypeName): &String {
    &self.name
}

#[deprecated(note = b"Renamed to `address_string` for consistency.")]
public fun get_address(self: &TypeName): String {
    self.address_string()
}

#[deprecated(note = b"Renamed to `module_string` for consistency.")]
public fun get_module(self: &TypeName): String {
    self.module_string()
}

fun starts_with(b: &vector<u8>, prefix: &vector<u8>): bool {
    let m = prefix.length();
    if (b.length() < m) return false;
    let mut i = 0;
    while (i < m) {
        if (b[i] != prefix[i]) return false;
        i = i + 1;
    };
    true
}
