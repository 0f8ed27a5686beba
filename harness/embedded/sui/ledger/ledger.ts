/**
 * The ledger: live objects, object history, executed transactions, events and checkpoints.
 * Values are immutable; a snapshot copies the maps (milliseconds for thousands of entries).
 */
import type { GrpcTypes } from '@mysten/sui/grpc';
import type { LedgerObject } from './types.ts';

export interface EventRecord {
  readonly packageId: string;
  readonly module: string;
  readonly sender: string;
  readonly eventType: string;
  readonly contents: Uint8Array;
  readonly transactionDigest: string;
  readonly eventIndex: number;
  /** Global position in the event stream (cursor). */
  readonly seq: bigint;
  checkpoint?: bigint;
}

export interface TransactionRecord {
  readonly digest: string;
  /** Global execution order. */
  readonly seq: bigint;
  /** Full ExecutedTransaction; `checkpoint`/`timestamp` are filled when the checkpoint seals. */
  readonly executed: GrpcTypes.ExecutedTransaction;
  readonly events: readonly EventRecord[];
  /** Gas units the run used before rounding (not in the effects; the gas table reports it). */
  readonly computationUnits?: bigint;
}

export interface CheckpointRecord {
  readonly sequenceNumber: bigint;
  readonly digest: string;
  readonly previousDigest?: string;
  readonly timestampMs: bigint;
  readonly epoch: bigint;
  readonly transactions: readonly string[];
  readonly totalNetworkTransactions: bigint;
}

/** A finished epoch (GetEpoch of a past epoch answers from here). */
export interface EpochRecord {
  readonly epoch: bigint;
  readonly startMs: bigint;
  readonly endMs: bigint;
  readonly firstCheckpoint: bigint;
  readonly lastCheckpoint: bigint;
  readonly referenceGasPrice: bigint;
}

export interface LedgerState {
  objects: Map<string, LedgerObject>;
  /** `${id}@${version}` → object, for versioned reads. */
  history: Map<string, LedgerObject>;
  transactions: Map<string, TransactionRecord>;
  transactionOrder: string[];
  events: EventRecord[];
  checkpoints: CheckpointRecord[];
  /** Executed, not yet in a checkpoint. */
  pending: string[];
  epoch: bigint;
  referenceGasPrice: bigint;
  epochStartMs: bigint;
  /** First checkpoint of the current epoch. */
  epochFirstCheckpoint?: bigint;
  /** Finished epochs, oldest first (absent in ledgers saved before epochs advanced). */
  epochs?: EpochRecord[];
  /** Highest Lamport version handed out (all object versions stay below this + 1). */
  maxVersion: bigint;
}

export function emptyState(referenceGasPrice: bigint, nowMs: bigint): LedgerState {
  return {
    objects: new Map(),
    history: new Map(),
    transactions: new Map(),
    transactionOrder: [],
    events: [],
    checkpoints: [],
    pending: [],
    epoch: 0n,
    referenceGasPrice,
    epochStartMs: nowMs,
    maxVersion: 1n,
  };
}

/** Copies the containers; records are immutable apart from checkpoint stamps, which are copied too. */
export function cloneState(s: LedgerState): LedgerState {
  const transactions = new Map<string, TransactionRecord>();
  const events: EventRecord[] = [];
  for (const [digest, tx] of s.transactions) {
    const txEvents = tx.events.map((e) => ({ ...e }));
    events.push(...txEvents);
    transactions.set(digest, {
      ...tx,
      executed: { ...tx.executed },
      events: txEvents,
    });
  }
  events.sort((a, b) => (a.seq < b.seq ? -1 : a.seq > b.seq ? 1 : 0));
  return {
    objects: new Map(s.objects),
    history: new Map(s.history),
    transactions,
    transactionOrder: [...s.transactionOrder],
    events,
    checkpoints: [...s.checkpoints],
    pending: [...s.pending],
    epoch: s.epoch,
    referenceGasPrice: s.referenceGasPrice,
    epochStartMs: s.epochStartMs,
    epochFirstCheckpoint: s.epochFirstCheckpoint,
    epochs: [...(s.epochs ?? [])],
    maxVersion: s.maxVersion,
  };
}

function ownerKey(obj: LedgerObject): string | undefined {
  if (obj.owner.kind === 'address') return `a:${obj.owner.address}`;
  if (obj.owner.kind === 'object') return `o:${obj.owner.parent}`;
  return undefined;
}

export class Ledger {
  state: LedgerState;
  /** owner → ids of the objects it owns (address- or object-owned); rebuilt from state, kept in step by put/delete. */
  private readonly byOwner = new Map<string, Set<string>>();

  constructor(state: LedgerState) {
    this.state = state;
    for (const obj of state.objects.values()) this.index(obj);
  }

  private index(obj: LedgerObject): void {
    const key = ownerKey(obj);
    if (!key) return;
    let set = this.byOwner.get(key);
    if (!set) {
      set = new Set();
      this.byOwner.set(key, set);
    }
    set.add(obj.id);
  }

  private unindex(obj: LedgerObject): void {
    const key = ownerKey(obj);
    if (key) this.byOwner.get(key)?.delete(obj.id);
  }

  get(id: string): LedgerObject | undefined {
    return this.state.objects.get(id);
  }

  getAt(id: string, version: bigint): LedgerObject | undefined {
    const live = this.state.objects.get(id);
    if (live && live.version === version) return live;
    return this.state.history.get(`${id}@${version}`);
  }

  put(obj: LedgerObject): void {
    const prior = this.state.objects.get(obj.id);
    if (prior) this.unindex(prior);
    this.index(obj);
    this.state.objects.set(obj.id, obj);
    this.state.history.set(`${obj.id}@${obj.version}`, obj);
    if (obj.version > this.state.maxVersion) this.state.maxVersion = obj.version;
  }

  delete(id: string): void {
    const prior = this.state.objects.get(id);
    if (prior) this.unindex(prior);
    this.state.objects.delete(id);
  }

  /** Objects owned by an address (or by an object, for dynamic fields), in id order. */
  ownedBy(address: string, kind: 'address' | 'object' = 'address'): LedgerObject[] {
    const ids = this.byOwner.get(`${kind === 'address' ? 'a' : 'o'}:${address}`);
    if (!ids) return [];
    const out: LedgerObject[] = [];
    for (const id of ids) {
      const obj = this.state.objects.get(id);
      if (obj) out.push(obj);
    }
    return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }
}
