/** src/sui/tx-runner.ts against the embedded Sui node: what goes over the wire per transaction. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SuiGrpcClient } from '@mysten/sui/grpc';
import type { Ed25519Keypair } from '@mysten/sui/keypairs/ed25519';
import { startEmbeddedSui, type EmbeddedSui } from '../embedded/sui/index.ts';
import { frameworkModules } from '../embedded/sui/compiled.ts';
import { TxRunner } from '../../src/sui/tx-runner.ts';

let chain: EmbeddedSui;

beforeAll(async () => {
  chain = await startEmbeddedSui({ accounts: 2, frameworkModules: await frameworkModules() });
});
afterAll(() => chain.stop());

async function calls(method: string): Promise<number> {
  const stats = (await (await fetch(`${chain.url}/stats`)).json()) as {
    methods: Record<string, { calls: number }>;
  };
  return Object.entries(stats.methods).find(([path]) => path.endsWith(`/${method}`))?.[1].calls ?? 0;
}

it('reads the reference gas price once, not before every transaction', async () => {
  const client = new SuiGrpcClient({ network: 'localnet', baseUrl: chain.url });
  const [from, to] = chain.accounts.map((a) => a.keypair as Ed25519Keypair);
  const runner = new TxRunner(client, from!);
  const transfer = async () => {
    const o = await runner.run((tx) => {
      const [coin] = tx.splitCoins(tx.gas, [tx.pure.u64(1_000n)]);
      tx.transferObjects([coin!], tx.pure.address(to!.toSuiAddress()));
    });
    expect(o.success).toBe(true);
  };
  await transfer(); // first one: price read, gas coin resolved
  const epochCallsBefore = await calls('GetEpoch');
  const executedBefore = await calls('ExecuteTransaction');
  for (let i = 0; i < 5; i++) await transfer();
  expect((await calls('ExecuteTransaction')) - executedBefore).toBe(5);
  expect((await calls('GetEpoch')) - epochCallsBefore).toBe(0);
});
