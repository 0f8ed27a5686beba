// K3s-DaaS shim of sui::url (Sui 1.71.1 signatures; bodies are our own).

/// A URL held as an ASCII string (not validated).
module sui::url;

use std::ascii::String;

public struct Url has copy, drop, store {
    url: String,
}

/// A `Url` from an ASCII string, without validation.
public fun new_unsafe(url: String): Url {
    Url { url }
}

/// A `Url` from bytes; aborts (in `std::ascii`) if they are not ASCII.
public fun new_unsafe_from_bytes(bytes: vector<u8>): Url {
    Url { url: bytes.to_ascii_string() }
}

public fun inner_url(self: &Url): String {
    self.url
}

public fun update(self: &mut Url, url: String) {
    self.url = url;
}
