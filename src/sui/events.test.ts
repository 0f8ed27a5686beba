/**
 * Which event source a node gets (the event RPCs, or checkpoints on a 1.71 node), and the error
 * for a node that serves neither — against fake nodes; the real fallback runs end to end in
 * harness/e2e/rpc-1.71.e2e.test.ts.
 */
import { describe, expect, it } from 'vitest';
import type { SuiGrpcClient } from '@mysten/sui/grpc';
import { eventRpcOf } from './events.ts';

const unimplemented = () => Object.assign(new Error('method not found'), { code: 'UNIMPLEMENTED' });
const call = (fail?: Error) => {
  const responses = {
    async *[Symbol.asyncIterator]() {
      if (fail) throw fail;
      yield { watermark: {} };
    },
  };
  const settled = Promise.resolve();
  return { responses, headers: settled, status: settled, trailers: settled };
};

function node(o: { events: boolean; checkpoints: boolean; server?: string }): SuiGrpcClient {
  return {
    ledgerService: {
      listEvents: () => call(o.events ? undefined : unimplemented()),
      getCheckpoint: async () => {
        if (!o.checkpoints) throw unimplemented();
        return { response: {} };
      },
      getServiceInfo: async () => ({ response: { server: o.server } }),
    },
  } as unknown as SuiGrpcClient;
}

describe('event source by capability', () => {
  it('uses the event RPCs where they exist, checkpoints where only those exist', async () => {
    expect(await eventRpcOf(node({ events: true, checkpoints: true }))).toBe('events');
    expect(await eventRpcOf(node({ events: false, checkpoints: true }))).toBe('checkpoints');
  });

  it('names the node and what it lacks when it serves neither', async () => {
    await expect(
      eventRpcOf(node({ events: false, checkpoints: false, server: 'sui-node/1.60.0' })),
    ).rejects.toThrow(/sui-node\/1\.60\.0.*neither LedgerService\.ListEvents nor GetCheckpoint.*--grpc-url/);
  });
});
