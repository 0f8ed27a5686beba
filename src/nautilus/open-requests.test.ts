import { describe, expect, it } from 'vitest';
import { OpenRequests } from './open-requests.ts';

const id = (n: number) => '0x' + n.toString(16).padStart(64, '0');

describe('OpenRequests', () => {
  it('drops duplicate events (backfill and tail see the same request)', () => {
    const w = new OpenRequests();
    expect(w.markSeen(id(1))).toBe(true);
    expect(w.markSeen(id(1))).toBe(false);
    expect(w.markSeen(id(2))).toBe(true);
  });

  it('keeps the origin transaction of an open request until it is done', () => {
    const w = new OpenRequests();
    w.add(id(1), 'digest-1');
    expect(w.originOf(id(1))).toBe('digest-1');
    w.done(id(1));
    expect(w.originOf(id(1))).toBeUndefined();
    expect(w.open.size).toBe(0);
  });

  it('takes its own shard at once and another shard only after one reconcile period', () => {
    const w = new OpenRequests({ index: 1, count: 2 });
    expect(w.ownsShard(id(3))).toBe(true);
    expect(w.ownsShard(id(4))).toBe(false);
    w.add(id(3), undefined);
    w.add(id(4), undefined);
    w.defer(id(4), 1_000);
    expect(w.due(1_500, 1_000)).toEqual([id(3)]);
    expect(w.due(2_000, 1_000)).toEqual([id(3), id(4)]);
    // no longer deferred once handed out
    expect(w.due(2_001, 1_000)).toEqual([id(3), id(4)]);
  });

  it('never hands out a request that is being processed', () => {
    const w = new OpenRequests();
    w.add(id(1), undefined);
    w.add(id(2), undefined);
    w.active.add(id(1));
    expect(w.due(0, 1_000)).toEqual([id(2)]);
  });

  it('without shards every request is its own', () => {
    expect(new OpenRequests().ownsShard(id(7))).toBe(true);
    expect(new OpenRequests({ index: 0, count: 1 }).ownsShard(id(7))).toBe(true);
  });
});
