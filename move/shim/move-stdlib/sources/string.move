// K3s-DaaS shim of std::string. Struct layout, signatures, natives and abort codes
// follow the real MoveStdlib; the bodies are written for this project.

/// UTF-8 strings.
module std::string;

use std::ascii;

/// The bytes are not valid UTF-8.
const EInvalidUTF8: u64 = 1;
/// An index is out of range or not on a character boundary.
const EInvalidIndex: u64 = 2;

/// Bytes that are guaranteed to be valid UTF-8.
public struct String has copy, drop, store {
    bytes: vector<u8>,
}

/// UTF-8 string from `bytes`; aborts with `EInvalidUTF8` if they are not UTF-8.
public fun utf8(bytes: vector<u8>): String {
    if (!internal_check_utf8(&bytes)) abort EInvalidUTF8;
    String { bytes }
}

/// Every ASCII string is valid UTF-8.
public fun from_ascii(s: ascii::String): String {
    String { bytes: ascii::into_bytes(s) }
}

/// ASCII string from `s`; aborts if `s` has non-ASCII characters.
public fun to_ascii(s: String): ascii::String {
    let String { bytes } = s;
    ascii::string(bytes)
}

/// `some` UTF-8 string, or `none` if the bytes are not UTF-8.
public fun try_utf8(bytes: vector<u8>): Option<String> {
    if (internal_check_utf8(&bytes)) option::some(String { bytes }) else option::none()
}

public fun as_bytes(s: &String): &vector<u8> {
    &s.bytes
}

public fun into_bytes(s: String): vector<u8> {
    let String { bytes } = s;
    bytes
}

public fun is_empty(s: &String): bool {
    s.bytes.length() == 0
}

/// Length in bytes (not characters).
public fun length(s: &String): u64 {
    s.bytes.length()
}

public fun append(s: &mut String, r: String) {
    let String { bytes } = r;
    s.bytes.append(bytes);
}

/// Append `bytes`, which must be valid UTF-8.
public fun append_utf8(s: &mut String, bytes: vector<u8>) {
    s.append(utf8(bytes));
}

/// Insert `o` at byte offset `at`, which must be a character boundary.
public fun insert(s: &mut String, at: u64, o: String) {
    let n = s.bytes.length();
    if (at > n || !internal_is_char_boundary(&s.bytes, at)) abort EInvalidIndex;
    let mut out = String { bytes: internal_sub_string(&s.bytes, 0, at) };
    let tail = String { bytes: internal_sub_string(&s.bytes, at, n) };
    out.append(o);
    out.append(tail);
    *s = out;
}

/// Bytes `[i, j)` of `s`; both ends must be character boundaries.
public fun substring(s: &String, i: u64, j: u64): String {
    let b = &s.bytes;
    let ok = i <= j && j <= b.length()
        && internal_is_char_boundary(b, i) && internal_is_char_boundary(b, j);
    if (!ok) abort EInvalidIndex;
    String { bytes: internal_sub_string(b, i, j) }
}

/// Byte index of the first occurrence of `r` in `s`, or `s.length()` if absent.
public fun index_of(s: &String, r: &String): u64 {
    internal_index_of(&s.bytes, &r.bytes)
}

// Natives (bound by name by the Move VM).
native fun internal_check_utf8(v: &vector<u8>): bool;
native fun internal_is_char_boundary(v: &vector<u8>, i: u64): bool;
native fun internal_sub_string(v: &vector<u8>, i: u64, j: u64): vector<u8>;
native fun internal_index_of(v: &vector<u8>, r: &vector<u8>): u64;

// Deprecated names, kept because the real stdlib keeps them (as wrappers).

#[deprecated(note = b"Use `std::string::as_bytes` instead.")]
public fun bytes(s: &String): &vector<u8> { s.as_bytes() }

#[deprecated(note = b"Use `std::string::substring` instead.")]
public fun sub_string(s: &String, i: u64, j: u64): String { s.substring(i, j) }
