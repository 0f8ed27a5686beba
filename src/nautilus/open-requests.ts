/**
 * The listener's in-memory view of its work: events already seen (duplicates from backfill and
 * tail are dropped), requests seen but not answered (with the transaction that emitted their
 * event, persisted in cursor.json), requests being processed, and other shards' requests
 * waiting for their owner.
 */

const SEEN_LIMIT = 20_000;

export class OpenRequests {
  /** Requests seen but not answered → the transaction that emitted their K8sAPIRequest, when known. */
  readonly open = new Map<string, string | undefined>();
  /** Requests being processed now. */
  readonly active = new Set<string>();
  private readonly seen = new Set<string>();
  private readonly seenOrder: string[] = [];
  /** requests of other shards: object id → when first seen */
  private readonly deferred = new Map<string, number>();

  constructor(private readonly shard?: { index: number; count: number }) {}

  /** First sighting of this request's event? */
  markSeen(id: string): boolean {
    if (this.seen.has(id)) return false;
    this.seen.add(id);
    this.seenOrder.push(id);
    while (this.seenOrder.length > SEEN_LIMIT) this.seen.delete(this.seenOrder.shift()!);
    return true;
  }

  add(id: string, originTx: string | undefined): void {
    this.open.set(id, originTx);
  }

  originOf(id: string): string | undefined {
    return this.open.get(id);
  }

  /** Whether this listener takes the request at once (its shard) rather than after its owner had a period. */
  ownsShard(id: string): boolean {
    const sh = this.shard;
    if (!sh || sh.count <= 1) return true;
    return Number(BigInt(id) % BigInt(sh.count)) === sh.index;
  }

  defer(id: string, nowMs: number): void {
    this.deferred.set(id, nowMs);
  }

  /**
   * The open requests a reconcile should look at now: not in flight, and another shard's request
   * only once its owner had one reconcile period.
   */
  due(nowMs: number, periodMs: number): string[] {
    const out: string[] = [];
    for (const id of [...this.open.keys()]) {
      if (this.active.has(id)) continue;
      const deferredAt = this.deferred.get(id);
      if (deferredAt !== undefined && nowMs - deferredAt < periodMs) continue;
      this.deferred.delete(id);
      out.push(id);
    }
    return out;
  }

  /** Answered, gone or stored: nothing more to do here. */
  done(id: string): void {
    this.open.delete(id);
    this.deferred.delete(id);
  }
}
