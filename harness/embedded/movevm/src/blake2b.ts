/**
 * Blake2b-256 through one reused WebAssembly state (hash-wasm): object IDs, dynamic-field IDs
 * and `sui::hash::blake2b256` run on every call, and the pure-JS hash is 3–8× slower.
 * Sharing the state is safe because the function is synchronous.
 */
import { createBLAKE2b } from 'hash-wasm';

const hasher = await createBLAKE2b(256);

export function blake2b256(...parts: Uint8Array[]): Uint8Array {
  hasher.init();
  for (const p of parts) hasher.update(p);
  return hasher.digest('binary');
}
