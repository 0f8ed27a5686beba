// K3s-DaaS shim of std::ascii. Struct layouts, signatures and abort codes follow
// the real MoveStdlib; the bodies are written for this project.

/// ASCII strings and characters (every byte ≤ 0x7F).
module std::ascii;

/// `s.to_string()` converts to a UTF-8 `std::string::String`.
public use fun std::string::from_ascii as String.to_string;

/// A byte above 0x7F was given where ASCII is required.
const EInvalidASCIICharacter: u64 = 0x10000;
/// An index was out of range.
const EInvalidIndex: u64 = 0x10001;

/// Bytes that are all valid ASCII (not necessarily printable).
public struct String has copy, drop, store {
    bytes: vector<u8>,
}

/// One ASCII character.
public struct Char has copy, drop, store {
    byte: u8,
}

public fun char(byte: u8): Char {
    if (!is_valid_char(byte)) abort EInvalidASCIICharacter;
    Char { byte }
}

/// ASCII string from `bytes`; aborts if any byte is not ASCII.
public fun string(bytes: vector<u8>): String {
    if (!all_valid(&bytes)) abort EInvalidASCIICharacter;
    String { bytes }
}

/// `some` ASCII string, or `none` if any byte is not ASCII.
public fun try_string(bytes: vector<u8>): Option<String> {
    if (all_valid(&bytes)) option::some(String { bytes }) else option::none()
}

/// True when every byte is a printable character (0x20..=0x7E).
public fun all_characters_printable(string: &String): bool {
    let b = &string.bytes;
    let n = b.length();
    let mut i = 0;
    while (i < n) {
        if (!is_printable_char(b[i])) return false;
        i = i + 1;
    };
    true
}

public fun push_char(string: &mut String, char: Char) {
    string.bytes.push_back(char.byte);
}

public fun pop_char(string: &mut String): Char {
    Char { byte: string.bytes.pop_back() }
}

public fun length(string: &String): u64 {
    string.bytes.length()
}

public fun append(string: &mut String, other: String) {
    let String { bytes } = other;
    string.bytes.append(bytes);
}

/// Insert `o` at byte offset `at` (0 ≤ at ≤ length).
public fun insert(s: &mut String, at: u64, o: String) {
    if (at > s.bytes.length()) abort EInvalidIndex;
    let String { bytes } = o;
    let mut k = bytes.length();
    while (k > 0) {
        k = k - 1;
        s.bytes.insert(bytes[k], at);
    };
}

/// Copy of bytes `[i, j)`.
public fun substring(string: &String, i: u64, j: u64): String {
    if (i > j || j > string.bytes.length()) abort EInvalidIndex;
    let mut bytes = vector[];
    let mut k = i;
    while (k < j) {
        bytes.push_back(string.bytes[k]);
        k = k + 1;
    };
    String { bytes }
}

public fun as_bytes(string: &String): &vector<u8> {
    &string.bytes
}

public fun into_bytes(string: String): vector<u8> {
    let String { bytes } = string;
    bytes
}

public fun byte(char: Char): u8 {
    let Char { byte } = char;
    byte
}

public fun is_valid_char(b: u8): bool {
    b < 0x80
}

public fun is_printable_char(byte: u8): bool {
    0x20 <= byte && byte < 0x7F
}

public fun is_empty(string: &String): bool {
    string.bytes.length() == 0
}

public fun to_uppercase(string: &String): String {
    let mut bytes = string.bytes;
    let n = bytes.length();
    let mut i = 0;
    while (i < n) {
        let c = bytes[i];
        if (0x61 <= c && c <= 0x7A) *&mut bytes[i] = c - 0x20;
        i = i + 1;
    };
    String { bytes }
}

public fun to_lowercase(string: &String): String {
    let mut bytes = string.bytes;
    let n = bytes.length();
    let mut i = 0;
    while (i < n) {
        let c = bytes[i];
        if (0x41 <= c && c <= 0x5A) *&mut bytes[i] = c + 0x20;
        i = i + 1;
    };
    String { bytes }
}

/// Byte index of the first occurrence of `substr`, `length()` if absent, 0 if `substr` is empty.
public fun index_of(string: &String, substr: &String): u64 {
    let (hay, needle) = (&string.bytes, &substr.bytes);
    let (n, m) = (hay.length(), needle.length());
    if (m > n) return n;
    let mut start = 0;
    while (start + m <= n) {
        let mut k = 0;
        while (k < m && hay[start + k] == needle[k]) k = k + 1;
        if (k == m) return start;
        start = start + 1;
    };
    n
}

fun all_valid(bytes: &vector<u8>): bool {
    let n = bytes.length();
    let mut i = 0;
    while (i < n) {
        if (!is_valid_char(bytes[i])) return false;
        i = i + 1;
    };
    true
}
