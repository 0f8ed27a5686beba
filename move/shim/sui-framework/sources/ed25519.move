// K3s-DaaS shim of sui::ed25519 (Sui 1.71.1 name and signature).

/// Ed25519 signature verification provided by the runtime.
module sui::ed25519;

/// True when `signature` (64 bytes) is a valid Ed25519 signature of `msg` by
/// `public_key` (32 bytes); false for any malformed input. Never aborts.
public native fun ed25519_verify(signature: &vector<u8>, public_key: &vector<u8>, msg: &vector<u8>): bool;
