// K3s-DaaS shim of std::address.

/// Platform address size.
module std::address;

/// Bytes in an address (32 on Sui).
public fun length(): u64 {
    32
}
