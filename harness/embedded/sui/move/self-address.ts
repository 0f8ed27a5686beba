/**
 * Publishing rewrites a module's self address (0x0) to the new package id, as Sui does. The
 * address sits in the binary's ADDRESS_IDENTIFIERS table (32-byte entries), so it is patched in
 * place rather than by a full deserialize/serialize round trip through WASM.
 */
import { deserialize, serialize } from '@mysten/move-bytecode-template';
import { readUleb } from './uleb.ts';

const ADDRESS_IDENTIFIERS = 0x08;
const MAGIC = 0xa11ceb0b;

function headerUleb(bytes: Uint8Array, at: number): [number, number] {
  const read = readUleb(bytes, at);
  if (!read) throw new Error('truncated ULEB128 in module header');
  return read;
}

interface TableHeader {
  kind: number;
  offset: number;
  count: number;
}

/** Module binary header: magic, version, table count, table headers; content follows. */
function tables(bytes: Uint8Array): { headers: TableHeader[]; contentStart: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0, false) !== MAGIC) throw new Error('not a Move module (bad magic)');
  let pos = 8;
  const [n, afterCount] = headerUleb(bytes, pos);
  pos = afterCount;
  const headers: TableHeader[] = [];
  for (let i = 0; i < n; i++) {
    const kind = bytes[pos++]!;
    const [offset, a] = headerUleb(bytes, pos);
    const [count, b] = headerUleb(bytes, a);
    pos = b;
    headers.push({ kind, offset, count });
  }
  return { headers, contentStart: pos };
}

/** Fast path; falls back to the WASM round trip when the layout is not what it expects. */
export function withSelfAddress(bytes: Uint8Array, packageId: string): Uint8Array {
  return patchSelfAddress(bytes, packageId) ?? withSelfAddressReference(bytes, packageId);
}

/** In-place patch of the single all-zero address identifier; undefined when not applicable. */
export function patchSelfAddress(bytes: Uint8Array, packageId: string): Uint8Array | undefined {
  const target = Buffer.from(packageId.slice(2).padStart(64, '0'), 'hex');
  try {
    const { headers, contentStart } = tables(bytes);
    const table = headers.find((h) => h.kind === ADDRESS_IDENTIFIERS);
    if (table && table.count % 32 === 0) {
      const start = contentStart + table.offset;
      const zeros: number[] = [];
      for (let i = 0; i < table.count / 32; i++) {
        const entry = bytes.subarray(start + i * 32, start + (i + 1) * 32);
        if (entry.every((b) => b === 0)) zeros.push(i);
      }
      if (zeros.length === 1) {
        const out = Uint8Array.from(bytes);
        out.set(target, start + zeros[0]! * 32);
        return out;
      }
    }
  } catch {
    // not applicable: the caller uses the reference implementation
  }
  return undefined;
}

/** Reference implementation: deserialize, replace the self module's address, serialize. */
export function withSelfAddressReference(bytes: Uint8Array, packageId: string): Uint8Array {
  const json = deserialize(bytes) as { self_module_handle_idx: number; module_handles: { address: number }[]; address_identifiers: string[] };
  const selfAddr = json.module_handles[json.self_module_handle_idx]!.address;
  json.address_identifiers[selfAddr] = packageId.slice(2).padStart(64, '0');
  return serialize(json);
}
