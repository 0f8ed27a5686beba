/**
 * Bearer token → identity. Tokens are secrets: only sha256(token) is stored.
 * An identity names the Sui address whose key (in the keystore) signs the
 * transaction, and the SealToken object that address owns.
 *
 * File format (JSON):
 *   { "version": 1, "identities": [ { "name", "tokenSha256", "address", "sealTokenId", "clusterId" } ] }
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { normalizeSuiAddress } from '@mysten/sui/utils';
import { writeFileAtomic } from './files.ts';

export interface Identity {
  name: string;
  /** hex sha256 of the bearer token */
  tokenSha256: string;
  address: string;
  sealTokenId: string;
  clusterId: string;
}

export interface IdentitiesFile {
  version: 1;
  identities: Identity[];
}

export class IdentitiesError extends Error {
  override name = 'IdentitiesError';
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** A fresh bearer token: 32 random bytes, URL-safe, recognisable prefix. */
export function newBearerToken(): string {
  return 'k3sdaas_' + randomBytes(32).toString('base64url');
}

function isIdentity(x: unknown): x is Identity {
  if (typeof x !== 'object' || x === null) return false;
  const o = x as Record<string, unknown>;
  return (
    typeof o.name === 'string' &&
    typeof o.tokenSha256 === 'string' &&
    /^[0-9a-f]{64}$/.test(o.tokenSha256) &&
    typeof o.address === 'string' &&
    typeof o.sealTokenId === 'string' &&
    typeof o.clusterId === 'string'
  );
}

export class IdentityStore {
  private readonly byHash = new Map<string, Identity>();

  constructor(readonly identities: Identity[] = []) {
    for (const id of identities) this.byHash.set(id.tokenSha256, id);
  }

  static async load(path: string): Promise<IdentityStore> {
    let json: unknown;
    try {
      json = JSON.parse(await readFile(path, 'utf8'));
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return new IdentityStore();
      throw new IdentitiesError(`cannot read identities file ${path}: ${(e as Error).message}`);
    }
    const file = json as Partial<IdentitiesFile>;
    if (file.version !== 1 || !Array.isArray(file.identities)) {
      throw new IdentitiesError(`identities file ${path} must be {"version":1,"identities":[…]}`);
    }
    file.identities.forEach((id, i) => {
      if (!isIdentity(id))
        throw new IdentitiesError(
          `identities file ${path}: entry #${i} is missing name/tokenSha256/address/sealTokenId/clusterId`,
        );
    });
    return new IdentityStore(file.identities as Identity[]);
  }

  /** Look up the identity for a presented bearer token (constant-time compare on the hash). */
  lookup(token: string): Identity | undefined {
    const digest = hashToken(token);
    const hit = this.byHash.get(digest);
    if (!hit) return undefined;
    return timingSafeEqual(Buffer.from(hit.tokenSha256, 'hex'), Buffer.from(digest, 'hex')) ? hit : undefined;
  }

  byName(name: string): Identity | undefined {
    return this.identities.find((i) => i.name === name);
  }

  /** Add (or replace by name) an identity for a new token; returns it. */
  upsert(entry: Omit<Identity, 'tokenSha256'> & { token: string }): Identity {
    const { token, ...rest } = entry;
    const identity: Identity = {
      ...rest,
      address: normalizeSuiAddress(rest.address),
      tokenSha256: hashToken(token),
    };
    const i = this.identities.findIndex((x) => x.name === identity.name);
    if (i >= 0) {
      this.byHash.delete(this.identities[i]!.tokenSha256);
      this.identities[i] = identity;
    } else this.identities.push(identity);
    this.byHash.set(identity.tokenSha256, identity);
    return identity;
  }

  async save(path: string): Promise<void> {
    const file: IdentitiesFile = { version: 1, identities: this.identities };
    await writeFileAtomic(path, JSON.stringify(file, null, 2) + '\n', 0o600);
  }
}
