/**
 * Event access through SuiGrpcClient (@mysten/sui 2.33.1), which exposes:
 *   - LedgerService.ListEvents (server-streaming, cursor-bounded pages:
 *     every frame carries a Watermark {cursor, checkpoint}; `end` closes a page)
 *   - SubscriptionService.SubscribeEvents (server-streaming live tail with the
 *     same Watermark in each frame)
 *   - SubscribeCheckpoints / SubscribeTransactions (not used here).
 * Both event RPCs take a DNF EventFilter; we filter on the exact event type.
 */
import type { SuiGrpcClient } from '@mysten/sui/grpc';
import { checkpointEventsAfter, checkpointEventsTail } from './checkpoint-events.ts';

type ListEventsInput = Parameters<SuiGrpcClient['ledgerService']['listEvents']>[0];
type SubscribeEventsInput = Parameters<SuiGrpcClient['subscriptionService']['subscribeEvents']>[0];
type EventFilter = NonNullable<ListEventsInput['filter']>;

export interface ChainEvent {
  eventType: string;
  bcs: Uint8Array;
  txDigest: string;
  checkpoint?: bigint;
  eventIndex?: number;
  sender?: string;
}

export interface EventFrame {
  event?: ChainEvent;
  /** Opaque resume cursor (safe to persist) */
  cursor?: Uint8Array;
  checkpoint?: bigint;
}

const READ_MASK = {
  paths: [
    'package_id',
    'module',
    'sender',
    'event_type',
    'contents',
    'checkpoint',
    'transaction_digest',
    'transaction_index',
    'event_index',
  ],
};

export function eventTypeFilter(eventType: string): EventFilter {
  return {
    terms: [
      { literals: [{ negated: false, predicate: { oneofKind: 'eventType', eventType: { eventType } } }] },
    ],
  };
}

type ProtoEvent = {
  eventType?: string;
  contents?: { value?: Uint8Array };
  transactionDigest?: string;
  checkpoint?: bigint;
  eventIndex?: number;
  sender?: string;
};
type ProtoWatermark = { cursor?: Uint8Array; checkpoint?: bigint } | undefined;

function toFrame(event: ProtoEvent | undefined, watermark: ProtoWatermark): EventFrame {
  const frame: EventFrame = {};
  if (event) {
    const e: ChainEvent = {
      eventType: event.eventType ?? '',
      bcs: event.contents?.value ?? new Uint8Array(),
      txDigest: event.transactionDigest ?? '',
    };
    if (event.checkpoint !== undefined) e.checkpoint = event.checkpoint;
    if (event.eventIndex !== undefined) e.eventIndex = event.eventIndex;
    if (event.sender !== undefined) e.sender = event.sender;
    frame.event = e;
  }
  if (watermark?.cursor && watermark.cursor.length > 0) frame.cursor = watermark.cursor;
  if (watermark?.checkpoint !== undefined) frame.checkpoint = watermark.checkpoint;
  return frame;
}

/**
 * How this node serves events: the event RPCs (Sui ≥ 1.76/1.77), or checkpoints with their
 * transactions' events (older nodes, e.g. 1.71, whose LedgerService has no ListEvents).
 * Learned once per client with a one-item ListEvents probe.
 */
export type EventRpc = 'events' | 'checkpoints';
const eventRpcs = new WeakMap<SuiGrpcClient, Promise<EventRpc>>();

export function eventRpcOf(client: SuiGrpcClient): Promise<EventRpc> {
  let known = eventRpcs.get(client);
  if (!known) {
    known = probeEventRpc(client);
    eventRpcs.set(client, known);
    // A transport failure is not an answer: probe again next time.
    known.catch(() => eventRpcs.delete(client));
  }
  return known;
}

async function probeEventRpc(client: SuiGrpcClient): Promise<EventRpc> {
  try {
    const call = client.ledgerService.listEvents({
      readMask: { paths: ['event_type'] },
      options: { limit: 1 },
    });
    quiet(call);
    for await (const _frame of call.responses) break;
    return 'events';
  } catch (e) {
    if (!isUnimplemented(e)) throw e;
  }
  // No event RPCs: checkpoints must do, or the node cannot serve K3s-DaaS at all.
  try {
    await client.ledgerService.getCheckpoint({
      checkpointId: { oneofKind: undefined },
      readMask: { paths: ['sequence_number'] },
    });
    return 'checkpoints';
  } catch (e) {
    if (!isUnimplemented(e)) throw e;
    const server = await client.ledgerService
      .getServiceInfo({})
      .then((r) => r.response.server ?? 'an unnamed server')
      .catch(() => 'an unknown server');
    throw new Error(
      `the Sui node (${server}) serves neither LedgerService.ListEvents nor GetCheckpoint: K3s-DaaS reads the contract's events with ListEvents/SubscribeEvents (Sui ≥ 1.76) or from checkpoints (GetCheckpoint/SubscribeCheckpoints, Sui ≥ 1.71); point --grpc-url at a full node with the sui.rpc.v2 API`,
    );
  }
}

function isUnimplemented(e: unknown): boolean {
  const err = e as { code?: unknown; message?: unknown };
  return (
    String(err.code) === 'UNIMPLEMENTED' ||
    String(err.code) === '12' ||
    /UNIMPLEMENTED/.test(String(err.message))
  );
}

/**
 * Read all matching events after `after` (exclusive) up to the ledger tip,
 * page by page. Yields every frame (events and progress watermarks).
 */
export async function* listEventsAfter(
  client: SuiGrpcClient,
  eventType: string,
  after: Uint8Array | undefined,
  opts: { pageSize?: number; signal?: AbortSignal } = {},
): AsyncGenerator<EventFrame> {
  if ((await eventRpcOf(client)) === 'checkpoints') {
    yield* checkpointEventsAfter(client, eventType, after, opts.signal ? { signal: opts.signal } : {});
    return;
  }
  let cursor = after;
  for (;;) {
    const input: ListEventsInput = {
      filter: eventTypeFilter(eventType),
      readMask: READ_MASK,
      options: { limit: opts.pageSize ?? 500, ...(cursor ? { after: cursor } : {}) },
    };
    const call = client.ledgerService.listEvents(input, opts.signal ? { abort: opts.signal } : {});
    quiet(call);
    let endReason: number | undefined;
    let items = 0;
    for await (const frame of call.responses) {
      const f = toFrame(frame.event as ProtoEvent | undefined, frame.watermark);
      if (f.event) items++;
      if (f.cursor) cursor = f.cursor;
      yield f;
      if (frame.end) endReason = frame.end.reason ?? 0;
    }
    // ITEM_LIMIT (1) / SCAN_LIMIT (2): more pages follow; anything else: caught up.
    if (!(endReason === 1 || endReason === 2) || (items === 0 && endReason === 1)) return;
  }
}

/** Live tail of matching events. Ends when the stream ends or `signal` aborts. */
export async function* subscribeEvents(
  client: SuiGrpcClient,
  eventType: string,
  signal?: AbortSignal,
): AsyncGenerator<EventFrame> {
  if ((await eventRpcOf(client)) === 'checkpoints') {
    yield* checkpointEventsTail(client, eventType, signal);
    return;
  }
  const input: SubscribeEventsInput = { filter: eventTypeFilter(eventType), readMask: READ_MASK };
  const call = client.subscriptionService.subscribeEvents(input, signal ? { abort: signal } : {});
  quiet(call);
  for await (const frame of call.responses)
    yield toFrame(frame.event as ProtoEvent | undefined, frame.watermark);
}

/**
 * A streaming call also exposes headers/status/trailers promises; when the
 * stream is aborted they reject, and nobody else awaits them. The error
 * itself surfaces through the `responses` iterator.
 */
function quiet(call: {
  headers: Promise<unknown>;
  status: Promise<unknown>;
  trailers: Promise<unknown>;
}): void {
  for (const p of [call.headers, call.status, call.trailers]) p.catch(() => undefined);
}

/** The events a transaction emitted (none for an unknown or failed one), with their types and BCS. */
export async function transactionEvents(
  client: SuiGrpcClient,
  digest: string,
): Promise<Array<{ eventType: string; bcs: Uint8Array }>> {
  const r = await client.core.getTransaction({ digest, include: { events: true } });
  const t = r.Transaction ?? r.FailedTransaction;
  return t?.events ?? [];
}

/** Last segment of a Move type ("0x..::k8s_gateway::K8sAPIRequest" → "K8sAPIRequest"). */
export function structName(type: string): string {
  return type.split('::').pop()?.split('<')[0] ?? '';
}
