import { describe, expect, it } from 'vitest';
import type { Transaction } from '@mysten/sui/transactions';
import { TxBatcher } from './tx-batcher.ts';
import type { TxOutcome } from '../sui/tx-runner.ts';

/** A runner double that records which items each transaction carried and fails when told to. */
function fakeRunner(failWhen: (labels: string[]) => boolean) {
  const txs: string[][] = [];
  return {
    txs,
    async run(build: (tx: Transaction) => void): Promise<TxOutcome> {
      const labels: string[] = [];
      build({ label: (l: string) => labels.push(l) } as unknown as Transaction);
      txs.push(labels);
      await new Promise((r) => setTimeout(r, 5));
      const ok = !failWhen(labels);
      return { digest: `D${txs.length}`, success: ok, events: [], ...(ok ? {} : { error: 'abort' }) };
    },
  };
}

const item = (l: string) => (tx: Transaction) => (tx as unknown as { label: (l: string) => void }).label(l);

describe('TxBatcher', () => {
  it('groups concurrent submissions into one transaction', async () => {
    const r = fakeRunner(() => false);
    const b = new TxBatcher(r, 8);
    const first = b.submit(item('a'), 10);
    const rest = ['b', 'c', 'd'].map((l) => b.submit(item(l), 10));
    const outs = await Promise.all([first, ...rest]);
    expect(r.txs).toEqual([['a'], ['b', 'c', 'd']]);
    expect(outs.map((o) => o.success)).toEqual([true, true, true, true]);
  });
  it('a failing batch is retried item by item so only the bad item fails', async () => {
    const r = fakeRunner((labels) => labels.includes('bad'));
    const b = new TxBatcher(r, 8);
    void b.submit(item('warm'), 1);
    const outs = await Promise.all(['x', 'bad', 'y'].map((l) => b.submit(item(l), 1)));
    expect(outs.map((o) => o.success)).toEqual([true, false, true]);
    expect(r.txs.slice(1)).toEqual([['x', 'bad', 'y'], ['x'], ['bad'], ['y']]);
  });
  it('respects the byte budget per transaction', async () => {
    const r = fakeRunner(() => false);
    const b = new TxBatcher(r, 8, 100);
    void b.submit(item('warm'), 1);
    await Promise.all([b.submit(item('p'), 60), b.submit(item('q'), 60), b.submit(item('s'), 30)]);
    expect(r.txs.slice(1)).toEqual([['p'], ['q', 's']]);
  });
});
