/**
 * Sui limits and the contract's own hard limits (MAX_* constants in
 * move/k8s_gateway/sources/k8s_gateway.move; a test keeps them in sync).
 */

/** Sui: maximum size of one pure argument. */
export const SUI_MAX_PURE_ARGUMENT_BYTES = 16_384;
/** Sui: maximum size of a transaction. */
export const SUI_MAX_TX_BYTES = 131_072;
/** Sui: maximum size of a Move object. */
export const SUI_MAX_OBJECT_BYTES = 256_000;
/** Sui: maximum size of one event. */
export const SUI_MAX_EVENT_BYTES = 256_000;

/** Bytes per chunk: one pure `vector<u8>` argument, leaving room for its ULEB128 length. */
export const CHUNK_BYTES = 16_000;
/** Contract: request payload limit (the whole payload travels in one transaction). */
export const MAX_PAYLOAD_LIMIT = 112_000;
/** Contract: response body limit (the body lives in the Request object). */
export const MAX_RESPONSE_LIMIT = 240_000;
/** Response bytes per transaction (6 chunks), leaving room for the other inputs. */
export const RESPONSE_BYTES_PER_TX = 6 * CHUNK_BYTES;
