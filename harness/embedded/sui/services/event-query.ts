/**
 * ListEvents and SubscribeEvents framing as the real server frames them (Sui sources, read at
 * tnowacki/sui HEAD: crates/sui-rpc-api/src/grpc/v2/ledger_service/list_events.rs,
 * grpc/v2/subscription_service.rs, ledger_history/query_options.rs and filter.rs,
 * grpc/v2/ledger_service/ledger_read.rs, crates/sui-config/src/rpc_config.rs):
 *
 * - request checks: `end_checkpoint` ≥ `start_checkpoint`; `options.ordering` a known value;
 *   `options.after` / `options.before` cursors from this server ("invalid cursor"); a filter has
 *   at least one term and at most 10 literals in all (max_bitmap_filter_literals); the limit
 *   defaults to 50 and is clamped to 1..1,000 (LIST_EVENTS_DEFAULTS).
 * - frames: every frame carries a watermark. An item frame's cursor is an item cursor; its
 *   checkpoint is the last checkpoint the scan fully covered (an item never proves its own
 *   checkpoint complete), unset before the first. ITEM_LIMIT rides on the last item's frame;
 *   SCAN_LIMIT (the scan budget ran out first) is a frame with a watermark and no item; every
 *   other end (LEDGER_TIP, CHECKPOINT_BOUND, CURSOR_BOUND) is a final item-less frame whose cursor
 *   is a boundary cursor to resume from.
 * - subscriptions: a filtered stream starts with a progress-only frame at the tip, then sends
 *   matches, and a progress-only frame after `subscription_watermark_interval` (25) checkpoints
 *   without a match.
 *
 * Cursors: an item cursor is the event's 8-byte big-endian sequence number (resume after it); a
 * boundary cursor is 0x01 ‖ the 8-byte sequence number of the first event not yet covered.
 */
import { GrpcTypes } from '@mysten/sui/grpc';
import { invalidArgument } from '../grpc-web/status.ts';

const T = GrpcTypes;

export const LIST_EVENTS_DEFAULT_LIMIT = 50;
export const LIST_EVENTS_MAX_LIMIT = 1_000;
export const MAX_FILTER_LITERALS = 10;
/** Sui's default `subscription_watermark_interval`, in checkpoints (~5 s at mainnet cadence). */
export const SUBSCRIPTION_WATERMARK_INTERVAL = 25;

export type EventCursor = { kind: 'item'; seq: bigint } | { kind: 'boundary'; seq: bigint };

export function itemCursor(seq: bigint): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, seq, false);
  return out;
}

export function boundaryCursor(nextSeq: bigint): Uint8Array {
  const out = new Uint8Array(9);
  out[0] = 1;
  new DataView(out.buffer).setBigUint64(1, nextSeq, false);
  return out;
}

export function parseEventCursor(field: string, bytes: Uint8Array): EventCursor {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  if (bytes.length === 8) return { kind: 'item', seq: view.getBigUint64(0, false) };
  if (bytes.length === 9 && bytes[0] === 1) return { kind: 'boundary', seq: view.getBigUint64(1, false) };
  throw invalidArgument(
    `${field}: invalid cursor (${bytes.length} bytes; pass a watermark cursor from a previous ListEvents or SubscribeEvents frame)`,
  );
}

/** First sequence number an `after` cursor lets through. */
export function firstAfter(c: EventCursor): bigint {
  return c.kind === 'item' ? c.seq + 1n : c.seq;
}

export interface EventQuery {
  limit: number;
  descending: boolean;
  /** Deliver seq ≥ from … */
  from: bigint;
  /** … and seq < until (undefined: no cursor bound). */
  until: bigint | undefined;
}

/** The request checks of list_events.rs / query_options.rs; throws INVALID_ARGUMENT naming the field. */
export function validateListEvents(req: GrpcTypes.ListEventsRequest): EventQuery {
  const start = req.startCheckpoint ?? 0n;
  if (req.endCheckpoint !== undefined && req.endCheckpoint < start)
    throw invalidArgument('end_checkpoint: end_checkpoint must be greater than or equal to start_checkpoint');
  validateEventFilter(req.filter);
  const o = req.options;
  const ordering = o?.ordering;
  if (ordering !== undefined && ordering !== T.Ordering.ASCENDING && ordering !== T.Ordering.DESCENDING)
    throw invalidArgument('options.ordering: invalid ordering');
  const after = o?.after?.length ? parseEventCursor('options.after', o.after) : undefined;
  const before = o?.before?.length ? parseEventCursor('options.before', o.before) : undefined;
  const limit = Math.min(Math.max(o?.limit ?? LIST_EVENTS_DEFAULT_LIMIT, 1), LIST_EVENTS_MAX_LIMIT);
  return {
    limit,
    descending: ordering === T.Ordering.DESCENDING,
    from: after ? firstAfter(after) : 0n,
    until: before?.seq,
  };
}

/** filter.rs `event_filter_to_query`: at least one term, at most 10 literals over all terms. */
export function validateEventFilter(filter: GrpcTypes.EventFilter | undefined): void {
  if (!filter) return;
  if (filter.terms.length === 0) throw invalidArgument('filter.terms: at least one filter term is required');
  let total = 0;
  for (const t of filter.terms) {
    total += t.literals.length;
    if (total > MAX_FILTER_LITERALS)
      throw invalidArgument(
        `filter.terms.literals: filter contains ${total} literals; at most ${MAX_FILTER_LITERALS} are allowed`,
      );
  }
}
