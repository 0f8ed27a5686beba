import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SuiGrpcClient } from '@mysten/sui/grpc';
import { SerialTransactionExecutor, Transaction } from '@mysten/sui/transactions';
import { Ed25519Keypair } from '@mysten/sui/keypairs/ed25519';
import { Secp256k1Keypair } from '@mysten/sui/keypairs/secp256k1';
import { Secp256r1Keypair } from '@mysten/sui/keypairs/secp256r1';
import { bcs } from '@mysten/sui/bcs';
import { toBase58 } from '@mysten/sui/utils';
import { blake2b } from '@noble/hashes/blake2.js';
import { startEmbeddedSui, type EmbeddedSui } from '../index.ts';
import { frameworkModules } from '../compiled.ts';

const CLOCK = '0x0000000000000000000000000000000000000000000000000000000000000006';

async function transfer(
  client: SuiGrpcClient,
  signer: Parameters<SuiGrpcClient['signAndExecuteTransaction']>[0]['signer'],
  to: string,
  amount: bigint,
) {
  const tx = new Transaction();
  tx.transferObjects([tx.splitCoins(tx.gas, [tx.pure.u64(amount)])[0]!], tx.pure.address(to));
  return client.signAndExecuteTransaction({ transaction: tx, signer, include: { effects: true } });
}

describe('embedded sui: gRPC surface through the SDK', () => {
  let chain: EmbeddedSui;
  let client: SuiGrpcClient;

  beforeAll(async () => {
    chain = await startEmbeddedSui({
      accounts: 2,
      frameworkModules: await frameworkModules(),
      checkpointIntervalMs: 20,
    });
    client = new SuiGrpcClient({ network: 'localnet', baseUrl: chain.url });
  });
  afterAll(() => chain.stop());

  it('accepts Secp256k1 and Secp256r1 signatures as the SDK keypairs produce them', async () => {
    for (const keypair of [new Secp256k1Keypair(), new Secp256r1Keypair()]) {
      await transfer(client, chain.accounts[0]!.keypair, keypair.toSuiAddress(), 5_000_000_000n);
      const r = await transfer(client, keypair, chain.accounts[1]!.address, 1_000n);
      expect(r.$kind).toBe('Transaction');
    }
  });

  it('digests every written object over its final BCS, storage rebate included', async () => {
    const to = chain.accounts[1]!.address;
    const r = await transfer(client, chain.accounts[0]!.keypair, to, 7_000n);
    const written = r.Transaction!.effects!.changedObjects.filter((c) => c.outputState === 'ObjectWrite');
    expect(written.length).toBe(2); // the new coin and the gas coin
    for (const change of written) {
      const { response } = await client.ledgerService.getObject({
        objectId: change.objectId,
        readMask: { paths: ['bcs', 'digest', 'storage_rebate'] },
      });
      const o = response.object!;
      const stored = bcs.Object.parse(o.bcs!.value!);
      expect(o.storageRebate).toBeGreaterThan(0n);
      expect(BigInt(stored.storageRebate)).toBe(o.storageRebate);
      const digest = toBase58(
        blake2b(new Uint8Array([...Buffer.from('Object::'), ...o.bcs!.value!]), { dkLen: 32 }),
      );
      expect(digest).toBe(o.digest);
      expect(change.outputDigest).toBe(o.digest);
    }
  });

  it('honours read masks', async () => {
    const { response } = await client.ledgerService.getObject({
      objectId: CLOCK,
      readMask: { paths: ['object_id', 'owner'] },
    });
    expect(response.object?.objectId).toBe(CLOCK);
    expect(response.object?.owner?.version).toBe(1n);
    expect(response.object?.version).toBeUndefined();
    expect(response.object?.contents).toBeUndefined();
    const full = await client.ledgerService.getObject({
      objectId: CLOCK,
      readMask: { paths: ['contents', 'version'] },
    });
    expect(full.response.object?.contents?.value?.length).toBe(40);
  });

  it('seals checkpoints with timestamps and advances the Clock', async () => {
    const abort = new AbortController();
    const stream = client.subscriptionService.subscribeCheckpoints(
      { readMask: { paths: ['sequence_number', 'summary.timestamp', 'contents'] } },
      { abort: abort.signal },
    );
    const seen: { seq: bigint; txs: number }[] = [];
    const reading = (async () => {
      try {
        for await (const m of stream.responses) {
          seen.push({
            seq: m.checkpoint!.sequenceNumber!,
            txs: m.checkpoint!.contents?.transactions.length ?? 0,
          });
          if (seen.some((s) => s.txs > 0)) abort.abort();
        }
      } catch {
        /* cancelled */
      }
    })();
    const clock0 = await clockMs();
    const r = await transfer(client, chain.accounts[0]!.keypair, chain.accounts[1]!.address, 1n);
    await reading;
    expect(seen.find((s) => s.txs > 0)).toBeDefined();
    const tx = await client.waitForTransaction({ digest: r.Transaction!.digest });
    const withCheckpoint = await client.getTransaction({ digest: tx.Transaction!.digest });
    expect(withCheckpoint.Transaction?.checkpoint).not.toBeNull();
    const { response } = await client.ledgerService.getCheckpoint({
      checkpointId: {
        oneofKind: 'sequenceNumber',
        sequenceNumber: BigInt(withCheckpoint.Transaction!.checkpoint!),
      },
      readMask: { paths: ['sequence_number', 'summary', 'contents'] },
    });
    expect(response.checkpoint?.contents?.transactions.map((t) => t.transaction)).toContain(
      r.Transaction!.digest,
    );
    expect(await clockMs()).toBeGreaterThan(clock0);
  });

  it('lists owned objects by type with pagination', async () => {
    const owner = chain.accounts[1]!.address;
    const page1 = await client.listCoins({ owner, limit: 2 });
    expect(page1.objects).toHaveLength(2);
    expect(page1.hasNextPage).toBe(true);
    const page2 = await client.listCoins({ owner, limit: 100, cursor: page1.cursor });
    const ids = new Set([...page1.objects, ...page2.objects].map((o) => o.objectId));
    expect(ids.size).toBe(page1.objects.length + page2.objects.length);
    const all = await client.listOwnedObjects({ owner, type: '0x2::coin::Coin' });
    expect(all.objects.length).toBe(ids.size);
    const none = await client.listOwnedObjects({ owner, type: '0x2::clock::Clock' });
    expect(none.objects).toHaveLength(0);
  });

  it('lists coins largest first, so the SDK pays gas from an account full of small coins', async () => {
    // 60 coins of 1,000 MIST (like the request fees an executor collects) beside one large coin.
    const dusty = new Ed25519Keypair();
    await transfer(client, chain.accounts[0]!.keypair, dusty.toSuiAddress(), 20_000_000_000n);
    const tx = new Transaction();
    const amounts = Array.from({ length: 60 }, () => tx.pure.u64(1_000n));
    const coins = tx.splitCoins(tx.gas, amounts);
    tx.transferObjects(
      amounts.map((_, i) => coins[i]!),
      tx.pure.address(dusty.toSuiAddress()),
    );
    await client.signAndExecuteTransaction({ transaction: tx, signer: chain.accounts[0]!.keypair });
    const listed = await client.listCoins({ owner: dusty.toSuiAddress(), limit: 100 });
    const balances = listed.objects.map((c) => BigInt(c.balance));
    expect(balances).toHaveLength(61);
    expect(balances).toEqual([...balances].sort((a, b) => (a > b ? -1 : a < b ? 1 : 0)));
    // Server-side resolution (signAndExecuteTransaction) estimates with the largest coin.
    const r = await transfer(client, dusty, chain.accounts[1]!.address, 1_000_000n);
    expect(r.$kind).toBe('Transaction');
    // SerialTransactionExecutor (the listener's path) pays with the first page of listed coins:
    // without the order, 50 coins of 1,000 MIST for a 5 SUI budget.
    const serial = new SerialTransactionExecutor({ client, signer: dusty, defaultGasBudget: 5_000_000_000n });
    const t2 = new Transaction();
    t2.transferObjects(
      [t2.splitCoins(t2.gas, [t2.pure.u64(1_000n)])[0]!],
      t2.pure.address(chain.accounts[1]!.address),
    );
    expect((await serial.executeTransaction(t2)).$kind).toBe('Transaction');
  });

  it('describes framework packages, functions and datatypes', async () => {
    const fn = await client.getMoveFunction({ packageId: '0x2', moduleName: 'coin', name: 'split' });
    expect(fn.function.visibility).toBe('public');
    expect(fn.function.parameters[0]?.reference).toBe('mutable');
    const { response } = await client.movePackageService.getDatatype({
      packageId: '0x2',
      moduleName: 'coin',
      name: 'Coin',
    });
    expect(response.datatype?.fields.map((f) => f.name)).toEqual(['id', 'balance']);
    const pkg = await client.movePackageService.getPackage({ packageId: '0x1' });
    expect(pkg.response.package?.modules.map((m) => m.name)).toContain('string');
    await expect(
      client.movePackageService.getFunction({ packageId: '0x2', moduleName: 'coin', name: 'nope' }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('answers malformed requests with INVALID_ARGUMENT / NOT_FOUND and keeps serving', async () => {
    await expect(client.ledgerService.getObject({ objectId: 'zz' })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringContaining("'zz'"),
    });
    await expect(client.ledgerService.getObject({ objectId: '0x1234' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(
      client.transactionExecutionService.executeTransaction({
        transaction: { bcs: { value: new Uint8Array([1, 2, 3]) } },
        signatures: [],
      }),
    ).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringContaining('do not decode as BCS TransactionData'),
    });
    await expect(client.transactionExecutionService.simulateTransaction({})).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    const call = client.ledgerService.listEvents({ options: { after: new Uint8Array([1, 2]) } });
    await expect(call.status).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringContaining('cursor'),
    });
    await expect(client.getTransaction({ digest: '11111111111111111111111111111111' })).rejects.toThrow();
    expect((await client.getChainIdentifier()).chainIdentifier).toBe(chain.chainId);
  });

  it('answers UNIMPLEMENTED naming the method for what the node does not serve', async () => {
    await expect(client.nameService.lookupName({ name: 'x.sui' })).rejects.toMatchObject({
      code: 'UNIMPLEMENTED',
      message: expect.stringContaining('sui.rpc.v2.NameService/LookupName'),
    });
  });

  async function clockMs(): Promise<bigint> {
    const { objects } = await client.getObjects({ objectIds: [CLOCK], include: { content: true } });
    const content = (objects[0] as { content: Uint8Array }).content;
    return BigInt(
      bcs.struct('Clock', { id: bcs.Address, timestamp_ms: bcs.u64() }).parse(content).timestamp_ms,
    );
  }
});

describe('embedded sui: options', () => {
  it('enforces configured limits naming the limit', async () => {
    const chain = await startEmbeddedSui({ accounts: 1, limits: { max_tx_size_bytes: 600 } });
    try {
      const client = new SuiGrpcClient({ network: 'localnet', baseUrl: chain.url });
      const tx = new Transaction();
      tx.pure(new Uint8Array(700));
      tx.transferObjects(
        [tx.splitCoins(tx.gas, [tx.pure.u64(1)])[0]!],
        tx.pure.address(chain.accounts[0]!.address),
      );
      await expect(
        client.signAndExecuteTransaction({ transaction: tx, signer: chain.accounts[0]!.keypair }),
      ).rejects.toThrow(/max_tx_size_bytes = 600/);
    } finally {
      await chain.stop();
    }
  });

  it('seals one checkpoint per transaction when asked', async () => {
    const chain = await startEmbeddedSui({ accounts: 2, checkpointIntervalMs: 'per-transaction' });
    try {
      const client = new SuiGrpcClient({ network: 'localnet', baseUrl: chain.url });
      const r = await transfer(client, chain.accounts[0]!.keypair, chain.accounts[1]!.address, 1n);
      const tx = await client.getTransaction({ digest: r.Transaction!.digest });
      expect(tx.Transaction?.checkpoint).toBe(String(chain.node.latestCheckpoint.sequenceNumber));
    } finally {
      await chain.stop();
    }
  });

  it('keeps the ledger across restarts with a data directory', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'embedded-sui-'));
    try {
      const first = await startEmbeddedSui({ accounts: 2, dataDir: dir });
      const client1 = new SuiGrpcClient({ network: 'localnet', baseUrl: first.url });
      const r = await transfer(client1, first.accounts[0]!.keypair, first.accounts[1]!.address, 4242n);
      const balance = (await client1.getBalance({ owner: first.accounts[1]!.address })).balance.balance;
      await first.stop();

      const second = await startEmbeddedSui({ accounts: 2, dataDir: dir });
      try {
        const client2 = new SuiGrpcClient({ network: 'localnet', baseUrl: second.url });
        expect((await client2.getBalance({ owner: second.accounts[1]!.address })).balance.balance).toBe(
          balance,
        );
        expect(
          (await client2.getTransaction({ digest: r.Transaction!.digest })).Transaction?.status.success,
        ).toBe(true);
        expect(
          (await transfer(client2, second.accounts[0]!.keypair, second.accounts[1]!.address, 1n)).$kind,
        ).toBe('Transaction');
      } finally {
        await second.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
