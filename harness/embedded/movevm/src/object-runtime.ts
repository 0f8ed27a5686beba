/**
 * The boundary between the VM and whoever owns object storage (the embedded
 * Sui node, or `InMemoryObjectRuntime` in tests).
 *
 * Reads happen during execution (`tx`, `readChild`, `freshId`). Writes are
 * buffered by the VM and applied only when a call finishes without error, in
 * execution order — so a runtime never sees effects of an aborted call.
 */
import { blake2b256 } from './blake2b.ts';
import { addressToBytes, bytesToAddress, bytesToHex } from './values.ts';
import { normalizeAddress } from './types.ts';

/** Object as stored: ID, full type tag (`0x…::m::T<…>`), BCS contents. */
export interface StoredObject {
  id: string;
  type: string;
  bcs: Uint8Array;
}

export type Owner = { kind: 'address'; address: string } | { kind: 'shared' } | { kind: 'immutable' };

export interface EmittedEvent {
  /** event struct type tag */
  type: string;
  bcs: Uint8Array;
  /** module of the function the transaction called (Sui's `transactionModule`) */
  sender: string;
}

/** Mutable transaction context (the natives of `sui::tx_context` read and, in tests, replace it). */
export interface TxContextInfo {
  sender: string;
  /** 32-byte transaction digest */
  digest: Uint8Array;
  epoch: bigint;
  epochTimestampMs: bigint;
  idsCreated: bigint;
  referenceGasPrice: bigint;
  gasPrice: bigint;
  gasBudget: bigint;
  sponsor?: string;
}

export interface ObjectRuntime {
  readonly tx: TxContextInfo;
  /** Current version of an object (for `receive`); optional. */
  /** A dynamic-field child (or object-owned object) of `parent`, if any. */
  readChild(parent: string, id: string): StoredObject | undefined;
  /** Object sent to address `parent` that `transfer::receive` may take; optional. */
  receiveObject?(parent: string, id: string, version: bigint): StoredObject | undefined;

  // ---- effects, applied after a successful call, in execution order ----
  /** `object::new` created this UID */
  newId(id: string): void;
  /** `object::delete` destroyed this UID */
  deleteId(id: string): void;
  /** object handed to transfer / share / freeze */
  transfer(obj: StoredObject, owner: Owner): void;
  emitEvent(ev: EmittedEvent): void;
  /** add or overwrite a child object of `parent` */
  writeChild(parent: string, obj: StoredObject): void;
  removeChild(parent: string, id: string): void;
}

function u64le(n: bigint): Uint8Array {
  const out = new Uint8Array(8);
  for (let i = 0; i < 8; i++) out[i] = Number((n >> BigInt(8 * i)) & 0xffn);
  return out;
}

/** Sui's fresh object ID: Blake2b-256(0xF1 ‖ tx digest ‖ u64 LE creation counter). */
export function deriveObjectId(txDigest: Uint8Array, counter: bigint): string {
  return bytesToAddress(blake2b256(Uint8Array.of(0xf1), txDigest, u64le(counter)));
}

/**
 * Sui's dynamic-field object ID: Blake2b-256(0xF0 ‖ parent ‖ u64 LE key
 * length ‖ key BCS ‖ BCS of the key's type tag).
 */
export function deriveDynamicFieldId(parent: string, keyTypeTagBcs: Uint8Array, keyBcs: Uint8Array): string {
  return bytesToAddress(
    blake2b256(
      Uint8Array.of(0xf0),
      addressToBytes(parent),
      u64le(BigInt(keyBcs.length)),
      keyBcs,
      keyTypeTagBcs,
    ),
  );
}

export interface InMemoryObject extends StoredObject {
  owner: Owner | { kind: 'object'; parent: string };
}

/** Object store for tests and benchmarks: everything lives in maps. */
export class InMemoryObjectRuntime implements ObjectRuntime {
  readonly tx: TxContextInfo;
  readonly objects = new Map<string, InMemoryObject>();
  readonly events: EmittedEvent[] = [];
  readonly createdIds: string[] = [];
  readonly deletedIds: string[] = [];
  /** test_scenario: objects taken out of an inventory, with the owner they were taken from */
  readonly taken = new Map<string, InMemoryObject['owner']>();

  constructor(tx: Partial<TxContextInfo> = {}) {
    this.tx = {
      sender: normalizeAddress(tx.sender ?? '0x0'),
      digest: tx.digest ?? new Uint8Array(32),
      epoch: tx.epoch ?? 0n,
      epochTimestampMs: tx.epochTimestampMs ?? 0n,
      idsCreated: tx.idsCreated ?? 0n,
      referenceGasPrice: tx.referenceGasPrice ?? 1000n,
      gasPrice: tx.gasPrice ?? 1000n,
      gasBudget: tx.gasBudget ?? 50_000_000_000n,
      ...(tx.sponsor !== undefined ? { sponsor: normalizeAddress(tx.sponsor) } : {}),
    };
  }

  /** Start a new "transaction": new digest, counter back to zero. */
  nextTransaction(digest: Uint8Array, sender?: string): void {
    this.tx.digest = digest;
    this.tx.idsCreated = 0n;
    if (sender) this.tx.sender = normalizeAddress(sender);
  }

  readChild(parent: string, id: string): StoredObject | undefined {
    const o = this.objects.get(id);
    if (!o || o.owner.kind !== 'object' || o.owner.parent !== parent) return undefined;
    return o;
  }
  receiveObject(parent: string, id: string): StoredObject | undefined {
    const o = this.objects.get(id);
    if (!o || o.owner.kind !== 'address' || o.owner.address !== parent) return undefined;
    return o;
  }
  newId(id: string): void {
    this.createdIds.push(id);
  }
  deleteId(id: string): void {
    this.deletedIds.push(id);
    this.objects.delete(id);
  }
  transfer(obj: StoredObject, owner: Owner): void {
    // delete first so iteration order is "most recently transferred last"
    this.objects.delete(obj.id);
    this.objects.set(obj.id, { ...obj, owner });
  }
  emitEvent(ev: EmittedEvent): void {
    this.events.push(ev);
  }
  writeChild(parent: string, obj: StoredObject): void {
    this.objects.set(obj.id, { ...obj, owner: { kind: 'object', parent } });
  }
  removeChild(_parent: string, id: string): void {
    this.objects.delete(id);
  }
  describe(id: string): string {
    const o = this.objects.get(id);
    return o ? `${o.type} ${bytesToHex(o.bcs)}` : '(none)';
  }
}
