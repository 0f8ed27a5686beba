/**
 * BCS TransactionData ⇄ gRPC `Transaction`. Simulation receives the gRPC form (possibly with
 * unresolved object inputs); execution receives BCS. Both meet in the BCS form.
 */
import type { bcs } from '@mysten/sui/bcs';
import { GrpcTypes } from '@mysten/sui/grpc';
import { fromBase64, toBase64 } from '@mysten/sui/utils';
import { invalidArgument } from '../grpc-web/status.ts';

type V1 = ReturnType<typeof bcs.TransactionData.parse>['V1'];
type ParsedArg = NonNullable<V1['kind']['ProgrammableTransaction']>['commands'][number] extends infer C
  ? C extends { MoveCall: { arguments: (infer A)[] } }
    ? A
    : never
  : never;
const {
  Argument_ArgumentKind: ArgKind,
  Input_InputKind: InputKind,
  TransactionExpiration_TransactionExpirationKind: ExpKind,
} = GrpcTypes;

export function argumentToProto(a: ParsedArg): GrpcTypes.Argument {
  return argToProto(a);
}

function argToProto(a: ParsedArg): GrpcTypes.Argument {
  switch (a.$kind) {
    case 'GasCoin':
      return { kind: ArgKind.GAS };
    case 'Input':
      return { kind: ArgKind.INPUT, input: a.Input };
    case 'Result':
      return { kind: ArgKind.RESULT, result: a.Result };
    case 'NestedResult':
      return { kind: ArgKind.RESULT, result: a.NestedResult[0], subresult: a.NestedResult[1] };
    default:
      throw new Error('unknown argument');
  }
}

export function transactionToProto(data: V1, txBytes?: Uint8Array, digest?: string): GrpcTypes.Transaction {
  const ptb = data.kind.ProgrammableTransaction!;
  const inputs: GrpcTypes.Input[] = ptb.inputs.map((i) => {
    if (i.$kind === 'Pure') return { kind: InputKind.PURE, pure: fromBase64(i.Pure.bytes) };
    if (i.$kind === 'Object') {
      const o = i.Object;
      if (o.$kind === 'ImmOrOwnedObject') {
        return {
          kind: InputKind.IMMUTABLE_OR_OWNED,
          objectId: o.ImmOrOwnedObject.objectId,
          version: BigInt(o.ImmOrOwnedObject.version),
          digest: o.ImmOrOwnedObject.digest,
        };
      }
      if (o.$kind === 'SharedObject') {
        return {
          kind: InputKind.SHARED,
          objectId: o.SharedObject.objectId,
          version: BigInt(o.SharedObject.initialSharedVersion),
          mutable: o.SharedObject.mutable,
        };
      }
      return {
        kind: InputKind.RECEIVING,
        objectId: o.Receiving.objectId,
        version: BigInt(o.Receiving.version),
        digest: o.Receiving.digest,
      };
    }
    return {};
  });
  const commands: GrpcTypes.Command[] = ptb.commands.map((c) => {
    switch (c.$kind) {
      case 'MoveCall':
        return {
          command: {
            oneofKind: 'moveCall',
            moveCall: {
              package: c.MoveCall.package,
              module: c.MoveCall.module,
              function: c.MoveCall.function,
              typeArguments: c.MoveCall.typeArguments,
              arguments: c.MoveCall.arguments.map(argToProto),
            },
          },
        };
      case 'TransferObjects':
        return {
          command: {
            oneofKind: 'transferObjects',
            transferObjects: {
              objects: c.TransferObjects.objects.map(argToProto),
              address: argToProto(c.TransferObjects.address),
            },
          },
        };
      case 'SplitCoins':
        return {
          command: {
            oneofKind: 'splitCoins',
            splitCoins: {
              coin: argToProto(c.SplitCoins.coin),
              amounts: c.SplitCoins.amounts.map(argToProto),
            },
          },
        };
      case 'MergeCoins':
        return {
          command: {
            oneofKind: 'mergeCoins',
            mergeCoins: {
              coin: argToProto(c.MergeCoins.destination),
              coinsToMerge: c.MergeCoins.sources.map(argToProto),
            },
          },
        };
      case 'Publish':
        return {
          command: {
            oneofKind: 'publish',
            publish: {
              modules: c.Publish.modules.map((m) => fromBase64(m)),
              dependencies: c.Publish.dependencies,
            },
          },
        };
      case 'MakeMoveVec':
        return {
          command: {
            oneofKind: 'makeMoveVector',
            makeMoveVector: {
              elementType: c.MakeMoveVec.type ?? undefined,
              elements: c.MakeMoveVec.elements.map(argToProto),
            },
          },
        };
      case 'Upgrade':
        return {
          command: {
            oneofKind: 'upgrade',
            upgrade: {
              modules: c.Upgrade.modules.map((m) => fromBase64(m)),
              dependencies: c.Upgrade.dependencies,
              package: c.Upgrade.package,
              ticket: argToProto(c.Upgrade.ticket),
            },
          },
        };
      default:
        return { command: { oneofKind: undefined } };
    }
  });
  const expiration: GrpcTypes.TransactionExpiration =
    data.expiration.$kind === 'Epoch'
      ? { kind: ExpKind.EPOCH, epoch: BigInt(data.expiration.Epoch) }
      : { kind: ExpKind.NONE };
  return {
    bcs: txBytes ? { name: 'TransactionData', value: txBytes } : undefined,
    digest,
    version: 1,
    kind: {
      kind: GrpcTypes.TransactionKind_Kind.PROGRAMMABLE_TRANSACTION,
      data: { oneofKind: 'programmableTransaction', programmableTransaction: { inputs, commands } },
    },
    sender: data.sender,
    gasPayment: {
      objects: data.gasData.payment.map((p) => ({
        objectId: p.objectId,
        version: BigInt(p.version),
        digest: p.digest,
      })),
      owner: data.gasData.owner,
      price: BigInt(data.gasData.price),
      budget: BigInt(data.gasData.budget),
    },
    expiration,
  };
}

function argFromProto(a: GrpcTypes.Argument | undefined, where: string) {
  if (!a) throw invalidArgument(`${where}: missing argument`);
  switch (a.kind) {
    case ArgKind.GAS:
      return { GasCoin: true as const };
    case ArgKind.INPUT:
      return { Input: a.input ?? 0 };
    case ArgKind.RESULT:
      return a.subresult !== undefined
        ? { NestedResult: [a.result ?? 0, a.subresult] as [number, number] }
        : { Result: a.result ?? 0 };
    default:
      throw invalidArgument(`${where}: argument kind ${a.kind} is not GAS, INPUT or RESULT`);
  }
}

export type ProtoInput = GrpcTypes.Input;

/** The commands of a gRPC transaction in BCS-input form (inputs are resolved separately). */
export function commandsFromProto(tx: GrpcTypes.Transaction) {
  const data = tx.kind?.data;
  if (data?.oneofKind !== 'programmableTransaction')
    throw invalidArgument('only programmable transactions can be simulated');
  return data.programmableTransaction.commands.map((c, i) => {
    const cmd = c.command;
    const w = `command ${i}`;
    switch (cmd.oneofKind) {
      case 'moveCall':
        return {
          MoveCall: {
            package: cmd.moveCall.package ?? '',
            module: cmd.moveCall.module ?? '',
            function: cmd.moveCall.function ?? '',
            typeArguments: cmd.moveCall.typeArguments,
            arguments: cmd.moveCall.arguments.map((a) => argFromProto(a, w)),
          },
        };
      case 'transferObjects':
        return {
          TransferObjects: {
            objects: cmd.transferObjects.objects.map((a) => argFromProto(a, w)),
            address: argFromProto(cmd.transferObjects.address, w),
          },
        };
      case 'splitCoins':
        return {
          SplitCoins: {
            coin: argFromProto(cmd.splitCoins.coin, w),
            amounts: cmd.splitCoins.amounts.map((a) => argFromProto(a, w)),
          },
        };
      case 'mergeCoins':
        return {
          MergeCoins: {
            destination: argFromProto(cmd.mergeCoins.coin, w),
            sources: cmd.mergeCoins.coinsToMerge.map((a) => argFromProto(a, w)),
          },
        };
      case 'publish':
        return {
          Publish: {
            modules: cmd.publish.modules.map((m) => toBase64(m)),
            dependencies: cmd.publish.dependencies,
          },
        };
      case 'makeMoveVector':
        return {
          MakeMoveVec: {
            type: cmd.makeMoveVector.elementType ?? null,
            elements: cmd.makeMoveVector.elements.map((a) => argFromProto(a, w)),
          },
        };
      default:
        throw invalidArgument(
          `${w}: ${cmd.oneofKind ?? 'empty'} commands are not supported by the embedded node`,
        );
    }
  });
}
