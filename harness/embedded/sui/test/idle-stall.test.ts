/**
 * An idle chain does not make the listener reconnect: the listener's event source
 * (src/nautilus/event-source.ts, over the same sui-events calls its chain port makes) stays on
 * one SubscribeEvents stream for longer than its stall timeout, because the node sends progress
 * frames as a real one does. Without them (control), the same setup reconnects.
 */
import { describe, expect, it } from 'vitest';
import { SuiGrpcClient } from '@mysten/sui/grpc';
import { K8S_REQUEST_EVENT } from '../../../../src/contract/index.ts';
import { listEventsAfter, subscribeEvents, type EventFrame } from '../../../../src/sui/events.ts';
import { EventSource } from '../../../../src/nautilus/event-source.ts';
import { ListenerMetrics } from '../../../../src/nautilus/metrics.ts';
import { createLogger } from '../../../../src/shared/logger.ts';
import { publishGateway } from './contract-setup.ts';

// Scaled down for npm test; IDLE_STALL="idleMs,stallMs,heartbeatMs" runs it at other scales
// (e.g. "65000,10000,1000": the e2e stack's stall timeout and the node's default heartbeat).
const [IDLE_MS, STALL_MS, HEARTBEAT_MS] = (process.env.IDLE_STALL ?? '7000,3000,100')
  .split(',')
  .map(Number) as [number, number, number];

async function reconnectsWhileIdle(
  watermarkInterval: number | undefined,
): Promise<{ reconnects: number; frames: number }> {
  // 100 ms idle checkpoints; by default a progress frame every 25 of them (2.5 s < the stall timeout).
  const g = await publishGateway({
    heartbeatMs: HEARTBEAT_MS,
    ...(watermarkInterval !== undefined ? { subscriptionWatermarkInterval: watermarkInterval } : {}),
  });
  const client = new SuiGrpcClient({ network: 'localnet', baseUrl: g.chain.url });
  const type = K8S_REQUEST_EVENT(g.packageId);
  const metrics = new ListenerMetrics();
  let cursor: Uint8Array | undefined;
  let frames = 0;
  const source = new EventSource({
    chain: {
      requestEventsAfter: (after, signal) => listEventsAfter(client, type, after, signal ? { signal } : {}),
      subscribeRequestEvents: (signal) => subscribeEvents(client, type, signal),
    },
    cursor: () => cursor,
    onFrame: async (f: EventFrame, from) => {
      if (from === 'stream') frames++;
      if (f.cursor) cursor = f.cursor;
    },
    metrics,
    logger: createLogger('idle-stall-test', 'silent'),
    stallMs: STALL_MS,
  });
  const stop = new AbortController();
  const running = source.run(stop.signal);
  await new Promise((r) => setTimeout(r, IDLE_MS));
  stop.abort();
  await running;
  await g.chain.stop();
  const values = (await metrics.reconnects.get()).values;
  return { reconnects: values.reduce((n, v) => n + v.value, 0), frames };
}

describe('idle chain, listener connected', () => {
  it(
    `no stall reconnect over ${IDLE_MS} ms idle with a ${STALL_MS} ms stall timeout`,
    async () => {
      const { reconnects, frames } = await reconnectsWhileIdle(undefined);
      expect(reconnects).toBe(0);
      expect(frames).toBeGreaterThanOrEqual(3); // the opening frame and ≥ 2 progress frames
    },
    IDLE_MS + 30_000,
  );

  it(
    'control: without progress frames the same listener reconnects on stall',
    async () => {
      const { reconnects } = await reconnectsWhileIdle(1_000_000);
      expect(reconnects).toBeGreaterThanOrEqual(1);
    },
    IDLE_MS + 30_000,
  );
});
