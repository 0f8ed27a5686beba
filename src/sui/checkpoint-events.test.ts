/**
 * Events read from checkpoints (nodes without the event RPCs, e.g. Sui 1.71): each event's index is
 * its position in its own transaction, as Sui's EventID (tx digest, event_seq) and ListEvents'
 * `event_index` number it, and cursors resume after the last delivered match.
 */
import { describe, expect, it } from 'vitest';
import type { SuiGrpcClient } from '@mysten/sui/grpc';
import { checkpointEventsAfter } from './checkpoint-events.ts';

const T = '0x2::m::E';
const ev = (eventType: string, byte: number) => ({ eventType, contents: { value: Uint8Array.of(byte) } });

function nodeWith(transactions: { digest: string; events: ReturnType<typeof ev>[] }[]): SuiGrpcClient {
  const checkpoint = {
    sequenceNumber: 0n,
    transactions: transactions.map((t) => ({ digest: t.digest, events: { events: t.events } })),
  };
  return {
    ledgerService: {
      getServiceInfo: () => Promise.resolve({ response: { checkpointHeight: 0n } }),
      getCheckpoint: () => Promise.resolve({ response: { checkpoint } }),
    },
  } as unknown as SuiGrpcClient;
}

async function events(client: SuiGrpcClient, after?: Uint8Array) {
  const out: { tx: string; index: number | undefined; byte: number | undefined; cursor?: Uint8Array }[] = [];
  for await (const f of checkpointEventsAfter(client, T, after))
    if (f.event)
      out.push({ tx: f.event.txDigest, index: f.event.eventIndex, byte: f.event.bcs[0], cursor: f.cursor! });
  return out;
}

describe('checkpointEventsAfter', () => {
  it("numbers events within their own transaction, skips other types, and resumes after a match's cursor", async () => {
    const client = nodeWith([
      { digest: 'A', events: [ev('0x2::m::Other', 9), ev(T, 1)] },
      { digest: 'B', events: [ev(T, 2), ev(T, 3)] },
    ]);
    const all = await events(client);
    expect(all.map(({ tx, index, byte }) => [tx, index, byte])).toEqual([
      ['A', 1, 1],
      ['B', 0, 2],
      ['B', 1, 3],
    ]);
    const rest = await events(client, all[1]!.cursor);
    expect(rest.map((e) => e.byte)).toEqual([3]);
  });
});
