/**
 * ListEvents and SubscribeEvents frame and validate as the real server does
 * (services/event-query.ts names the Sui sources), and the product's event reader
 * (src/sui/events.ts) reads every event through SCAN_LIMIT pages and progress frames.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GrpcTypes, SuiGrpcClient } from '@mysten/sui/grpc';
import { K8S_REQUEST_EVENT, K8sAPIRequestBcs } from '../../../../src/contract/index.ts';
import { eventTypeFilter, listEventsAfter, subscribeEvents } from '../../../../src/sui/events.ts';
import { kubectlCreate, publishGateway, run, type Gateway } from './contract-setup.ts';

const R = GrpcTypes.QueryEndReason;
type Frame = GrpcTypes.ListEventsResponse;

describe('event RPC framing (current profile)', () => {
  let g: Gateway;
  let client: SuiGrpcClient;
  let type: string;
  const list = async (req: Partial<GrpcTypes.ListEventsRequest>): Promise<Frame[]> => {
    const call = client.ledgerService.listEvents(req as GrpcTypes.ListEventsRequest);
    const frames: Frame[] = [];
    for await (const f of call.responses) frames.push(f);
    return frames;
  };

  beforeAll(async () => {
    g = await publishGateway({ checkpointIntervalMs: 20 });
    client = new SuiGrpcClient({ network: 'localnet', baseUrl: g.chain.url });
    type = K8S_REQUEST_EVENT(g.packageId);
    for (const id of ['f-1', 'f-2', 'f-3'])
      await run(g.client, g.user, (tx) => kubectlCreate(g, tx, id, new Uint8Array()));
    await new Promise((r) => setTimeout(r, 80)); // sealed
  });
  afterAll(() => g.chain.stop());

  it('ITEM_LIMIT rides on the last item’s frame; the next page resumes from its cursor', async () => {
    const frames = await list({ filter: eventTypeFilter(type), options: { limit: 2 } });
    expect(frames.map((f) => [!!f.event, f.end?.reason])).toEqual([
      [true, undefined],
      [true, R.ITEM_LIMIT],
    ]);
    for (const f of frames) expect(f.watermark?.cursor?.length).toBe(8);
    const next = await list({
      filter: eventTypeFilter(type),
      options: { limit: 2, after: frames[1]!.watermark!.cursor! },
    });
    expect(
      next.filter((f) => f.event).map((f) => K8sAPIRequestBcs.parse(f.event!.contents!.value!).request_id),
    ).toEqual(['f-3']);
    // The last frame carries no item, the final watermark and a boundary cursor to resume from.
    const end = next.at(-1)!;
    expect(end.event).toBeUndefined();
    expect(end.end?.reason).toBe(R.LEDGER_TIP);
    expect(end.watermark?.cursor?.length).toBe(9);
    const after = await list({ filter: eventTypeFilter(type), options: { after: end.watermark!.cursor! } });
    expect(after.map((f) => [!!f.event, f.end?.reason])).toEqual([[false, R.LEDGER_TIP]]);
  });

  it('CHECKPOINT_BOUND at an end checkpoint below the tip', async () => {
    const frames = await list({ endCheckpoint: 1n });
    expect(frames.at(-1)!.end?.reason).toBe(R.CHECKPOINT_BOUND);
    expect(frames.at(-1)!.watermark?.checkpoint).toBe(1n);
  });

  it('validates the request as the real server does', async () => {
    const refused = (req: Partial<GrpcTypes.ListEventsRequest>) =>
      list(req).then(
        () => 'ok',
        (e: Error) => e.message,
      );
    expect(await refused({ startCheckpoint: 5n, endCheckpoint: 2n })).toMatch(
      /end_checkpoint must be greater than or equal to start_checkpoint/,
    );
    expect(await refused({ options: { after: new Uint8Array([1, 2, 3]) } })).toMatch(
      /options\.after: invalid cursor/,
    );
    expect(await refused({ options: { before: new Uint8Array(9).fill(7) } })).toMatch(
      /options\.before: invalid cursor/,
    );
    expect(await refused({ filter: { terms: [] } })).toMatch(
      /filter\.terms: at least one filter term is required/,
    );
    const literal = eventTypeFilter(type).terms[0]!.literals[0]!;
    expect(await refused({ filter: { terms: [{ literals: Array(11).fill(literal) }] } })).toMatch(
      /filter contains 11 literals; at most 10 are allowed/,
    );
    expect(await refused({ options: { ordering: 7 as GrpcTypes.Ordering } })).toMatch(
      /options\.ordering: invalid ordering/,
    );
    // limit 0 is clamped to 1.
    const one = await list({ filter: eventTypeFilter(type), options: { limit: 0 } });
    expect(one.filter((f) => f.event)).toHaveLength(1);
    expect(one.at(-1)!.end?.reason).toBe(R.ITEM_LIMIT);
  });
});

describe('ListEvents scan budget', () => {
  it('SCAN_LIMIT: a frame with a watermark and no item when the scan budget runs out first', async () => {
    // A scan budget of 4 events: a request scanning more ends with SCAN_LIMIT.
    const g = await publishGateway({ checkpointIntervalMs: 20, listEventsScanBudget: 4 });
    const client = new SuiGrpcClient({ network: 'localnet', baseUrl: g.chain.url });
    const type = K8S_REQUEST_EVENT(g.packageId);
    for (const id of ['f-1', 'f-2', 'f-3'])
      await run(g.client, g.user, (tx) => kubectlCreate(g, tx, id, new Uint8Array()));
    await new Promise((r) => setTimeout(r, 80));
    const list = async (req: Partial<GrpcTypes.ListEventsRequest>): Promise<Frame[]> => {
      const frames: Frame[] = [];
      for await (const f of client.ledgerService.listEvents(req as GrpcTypes.ListEventsRequest).responses)
        frames.push(f);
      return frames;
    };
    // Every event of the chain (publish and setup emit some) is scanned; only the last type matches.
    const frames = await list({ filter: eventTypeFilter(type) });
    const scanLimited = frames.find((f) => f.end?.reason === R.SCAN_LIMIT);
    expect(scanLimited, JSON.stringify(frames.map((f) => f.end?.reason))).toBeDefined();
    expect(scanLimited!.event).toBeUndefined();
    expect(scanLimited!.watermark?.cursor?.length).toBe(9);
    // The product's reader pages on through SCAN_LIMIT and finds every request.
    const ids: string[] = [];
    for await (const f of listEventsAfter(client, type, undefined))
      if (f.event) ids.push(K8sAPIRequestBcs.parse(f.event.bcs).request_id);
    expect(ids).toEqual(['f-1', 'f-2', 'f-3']);
    await g.chain.stop();
  });
});

describe('SubscribeEvents progress frames', () => {
  it('a progress-only frame first, then one every N checkpoints without a match; the product reads them as progress', async () => {
    const g = await publishGateway({
      checkpointIntervalMs: 10,
      heartbeatMs: 20,
      subscriptionWatermarkInterval: 3,
    });
    try {
      const client = new SuiGrpcClient({ network: 'localnet', baseUrl: g.chain.url });
      const abort = new AbortController();
      const frames: { event: boolean; cursor?: number; checkpoint?: bigint }[] = [];
      const reading = (async () => {
        for await (const f of subscribeEvents(client, K8S_REQUEST_EVENT(g.packageId), abort.signal)) {
          frames.push({ event: !!f.event, cursor: f.cursor?.length, checkpoint: f.checkpoint });
          if (frames.length === 4) abort.abort();
        }
      })().catch(() => undefined);
      await reading;
      expect(frames.every((f) => !f.event && f.cursor === 9)).toBe(true);
      // Progress every 3 idle checkpoints: the watermark checkpoints step by 3 after the first.
      const cps = frames.map((f) => f.checkpoint!);
      expect(cps[2]! - cps[1]!).toBe(3n);
      expect(cps[3]! - cps[2]!).toBe(3n);
    } finally {
      await g.chain.stop();
    }
  });
});
