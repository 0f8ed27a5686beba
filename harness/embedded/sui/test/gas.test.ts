/**
 * Gas as Sui 1.71 charges it (execution/gas.ts): known answers from Sui's own sources and
 * networks, then every k8s_gateway call of a request's life on the embedded node, measured and
 * written to reports/gas-table.md (the table in move/k8s_gateway/README.md comes from there).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Transaction } from '@mysten/sui/transactions';
import { fromBase64 } from '@mysten/sui/utils';
import {
  cancelRequest,
  claimRequest,
  closeRequest,
  configure,
  K8sAPIRequestBcs,
  setPaused,
} from '../../../../src/contract/index.ts';
import { halveDigits, MAX_GAS_BUDGET, refundable, roundComputation, storageCost } from '../execution/gas.ts';
import { coinBalance, encodeCoin, storageBytes } from '../ledger/objects.ts';
import { GAS_COIN_TYPE } from '../ledger/types.ts';
import { checkGasParameters } from '../execution/gas-payment.ts';
import { parseTransactionData } from '../execution/tx-reader.ts';
import {
  CONFIG,
  kubectlCreate,
  publishGateway,
  run,
  storeSignedAnswer,
  type Gateway,
} from './contract-setup.ts';

describe('gas schedule (Sui 1.71, protocol 122)', () => {
  it('rounds computation by halving digits, as gas_v2.rs test_half_digits_rounding expects', () => {
    const cases: [bigint, bigint][] = [
      [0n, 1000n],
      [999n, 1000n],
      [1001n, 1010n],
      [1999n, 2000n],
      [20_001n, 20_100n],
      [29_999n, 30_000n],
      [305_501n, 305_600n],
      [1_000_001n, 1_001_000n],
      [100_000_001n, 100_010_000n],
    ];
    for (const [n, want] of cases) expect(halveDigits(n)).toBe(want);
    // The older modes: buckets (gas_v2.rs computation_bucket) and a step.
    expect(roundComputation(1_001n, 'bucketize')).toBe(5_000n);
    expect(roundComputation(1_001n, { step: 1_000n })).toBe(2_000n);
  });

  it('sizes a SUI coin at 130 bytes: storage 988,000 MIST, as Sui networks charge for one', () => {
    const data = {
      kind: 'move' as const,
      type: GAS_COIN_TYPE,
      hasPublicTransfer: true,
      contents: encodeCoin('0x5', 1n),
    };
    expect(storageBytes(data)).toBe(130);
    expect(storageCost(130)).toBe(988_000n);
    // sender_rebate rounds half up: 99 % of 988,000 and of 50.
    expect(refundable(988_000n)).toEqual({ refund: 978_120n, nonRefundable: 9_880n });
    expect(refundable(50n).refund).toBe(50n);
    expect(MAX_GAS_BUDGET).toBe(50_000_000_000_000n);
  });
});

describe('gas on the embedded node', () => {
  let g: Gateway;
  beforeAll(async () => {
    g = await publishGateway({ checkpointIntervalMs: 20 });
  });
  afterAll(() => g.chain.stop());

  it('a SUI transfer (split + transfer) costs what a Sui 1.71 localnet charges', async () => {
    const r = await run(g.client, g.user, (tx) => {
      const [coin] = tx.splitCoins(tx.gas, [1_000n]);
      tx.transferObjects([coin!], tx.pure.address(g.admin.toSuiAddress()));
    });
    expect(r.effects!.gasUsed).toMatchObject({
      computationCost: '1000000', // 1,000 units (the rounding floor) × RGP 1,000
      storageCost: '1976000', // two coins of 130 bytes
      storageRebate: '978120', // 99 % of the gas coin's 988,000
      nonRefundableStorageFee: '9880',
    });
  });

  it('accepts a budget above the old 50 SUI cap; refuses one above 50,000 SUI; a budget equal to the cost runs out of gas', async () => {
    const big = await run(g.client, g.user, (tx) => {
      tx.setGasBudget(60_000_000_000n);
      tx.transferObjects([tx.splitCoins(tx.gas, [1n])[0]!], tx.pure.address(g.user.toSuiAddress()));
    }).catch((e: Error) => e);
    expect(big).not.toBeInstanceOf(Error);

    // The accounts hold 5,000 SUI, so the cap is checked where the node checks it.
    expect(() => checkGasParameters(1_000n, 1_000n, MAX_GAS_BUDGET + 1n, true)).toThrow(
      /above the maximum 50000000000000/,
    );
    expect(() => checkGasParameters(1_000n, 1_000n, MAX_GAS_BUDGET, true)).not.toThrow();
    expect(() => checkGasParameters(1_000n, 1_000n, 999_999n, true)).toThrow(/below the minimum 1000000/);

    // Sui: `if gas_budget <= gas_used` → InsufficientGas, charging the budget.
    // Built with the gas data fixed (the SDK's own dry run would refuse it before submitting).
    const [gasCoin] = g.chain.node.ledger
      .ownedBy(g.user.toSuiAddress())
      .filter((o) => o.data.kind === 'move' && o.data.type === GAS_COIN_TYPE)
      .sort((a, b) => Number((coinBalance(b) ?? 0n) - (coinBalance(a) ?? 0n)));
    const exact = new Transaction();
    exact.setSender(g.user.toSuiAddress());
    exact.setGasPrice(1_000n);
    exact.setGasBudget(1_000_000n);
    exact.setGasPayment([
      { objectId: gasCoin!.id, version: String(gasCoin!.version), digest: gasCoin!.digest },
    ]);
    exact.transferObjects([exact.splitCoins(exact.gas, [1n])[0]!], g.user.toSuiAddress());
    const bytes = await exact.build();
    const { signature } = await g.user.signTransaction(bytes);
    const failed = await g.chain.node.executor.execute(bytes, { signatures: [fromBase64(signature)] });
    const effects = failed.executed.effects!;
    expect(effects.status?.success).toBe(false);
    expect(effects.status?.error?.description).toMatch(/does not cover the computation cost 1000000/);
    expect(effects.gasUsed?.computationCost).toBe(1_000_000n);
  });

  it('measures every k8s_gateway call of a request’s life and writes the gas table', async () => {
    const text = (s: string) => new TextEncoder().encode(s);
    await run(g.client, g.admin, (tx) =>
      configure(tx, g.packageId, { adminCap: g.adminCapId, cluster: g.clusterId, config: CONFIG }),
    );
    await run(g.client, g.admin, (tx) =>
      setPaused(tx, g.packageId, { adminCap: g.adminCapId, cluster: g.clusterId, paused: false }),
    );
    for (const [i, size] of [0, 1_000, 10_000].entries()) {
      const created = await run(g.client, g.user, (tx) =>
        kubectlCreate(g, tx, `gas-${i}`, new Uint8Array(size).fill(97)),
      );
      const req = K8sAPIRequestBcs.parse(
        created.events!.find((e) => e.eventType.endsWith('::K8sAPIRequest'))!.bcs,
      );
      const on = { cluster: g.clusterId, executor: g.executorObjectId, request: req.request_object_id };
      await run(g.client, g.executor, (tx) => claimRequest(tx, g.packageId, on));
      const body = text(`{"kind":"ConfigMap","n":${i}}`.padEnd(size, ' '));
      await run(g.client, g.executor, (tx) =>
        storeSignedAnswer(tx, g.packageId, on, req, body, g.answerSigner),
      );
      await run(g.client, g.user, (tx) => closeRequest(tx, g.packageId, { request: req.request_object_id }));
    }
    const open = await run(g.client, g.user, (tx) => kubectlCreate(g, tx, 'gas-cancel', new Uint8Array()));
    const openId = K8sAPIRequestBcs.parse(
      open.events!.find((e) => e.eventType.endsWith('::K8sAPIRequest'))!.bcs,
    ).request_object_id;
    await run(g.client, g.user, (tx) => cancelRequest(tx, g.packageId, { request: openId }));

    const rows = new Map<string, { calls: number; units: bigint[]; c: bigint[]; s: bigint[]; r: bigint[] }>();
    const state = g.chain.node.ledger.state;
    for (const digest of state.transactionOrder) {
      const rec = state.transactions.get(digest)!;
      const data = parseTransactionData(rec.executed.transaction!.bcs!.value!).V1!;
      const commands = data.kind.ProgrammableTransaction?.commands ?? [];
      const calls = commands.flatMap((c) =>
        c.$kind === 'MoveCall' && c.MoveCall.module === 'k8s_gateway' ? [c.MoveCall.function] : [],
      );
      const name = commands.some((c) => c.$kind === 'Publish')
        ? 'publish k8s_gateway'
        : calls.length
          ? calls.join(' + ')
          : undefined;
      if (!name || rec.executed.effects?.status?.success !== true) continue;
      const gas = rec.executed.effects.gasUsed!;
      const row = rows.get(name) ?? { calls: 0, units: [], c: [], s: [], r: [] };
      row.calls++;
      row.units.push(rec.computationUnits ?? 0n);
      row.c.push(gas.computationCost!);
      row.s.push(gas.storageCost!);
      row.r.push(gas.storageRebate!);
      rows.set(name, row);
    }
    for (const want of [
      'publish k8s_gateway',
      'create_cluster',
      'issue_seal_token',
      'stake_seal_token',
      'register_executor',
      'execute_kubectl_command_with_id',
      'claim_request',
      'store_k8s_response',
      'close_request',
      'cancel_request',
    ])
      expect(
        [...rows.keys()].some((k) => k.includes(want.split(' ')[0]!)),
        want,
      ).toBe(true);

    const span = (xs: bigint[]) => {
      const lo = xs.reduce((a, b) => (b < a ? b : a));
      const hi = xs.reduce((a, b) => (b > a ? b : a));
      const f = (v: bigint) => v.toLocaleString('en-US');
      return lo === hi ? f(lo) : `${f(lo)}–${f(hi)}`;
    };
    const lines = [
      '| call (PTB) | calls | units before rounding | computation | storage | rebate |',
      '|---|---|---|---|---|---|',
      ...[...rows].map(
        ([name, r]) =>
          `| \`${name}\` | ${r.calls} | ${span(r.units)} | ${span(r.c)} | ${span(r.s)} | ${span(r.r)} |`,
      ),
    ];
    // Known answers: close_request and cancel_request delete the Request and write only the gas
    // coin (130 bytes = 988,000) — cancel also the refunded fee coin.
    expect(rows.get('close_request')!.s).toEqual([988_000n, 988_000n, 988_000n]);
    expect(rows.get('cancel_request')!.s).toEqual([1_976_000n]);
    // Every call but publish stays under the 1,000-unit floor: computation = 1,000 × RGP.
    for (const [name, r] of rows)
      if (name !== 'publish k8s_gateway')
        for (const c of r.c) expect(c, name).toBe(1_000n * g.chain.node.ledger.state.referenceGasPrice);
    mkdirSync('reports', { recursive: true });
    writeFileSync(
      'reports/gas-table.md',
      `Measured on the embedded node (RGP ${state.referenceGasPrice}, MIST; payload 0 / 1,000 / 10,000 bytes) by harness/embedded/sui/test/gas.test.ts\n\n${lines.join('\n')}\n`,
    );
  });
});
