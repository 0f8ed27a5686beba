/**
 * What the gateway and the listener check once at start: the Cluster's confidentiality setting,
 * that the local flags agree with it (a mismatch stops the start), and that every key server
 * answers `/v1/service` with a proof of possession of the key its KeyServer object registers
 * (the SDK's `verifyKeyServers` check; a server that fails it is reported, as t of n may still work).
 */
import type { SealCompatibleClient } from '@mysten/seal';
import type { ClusterConfidentiality } from '../contract/index.ts';
import { settingsOf } from './gateway-seal.ts';
import type { KeyServerSpec } from './key-servers.ts';
import { SealParty } from './seal-party.ts';

export interface SealStartup {
  /** one line for the start banner / log */
  summary: string;
  /** key servers that failed verification, each with why */
  warnings: string[];
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
      warnings: [],
    };
  }
  const settings = settingsOf(setting, o);
  const party = new SealParty({ client: o.client, packageId: o.packageId, settings });
  const failed = await party.verify();
  return {
    summary: `confidentiality: seal, ${settings.keyServers.length} key server(s), threshold ${settings.threshold}, executor epoch ${setting.executorEpoch}`,
    warnings: failed.map(
      (f) => `Seal key server ${f.objectId}${f.url ? ` at ${f.url}` : ''} failed verification: ${f.why}`,
    ),
  };
}
