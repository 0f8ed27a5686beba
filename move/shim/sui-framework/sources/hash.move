// K3s-DaaS shim of sui::hash (Sui 1.71.1 signatures).

/// Hash functions provided by the runtime.
module sui::hash;

/// 32-byte BLAKE2b-256 digest of `data`.
public native fun blake2b256(data: &vector<u8>): vector<u8>;

/// 32-byte Keccak-256 digest of `data`.
public native fun keccak256(data: &vector<u8>): vector<u8>;
