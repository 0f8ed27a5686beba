/**
 * An executor without gas says so on /healthz and in metrics, and recovers once funded; one on an
 * admin Kubernetes credential (--allow-admin-credential) says so on /readyz (#18).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Ed25519Keypair } from '@mysten/sui/keypairs/ed25519';
import { run } from '../embedded/sui/test/contract-setup.ts';
import { startE2EStack, type E2EStack } from './e2e-stack.ts';

const SUI = 1_000_000_000n;
let s: E2EStack;

beforeAll(async () => {
  s = await startE2EStack([]);
});
afterAll(() => s?.stop());

async function send(to: string, amount: bigint): Promise<void> {
  await run(s.client, s.g.admin, (tx) => {
    const [coin] = tx.splitCoins(tx.gas, [tx.pure.u64(amount)]);
    tx.transferObjects([coin!], tx.pure.address(to));
  });
}

async function health(url: string): Promise<{ status: number; body: { ok: boolean; problems: string[] } }> {
  const res = await fetch(url);
  return { status: res.status, body: (await res.json()) as { ok: boolean; problems: string[] } };
}

it('reports an executor below one gas budget as unhealthy with the fix, then healthy once funded', async () => {
  const poor = new Ed25519Keypair();
  await send(poor.toSuiAddress(), SUI / 2n);
  const answerSigner = await s.admitExecutor(poor);
  const n = await s.startListener(0, { signer: poor, answerSigner, health: { port: 0 }, reconcileMs: 300 });
  const url = `${n.healthUrl!}/healthz`;
  const before = await health(url);
  expect(before.status).toBe(503);
  expect(before.body.ok).toBe(false);
  expect(before.body.problems.join('\n')).toMatch(
    new RegExp(
      `executor ${poor.toSuiAddress()} is out of gas: balance (\\d+) MIST is below the 5000000000 MIST gas budget.*send SUI to ${poor.toSuiAddress()}`,
    ),
  );
  const metrics = await (await fetch(`${n.healthUrl!}/metrics`)).text();
  // Half a SUI, less the stake and gas of registering.
  const balance = Number(/^k3s_daas_listener_gas_balance_mist (\d+)$/m.exec(metrics)?.[1]);
  expect(balance).toBeGreaterThan(400_000_000);
  expect(balance).toBeLessThan(500_000_000);

  await send(poor.toSuiAddress(), 10n * SUI);
  const deadline = Date.now() + 10_000;
  let after = await health(url);
  while (after.status !== 200 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
    after = await health(url);
  }
  expect(after.status).toBe(200);
  expect(after.body).toMatchObject({ ok: true, problems: [] });
});

it('an executor on an admin Kubernetes credential says so on /readyz and /healthz (#18)', async () => {
  const n = await s.startListener(0, { health: { port: 0 } });
  for (const path of ['/readyz', '/healthz']) {
    const res = await fetch(`${n.healthUrl!}${path}`);
    const body = (await res.json()) as { ok: boolean; warnings?: string[]; adminCredential: boolean };
    expect(res.status).toBe(200);
    expect(body.adminCredential).toBe(true);
    expect(body.warnings?.join('\n')).toMatch(
      /the executor runs with an administrator Kubernetes credential .*--allow-admin-credential.*a compromised executor is cluster-admin/,
    );
  }
  await s.stopListeners();
});

it('merges the fee coins an executor collects into its gas coin', async () => {
  const executor = new Ed25519Keypair();
  await send(executor.toSuiAddress(), 20n * SUI);
  const answerSigner = await s.admitExecutor(executor);
  // 150 coins of 1,000 MIST, as 150 answered requests with a fee would leave.
  await run(s.client, s.g.admin, (tx) => {
    const amounts = Array.from({ length: 150 }, () => tx.pure.u64(1_000n));
    const coins = tx.splitCoins(tx.gas, amounts);
    tx.transferObjects(
      amounts.map((_, i) => coins[i]!),
      tx.pure.address(executor.toSuiAddress()),
    );
  });
  const count = async () =>
    (await s.client.core.listCoins({ owner: executor.toSuiAddress(), limit: 500 })).objects.length;
  expect(await count()).toBe(151);
  const n = await s.startListener(1, {
    signer: executor,
    answerSigner,
    health: { port: 0 },
    reconcileMs: 300,
  });
  const deadline = Date.now() + 20_000;
  while ((await count()) >= 100 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  expect(await count()).toBeLessThan(100);
  const metrics = await (await fetch(`${n.healthUrl!}/metrics`)).text();
  expect(Number(/^k3s_daas_listener_fee_coins_merged_total (\d+)$/m.exec(metrics)?.[1])).toBeGreaterThan(50);
  const balance = await s.client.core.getBalance({ owner: executor.toSuiAddress() });
  // Nothing lost but gas: 20 SUI + 150,000 MIST minus what the merges cost.
  expect(BigInt(balance.balance.balance)).toBeGreaterThan(19n * SUI);
});
