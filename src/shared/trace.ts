/**
 * Per-request latency trace. Each component stamps the hops it sees
 * (wall clock ms); consecutive differences are the per-hop latencies.
 * Hop names are fixed so the harness can join gateway and listener traces
 * by request id.
 */
export const HOPS = [
  'gateway_received',
  // Seal clusters: the payload encrypted (gateway)
  'payload_sealed',
  'tx_submitted',
  'tx_executed',
  'listener_saw_event',
  'k8s_answered',
  'response_stored',
  'gateway_saw_response',
  // Seal clusters: the answer decrypted (gateway)
  'response_opened',
  'gateway_replied',
] as const;

export type Hop = (typeof HOPS)[number];

export interface TraceRecord {
  requestId: string;
  txDigest?: string;
  /** Sui address whose request it was (gateway traces): only that identity may read it. */
  requester?: string;
  marks: Partial<Record<Hop, number>>;
}

export class Trace {
  readonly record: TraceRecord;
  constructor(requestId: string, now: () => number = Date.now) {
    this.record = { requestId, marks: {} };
    this.now = now;
  }
  private readonly now: () => number;

  mark(hop: Hop, at = this.now()): void {
    this.record.marks[hop] = at;
  }

  /** ms spent reaching each hop from the previous marked hop */
  durations(): Partial<Record<Hop, number>> {
    return hopDurations(this.record.marks);
  }
}

export function hopDurations(marks: Partial<Record<Hop, number>>): Partial<Record<Hop, number>> {
  const out: Partial<Record<Hop, number>> = {};
  let prev: number | undefined;
  for (const hop of HOPS) {
    const t = marks[hop];
    if (t === undefined) continue;
    if (prev !== undefined) out[hop] = Math.max(0, t - prev);
    prev = t;
  }
  return out;
}

/** Recent traces kept in memory for the debug endpoint (bounded, FIFO eviction). */
export class TraceStore {
  private readonly map = new Map<string, TraceRecord>();
  constructor(private readonly capacity = 2000) {}

  put(record: TraceRecord): void {
    this.map.delete(record.requestId);
    this.map.set(record.requestId, record);
    while (this.map.size > this.capacity) {
      const oldest = this.map.keys().next().value;
      if (oldest === undefined) break;
      this.map.delete(oldest);
    }
  }

  get(requestId: string): TraceRecord | undefined {
    return this.map.get(requestId);
  }

  all(): TraceRecord[] {
    return [...this.map.values()];
  }
}
