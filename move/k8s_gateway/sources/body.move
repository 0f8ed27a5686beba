/// Body assembly for request payloads and responses: chunks arrive as separate
/// pure arguments (each at most 16,384 bytes) and are concatenated here; the
/// sha2-256 digest of the whole (possibly compressed) body is checked;
/// response bodies sent in several transactions use a chained digest.
module k8s_gateway::body;

/// Concatenates chunks in order. The first chunk is taken as-is so the common
/// single-chunk case copies nothing byte by byte.
public fun concat(mut chunks: vector<vector<u8>>): vector<u8> {
    if (chunks.is_empty()) {
        chunks.destroy_empty();
        return vector[]
    };
    chunks.reverse();
    let mut out = chunks.pop_back();
    while (!chunks.is_empty()) {
        out.append(chunks.pop_back());
    };
    chunks.destroy_empty();
    out
}

/// The digest of a body sent in segments (one per transaction), advanced by
/// one segment: the first is sha2_256(segment), each next one
/// sha2_256(previous ++ segment). A one-segment body's digest is therefore
/// its plain sha2-256; `index` is the number of segments before this one.
public fun chain_digest(previous: &vector<u8>, index: u64, segment: &vector<u8>): vector<u8> {
    if (index == 0) return std::hash::sha2_256(*segment);
    let mut data = *previous;
    data.append(*segment);
    std::hash::sha2_256(data)
}

/// True when `digest` is the sha2-256 of `body`. An empty body may also carry
/// an empty digest (bodiless requests such as GET need not hash anything).
public fun digest_matches(body: &vector<u8>, digest: &vector<u8>): bool {
    if (body.is_empty() && digest.is_empty()) return true;
    std::hash::sha2_256(*body) == *digest
}
