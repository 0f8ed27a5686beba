/**
 * BCS `TransactionEffects::V2` from the effects the executor built, and the effects digest
 * Blake2b-256("TransactionEffects::" ‖ BCS), as Sui computes it.
 */
import { bcs } from '@mysten/sui/bcs';
import { GrpcTypes } from '@mysten/sui/grpc';
import { blake2b256 } from '../ledger/objects.ts';
import { BcsWriter, digestToBase58 } from '../ledger/bcs-writer.ts';

type EffectsInput = Parameters<typeof bcs.TransactionEffects.serialize>[0];
type V2 = NonNullable<Extract<EffectsInput, { V2: unknown }>['V2']>;
const K = GrpcTypes.ExecutionError_ExecutionErrorKind;
const A = GrpcTypes.CommandArgumentError_CommandArgumentErrorKind;
const OwnerKind = GrpcTypes.Owner_OwnerKind;

function pascal(name: string): string {
  return name
    .toLowerCase()
    .split('_')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
}

function owner(o: GrpcTypes.Owner | undefined) {
  switch (o?.kind) {
    case OwnerKind.ADDRESS:
      return { AddressOwner: o.address! };
    case OwnerKind.OBJECT:
      return { ObjectOwner: o.address! };
    case OwnerKind.SHARED:
      return { Shared: { initialSharedVersion: o.version! } };
    default:
      return { Immutable: true as const };
  }
}

function failure(error: GrpcTypes.ExecutionError) {
  const details = error.errorDetails;
  switch (error.kind) {
    case K.MOVE_ABORT: {
      const abort = details.oneofKind === 'abort' ? details.abort : {};
      const loc = abort.location ?? {};
      return {
        MoveAbort: [
          {
            module: { address: loc.package ?? '0x0', name: loc.module ?? '' },
            function: loc.function ?? 0,
            instruction: loc.instruction ?? 0,
            functionName: loc.functionName ?? null,
          },
          abort.abortCode ?? 0n,
        ],
      };
    }
    case K.MOVE_PRIMITIVE_RUNTIME_ERROR: {
      const loc = details.oneofKind === 'abort' ? details.abort.location : undefined;
      return {
        MovePrimitiveRuntimeError: loc
          ? {
              module: { address: loc.package ?? '0x0', name: loc.module ?? '' },
              function: loc.function ?? 0,
              instruction: loc.instruction ?? 0,
              functionName: loc.functionName ?? null,
            }
          : null,
      };
    }
    case K.COMMAND_ARGUMENT_ERROR: {
      const arg =
        details.oneofKind === 'commandArgumentError'
          ? details.commandArgumentError
          : { argument: 0, kind: A.TYPE_MISMATCH };
      const name = pascal(A[arg.kind ?? A.TYPE_MISMATCH] ?? 'TYPE_MISMATCH')
        .replace('InvalidBcsBytes', 'InvalidBCSBytes')
        .replace('InvalidUsageOfPureArgument', 'InvalidUsageOfPureArg')
        .replace('ConsensusObjectOperationNotAllowed', 'SharedObjectOperationNotAllowed');
      const kind =
        name === 'IndexOutOfBounds'
          ? { IndexOutOfBounds: { idx: arg.argument ?? 0 } }
          : name === 'SecondaryIndexOutOfBounds'
            ? { SecondaryIndexOutOfBounds: { resultIdx: arg.argument ?? 0, secondaryIdx: 0 } }
            : name === 'InvalidResultArity'
              ? { InvalidResultArity: { resultIdx: arg.argument ?? 0 } }
              : { [name]: true };
      return { CommandArgumentError: { argIdx: arg.argument ?? 0, kind } };
    }
    case K.OBJECT_TOO_BIG:
    case K.EFFECTS_TOO_LARGE: {
      const size = details.oneofKind === 'sizeError' ? details.sizeError : {};
      return error.kind === K.OBJECT_TOO_BIG
        ? { MoveObjectTooBig: { objectSize: size.size ?? 0n, maxObjectSize: size.maxSize ?? 0n } }
        : { EffectsTooLarge: { currentSize: size.size ?? 0n, maxSize: size.maxSize ?? 0n } };
    }
    case K.UNUSED_VALUE_WITHOUT_DROP:
      return { UnusedValueWithoutDrop: { resultIdx: Number(error.command ?? 0n), secondaryIdx: 0 } };
    case K.TYPE_ARGUMENT_ERROR:
      return { TypeArgumentError: { argumentIdx: 0, kind: { TypeNotFound: true } } };
    case K.CONSENSUS_OBJECT_OPERATION_NOT_ALLOWED:
      return { SharedObjectOperationNotAllowed: true };
    default:
      // Payload-free variants share their names with the gRPC enum.
      return { [pascal(K[error.kind ?? K.VM_INVARIANT_VIOLATION] ?? 'VM_INVARIANT_VIOLATION')]: true };
  }
}

/** The reference encoding through @mysten/sui's bcs.TransactionEffects (failures, and tests). */
export function effectsBcsReference(e: GrpcTypes.TransactionEffects): Uint8Array {
  const status = e.status?.success
    ? { Success: true as const }
    : { Failure: { error: failure(e.status!.error!), command: e.status?.error?.command ?? null } };
  const gasIndex = e.gasObject ? e.changedObjects.findIndex((c) => c.objectId === e.gasObject!.objectId) : -1;
  const v2 = {
    status,
    executedEpoch: e.epoch ?? 0n,
    gasUsed: {
      computationCost: e.gasUsed?.computationCost ?? 0n,
      storageCost: e.gasUsed?.storageCost ?? 0n,
      storageRebate: e.gasUsed?.storageRebate ?? 0n,
      nonRefundableStorageFee: e.gasUsed?.nonRefundableStorageFee ?? 0n,
    },
    transactionDigest: e.transactionDigest!,
    gasObjectIndex: gasIndex >= 0 ? gasIndex : null,
    eventsDigest: e.eventsDigest ?? null,
    dependencies: e.dependencies,
    lamportVersion: e.lamportVersion ?? 0n,
    changedObjects: e.changedObjects.map((c) => [
      c.objectId!,
      {
        inputState:
          c.inputState === GrpcTypes.ChangedObject_InputObjectState.EXISTS
            ? { Exist: [[c.inputVersion!, c.inputDigest!], owner(c.inputOwner)] }
            : { NotExist: true },
        outputState:
          c.outputState === GrpcTypes.ChangedObject_OutputObjectState.OBJECT_WRITE
            ? { ObjectWrite: [c.outputDigest!, owner(c.outputOwner)] }
            : c.outputState === GrpcTypes.ChangedObject_OutputObjectState.PACKAGE_WRITE
              ? { PackageWrite: [c.outputVersion!, c.outputDigest!] }
              : { NotExist: true },
        idOperation:
          c.idOperation === GrpcTypes.ChangedObject_IdOperation.CREATED
            ? { Created: true }
            : c.idOperation === GrpcTypes.ChangedObject_IdOperation.DELETED
              ? { Deleted: true }
              : { None: true },
      },
    ]),
    unchangedConsensusObjects: e.unchangedConsensusObjects.map((u) => [
      u.objectId!,
      { ReadOnlyRoot: [u.version!, u.digest!] },
    ]),
    auxDataDigest: null,
  };
  return bcs.TransactionEffects.serialize({ V2: v2 as unknown as V2 }).toBytes();
}

function writeOwner(w: BcsWriter, o: GrpcTypes.Owner | undefined): void {
  switch (o?.kind) {
    case OwnerKind.ADDRESS:
      w.u8(0).address(o.address!);
      return;
    case OwnerKind.OBJECT:
      w.u8(1).address(o.address!);
      return;
    case OwnerKind.SHARED:
      w.u8(2).u64(o.version!);
      return;
    default:
      w.u8(3);
  }
}

const In = GrpcTypes.ChangedObject_InputObjectState;
const Out = GrpcTypes.ChangedObject_OutputObjectState;
const IdOp = GrpcTypes.ChangedObject_IdOperation;

/**
 * BCS `TransactionEffects::V2`, written field by field (every transaction); a failed
 * transaction's status (a large error enum) goes through effectsBcsReference.
 */
export function effectsBcs(e: GrpcTypes.TransactionEffects): Uint8Array {
  if (!e.status?.success) return effectsBcsReference(e);
  const w = new BcsWriter(256 + e.changedObjects.length * 160);
  w.u8(1).u8(0); // TransactionEffects::V2, ExecutionStatus::Success
  w.u64(e.epoch ?? 0n);
  w.u64(e.gasUsed?.computationCost ?? 0n)
    .u64(e.gasUsed?.storageCost ?? 0n)
    .u64(e.gasUsed?.storageRebate ?? 0n)
    .u64(e.gasUsed?.nonRefundableStorageFee ?? 0n);
  w.digest(e.transactionDigest!);
  const gasIndex = e.gasObject ? e.changedObjects.findIndex((c) => c.objectId === e.gasObject!.objectId) : -1;
  w.option(gasIndex >= 0 ? gasIndex : null, (i) => w.u32(i));
  w.option(e.eventsDigest, (d) => w.digest(d));
  w.uleb(e.dependencies.length);
  for (const d of e.dependencies) w.digest(d);
  w.u64(e.lamportVersion ?? 0n);
  w.uleb(e.changedObjects.length);
  for (const c of e.changedObjects) {
    w.address(c.objectId!);
    if (c.inputState === In.EXISTS) {
      w.u8(1).u64(c.inputVersion!).digest(c.inputDigest!);
      writeOwner(w, c.inputOwner);
    } else w.u8(0);
    if (c.outputState === Out.OBJECT_WRITE) {
      w.u8(1).digest(c.outputDigest!);
      writeOwner(w, c.outputOwner);
    } else if (c.outputState === Out.PACKAGE_WRITE) w.u8(2).u64(c.outputVersion!).digest(c.outputDigest!);
    else w.u8(0);
    w.u8(c.idOperation === IdOp.CREATED ? 1 : c.idOperation === IdOp.DELETED ? 2 : 0);
  }
  w.uleb(e.unchangedConsensusObjects.length);
  for (const u of e.unchangedConsensusObjects) w.address(u.objectId!).u8(0).u64(u.version!).digest(u.digest!);
  w.u8(0); // auxDataDigest: None
  return w.toBytes();
}

const EFFECTS_PREFIX = new TextEncoder().encode('TransactionEffects::');

export function effectsDigestOf(bytes: Uint8Array): string {
  return digestToBase58(blake2b256(EFFECTS_PREFIX, bytes));
}
