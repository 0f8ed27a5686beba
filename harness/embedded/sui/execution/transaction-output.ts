/**
 * The transaction's output (Sui: the effects and events the execution engine returns): status,
 * events with their sequence numbers, `TransactionEffects` V2 (BCS and digest when asked for),
 * and the `ExecutedTransaction` the gRPC services answer with.
 */
import { GrpcTypes } from '@mysten/sui/grpc';
import type { EventRecord } from '../ledger/ledger.ts';
import type { LedgerObject } from '../ledger/types.ts';
import { eventsDigest, type ObjectChanges } from './effects.ts';
import { effectsBcs, effectsDigestOf } from './effects-bcs.ts';
import type { ExecutionFailure } from './errors.ts';
import type { PtbOutcome } from './ptb/types.ts';

export interface TransactionOutput {
  events: EventRecord[];
  executed: GrpcTypes.ExecutedTransaction;
}

export function transactionOutput(a: {
  txBytes: Uint8Array;
  digest: string;
  epoch: bigint;
  lamport: bigint;
  /** Number of events already on the ledger (the first event's sequence number). */
  eventBase: number;
  outcome: PtbOutcome | undefined;
  failure: ExecutionFailure | undefined;
  /** The failure's error details with the abort's function index filled in. */
  errorDetails: GrpcTypes.ExecutionError['errorDetails'] | undefined;
  assembled: ObjectChanges;
  primaryGasId: string | undefined;
  sharedInputs: { obj: LedgerObject; mutable: boolean }[];
  withEffectsBcs: boolean;
}): TransactionOutput {
  const { digest, failure, assembled } = a;
  const status: GrpcTypes.ExecutionStatus = failure
    ? {
        success: false,
        error: {
          description: failure.message,
          command: failure.command !== undefined ? BigInt(failure.command) : undefined,
          kind: failure.kind,
          errorDetails: a.errorDetails ?? failure.details,
        },
      }
    : { success: true };

  const events: EventRecord[] = failure
    ? []
    : (a.outcome?.events ?? []).map((e, i) => ({
        packageId: e.packageId,
        module: e.module,
        sender: e.sender,
        eventType: e.type,
        contents: e.bytes,
        transactionDigest: digest,
        eventIndex: i,
        seq: BigInt(a.eventBase + i),
      }));

  const effects: GrpcTypes.TransactionEffects = {
    version: 2,
    status,
    epoch: a.epoch,
    gasUsed: assembled.gasUsed,
    transactionDigest: digest,
    gasObject: assembled.changed.find((c) => c.objectId === a.primaryGasId),
    eventsDigest: events.length ? eventsDigest(events) : undefined,
    dependencies: assembled.dependencies,
    lamportVersion: a.lamport,
    changedObjects: assembled.changed,
    unchangedConsensusObjects: a.sharedInputs
      .filter((s) => !s.mutable)
      .map((s) => ({
        kind: GrpcTypes.UnchangedConsensusObject_UnchangedConsensusObjectKind.READ_ONLY_ROOT,
        objectId: s.obj.id,
        version: s.obj.version,
        digest: s.obj.digest,
        objectType: s.obj.data.kind === 'move' ? s.obj.data.type : undefined,
      })),
    unchangedLoadedRuntimeObjects: [],
  };
  if (a.withEffectsBcs) {
    const effectsBytes = effectsBcs(effects);
    effects.bcs = { name: 'TransactionEffects', value: effectsBytes };
    effects.digest = effectsDigestOf(effectsBytes);
  }

  const executed: GrpcTypes.ExecutedTransaction = {
    digest,
    transaction: { bcs: { name: 'TransactionData', value: a.txBytes }, digest, version: 1 },
    signatures: [],
    effects,
    events: events.length
      ? {
          digest: effects.eventsDigest,
          events: events.map((e) => ({
            packageId: e.packageId,
            module: e.module,
            sender: e.sender,
            eventType: e.eventType,
            contents: { name: e.eventType, value: e.contents },
            transactionDigest: digest,
            eventIndex: e.eventIndex,
          })),
        }
      : undefined,
    balanceChanges: assembled.balanceChanges,
  };
  return { events, executed };
}
