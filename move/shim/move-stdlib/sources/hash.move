// K3s-DaaS shim of std::hash (natives declared with the real names and signatures).

/// SHA-2 and SHA-3 digests of byte vectors.
module std::hash;

public native fun sha2_256(data: vector<u8>): vector<u8>;

public native fun sha3_256(data: vector<u8>): vector<u8>;
