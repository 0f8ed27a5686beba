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
    maxVersion: s.maxVersion,
  };
}

export class Ledger {
  state: LedgerState;

  constructor(state: LedgerState) {
    this.state = state;
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
    this.state.objects.set(obj.id, obj);
    this.state.history.set(`${obj.id}@${obj.version}`, obj);
    if (obj.version > this.state.maxVersion) this.state.maxVersion = obj.version;
  }

  delete(id: string): void {
    this.state.objects.delete(id);
  }

  /** Objects owned by an address (or by an object, for dynamic fields), in id order. */
  ownedBy(address: string, kind: 'address' | 'object' = 'address'): LedgerObject[] {
    const out: LedgerObject[] = [];
    for (const obj of this.state.objects.values()) {
      if (kind === 'address' && obj.owner.kind === 'address' && obj.owner.address === address) out.push(obj);
      if (kind === 'object' && obj.owner.kind === 'object' && obj.owner.parent === address) out.push(obj);
    }
    return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }
}
