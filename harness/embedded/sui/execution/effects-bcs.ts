/**
 * BCS `TransactionEffects::V2` from the effects the executor built, and the effects digest
 * Blake2b-256("TransactionEffects::" ‖ BCS), as Sui computes it.
 */
import { bcs } from '@mysten/sui/bcs';
import { GrpcTypes } from '@mysten/sui/grpc';
import { toBase58 } from '@mysten/sui/utils';
import { blake2b256 } from '../ledger/objects.ts';

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

export function effectsBcs(e: GrpcTypes.TransactionEffects): Uint8Array {
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

export function effectsDigestOf(bytes: Uint8Array): string {
  return toBase58(blake2b256(new TextEncoder().encode('TransactionEffects::'), bytes));
}
