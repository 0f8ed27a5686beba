/**
 * Events read from checkpoints, for Sui full nodes without the event RPCs (ListEvents and
 * SubscribeEvents arrived in 1.76/1.77; a 1.71 node serves GetCheckpoint and
 * SubscribeCheckpoints only). Same frames and cursor contract as sui-events.ts: every matching
 * event in checkpoint order, a cursor after each, a progress frame (cursor, no event) after each
 * checkpoint. The cursor is opaque: a marker byte, the checkpoint (u64 LE) and the number of
 * matching events of that checkpoint already delivered (u32 LE).
 */
import type { SuiGrpcClient } from '@mysten/sui/grpc';
import type { ChainEvent, EventFrame } from './events.ts';

const MARKER = 0xc7;
/** What a checkpoint must carry for its events to be read (sui.rpc.v2 field paths). */
const CHECKPOINT_MASK = { paths: ['sequence_number', 'transactions.digest', 'transactions.events'] };

interface Position {
  checkpoint: bigint;
  /** matching events of `checkpoint` already delivered */
  delivered: number;
}

export function encodeCheckpointCursor(p: Position): Uint8Array {
  const out = new Uint8Array(13);
  const view = new DataView(out.buffer);
  out[0] = MARKER;
  view.setBigUint64(1, p.checkpoint, true);
  view.setUint32(9, p.delivered, true);
  return out;
}

/** A checkpoint cursor, or undefined for any other cursor (e.g. one ListEvents gave). */
export function decodeCheckpointCursor(bytes: Uint8Array | undefined): Position | undefined {
  if (!bytes || bytes.length !== 13 || bytes[0] !== MARKER) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { checkpoint: view.getBigUint64(1, true), delivered: view.getUint32(9, true) };
}

type ProtoCheckpoint = {
  sequenceNumber?: bigint;
  transactions?: Array<{
    digest?: string;
    events?: {
      events?: Array<{ eventType?: string; contents?: { value?: Uint8Array }; sender?: string }>;
    };
  }>;
};

/** The frames of one checkpoint after `from` (the start of it when delivered = 0). */
function* framesOf(
  cp: ProtoCheckpoint,
  eventType: string,
  from: Position | undefined,
): Generator<EventFrame> {
  const seq = cp.sequenceNumber ?? 0n;
  const skip = from && from.checkpoint === seq ? from.delivered : 0;
  let n = 0;
  for (const tx of cp.transactions ?? []) {
    // An event's index is its place in its own transaction (Sui's EventID: digest, event_seq).
    for (const [index, e] of (tx.events?.events ?? []).entries()) {
      if (e.eventType !== eventType) continue;
      n++;
      if (n <= skip) continue;
      const event: ChainEvent = {
        eventType,
        bcs: e.contents?.value ?? new Uint8Array(),
        txDigest: tx.digest ?? '',
        checkpoint: seq,
        eventIndex: index,
        ...(e.sender ? { sender: e.sender } : {}),
      };
      yield { event, cursor: encodeCheckpointCursor({ checkpoint: seq, delivered: n }), checkpoint: seq };
    }
  }
  // Progress: the whole checkpoint is done; a resume starts at the next one.
  yield { cursor: encodeCheckpointCursor({ checkpoint: seq + 1n, delivered: 0 }), checkpoint: seq };
}

/** Matching events after `after` up to the node's latest checkpoint, one GetCheckpoint each. */
export async function* checkpointEventsAfter(
  client: SuiGrpcClient,
  eventType: string,
  after: Uint8Array | undefined,
  opts: { signal?: AbortSignal } = {},
): AsyncGenerator<EventFrame> {
  const from = decodeCheckpointCursor(after);
  const tip = (await client.ledgerService.getServiceInfo({}, opts.signal ? { abort: opts.signal } : {}))
    .response.checkpointHeight;
  if (tip === undefined) throw new Error('the Sui node reported no checkpoint height (GetServiceInfo)');
  for (let seq = from?.checkpoint ?? 0n; seq <= tip; seq++) {
    if (opts.signal?.aborted) return;
    const { response } = await client.ledgerService.getCheckpoint(
      { checkpointId: { oneofKind: 'sequenceNumber', sequenceNumber: seq }, readMask: CHECKPOINT_MASK },
      opts.signal ? { abort: opts.signal } : {},
    );
    if (response.checkpoint) yield* framesOf(response.checkpoint as ProtoCheckpoint, eventType, from);
  }
}

/** Live tail from SubscribeCheckpoints: matching events of each new checkpoint, then its progress frame. */
export async function* checkpointEventsTail(
  client: SuiGrpcClient,
  eventType: string,
  signal?: AbortSignal,
): AsyncGenerator<EventFrame> {
  const call = client.subscriptionService.subscribeCheckpoints(
    { readMask: CHECKPOINT_MASK },
    signal ? { abort: signal } : {},
  );
  for (const p of [call.headers, call.status, call.trailers]) p.catch(() => undefined);
  for await (const frame of call.responses) {
    if (frame.checkpoint) yield* framesOf(frame.checkpoint as ProtoCheckpoint, eventType, undefined);
  }
}
