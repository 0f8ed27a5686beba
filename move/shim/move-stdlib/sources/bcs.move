// K3s-DaaS shim of std::bcs (native declared with the real name and signature).

/// Binary Canonical Serialization of Move values.
module std::bcs;

/// The BCS encoding of `v`.
public native fun to_bytes<MoveValue>(v: &MoveValue): vector<u8>;
