/**
 * What the gateway and the listener check once at start: the Cluster's confidentiality setting,
 * that the local flags agree with it (a mismatch stops the start), and that every key server
 * answers `/v1/service` with a proof of possession of the key its KeyServer object registers
 * (the SDK's `verifyKeyServers` check; a server that fails it is reported, as t of n may still work).
 */
import type { SealCompatibleClient } from '@mysten/seal';
import type { SuiGrpcClient } from '@mysten/sui/grpc';
import type { ClusterConfidentiality } from '../contract/index.ts';
import type { Logger } from '../shared/logger.ts';
import { clusterSettingReader } from './cluster-setting.ts';
import { settingsOf } from './gateway-seal.ts';
import type { KeyServerSpec } from './key-servers.ts';
import { SealParty } from './seal-party.ts';

export interface SealStartup {
  /** one line for the start banner / log */
  summary: string;
  /**
   * Key servers that failed verification, each with why. Not awaited by the start: a restarted
   * listener must be claiming well inside the claim lease (#16), and t of n servers may still work.
   */
  warnings: Promise<string[]>;
}

export async function checkSealSetup(o: {
  client: SealCompatibleClient;
  packageId: string;
  readSetting: () => Promise<ClusterConfidentiality>;
  keyServers?: KeyServerSpec[];
  threshold?: number;
}): Promise<SealStartup> {
  const setting = await o.readSetting();
  if (setting.mode === 'none') {
    if (o.keyServers || o.threshold !== undefined)
      throw new Error(
        'the cluster was created with confidentiality none: drop --seal-key-servers / --seal-threshold (they apply to Seal clusters only)',
      );
    return {
      summary: 'confidentiality: none (the cluster was created without Seal; bodies travel in clear)',
      warnings: Promise.resolve([]),
    };
  }
  const settings = settingsOf(setting, o);
  const party = new SealParty({ client: o.client, packageId: o.packageId, settings });
  const warnings = party
    .verify()
    .then((failed) =>
      failed.map(
        (f) => `Seal key server ${f.objectId}${f.url ? ` at ${f.url}` : ''} failed verification: ${f.why}`,
      ),
    )
    .catch((e: unknown) => [`Seal key servers could not be verified: ${(e as Error).message}`]);
  return {
    summary: `confidentiality: seal, ${settings.keyServers.length} key server(s), threshold ${settings.threshold}, executor epoch ${setting.executorEpoch}`,
    warnings,
  };
}

/** What the gateway and the listener are started with (`--seal-key-servers`, `--seal-threshold`). */
export interface SealFlagsOptions {
  keyServers?: KeyServerSpec[];
  threshold?: number;
  fetch?: typeof fetch;
}

/**
 * The start both services share: the Cluster's setting reader, the start check (a flag that
 * disagrees with the cluster stops the start; a key server failing verification is logged when
 * the check, run in the background, finds it), and
 * the options their Seal party takes.
 */
export async function startConfidentiality(
  o: { client: SuiGrpcClient; packageId: string; clusterId: string; seal?: SealFlagsOptions },
  logger: Logger,
): Promise<{
  summary: string;
  party: {
    client: SuiGrpcClient;
    packageId: string;
    clusterId: string;
    readSetting: () => Promise<ClusterConfidentiality>;
  } & SealFlagsOptions;
}> {
  const readSetting = clusterSettingReader(o.client, o.clusterId);
  const flags: SealFlagsOptions = {
    ...(o.seal?.keyServers ? { keyServers: o.seal.keyServers } : {}),
    ...(o.seal?.threshold !== undefined ? { threshold: o.seal.threshold } : {}),
  };
  const startup = await checkSealSetup({ client: o.client, packageId: o.packageId, readSetting, ...flags });
  void startup.warnings.then((ws) => ws.forEach((w) => logger.warn(w)));
  logger.info({ confidentiality: startup.summary }, 'confidentiality');
  return {
    summary: startup.summary,
    party: {
      client: o.client,
      packageId: o.packageId,
      clusterId: o.clusterId,
      readSetting,
      ...flags,
      ...(o.seal?.fetch ? { fetch: o.seal.fetch } : {}),
    },
  };
}
