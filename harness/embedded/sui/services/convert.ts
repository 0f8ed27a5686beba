/** Ledger records → gRPC messages, and read-mask filtering. */
import { GrpcTypes } from '@mysten/sui/grpc';
import { coinBalance } from '../ledger/objects.ts';
import type { LedgerObject, Owner } from '../ledger/types.ts';
import type { CheckpointRecord, EventRecord } from '../ledger/ledger.ts';

export function ownerToProto(owner: Owner): GrpcTypes.Owner {
  switch (owner.kind) {
    case 'address':
      return { kind: GrpcTypes.Owner_OwnerKind.ADDRESS, address: owner.address };
    case 'object':
      return { kind: GrpcTypes.Owner_OwnerKind.OBJECT, address: owner.parent };
    case 'shared':
      return { kind: GrpcTypes.Owner_OwnerKind.SHARED, version: owner.initialVersion };
    case 'immutable':
      return { kind: GrpcTypes.Owner_OwnerKind.IMMUTABLE };
  }
}

export function objectToProto(obj: LedgerObject): GrpcTypes.Object {
  const out: GrpcTypes.Object = {
    objectId: obj.id,
    version: obj.version,
    digest: obj.digest,
    owner: ownerToProto(obj.owner),
    previousTransaction: obj.previousTransaction,
    storageRebate: obj.storageRebate,
    bcs: { name: 'Object', value: obj.bcs },
  };
  if (obj.data.kind === 'move') {
    out.objectType = obj.data.type;
    out.hasPublicTransfer = obj.data.hasPublicTransfer;
    out.contents = { name: obj.data.type, value: obj.data.contents };
    const balance = coinBalance(obj);
    if (balance !== undefined) out.balance = balance;
  } else {
    out.objectType = 'package';
    out.package = {
      storageId: obj.id,
      originalId: obj.id,
      version: obj.version,
      modules: obj.data.modules.map(([name, contents]) => ({ name, contents, datatypes: [], functions: [] })),
      typeOrigins: obj.data.typeOrigins.map((t) => ({
        moduleName: t.moduleName,
        datatypeName: t.datatypeName,
        packageId: t.package,
      })),
      linkage: obj.data.linkage.map(([id, u]) => ({
        originalId: id,
        upgradedId: u.upgradedId,
        upgradedVersion: u.upgradedVersion,
      })),
    };
  }
  return out;
}

export function eventToProto(e: EventRecord): GrpcTypes.Event {
  return {
    packageId: e.packageId,
    module: e.module,
    sender: e.sender,
    eventType: e.eventType,
    contents: { name: e.eventType, value: e.contents },
    checkpoint: e.checkpoint,
    transactionDigest: e.transactionDigest,
    eventIndex: e.eventIndex,
  };
}

export function timestampOf(ms: bigint): { seconds: bigint; nanos: number } {
  return { seconds: ms / 1000n, nanos: Number(ms % 1000n) * 1_000_000 };
}

/** Effects digests per transaction are supplied by the caller (the ledger keeps them on the records). */
export function checkpointToProto(
  c: CheckpointRecord,
  effectsDigestOf: (tx: string) => string | undefined,
): GrpcTypes.Checkpoint {
  return {
    sequenceNumber: c.sequenceNumber,
    digest: c.digest,
    summary: {
      digest: c.digest,
      epoch: c.epoch,
      sequenceNumber: c.sequenceNumber,
      totalNetworkTransactions: c.totalNetworkTransactions,
      previousDigest: c.previousDigest,
      timestamp: timestampOf(c.timestampMs),
      commitments: [],
    },
    contents: {
      digest: c.digest,
      version: 1,
      transactions: c.transactions.map((transaction) => ({
        transaction,
        effects: effectsDigestOf(transaction),
        signatures: [],
        addressAliasesVersions: [],
      })),
    },
    transactions: [],
  };
}

type Tree = Map<string, Tree>;

const maskMemo = new Map<string, Tree>();

/**
 * Parses FieldMask paths (snake_case, dotted) into a tree of camelCase protobuf-ts field names.
 * Read masks repeat (every SDK call of a kind sends the same paths), so trees are built once
 * and shared: callers only read them.
 */
export function maskTree(paths: readonly string[] | undefined): Tree | undefined {
  if (!paths || paths.length === 0) return undefined;
  const key = paths.join('\n');
  let tree = maskMemo.get(key);
  if (!tree) {
    tree = buildMaskTree(paths);
    if (maskMemo.size > 1000) maskMemo.clear();
    maskMemo.set(key, tree);
  }
  return tree;
}

function buildMaskTree(paths: readonly string[]): Tree {
  const root: Tree = new Map();
  // A path that names a whole field wins over deeper paths into it ("effects" + "effects.status").
  const sorted = [...paths].sort((a, b) => a.split('.').length - b.split('.').length);
  for (const path of sorted) {
    let node = root;
    const parts = path.split('.');
    let covered = false;
    for (const [i, part] of parts.entries()) {
      const key = part.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
      const existing = node.get(key);
      if (existing && existing.size === 0 && i < parts.length - 1) {
        covered = true;
        break;
      }
      node = existing ?? node;
      if (!existing) break;
    }
    if (covered) continue;
    node = root;
    for (const part of parts) {
      const key = part.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
      let next = node.get(key);
      if (!next) {
        next = new Map();
        node.set(key, next);
      }
      node = next;
    }
  }
  return root;
}

/**
 * Keeps only the masked fields of a message (recursing into sub-messages and repeated
 * messages). A leaf in the mask keeps the whole field. Without a mask, `defaults` applies.
 */
export function applyMask<T extends object>(message: T, mask: Tree | undefined): T {
  if (!mask) return message;
  const out: Record<string, unknown> = {};
  for (const [key, sub] of mask) {
    const value = (message as Record<string, unknown>)[key];
    if (value === undefined) continue;
    if (sub.size === 0) out[key] = value;
    else if (Array.isArray(value)) out[key] = value.map((v) => (isMessage(v) ? applyMask(v, sub) : v));
    else if (isMessage(value)) out[key] = applyMask(value, sub);
    else out[key] = value;
  }
  // Repeated fields must exist for protobuf-ts encoding of partials; create() fills them.
  return out as T;
}

function isMessage(v: unknown): v is object {
  return typeof v === 'object' && v !== null && !(v instanceof Uint8Array) && !Array.isArray(v);
}

export function subMask(mask: Tree | undefined, key: string): Tree | undefined {
  if (!mask) return undefined;
  const sub = mask.get(key);
  if (!sub) return new Map();
  return sub.size === 0 ? undefined : sub;
}
