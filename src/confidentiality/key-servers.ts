/**
 * Which Seal key servers a party uses, from configuration: `--seal-key-servers
 * <objectId[=url]>,…` and `--seal-threshold`. The object ids are the on-chain `KeyServer`
 * objects (the same flags name Mysten's public servers on testnet/mainnet); `=url` overrides
 * the URL registered on chain (a server behind a proxy, or the harness's loopback ports).
 */
import { isValidSuiObjectId, normalizeSuiObjectId } from '@mysten/sui/utils';

export interface KeyServerSpec {
  objectId: string;
  /** Overrides the URL the KeyServer object registers. */
  url?: string;
}

export interface SealSettings {
  keyServers: KeyServerSpec[];
  /** How many key servers must answer for a key (t of n). */
  threshold: number;
}

export class SealConfigError extends Error {
  override name = 'SealConfigError';
}

/** Parses `0xabc…[=https://host:port],0xdef…` (commas or whitespace between servers). */
export function parseKeyServers(text: string): KeyServerSpec[] {
  const items = text
    .split(/[,\s]+/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (items.length === 0)
    throw new SealConfigError(
      '--seal-key-servers is empty: name at least one KeyServer object id (objectId[=url],…)',
    );
  const seen = new Set<string>();
  return items.map((item) => {
    const eq = item.indexOf('=');
    const rawId = eq < 0 ? item : item.slice(0, eq);
    const url = eq < 0 ? undefined : item.slice(eq + 1);
    if (!isValidSuiObjectId(rawId))
      throw new SealConfigError(
        `--seal-key-servers: "${rawId}" is not a Sui object id (expected 0x followed by up to 64 hex digits, the KeyServer object)`,
      );
    const objectId = normalizeSuiObjectId(rawId);
    if (seen.has(objectId))
      throw new SealConfigError(`--seal-key-servers names key server ${objectId} twice`);
    seen.add(objectId);
    if (url === undefined) return { objectId };
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new SealConfigError(`--seal-key-servers: "${url}" (for ${objectId}) is not a URL`);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
      throw new SealConfigError(`--seal-key-servers: "${url}" (for ${objectId}) must be http(s)`);
    return { objectId, url: url.replace(/\/+$/, '') };
  });
}

/** Checks a threshold against the servers: 1 ≤ t ≤ n. */
export function sealSettings(keyServers: KeyServerSpec[], threshold?: number): SealSettings {
  const t = threshold ?? Math.min(2, keyServers.length);
  if (!Number.isInteger(t) || t < 1 || t > keyServers.length)
    throw new SealConfigError(
      `--seal-threshold ${threshold} is not possible with ${keyServers.length} key server(s): use 1…${keyServers.length}`,
    );
  return { keyServers, threshold: t };
}

/** The flag form of settings, for passing them to a child process. */
export function keyServersFlag(settings: SealSettings): string {
  return settings.keyServers.map((k) => (k.url ? `${k.objectId}=${k.url}` : k.objectId)).join(',');
}
