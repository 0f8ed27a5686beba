/// Body assembly for request payloads and responses: chunks arrive as separate
/// pure arguments (each at most 16,384 bytes) and are concatenated here; the
/// sha2-256 digest of the whole (possibly compressed) payload is checked;
/// response bodies are checked chunk by chunk with a chained digest.
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

/// The digest of a response body sent as chunks, advanced by one chunk: the
/// first is sha2_256(c0), each next one sha2_256(c(i) ++ previous), so the
/// contract checks a body it never concatenates (appending the 32-byte digest
/// to the chunk costs 32 steps; appending the chunk would cost its length). A
/// one-chunk body's digest is its plain sha2-256; `index` is the number of
/// chunks before this one.
public fun chain_digest(previous: &vector<u8>, index: u64, chunk: &vector<u8>): vector<u8> {
    if (index == 0) return std::hash::sha2_256(*chunk);
    let mut data = *chunk;
    data.append(*previous);
    std::hash::sha2_256(data)
}

/// True when `digest` is the sha2-256 of `body`. An empty body may also carry
/// an empty digest (bodiless requests such as GET need not hash anything).
public fun digest_matches(body: &vector<u8>, digest: &vector<u8>): bool {
    if (body.is_empty() && digest.is_empty()) return true;
    std::hash::sha2_256(*body) == *digest
}
