import { describe, expect, it } from 'vitest';
import { bcs } from '@mysten/sui/bcs';
import { GrpcTypes } from '@mysten/sui/grpc';
import { toBase58 } from '@mysten/sui/utils';
import { blake2b } from '@noble/hashes/blake2.js';
import { effectsBcs, effectsBcsReference } from './effects-bcs.ts';
import { eventsDigest } from './executor.ts';
import { structTagFromString } from '../ledger/objects.ts';
import type { EventRecord } from '../ledger/ledger.ts';

const {
  ChangedObject_IdOperation: IdOp,
  ChangedObject_InputObjectState: In,
  ChangedObject_OutputObjectState: Out,
} = GrpcTypes;
const OwnerKind = GrpcTypes.Owner_OwnerKind;
const digest = (n: number) => toBase58(new Uint8Array(32).fill(n));
const addr = (n: number) => '0x' + n.toString(16).padStart(2, '0').repeat(32);

function effects(over: Partial<GrpcTypes.TransactionEffects> = {}): GrpcTypes.TransactionEffects {
  return {
    version: 2,
    status: { success: true },
    epoch: 3n,
    gasUsed: {
      computationCost: 1_000_000n,
      storageCost: 2_345_600n,
      storageRebate: 978_120n,
      nonRefundableStorageFee: 9_880n,
    },
    transactionDigest: digest(1),
    gasObject: { objectId: addr(0xa1) },
    eventsDigest: digest(2),
    dependencies: [digest(3), digest(4)],
    lamportVersion: 1234n,
    changedObjects: [
      {
        objectId: addr(0xa1),
        inputState: In.EXISTS,
        inputVersion: 1233n,
        inputDigest: digest(5),
        inputOwner: { kind: OwnerKind.ADDRESS, address: addr(0x11) },
        outputState: Out.OBJECT_WRITE,
        outputDigest: digest(6),
        outputOwner: { kind: OwnerKind.ADDRESS, address: addr(0x11) },
        idOperation: IdOp.NONE,
      },
      {
        objectId: addr(0xb2),
        inputState: In.DOES_NOT_EXIST,
        outputState: Out.OBJECT_WRITE,
        outputDigest: digest(7),
        outputOwner: { kind: OwnerKind.OBJECT, address: addr(0x22) },
        idOperation: IdOp.CREATED,
      },
      {
        objectId: addr(0xc3),
        inputState: In.EXISTS,
        inputVersion: 9n,
        inputDigest: digest(8),
        inputOwner: { kind: OwnerKind.SHARED, version: 2n },
        outputState: Out.OBJECT_WRITE,
        outputDigest: digest(9),
        outputOwner: { kind: OwnerKind.SHARED, version: 2n },
        idOperation: IdOp.NONE,
      },
      {
        objectId: addr(0xd4),
        inputState: In.EXISTS,
        inputVersion: 4n,
        inputDigest: digest(10),
        inputOwner: { kind: OwnerKind.IMMUTABLE },
        outputState: Out.DOES_NOT_EXIST,
        idOperation: IdOp.DELETED,
      },
      {
        objectId: addr(0xe5),
        inputState: In.DOES_NOT_EXIST,
        outputState: Out.PACKAGE_WRITE,
        outputVersion: 1n,
        outputDigest: digest(11),
        outputOwner: { kind: OwnerKind.IMMUTABLE },
        idOperation: IdOp.CREATED,
      },
    ],
    unchangedConsensusObjects: [{ objectId: '0x6', version: 77n, digest: digest(12), kind: 1 }],
    unchangedLoadedRuntimeObjects: [],
    ...over,
  } as GrpcTypes.TransactionEffects;
}

describe('effects BCS written field by field', () => {
  it('matches bcs.TransactionEffects for writes, creations, deletions, packages, shared reads and options', () => {
    for (const e of [
      effects(),
      effects({ eventsDigest: undefined, gasObject: undefined, dependencies: [] }),
      effects({ unchangedConsensusObjects: [], changedObjects: [] }),
    ]) {
      const fast = effectsBcs(e);
      expect(Buffer.from(fast).toString('hex')).toBe(Buffer.from(effectsBcsReference(e)).toString('hex'));
      expect(bcs.TransactionEffects.parse(fast).V2!.lamportVersion).toBe('1234');
    }
  });

  it('encodes a failed status through the reference encoder', () => {
    const e = effects({
      status: {
        success: false,
        error: {
          kind: GrpcTypes.ExecutionError_ExecutionErrorKind.INSUFFICIENT_GAS,
          errorDetails: { oneofKind: undefined },
        },
      },
    });
    expect(bcs.TransactionEffects.parse(effectsBcs(e)).V2!.status.$kind).toBe('Failure');
  });
});

describe('events digest', () => {
  it('hashes the same bytes as bcs.vector(Event)', () => {
    const events: EventRecord[] = [0, 1].map((i) => ({
      packageId: addr(0x42),
      module: 'k8s_gateway',
      sender: addr(0x11),
      eventType: `${addr(0x42)}::k8s_gateway::K8sAPIRequest<${addr(0x2)}::sui::SUI>`,
      contents: new Uint8Array(200 + i).fill(i + 1),
      transactionDigest: digest(1),
      eventIndex: i,
      seq: BigInt(i),
    }));
    const Event = bcs.struct('Event', {
      packageId: bcs.Address,
      transactionModule: bcs.string(),
      sender: bcs.Address,
      type: bcs.StructTag,
      contents: bcs.byteVector(),
    });
    const reference = bcs
      .vector(Event)
      .serialize(
        events.map((e) => ({
          packageId: e.packageId,
          transactionModule: e.module,
          sender: e.sender,
          type: structTagFromString(e.eventType),
          contents: e.contents,
        })),
      )
      .toBytes();
    const prefix = new TextEncoder().encode('TransactionEvents::');
    const expected = toBase58(blake2b(new Uint8Array([...prefix, ...reference]), { dkLen: 32 }));
    expect(eventsDigest(events)).toBe(expected);
  });
});
