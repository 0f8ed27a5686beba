import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SuiGrpcClient } from '@mysten/sui/grpc';
import { Transaction } from '@mysten/sui/transactions';
import { requestSuiFromFaucetV2 } from '@mysten/sui/faucet';
import { Ed25519Keypair } from '@mysten/sui/keypairs/ed25519';
import { bcs } from '@mysten/sui/bcs';
import { startEmbeddedSui, type EmbeddedSui } from '../index.ts';

// Native commands (no Move VM involved) driven through the real SDK over HTTP.
describe('embedded sui: native commands over the SDK', () => {
  let chain: EmbeddedSui;
  let client: SuiGrpcClient;

  beforeAll(async () => {
    chain = await startEmbeddedSui({ accounts: 3 });
    client = new SuiGrpcClient({ network: 'localnet', baseUrl: chain.url });
  });
  afterAll(() => chain.stop());

  it('serves chain id, reference gas price and funded genesis accounts', async () => {
    const { chainIdentifier } = await client.getChainIdentifier();
    expect(chainIdentifier).toBe(chain.chainId);
    expect((await client.getReferenceGasPrice()).referenceGasPrice).toBe('1000');
    const { balance } = await client.getBalance({ owner: chain.accounts[0]!.address });
    expect(balance.balance).toBe((5n * 1_000_000_000_000n).toString());
    const { objects } = await client.listCoins({ owner: chain.accounts[0]!.address });
    expect(objects).toHaveLength(5);
  });

  it('splits and transfers SUI with tx.build() resolving gas server-side', async () => {
    const [alice, bob] = chain.accounts;
    const before = BigInt((await client.getBalance({ owner: bob!.address })).balance.balance);
    const tx = new Transaction();
    const [coin] = tx.splitCoins(tx.gas, [tx.pure.u64(123_456_789n)]);
    tx.transferObjects([coin!], tx.pure.address(bob!.address));
    const result = await client.signAndExecuteTransaction({
      transaction: tx,
      signer: alice!.keypair,
      include: { effects: true, balanceChanges: true },
    });
    expect(result.$kind).toBe('Transaction');
    const done = result.Transaction!;
    expect(done.effects?.changedObjects.some((c) => c.idOperation === 'Created')).toBe(true);
    expect(done.balanceChanges).toContainEqual({
      coinType: expect.stringContaining('::sui::SUI'),
      address: bob!.address,
      amount: '123456789',
    });
    const after = BigInt((await client.getBalance({ owner: bob!.address })).balance.balance);
    expect(after - before).toBe(123_456_789n);
    const effects = bcs.TransactionEffects.parse(done.effects!.bcs!).V2!;
    expect(effects.status.$kind).toBe('Success');
    expect(effects.lamportVersion).toBe(done.effects!.lamportVersion);
    expect(effects.changedObjects.map(([id]) => id)).toEqual(
      done.effects!.changedObjects.map((c) => c.objectId),
    );
    const waited = await client.waitForTransaction({ digest: done.digest, include: { effects: true } });
    expect(waited.Transaction?.digest).toBe(done.digest);
  });

  it('funds a fresh address through the faucet endpoint', async () => {
    const fresh = new Ed25519Keypair().toSuiAddress();
    const res = await requestSuiFromFaucetV2({ host: chain.faucetUrl, recipient: fresh });
    expect(res.coins_sent?.[0]?.amount).toBe(10_000_000_000);
    const { balance } = await client.getBalance({ owner: fresh });
    expect(balance.balance).toBe('10000000000');
    const tx = await client.getTransaction({ digest: res.coins_sent![0]!.transferTxDigest });
    expect(tx.Transaction?.status.success).toBe(true);
  });

  it('pays gas with several coins, merging them into the first', async () => {
    const keypair = new Ed25519Keypair();
    const owner = keypair.toSuiAddress();
    for (let i = 0; i < 3; i++) await requestSuiFromFaucetV2({ host: chain.faucetUrl, recipient: owner });
    const tx = new Transaction();
    tx.setGasBudget(15_000_000_000n); // more than any single 10 SUI coin
    tx.transferObjects(
      [tx.splitCoins(tx.gas, [tx.pure.u64(1_000n)])[0]!],
      tx.pure.address(chain.accounts[1]!.address),
    );
    const r = await client.signAndExecuteTransaction({
      transaction: tx,
      signer: keypair,
      include: { effects: true },
    });
    expect(r.$kind).toBe('Transaction');
    const deleted = r.Transaction!.effects!.changedObjects.filter((c) => c.idOperation === 'Deleted');
    expect(deleted).toHaveLength(1);
    const gas = r.Transaction!.effects!.gasUsed;
    const net = BigInt(gas.computationCost!) + BigInt(gas.storageCost!) - BigInt(gas.storageRebate!);
    const { balance } = await client.getBalance({ owner });
    expect(BigInt(balance.balance)).toBe(30_000_000_000n - 1_000n - net);
    expect((await client.listCoins({ owner })).objects).toHaveLength(2);
  });

  it('refuses a bad signature, a stale version and another account’s coin', async () => {
    const [alice, bob] = chain.accounts;
    const { objects } = await client.listCoins({ owner: alice!.address });
    const coin = objects[0]!;

    // Signed by bob for alice's transaction.
    const tx1 = new Transaction();
    tx1.setSender(alice!.address);
    tx1.transferObjects([tx1.splitCoins(tx1.gas, [tx1.pure.u64(1)])[0]!], tx1.pure.address(bob!.address));
    const bytes1 = await tx1.build({ client });
    const { signature } = await bob!.keypair.signTransaction(bytes1);
    await expect(client.executeTransaction({ transaction: bytes1, signatures: [signature] })).rejects.toThrow(
      /signature #0 is by .* neither the sender/,
    );

    // Stale version: use the coin, then replay its old reference.
    const tx2 = new Transaction();
    tx2.setGasPayment([{ objectId: coin.objectId, version: coin.version, digest: coin.digest }]);
    tx2.transferObjects([tx2.splitCoins(tx2.gas, [tx2.pure.u64(5)])[0]!], tx2.pure.address(bob!.address));
    await client.signAndExecuteTransaction({ transaction: tx2, signer: alice!.keypair });
    const tx3 = new Transaction();
    tx3.setSender(alice!.address);
    tx3.setGasPrice(1000);
    tx3.setGasBudget(5_000_000);
    tx3.setGasPayment([{ objectId: coin.objectId, version: coin.version, digest: coin.digest }]);
    tx3.transferObjects([tx3.splitCoins(tx3.gas, [tx3.pure.u64(5)])[0]!], tx3.pure.address(bob!.address));
    const bytes3 = await tx3.build();
    const sig3 = (await alice!.keypair.signTransaction(bytes3)).signature;
    await expect(client.executeTransaction({ transaction: bytes3, signatures: [sig3] })).rejects.toThrow(
      /stale/,
    );

    // Bob's coin as an input of alice's transaction.
    const bobCoin = (await client.listCoins({ owner: bob!.address })).objects[0]!;
    const tx4 = new Transaction();
    tx4.transferObjects([tx4.object(bobCoin.objectId)], tx4.pure.address(alice!.address));
    await expect(
      client.signAndExecuteTransaction({ transaction: tx4, signer: alice!.keypair }),
    ).rejects.toThrow(/owned by .*not by the sender/);
  });

  it('refuses a 16,385-byte pure argument naming the limit', async () => {
    const [alice, bob] = chain.accounts;
    const tx = new Transaction();
    tx.setSender(alice!.address);
    tx.setGasPrice(1000);
    tx.setGasBudget(5_000_000);
    const gas = (await client.listCoins({ owner: alice!.address })).objects[1]!;
    tx.setGasPayment([{ objectId: gas.objectId, version: gas.version, digest: gas.digest }]);
    tx.pure(new Uint8Array(16_385));
    tx.transferObjects([tx.splitCoins(tx.gas, [tx.pure.u64(1)])[0]!], tx.pure.address(bob!.address));
    const bytes = await tx.build();
    const { signature } = await alice!.keypair.signTransaction(bytes);
    await expect(client.executeTransaction({ transaction: bytes, signatures: [signature] })).rejects.toThrow(
      /pure argument 0 is 16385 .*max_pure_argument_size = 16384/,
    );
  });

  it('snapshots and reverts the ledger', async () => {
    const [alice, bob] = chain.accounts;
    const before = (await client.getBalance({ owner: bob!.address })).balance.balance;
    const snap = chain.snapshot();
    const tx = new Transaction();
    tx.transferObjects([tx.splitCoins(tx.gas, [tx.pure.u64(777)])[0]!], tx.pure.address(bob!.address));
    const r = await client.signAndExecuteTransaction({ transaction: tx, signer: alice!.keypair });
    expect((await client.getBalance({ owner: bob!.address })).balance.balance).not.toBe(before);
    const t0 = performance.now();
    chain.revert(snap);
    expect(performance.now() - t0).toBeLessThan(100);
    expect((await client.getBalance({ owner: bob!.address })).balance.balance).toBe(before);
    await expect(client.getTransaction({ digest: r.Transaction!.digest })).rejects.toThrow(
      /not found|notFound/i,
    );
  });
});
