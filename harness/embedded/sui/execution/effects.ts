/**
 * Object changes of one transaction (Sui: `TemporaryStore::into_effects`): new versions of
 * written objects at the Lamport version, created/deleted/wrapped ids, published packages, storage
 * cost and rebate per object, the gas charge, dependencies and balance changes.
 */
import type { GrpcTypes } from '@mysten/sui/grpc';
import { GrpcTypes as Grpc } from '@mysten/sui/grpc';
import type { EventRecord, Ledger } from '../ledger/ledger.ts';
import { bcs } from '@mysten/sui/bcs';
import { BcsWriter, digestToBase58 } from '../ledger/bcs-writer.ts';
import {
  blake2b256,
  coinBalance,
  coinTypeOf,
  makeObject,
  storageBytes,
  structTagFromString,
} from '../ledger/objects.ts';
import type { LedgerObject, Owner } from '../ledger/types.ts';
import { ownerToProto } from '../services/convert.ts';
import { chargeGasCoin } from './gas-charger.ts';
import { refundable, storageCost } from './gas.ts';
import type { InputObject, LoadedInput, PtbOutcome, WrittenObject } from './ptb/types.ts';

const {
  ChangedObject_IdOperation: IdOp,
  ChangedObject_InputObjectState: InState,
  ChangedObject_OutputObjectState: OutState,
} = Grpc;

export interface ObjectChanges {
  writes: LedgerObject[];
  removed: string[];
  changed: GrpcTypes.ChangedObject[];
  dependencies: string[];
  gasUsed: GrpcTypes.GasCostSummary;
  balanceChanges: GrpcTypes.BalanceChange[];
}

/** Turns the PTB outcome (or, on failure, nothing but gas) into new object versions and effects. */
export function objectChanges(
  ledger: Ledger,
  a: {
    digest: string;
    lamport: bigint;
    sender: string;
    inputs: LoadedInput[];
    gasCoins: LedgerObject[];
    gasInput: InputObject | undefined;
    result: PtbOutcome | undefined;
    inputObjects: Map<string, LedgerObject>;
    computationCost: bigint;
    /** Child objects the run loaded from the ledger. */
    childrenRead: Map<string, LedgerObject>;
  },
): ObjectChanges {
  const written = new Map<string, WrittenObject>();
  const deleted = new Set<string>();
  const created = new Set<string>(a.result?.created ?? []);
  const packages = a.result?.packages ?? [];
  if (a.result) {
    for (const [id, w] of a.result.written) written.set(id, w);
    for (const id of a.result.deleted) deleted.add(id);
  } else {
    // Failure: every mutable input is rewritten unchanged at the new version.
    for (const i of a.inputs) {
      if (!('object' in i) || !i.object.mutable) continue;
      const o = i.object.object;
      if (o.data.kind !== 'move') continue;
      written.set(o.id, {
        id: o.id,
        type: o.data.type,
        bytes: o.data.contents,
        owner: o.owner,
        hasPublicTransfer: o.data.hasPublicTransfer,
      });
    }
  }
  // Gas coin (smashed) written back; the other payment coins are deleted.
  const gas = a.gasInput?.object;
  if (gas && gas.data.kind === 'move') {
    if (!written.has(gas.id) && !deleted.has(gas.id)) {
      written.set(gas.id, {
        id: gas.id,
        type: gas.data.type,
        bytes: gas.data.contents,
        owner: gas.owner,
        hasPublicTransfer: true,
      });
    }
    for (const extra of a.gasCoins.slice(1)) deleted.add(extra.id);
  }
  // Inputs moved into Move and neither written nor deleted were wrapped.
  const wrapped = new Set<string>();
  if (a.result) {
    for (const [id, obj] of a.inputObjects) {
      if (obj.owner.kind === 'immutable' || written.has(id) || deleted.has(id)) continue;
      const wasMutable =
        a.inputs.some((i) => 'object' in i && i.object.object.id === id && i.object.mutable) ||
        a.gasCoins.some((g) => g.id === id);
      if (wasMutable) wrapped.add(id);
    }
    for (const id of a.childrenRead.keys()) a.inputObjects.set(id, a.childrenRead.get(id)!);
  }

  // New object versions.
  const writes: LedgerObject[] = [];
  const removed: string[] = [];
  let storage = 0n;
  let rebate = 0n;
  const changed: GrpcTypes.ChangedObject[] = [];
  const before = (id: string) => a.inputObjects.get(id) ?? ledger.get(id);

  for (const [id, w] of written) {
    if (created.has(id) && deleted.has(id)) continue;
    const prior = before(id);
    const owner: Owner =
      w.owner.kind === 'shared' && w.owner.initialVersion === 0n
        ? { kind: 'shared', initialVersion: a.lamport }
        : w.owner;
    const data = {
      kind: 'move' as const,
      type: w.type,
      hasPublicTransfer: w.hasPublicTransfer,
      contents: w.bytes,
    };
    // The rebate is part of the object's BCS and so of its digest: known before encoding.
    const cost = storageCost(storageBytes(data));
    const fields = {
      id,
      version: a.lamport,
      owner,
      previousTransaction: a.digest,
      storageRebate: cost,
      data,
    };
    // The gas coin is encoded and digested once, below, after it is charged.
    const obj: LedgerObject =
      id === gas?.id ? { ...fields, digest: '', bcs: new Uint8Array(0) } : makeObject(fields);
    writes.push(obj);
    storage += cost;
    if (prior) rebate += prior.storageRebate;
    changed.push(changeOf(id, prior, obj, created.has(id) && !prior ? IdOp.CREATED : IdOp.NONE));
  }
  for (const p of packages) {
    const data = {
      kind: 'package' as const,
      modules: p.modules,
      typeOrigins: p.typeOrigins,
      linkage: p.linkage,
    };
    const cost = storageCost(storageBytes(data));
    const obj = makeObject({
      id: p.id,
      version: 1n,
      owner: { kind: 'immutable' },
      previousTransaction: a.digest,
      storageRebate: cost,
      data,
    });
    writes.push(obj);
    storage += cost;
    changed.push({
      ...changeOf(p.id, undefined, obj, IdOp.CREATED),
      outputState: OutState.PACKAGE_WRITE,
      objectType: 'package',
    });
  }
  for (const id of [...deleted, ...wrapped]) {
    if (created.has(id) && !before(id)) continue;
    const prior = before(id);
    if (!prior) continue;
    removed.push(id);
    rebate += prior.storageRebate;
    changed.push(changeOf(id, prior, undefined, deleted.has(id) ? IdOp.DELETED : IdOp.NONE));
  }

  const { refund, nonRefundable } = refundable(rebate);
  // Charge the gas coin: computation + storage - refund.
  if (gas) chargeGasCoin(writes, changed, gas.id, a.computationCost + storage - refund);
  changed.sort((x, y) => (x.objectId! < y.objectId! ? -1 : 1));

  const dependencies = [...new Set([...a.inputObjects.values()].map((o) => o.previousTransaction))]
    .filter((d) => d !== '11111111111111111111111111111111')
    .sort();

  return {
    writes,
    removed,
    changed,
    dependencies,
    gasUsed: {
      computationCost: a.computationCost,
      storageCost: storage,
      storageRebate: refund,
      nonRefundableStorageFee: nonRefundable,
    },
    balanceChanges: balanceChanges(a.inputObjects, writes, removed),
  };
}
function changeOf(
  id: string,
  prior: LedgerObject | undefined,
  next: LedgerObject | undefined,
  idOperation: GrpcTypes.ChangedObject_IdOperation,
): GrpcTypes.ChangedObject {
  return {
    objectId: id,
    inputState: prior ? InState.EXISTS : InState.DOES_NOT_EXIST,
    inputVersion: prior?.version,
    inputDigest: prior?.digest,
    inputOwner: prior ? ownerToProto(prior.owner) : undefined,
    outputState: next ? OutState.OBJECT_WRITE : OutState.DOES_NOT_EXIST,
    outputVersion: next?.version,
    outputDigest: next?.digest,
    outputOwner: next ? ownerToProto(next.owner) : undefined,
    idOperation,
    objectType:
      (next ?? prior)?.data.kind === 'move' ? ((next ?? prior)!.data as { type: string }).type : 'package',
  };
}

function balanceChanges(
  inputs: Map<string, LedgerObject>,
  writes: LedgerObject[],
  removed: string[],
): GrpcTypes.BalanceChange[] {
  const delta = new Map<string, bigint>();
  const add = (obj: LedgerObject, sign: 1n | -1n) => {
    if (obj.owner.kind !== 'address' || obj.data.kind !== 'move') return;
    const coinType = coinTypeOf(obj.data.type);
    if (!coinType) return;
    const key = `${obj.owner.address}|${coinType}`;
    delta.set(key, (delta.get(key) ?? 0n) + sign * (coinBalance(obj) ?? 0n));
  };
  const touched = new Set([...writes.map((w) => w.id), ...removed]);
  for (const [id, obj] of inputs) if (touched.has(id)) add(obj, -1n);
  for (const w of writes) add(w, 1n);
  return [...delta.entries()]
    .filter(([, v]) => v !== 0n)
    .map(([k, v]) => {
      const [address, coinType] = k.split('|') as [string, string];
      return { address, coinType, amount: v.toString() };
    });
}

const structTagBytes = new Map<string, Uint8Array>();

/** BCS StructTag of an event type; event types repeat, parsing them is the slow part. */
function eventTypeBytes(type: string): Uint8Array {
  let bytes = structTagBytes.get(type);
  if (!bytes) {
    bytes = bcs.StructTag.serialize(structTagFromString(type)).toBytes();
    if (structTagBytes.size > 10_000) structTagBytes.clear();
    structTagBytes.set(type, bytes);
  }
  return bytes;
}

const EVENTS_PREFIX = new TextEncoder().encode('TransactionEvents::');

/**
 * Digest of BCS TransactionEvents: vector of Event { package_id, transaction_module, sender,
 * type: StructTag, contents: vector<u8> }.
 */
export function eventsDigest(events: EventRecord[]): string {
  const w = new BcsWriter(256).uleb(events.length);
  for (const e of events)
    w.address(e.packageId)
      .string(e.module)
      .address(e.sender)
      .raw(eventTypeBytes(e.eventType))
      .byteVector(e.contents);
  return digestToBase58(blake2b256(EVENTS_PREFIX, w.toBytes()));
}
