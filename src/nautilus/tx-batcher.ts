/**
 * Groups concurrent small transactions of one signer into one PTB. The
 * listener's chain work is serialised per key (one gas coin), so under load
 * requests queue behind each other; storing several answers in one
 * transaction divides that queue. If a batch fails (one item aborts, e.g. a
 * request another executor already answered), every item is retried alone,
 * so one bad item never sinks the others.
 */
import type { Transaction } from '@mysten/sui/transactions';
import type { TxOutcome, TxRunner } from '../sui/tx-runner.ts';

interface Item {
  build: (tx: Transaction) => void;
  bytes: number;
  resolve: (o: TxOutcome) => void;
  reject: (e: unknown) => void;
}

export class TxBatcher {
  private readonly queue: Item[] = [];
  private flushing = false;

  constructor(
    private readonly runner: Pick<TxRunner, 'run'>,
    private readonly maxItems = 8,
    /** Pure-argument bytes per transaction (Sui's limit is 128 KiB for the whole transaction). */
    private readonly maxBytes = 96_000,
  ) {}

  submit(build: (tx: Transaction) => void, bytes: number): Promise<TxOutcome> {
    return new Promise((resolve, reject) => {
      this.queue.push({ build, bytes, resolve, reject });
      void this.flush();
    });
  }

  private take(): Item[] {
    const batch: Item[] = [];
    let bytes = 0;
    while (this.queue.length > 0 && batch.length < this.maxItems) {
      const next = this.queue[0]!;
      if (batch.length > 0 && bytes + next.bytes > this.maxBytes) break;
      batch.push(this.queue.shift()!);
      bytes += next.bytes;
    }
    return batch;
  }

  private async flush(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.take();
        try {
          const outcome = await this.runner.run((tx) => batch.forEach((i) => i.build(tx)));
          if (outcome.success || batch.length === 1) {
            batch.forEach((i) => i.resolve(outcome));
            continue;
          }
        } catch (e) {
          if (batch.length === 1) {
            batch[0]!.reject(e);
            continue;
          }
        }
        for (const item of batch) {
          try {
            item.resolve(await this.runner.run(item.build));
          } catch (e) {
            item.reject(e);
          }
        }
      }
    } finally {
      this.flushing = false;
    }
  }
}
