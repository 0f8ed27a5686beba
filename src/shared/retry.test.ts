import { describe, expect, it } from 'vitest';
import { backoffDelay, isTransientNetworkError, withRetry } from './retry.ts';
import { KeyedMutex, Semaphore } from './keyed-mutex.ts';
import { Trace, hopDurations } from './trace.ts';

describe('withRetry', () => {
  it('retries transient failures with growing, capped delays', async () => {
    const delays: number[] = [];
    let calls = 0;
    const out = await withRetry(
      async () => {
        calls++;
        if (calls < 4) throw new Error('ECONNRESET');
        return 'ok';
      },
      {
        retries: 5,
        baseMs: 10,
        maxMs: 40,
        isRetryable: isTransientNetworkError,
        random: () => 0.999,
        sleep: async (ms) => void delays.push(ms),
      },
    );
    expect(out).toBe('ok');
    expect(delays).toEqual([9, 19, 39]);
  });
  it('does not retry a permanent error', async () => {
    let calls = 0;
    await expect(
      withRetry(
        async () => {
          calls++;
          throw new Error('MoveAbort 5');
        },
        { retries: 5, baseMs: 1, maxMs: 1, isRetryable: isTransientNetworkError, sleep: async () => {} },
      ),
    ).rejects.toThrow('MoveAbort');
    expect(calls).toBe(1);
  });
  it('gives up after the retry budget', async () => {
    let calls = 0;
    await expect(
      withRetry(
        async () => {
          calls++;
          throw new Error('fetch failed');
        },
        { retries: 2, baseMs: 1, maxMs: 1, isRetryable: () => true, sleep: async () => {} },
      ),
    ).rejects.toThrow('fetch failed');
    expect(calls).toBe(3);
  });
  it('backoffDelay never exceeds max', () => {
    for (let a = 0; a < 20; a++) expect(backoffDelay(a, 50, 1000, () => 0.9999)).toBeLessThan(1000);
  });
  it('classifies nested causes', () => {
    expect(
      isTransientNetworkError(
        new Error('outer', { cause: Object.assign(new Error('x'), { code: 'ECONNREFUSED' }) }),
      ),
    ).toBe(true);
    expect(isTransientNetworkError(new Error('EPermissionDenied'))).toBe(false);
  });
});

describe('KeyedMutex and Semaphore', () => {
  it('runs one task per key at a time, different keys in parallel', async () => {
    const m = new KeyedMutex();
    const log: string[] = [];
    const task = (k: string, id: string, ms: number) =>
      m.run(k, async () => {
        log.push(`start ${id}`);
        await new Promise((r) => setTimeout(r, ms));
        log.push(`end ${id}`);
      });
    await Promise.all([task('a', 'a1', 20), task('a', 'a2', 1), task('b', 'b1', 1)]);
    expect(log.indexOf('end a1')).toBeLessThan(log.indexOf('start a2'));
    expect(log.indexOf('start b1')).toBeLessThan(log.indexOf('end a1'));
  });
  it('a failing task does not block the next', async () => {
    const m = new KeyedMutex();
    await expect(
      m.run('k', async () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    await expect(m.run('k', async () => 1)).resolves.toBe(1);
  });
  it('semaphore bounds concurrency', async () => {
    const s = new Semaphore(2);
    let max = 0;
    await Promise.all(
      Array.from({ length: 6 }, () =>
        s.run(async () => {
          max = Math.max(max, s.inFlight);
          await new Promise((r) => setTimeout(r, 5));
        }),
      ),
    );
    expect(max).toBe(2);
  });
});

describe('Trace', () => {
  it('computes per-hop durations in hop order, skipping missing hops', () => {
    let t = 100;
    const tr = new Trace('r1', () => t);
    tr.mark('gateway_received');
    t = 110;
    tr.mark('tx_submitted');
    t = 150;
    tr.mark('gateway_replied');
    expect(tr.durations()).toEqual({ tx_submitted: 10, gateway_replied: 40 });
    expect(hopDurations({})).toEqual({});
  });
});
