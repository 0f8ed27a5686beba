import { describe, expect, it } from 'vitest';
import { GrpcTypes } from '@mysten/sui/grpc';
import { complete, type MessageCodec } from './router.ts';

const T = GrpcTypes;
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** Encodes through `complete` and through `create`, as the server did before: same bytes. */
function same<M extends object>(type: MessageCodec<M>, partial: object) {
  const fast = type.toBinary(complete(type as unknown as MessageCodec<object>, partial) as M);
  const reference = type.toBinary(type.create(partial as never));
  expect(hex(fast)).toBe(hex(reference));
  return fast;
}

describe('complete (partial answers made encodable without create)', () => {
  it('encodes partial transactions, effects, oneofs and maps byte for byte like create', () => {
    const effects = {
      status: {
        success: false,
        error: {
          description: 'abort',
          kind: T.ExecutionError_ExecutionErrorKind.MOVE_ABORT,
          errorDetails: {
            oneofKind: 'abort',
            abort: { abortCode: 7n, location: { package: '0x2', module: 'm' } },
          },
        },
      },
      gasUsed: { computationCost: 1000n },
      changedObjects: [
        { objectId: '0x1', inputOwner: { kind: T.Owner_OwnerKind.ADDRESS, address: '0x2' } },
        { objectId: '0x3', outputVersion: 9n },
      ],
      bcs: { name: 'TransactionEffects', value: new Uint8Array([1, 2, 3]) },
    };
    const partials: [MessageCodec<object>, object][] = [
      [T.ExecuteTransactionResponse as never, {}],
      [T.ExecuteTransactionResponse as never, { transaction: { digest: 'abc', effects } }],
      [
        T.ExecuteTransactionResponse as never,
        {
          transaction: {
            digest: 'abc',
            checkpoint: 5n,
            timestamp: { seconds: 1n, nanos: 2 },
            signatures: [{ bcs: { value: new Uint8Array([9]) } }],
            events: { events: [{ eventType: '0x2::m::E', contents: { value: new Uint8Array([4]) } }] },
            balanceChanges: [{ address: '0x1', coinType: '0x2::sui::SUI', amount: '-5' }],
            effects: { status: { success: true } },
          },
        },
      ],
      [
        T.SimulateTransactionResponse as never,
        {
          transaction: { effects },
          commandOutputs: [{ returnValues: [{ value: { value: new Uint8Array([1]) } }], mutatedByRef: [{}] }],
        },
      ],
      [
        T.GetEpochResponse as never,
        {
          epoch: {
            epoch: 3n,
            protocolConfig: { protocolVersion: 1n, featureFlags: { a: true }, attributes: { x: '1' } },
          },
        },
      ],
      [
        T.GetCheckpointResponse as never,
        { checkpoint: { sequenceNumber: 1n, transactions: [{ digest: 'd' }, {}] } },
      ],
    ];
    for (const [type, partial] of partials) same(type, partial);
  });

  it('leaves the answer it is given untouched', () => {
    const partial = { transaction: { digest: 'abc', effects: { changedObjects: [{ objectId: '0x1' }] } } };
    const before = JSON.stringify(partial);
    same(T.ExecuteTransactionResponse as never, partial);
    expect(JSON.stringify(partial)).toBe(before);
  });
});
