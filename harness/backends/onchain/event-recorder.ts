import type { SuiGrpcClient } from '@mysten/sui/grpc';
import { normalizeSuiAddress } from '@mysten/sui/utils';
import { EVENT_BCS, MODULE } from '../../../src/contract/index.ts';
import { eventRpcOf } from '../../../src/sui/events.ts';

/** One contract event as the harness records it: decoded fields plus its ledger position. */
export interface RecordedEvent {
  /** Struct name, e.g. K8sAPIRequest. */
  type: string;
  txDigest: string;
  eventIndex: number;
  checkpoint: string | null;
  fields: Record<string, unknown>;
  /** Wall-clock ms when the recorder saw it. */
  seenAt: number;
}

function plain(v: unknown): unknown {
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof Uint8Array) return Buffer.from(v).toString('hex');
  if (Array.isArray(v)) {
    // vector<u8> decodes to number[]: show it as hex, like the bytes it is.
    if (v.length > 0 && v.every((x) => typeof x === 'number' && x >= 0 && x <= 255))
      return Buffer.from(v as number[]).toString('hex');
    return v.map(plain);
  }
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  return v;
}

export function decodeEvent(
  eventType: string,
  bytes: Uint8Array,
): { type: string; fields: Record<string, unknown> } {
  const name = eventType.split('::').pop()?.split('<')[0] ?? eventType;
  const layout = (EVENT_BCS as Record<string, { parse(b: Uint8Array): unknown } | undefined>)[name];
  if (!layout) return { type: name, fields: {} };
  return { type: name, fields: plain(layout.parse(bytes)) as Record<string, unknown> };
}

/**
 * Records every event the k8s_gateway module emits, in chain order, by paging ListEvents
 * forward from a cursor. Polling keeps it identical on every backend (embedded, localnet,
 * remote) and makes it immune to dropped streams.
 */
export class EventRecorder {
  private readonly events: RecordedEvent[] = [];
  private readonly seen = new Set<string>();
  private cursor: string | null = null;
  /** Next checkpoint to read on a node without ListEvents (Sui 1.71: events from checkpoints). */
  private nextCheckpoint = 0n;
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;
  private lastError: string | undefined;
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly client: SuiGrpcClient,
    private readonly packageId: string,
    private readonly intervalMs = 50,
  ) {}

  start(): void {
    if (this.timer) return;
    const tick = (): void => {
      this.timer = setTimeout(() => {
        void this.poll().finally(() => {
          if (this.timer) tick();
        });
      }, this.intervalMs);
    };
    tick();
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.polling;
  }

  /** One catch-up pass (also used directly by tests and by `waitFor`). */
  poll(): Promise<void> {
    this.polling ??= this.pollOnce().finally(() => {
      this.polling = undefined;
    });
    return this.polling;
  }

  private async pollOnce(): Promise<void> {
    try {
      if ((await eventRpcOf(this.client)) === 'checkpoints') {
        await this.pollCheckpoints();
        this.lastError = undefined;
        for (const l of this.listeners) l();
        return;
      }
      for (;;) {
        const page = await this.client.listEvents({
          filter: { emitModule: `${this.packageId}::${MODULE}` },
          after: this.cursor,
          order: 'ascending',
          limit: 200,
        });
        for (const e of page.events) {
          const key = `${e.transactionDigest}:${e.eventIndex}`;
          if (this.seen.has(key)) continue;
          this.seen.add(key);
          const { type, fields } = decodeEvent(e.eventType, e.bcs);
          this.events.push({
            type,
            txDigest: e.transactionDigest,
            eventIndex: e.eventIndex,
            checkpoint: e.checkpoint,
            fields,
            seenAt: Date.now(),
          });
        }
        if (page.endCursor) this.cursor = page.endCursor;
        if (!page.hasNextPage) break;
      }
      this.lastError = undefined;
      for (const l of this.listeners) l();
    } catch (err) {
      this.lastError = (err as Error).message;
    }
  }

  /** The same events read from checkpoints (the module's events of each checkpoint's transactions, in order). */
  private async pollCheckpoints(): Promise<void> {
    const tip = (await this.client.ledgerService.getServiceInfo({})).response.checkpointHeight ?? -1n;
    const pkg = normalizeSuiAddress(this.packageId);
    for (; this.nextCheckpoint <= tip; this.nextCheckpoint++) {
      const { response } = await this.client.ledgerService.getCheckpoint({
        checkpointId: { oneofKind: 'sequenceNumber', sequenceNumber: this.nextCheckpoint },
        readMask: { paths: ['sequence_number', 'transactions.digest', 'transactions.events'] },
      });
      for (const tx of response.checkpoint?.transactions ?? []) {
        for (const [eventIndex, e] of (tx.events?.events ?? []).entries()) {
          if (normalizeSuiAddress(e.packageId ?? '0x0') !== pkg || e.module !== MODULE) continue;
          const key = `${tx.digest}:${eventIndex}`;
          if (this.seen.has(key)) continue;
          this.seen.add(key);
          const { type, fields } = decodeEvent(e.eventType ?? '', e.contents?.value ?? new Uint8Array());
          this.events.push({
            type,
            txDigest: tx.digest ?? '',
            eventIndex,
            checkpoint: this.nextCheckpoint.toString(),
            fields,
            seenAt: Date.now(),
          });
        }
      }
    }
  }

  all(): readonly RecordedEvent[] {
    return this.events;
  }

  error(): string | undefined {
    return this.lastError;
  }

  /** Waits until `predicate` holds over the recorded events (polling the chain meanwhile). */
  async waitFor(
    predicate: (events: readonly RecordedEvent[]) => boolean,
    timeoutMs: number,
  ): Promise<boolean> {
    const end = Date.now() + timeoutMs;
    while (Date.now() < end) {
      await this.poll();
      if (predicate(this.events)) return true;
      await new Promise((r) => setTimeout(r, this.intervalMs));
    }
    return predicate(this.events);
  }

  /** Requests and their responses for a set of request object IDs or request ids. */
  forRequests(match: { requestIds?: string[]; tokenId?: string; sinceMs?: number }): RecordedEvent[] {
    const reqs = this.events.filter(
      (e) =>
        e.type === 'K8sAPIRequest' &&
        (match.requestIds ? match.requestIds.includes(String(e.fields.request_id)) : true) &&
        (match.tokenId ? e.fields.token_id === match.tokenId : true) &&
        (match.sinceMs !== undefined ? e.seenAt >= match.sinceMs : true),
    );
    const objects = new Set(reqs.map((e) => String(e.fields.request_object_id)));
    return this.events.filter((e) =>
      e.type === 'K8sAPIRequest' ? reqs.includes(e) : objects.has(String(e.fields.request_object_id)),
    );
  }
}
