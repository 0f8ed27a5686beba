import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SuiGrpcClient } from '@mysten/sui/grpc';
import { Transaction } from '@mysten/sui/transactions';
import { buildMovePackage } from '../../../toolchain/index.ts';
import { startEmbeddedSui, type EmbeddedSui } from '../index.ts';
import { frameworkModules } from '../compiled.ts';

const PROBE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'limits_probe');

// Event and object size limits, configured low, hit by real Move code.
describe('embedded sui: Move-side protocol limits', () => {
  let chain: EmbeddedSui;
  let client: SuiGrpcClient;
  let pkg: string;

  beforeAll(async () => {
    const [fw, probe] = await Promise.all([
      frameworkModules(),
      buildMovePackage(PROBE, { framework: 'shim' }),
    ]);
    chain = await startEmbeddedSui({
      accounts: 1,
      frameworkModules: fw,
      limits: { max_num_event_emit: 3, max_event_emit_size: 100, max_move_object_size: 500 },
    });
    client = new SuiGrpcClient({ network: 'localnet', baseUrl: chain.url });
    const tx = new Transaction();
    tx.transferObjects(
      [tx.publish({ modules: probe.modules, dependencies: probe.dependencies })],
      tx.pure.address(chain.accounts[0]!.address),
    );
    const r = await client.signAndExecuteTransaction({
      transaction: tx,
      signer: chain.accounts[0]!.keypair,
      include: { effects: true },
    });
    pkg = r.Transaction!.effects!.changedObjects.find((c) => c.outputState === 'PackageWrite')!.objectId;
  });
  afterAll(() => chain.stop());

  async function call(fn: string, n: number) {
    const tx = new Transaction();
    tx.moveCall({ target: `${pkg}::probe::${fn}`, arguments: [tx.pure.u64(n)] });
    return client.signAndExecuteTransaction({
      transaction: tx,
      signer: chain.accounts[0]!.keypair,
      include: { events: true },
    });
  }

  it('allows up to max_num_event_emit events and refuses one more, naming the limit', async () => {
    expect((await call('emit_many', 3)).Transaction?.events).toHaveLength(3);
    await expect(call('emit_many', 4)).rejects.toThrow(/max_num_event_emit = 3/);
  });

  it('refuses an event above max_event_emit_size, naming limit and size', async () => {
    expect((await call('emit_big', 50)).$kind).toBe('Transaction');
    await expect(call('emit_big', 200)).rejects.toThrow(/20\d bytes.*max_event_emit_size = 100/);
  });

  it('refuses an object above max_move_object_size, naming limit and size', async () => {
    expect((await call('make_blob', 100)).$kind).toBe('Transaction');
    await expect(call('make_blob', 600)).rejects.toThrow(/6\d\d bytes.*max_move_object_size = 500/);
  });
});
