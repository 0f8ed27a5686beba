/**
 * Epochs advance on the embedded node: GetEpoch (current and past), the checkpoints' epoch,
 * `sui::tx_context::epoch` / `epoch_timestamp_ms` in Move, and an epoch-bounded transaction
 * expiring.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bcs } from '@mysten/sui/bcs';
import { SuiGrpcClient } from '@mysten/sui/grpc';
import { Transaction } from '@mysten/sui/transactions';
import { frameworkModules } from '../compiled.ts';
import { startEmbeddedSui, type EmbeddedSui } from '../index.ts';

const EPOCH_MS = 400;

describe('epochs that advance', () => {
  let chain: EmbeddedSui;
  let client: SuiGrpcClient;
  beforeAll(async () => {
    chain = await startEmbeddedSui({
      frameworkModules: await frameworkModules(),
      accounts: 2,
      heartbeatMs: 50,
      epochDurationMs: EPOCH_MS,
    });
    client = new SuiGrpcClient({ network: 'localnet', baseUrl: chain.url });
  });
  afterAll(() => chain.stop());

  const MASK = { paths: ['epoch', 'first_checkpoint', 'last_checkpoint', 'start', 'end'] };
  const epochNow = async () => (await client.ledgerService.getEpoch({ readMask: MASK })).response.epoch!;
  const until = async (epoch: bigint) => {
    const t0 = Date.now();
    while ((await epochNow()).epoch! < epoch) {
      if (Date.now() - t0 > 10_000) throw new Error(`epoch ${epoch} not reached in 10 s`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  it('GetEpoch moves on every epoch duration; past epochs keep their first/last checkpoint and times', async () => {
    await until(2n);
    const current = await epochNow();
    const past = (await client.ledgerService.getEpoch({ epoch: 1n, readMask: MASK })).response.epoch!;
    expect(past.epoch).toBe(1n);
    expect(past.lastCheckpoint).toBeGreaterThanOrEqual(past.firstCheckpoint!);
    const startMs = Number(past.start!.seconds) * 1000 + past.start!.nanos / 1e6;
    const endMs = Number(past.end!.seconds) * 1000 + past.end!.nanos / 1e6;
    expect(endMs - startMs).toBeGreaterThanOrEqual(EPOCH_MS);
    expect(current.epoch).toBeGreaterThanOrEqual(2n);
    // The next epoch starts right after the last checkpoint of the previous one.
    const two = (
      await client.ledgerService.getEpoch({ epoch: 2n, readMask: { paths: ['first_checkpoint'] } })
    ).response.epoch!;
    expect(two.firstCheckpoint).toBe(past.lastCheckpoint! + 1n);
    const cp = (
      await client.ledgerService.getCheckpoint({
        checkpointId: { oneofKind: 'sequenceNumber', sequenceNumber: past.lastCheckpoint! },
        readMask: { paths: ['summary.epoch'] },
      })
    ).response.checkpoint!;
    expect(cp.summary?.epoch).toBe(1n);
    await expect(client.ledgerService.getEpoch({ epoch: 999n })).rejects.toThrow(/epoch 999 not found/);
  });

  it('Move sees the epoch and its start time through tx_context', async () => {
    const account = chain.accounts[0]!;
    const tx = new Transaction();
    tx.setSender(account.address);
    tx.moveCall({ target: '0x2::tx_context::epoch' });
    tx.moveCall({ target: '0x2::tx_context::epoch_timestamp_ms' });
    // Epochs are short here: compare only when no epoch change fell between the reads.
    for (let attempt = 0; ; attempt++) {
      const before = await epochNow();
      const sim = await client.simulateTransaction({ transaction: tx, include: { commandResults: true } });
      const after = await epochNow();
      if (before.epoch !== after.epoch && attempt < 10) continue;
      const epoch = BigInt(bcs.u64().parse(sim.commandResults![0]!.returnValues[0]!.bcs!));
      const startMs = BigInt(bcs.u64().parse(sim.commandResults![1]!.returnValues[0]!.bcs!));
      expect(epoch).toBe(after.epoch);
      const start = BigInt(after.start!.seconds!) * 1000n + BigInt(Math.round(after.start!.nanos! / 1e6));
      expect(startMs).toBe(start);
      return;
    }
  });

  it('a transaction that expired with an earlier epoch is refused', async () => {
    const account = chain.accounts[0]!;
    const tx = new Transaction();
    tx.setSender(account.address);
    tx.setExpiration({ Epoch: 0 });
    tx.transferObjects([tx.splitCoins(tx.gas, [1n])[0]!], account.address);
    await expect(
      client.signAndExecuteTransaction({ transaction: tx, signer: account.keypair }),
    ).rejects.toThrow(/expired at epoch 0; current epoch is/);
  });
});
