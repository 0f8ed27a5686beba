/**
 * Finds where a BCS value of a given type ends, using the struct layouts of installed packages.
 * Used to split `Field<K, V>` contents into name and value for ListDynamicFields.
 */
import { normalizeStructTag, normalizeSuiAddress, parseStructTag } from '@mysten/sui/utils';
import type { PackageCatalog } from './catalog.ts';
import { sigBodyToTypeTag } from './module-info.ts';
import { readUleb } from './uleb.ts';

const WIDTH: Record<string, number> = { bool: 1, u8: 1, u16: 2, u32: 4, u64: 8, u128: 16, u256: 32, address: 32, signer: 32 };

function uleb(bytes: Uint8Array, at: number): [number, number] {
  const read = readUleb(bytes, at);
  if (!read) throw new Error('malformed ULEB128');
  return read;
}

/** Offset just past the value of `type` that starts at `at`. */
export function bcsEnd(catalog: PackageCatalog, type: string, bytes: Uint8Array, at: number): number {
  const width = WIDTH[type];
  if (width !== undefined) return at + width;
  const vec = /^vector<(.+)>$/.exec(type);
  if (vec) {
    const elem = vec[1]!;
    const [len, start] = uleb(bytes, at);
    const w = WIDTH[elem];
    if (w !== undefined) return start + len * w;
    let pos = start;
    for (let i = 0; i < len; i++) pos = bcsEnd(catalog, elem, bytes, pos);
    return pos;
  }
  const tag = parseStructTag(type);
  const dt = catalog.datatype(normalizeSuiAddress(tag.address), tag.module, tag.name);
  if (!dt) throw new Error(`no layout for ${type}: its package is not installed`);
  const args = tag.typeParams.map((p) => (typeof p === 'string' ? p : normalizeStructTag(p)));
  const fieldsOf = (fields: { type: Parameters<typeof sigBodyToTypeTag>[0] }[], start: number) =>
    fields.reduce((pos, f) => bcsEnd(catalog, sigBodyToTypeTag(f.type, args), bytes, pos), start);
  if (dt.kind === 'enum') {
    const [variant, start] = uleb(bytes, at);
    const v = dt.variants[variant];
    if (!v) throw new Error(`variant ${variant} does not exist in ${type}`);
    return fieldsOf(v.fields, start);
  }
  return fieldsOf(dt.fields, at);
}
