/**
 * Publishes move/seal_key_server and registers key servers with it, through the SDK only, so
 * it works on the embedded node and on any real one. The objects have the layout
 * @mysten/seal's retrieveKeyServers reads (KeyServer + a u64-keyed KeyServerV1/V2 field).
 */
import type { SuiGrpcClient } from '@mysten/sui/grpc';
import type { Signer } from '@mysten/sui/cryptography';
import { Transaction } from '@mysten/sui/transactions';
import type { CompiledPackage } from '../sui/compiled.ts';

export type RegistrationVersion = 1 | 2;

async function execute(client: SuiGrpcClient, signer: Signer, tx: Transaction, what: string) {
  const result = await client.signAndExecuteTransaction({
    transaction: tx,
    signer,
    include: { effects: true, objectTypes: true },
  });
  if (result.$kind !== 'Transaction')
    throw new Error(
      `${what} failed on chain: ${result.FailedTransaction.status.error?.message ?? 'unknown error'}`,
    );
  // A real full node may answer reads before it has indexed the effects.
  await client.core.waitForTransaction({ result });
  return result.Transaction;
}

/** Publishes the package; the UpgradeCap goes to the signer. */
export async function publishPackage(
  client: SuiGrpcClient,
  signer: Signer,
  compiled: CompiledPackage,
  what: string,
): Promise<string> {
  const tx = new Transaction();
  const cap = tx.publish({ modules: compiled.modules, dependencies: compiled.dependencies });
  tx.transferObjects([cap], tx.pure.address(signer.toSuiAddress()));
  const done = await execute(client, signer, tx, `publishing ${what}`);
  const pkg = done.effects?.changedObjects.find((c) => c.outputState === 'PackageWrite');
  if (!pkg) throw new Error(`publishing ${what}: the effects name no package`);
  return pkg.objectId;
}

export interface Registration {
  name: string;
  url: string;
  publicKey: Uint8Array;
  version?: RegistrationVersion;
}

/** Registers one key server (owned by the signer, as the real module does); returns its KeyServer object id. */
export async function registerKeyServer(
  client: SuiGrpcClient,
  signer: Signer,
  packageId: string,
  reg: Registration,
): Promise<string> {
  const tx = new Transaction();
  tx.moveCall({
    target: `${packageId}::key_server::${(reg.version ?? 2) === 2 ? 'create_and_transfer_v2_independent_server' : 'create_and_transfer_v1'}`,
    arguments: [
      tx.pure.string(reg.name),
      tx.pure.string(reg.url),
      tx.pure.u8(0),
      tx.pure.vector('u8', reg.publicKey),
    ],
  });
  const done = await execute(client, signer, tx, `registering key server ${reg.name}`);
  const hit = Object.entries(done.objectTypes ?? {}).find(([, t]) => t.endsWith('::key_server::KeyServer'));
  if (!hit) throw new Error(`registering key server ${reg.name}: no KeyServer object was created`);
  return hit[0];
}
