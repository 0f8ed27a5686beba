/**
 * The listener never shares a keystore with a gateway: an executor whose key file also holds users'
 * keys could sign as them, and a gateway host compromise would be an executor compromise too.
 *
 * Rule (checked before the listener starts; any breach refuses it, naming the reason):
 *  1. its keystore file is not the gateway keystore this environment resolves to;
 *  2. it holds exactly one key, the executor's;
 *  3. that key is no user's: no SealToken of this cluster was issued to it (on chain) and no
 *     identity in the identities file names it.
 */
import { resolve } from 'node:path';
import { normalizeAddress } from '../sui/keystore.ts';

export interface ExecutorKeystoreInput {
  keystorePath: string;
  /** The keystore a gateway started here would use (flag/env/default), to compare files. */
  gatewayKeystorePath: string;
  keys: readonly string[];
  executor: string;
  /** Addresses that own SealTokens of the cluster or are identities, each with what makes them one. */
  identityAddresses: ReadonlyMap<string, string>;
}

export function checkExecutorKeystore(i: ExecutorKeystoreInput): string | undefined {
  const fix = 'give the executor a keystore of its own holding only its key (--keystore <file>)';
  if (resolve(i.keystorePath) === resolve(i.gatewayKeystorePath))
    return `keystore ${i.keystorePath} is the gateway's keystore (it holds the keys of the users it signs for); ${fix}`;
  const keys = i.keys.map(normalizeAddress);
  const executor = normalizeAddress(i.executor);
  if (keys.length !== 1 || keys[0] !== executor)
    return `keystore ${i.keystorePath} holds ${keys.length} key(s) (${keys.join(', ') || 'none'}); the listener's keystore holds only the executor's key (${executor}); ${fix}`;
  const why = i.identityAddresses.get(executor);
  if (why)
    return `the executor's key ${executor} is a user's key (${why}): users' keys belong to their gateways; ${fix}, with a new address admitted by the cluster administrator (k3s-daas executor admit <address>)`;
  return undefined;
}
