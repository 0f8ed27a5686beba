/** Builds LedgerObjects: BCS encoding, digest, and coin helpers. */
import { bcs } from '@mysten/sui/bcs';
import { normalizeStructTag, normalizeSuiAddress, parseStructTag } from '@mysten/sui/utils';
import { createBLAKE2b } from 'hash-wasm';
import { BcsWriter, digestToBase58 } from './bcs-writer.ts';
import type { LedgerObject, MoveObjectData, Owner, PackageData } from './types.ts';
import { GAS_COIN_TYPE } from './types.ts';

const OBJECT_DIGEST_PREFIX = new TextEncoder().encode('Object::');

/**
 * One WebAssembly Blake2b-256 state, reused: 3–8× faster than the pure-JS hash, and every
 * transaction hashes each written object, the effects, the events and the transaction itself.
 * Safe to share because blake2b256 is synchronous (init → update → digest never interleave).
 */
const hasher = await createBLAKE2b(256);

export function blake2b256(...parts: Uint8Array[]): Uint8Array {
  hasher.init();
  for (const p of parts) hasher.update(p);
  return hasher.digest('binary');
}

export function ownerToBcs(owner: Owner) {
  switch (owner.kind) {
    case 'address':
      return { AddressOwner: owner.address };
    case 'object':
      return { ObjectOwner: owner.parent };
    case 'shared':
      return { Shared: { initialSharedVersion: owner.initialVersion } };
    case 'immutable':
      return { Immutable: true };
  }
}

/** MoveObjectType: Sui special-cases gas coins and coins. */
function moveObjectType(type: string) {
  if (type === GAS_COIN_TYPE) return { GasCoin: true };
  const tag = parseStructTag(type);
  if (
    normalizeSuiAddress(tag.address) === normalizeSuiAddress('0x2') &&
    tag.module === 'coin' &&
    tag.name === 'Coin'
  ) {
    const inner = tag.typeParams[0];
    const innerStr = typeof inner === 'string' ? inner : normalizeStructTag(inner!);
    return { Coin: typeTagFromString(innerStr) };
  }
  return { Other: structTagFromString(type) };
}

type BcsTypeTag = Parameters<typeof bcs.TypeTag.serialize>[0];
type BcsStructTag = Parameters<typeof bcs.StructTag.serialize>[0];

export function typeTagFromString(type: string): BcsTypeTag {
  const prim = ['bool', 'u8', 'u16', 'u32', 'u64', 'u128', 'u256', 'address', 'signer'];
  if (prim.includes(type)) return { [type]: true } as BcsTypeTag;
  const vec = /^vector<(.+)>$/.exec(type);
  if (vec) return { vector: typeTagFromString(vec[1]!) } as BcsTypeTag;
  return { struct: structTagFromString(type) } as BcsTypeTag;
}

export function structTagFromString(type: string): BcsStructTag {
  const tag = parseStructTag(type);
  return {
    address: normalizeSuiAddress(tag.address),
    module: tag.module,
    name: tag.name,
    typeParams: tag.typeParams.map((p) =>
      typeTagFromString(typeof p === 'string' ? p : normalizeStructTag(p)),
    ) as unknown as BcsStructTag['typeParams'],
  };
}

export function makeObject(fields: {
  id: string;
  version: bigint;
  owner: Owner;
  previousTransaction: string;
  storageRebate: bigint;
  data: MoveObjectData | PackageData;
}): LedgerObject {
  // Move objects (every transaction) are assembled directly; packages (rare) go through bcs.Object.
  const bytes =
    fields.data.kind === 'move'
      ? moveObjectBcs(fields, fields.data)
      : slowObjectBcs(fields, {
          Package: {
            id: fields.id,
            version: fields.version,
            moduleMap: new Map(fields.data.modules.map(([n, b]) => [n, b] as [string, Uint8Array])),
            typeOriginTable: fields.data.typeOrigins.map((t) => ({ ...t })),
            linkageTable: new Map(fields.data.linkage.map(([id, u]) => [id, u] as const)),
          },
        });
  return { ...fields, digest: digestToBase58(blake2b256(OBJECT_DIGEST_PREFIX, bytes)), bcs: bytes };
}

/** The reference encoding through @mysten/sui's bcs.Object (used for packages, and to test the fast path). */
export function slowObjectBcs(
  fields: { owner: Owner; previousTransaction: string; storageRebate: bigint },
  data: unknown,
): Uint8Array {
  return bcs.Object.serialize({
    data: data as Parameters<typeof bcs.Object.serialize>[0]['data'],
    owner: ownerToBcs(fields.owner) as Parameters<typeof bcs.Object.serialize>[0]['owner'],
    previousTransaction: fields.previousTransaction,
    storageRebate: fields.storageRebate,
  }).toBytes();
}

const typeBytesCache = new Map<string, Uint8Array>();

/** MoveObjectType BCS per type string: parsing struct tags is the slow part, types repeat. */
function moveObjectTypeBytes(type: string): Uint8Array {
  let bytes = typeBytesCache.get(type);
  if (!bytes) {
    bytes = bcs.MoveObjectType.serialize(
      moveObjectType(type) as Parameters<typeof bcs.MoveObjectType.serialize>[0],
    ).toBytes();
    typeBytesCache.set(type, bytes);
  }
  return bytes;
}

function writeOwner(w: BcsWriter, owner: Owner): void {
  switch (owner.kind) {
    case 'address':
      w.u8(0).address(owner.address);
      return;
    case 'object':
      w.u8(1).address(owner.parent);
      return;
    case 'shared':
      w.u8(2).u64(owner.initialVersion);
      return;
    case 'immutable':
      w.u8(3);
      return;
  }
}

/** bcs.Object for a Move object, assembled directly (same bytes as slowObjectBcs). */
function moveObjectBcs(
  fields: { version: bigint; owner: Owner; previousTransaction: string; storageRebate: bigint },
  data: MoveObjectData,
): Uint8Array {
  const w = new BcsWriter(data.contents.length + 256)
    .u8(0)
    .raw(moveObjectTypeBytes(data.type))
    .u8(data.hasPublicTransfer ? 1 : 0)
    .u64(fields.version)
    .byteVector(data.contents);
  writeOwner(w, fields.owner);
  return w.digest(fields.previousTransaction).u64(fields.storageRebate).toBytes();
}

/** Coin<T> contents: { id: UID, balance: u64 }. */
export const CoinContents = bcs.struct('Coin', { id: bcs.Address, balance: bcs.u64() });

const coinTypeMemo = new Map<string, string | null>();

/** T of a Coin<T> object type (normalized), or undefined; memoized, object types repeat. */
export function coinTypeOf(objectType: string): string | undefined {
  let t = coinTypeMemo.get(objectType);
  if (t === undefined) {
    const m = /^0x0*2::coin::Coin<(.+)>$/.exec(objectType);
    t = m ? normalizeStructTag(m[1]!) : null;
    if (coinTypeMemo.size > 10_000) coinTypeMemo.clear();
    coinTypeMemo.set(objectType, t);
  }
  return t ?? undefined;
}

const coinTypes = new Map<string, boolean>();

/** Coin<T> contents are UID (32 bytes) ‖ u64 LE balance: read in place (gas selection scans every coin). */
export function coinBalance(obj: LedgerObject): bigint | undefined {
  if (obj.data.kind !== 'move') return undefined;
  let isCoin = coinTypes.get(obj.data.type);
  if (isCoin === undefined) {
    isCoin = coinTypeOf(obj.data.type) !== undefined;
    if (coinTypes.size > 10_000) coinTypes.clear();
    coinTypes.set(obj.data.type, isCoin);
  }
  if (!isCoin) return undefined;
  const contents = obj.data.contents;
  if (contents.length !== 40) return BigInt(CoinContents.parse(contents).balance); // throws: malformed
  return new DataView(contents.buffer, contents.byteOffset, 40).getBigUint64(32, true);
}

export function encodeCoin(id: string, balance: bigint): Uint8Array {
  const hex = normalizeSuiAddress(id).slice(2);
  if (!/^[0-9a-f]{64}$/.test(hex) || balance < 0n || balance >= 1n << 64n)
    return CoinContents.serialize({ id, balance }).toBytes(); // throws with the BCS error
  const out = new Uint8Array(40);
  out.set(Buffer.from(hex, 'hex'));
  new DataView(out.buffer).setBigUint64(32, balance, true);
  return out;
}

/**
 * Sui's `Object::object_size_for_gas_metering` (crates/sui-types/src/object.rs, move_package.rs
 * at 73dd2c2b = 1.71): owner 40 + previous transaction 32 + storage rebate 8, plus for a Move
 * object contents + BCS `MoveObjectType` (1 byte for a gas coin) + 1 (has_public_transfer) + 8 (version), for a package
 * 8 (version) + Σ(module name + bytes) + Σ(type origin module + struct name + 32) + 72 per
 * linkage entry. It depends on the data only, so an object's rebate is known before it is
 * encoded and digested.
 */
export function storageBytes(data: MoveObjectData | PackageData): number {
  const metadata = 40 + 32 + 8;
  if (data.kind === 'move')
    return metadata + data.contents.length + moveObjectTypeBytes(data.type).length + 1 + 8;
  let size = 8;
  for (const [name, bytes] of data.modules) size += Buffer.byteLength(name) + bytes.length;
  for (const o of data.typeOrigins)
    size += Buffer.byteLength(o.moduleName) + Buffer.byteLength(o.datatypeName) + 32;
  size += data.linkage.length * (32 + 32 + 8);
  return metadata + size;
}
