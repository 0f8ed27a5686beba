/**
 * `--confidentiality none|seal`, `--seal-key-servers`, `--seal-threshold` → the setting
 * `create_cluster` records on chain (issue #17). Seal is the default; `none` must be asked for.
 */
import { validateSetting, type ConfidentialitySetting } from '../contract/index.ts';
import { CliError } from './context.ts';

export interface ConfidentialityOptions {
  confidentiality?: string;
  sealKeyServers?: string;
  sealThreshold?: string;
}

export function parseConfidentiality(o: ConfidentialityOptions): ConfidentialitySetting {
  const mode = o.confidentiality ?? 'seal';
  if (mode === 'none') {
    if (o.sealKeyServers || o.sealThreshold)
      throw new CliError(
        '--seal-key-servers and --seal-threshold apply to --confidentiality seal only; drop them or use seal',
      );
    return { mode: 'none' };
  }
  if (mode !== 'seal') throw new CliError(`--confidentiality must be none or seal, got "${mode}"`);
  const keyServers = (o.sealKeyServers ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (keyServers.length === 0)
    throw new CliError(
      'a Seal cluster (the default) needs its key servers: pass --seal-key-servers <objectId,objectId,…> (and --seal-threshold <n>), or --confidentiality none to keep payloads in clear',
    );
  for (const k of keyServers)
    if (!/^0x[0-9a-fA-F]{1,64}$/.test(k))
      throw new CliError(`--seal-key-servers: "${k}" is not a Sui object id (0x followed by hex digits)`);
  const threshold = o.sealThreshold === undefined ? keyServers.length : Number(o.sealThreshold);
  const setting: ConfidentialitySetting = { mode: 'seal', keyServers, threshold };
  try {
    validateSetting(setting);
  } catch (e) {
    throw new CliError(`--seal-threshold / --seal-key-servers: ${(e as Error).message}`);
  }
  return setting;
}
