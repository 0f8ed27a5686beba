import type { Signer } from '@mysten/sui/cryptography';
import type { SuiGrpcClient } from '@mysten/sui/grpc';
import { Transaction } from '@mysten/sui/transactions';
import {
  admitExecutor,
  createCluster,
  registerExecutor,
  type ClusterConfig,
  type ConfidentialitySetting,
} from '../../../src/contract/index.ts';
import { createdOne, execute } from './tx.ts';

export interface CompiledPackage {
  /** base64 modules in dependency order */
  modules: string[];
  dependencies: string[];
}

export interface Deployment {
  packageId: string;
  upgradeCapId: string;
  clusterId: string;
  adminCapId: string;
  publishDigest: string;
  clusterDigest: string;
}

/** Publishes the compiled package; the UpgradeCap goes to the publisher. */
export async function publishPackage(
  client: SuiGrpcClient,
  publisher: Signer,
  pkg: CompiledPackage,
): Promise<{ packageId: string; upgradeCapId: string; digest: string }> {
  const tx = new Transaction();
  const cap = tx.publish({ modules: pkg.modules, dependencies: pkg.dependencies });
  tx.transferObjects([cap], tx.pure.address(publisher.toSuiAddress()));
  const done = await execute(client, publisher, tx, 'publishing k8s_gateway');
  const pkgChange = done.effects.changedObjects.find((c) => c.outputState === 'PackageWrite');
  if (!pkgChange) throw new Error(`publish transaction ${done.digest} wrote no package`);
  return {
    packageId: pkgChange.objectId,
    upgradeCapId: createdOne(done, '::package::UpgradeCap', 'publish'),
    digest: done.digest,
  };
}

export async function createClusterObject(
  client: SuiGrpcClient,
  admin: Signer,
  packageId: string,
  name: string,
  config: ClusterConfig,
  /** recorded on chain; see move/k8s_gateway/README.md "Confidentiality" */
  confidentiality: ConfidentialitySetting,
): Promise<{ clusterId: string; adminCapId: string; digest: string }> {
  const tx = new Transaction();
  createCluster(tx, packageId, { name, config, confidentiality });
  const done = await execute(client, admin, tx, `creating cluster "${name}"`);
  return {
    clusterId: createdOne(done, '::k8s_gateway::Cluster', 'create_cluster'),
    adminCapId: createdOne(done, '::k8s_gateway::AdminCap', 'create_cluster'),
    digest: done.digest,
  };
}

/**
 * The administrator admits `executor` (an ExecutorCap), then the executor registers with
 * its answer-signing public key and stake. Returns its Executor object.
 */
export async function admitAndRegisterExecutor(
  client: SuiGrpcClient,
  admin: Signer,
  executor: Signer,
  d: { packageId: string; clusterId: string; adminCapId: string },
  stake: bigint,
  signingKey: Uint8Array,
): Promise<{ executorObjectId: string; digest: string }> {
  const admit = new Transaction();
  admitExecutor(admit, d.packageId, {
    adminCap: d.adminCapId,
    cluster: d.clusterId,
    account: executor.toSuiAddress(),
  });
  const admitted = await execute(client, admin, admit, 'admitting the executor');
  const admission = createdOne(admitted, '::k8s_gateway::ExecutorCap', 'admit_executor');
  const tx = new Transaction();
  registerExecutor(tx, d.packageId, { cluster: d.clusterId, admission, signingKey, stake });
  const done = await execute(client, executor, tx, 'registering the executor');
  return {
    executorObjectId: createdOne(done, '::k8s_gateway::Executor', 'register_executor'),
    digest: done.digest,
  };
}
