/**
 * `--seal-key-servers <objectId[=url],…>` and `--seal-threshold <n>` for the gateway and the
 * listener. The Cluster's on-chain setting decides whether payloads are encrypted and with which
 * key servers; these flags give URLs for them (a proxy, loopback ports) and check the threshold.
 */
import type { Command } from 'commander';
import { parseKeyServers, SealConfigError, type KeyServerSpec } from '../confidentiality/key-servers.ts';
import { CliError } from './context.ts';

export interface SealFlags {
  sealKeyServers?: string;
  sealThreshold?: string;
}

export function addSealFlags(cmd: Command): Command {
  return cmd
    .option(
      '--seal-key-servers <objectId[=url],…>',
      "URLs for the cluster's Seal key servers (KeyServer object ids; =url overrides the URL registered on chain). The cluster's on-chain setting decides which servers are used",
    )
    .option('--seal-threshold <n>', "expected Seal threshold (refused if it differs from the cluster's)");
}

export function sealOptions(o: SealFlags): { keyServers?: KeyServerSpec[]; threshold?: number } {
  const out: { keyServers?: KeyServerSpec[]; threshold?: number } = {};
  try {
    if (o.sealKeyServers) out.keyServers = parseKeyServers(o.sealKeyServers);
  } catch (e) {
    if (e instanceof SealConfigError) throw new CliError(e.message);
    throw e;
  }
  if (o.sealThreshold !== undefined) {
    const t = Number(o.sealThreshold);
    if (!Number.isInteger(t) || t < 1)
      throw new CliError(`--seal-threshold must be a positive integer, got "${o.sealThreshold}"`);
    out.threshold = t;
  }
  return out;
}
