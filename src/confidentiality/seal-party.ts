/**
 * One party's use of the unmodified SealClient: encryption to an id (anyone may do it), and
 * decryption with a SessionKey of this party's own account key. A party holds one SealClient
 * of its own, so keys it fetched are never served to another identity; the SDK caches fetched
 * keys per id, and this class remembers which ids it holds so that a second ciphertext under
 * the same id costs no key fetch and no approval transaction.
 */
import { EncryptedObject, SealClient, SessionKey, type SealCompatibleClient } from '@mysten/seal';
import type { Signer } from '@mysten/sui/cryptography';
import { normalizeSuiAddress } from '@mysten/sui/utils';
import { KeyServerFetch, withOutcomeLog } from './key-server-fetch.ts';
import { withCachedPackage } from './cached-client.ts';
import type { SealSettings } from './key-servers.ts';
import { explainSealFailure, SealFailure, type KeyServerInfo } from './seal-failure.ts';

export interface SealPartyOptions {
  client: SealCompatibleClient;
  packageId: string;
  settings: SealSettings;
  /** The account whose SessionKey decrypts (absent: encrypt only). */
  signer?: Signer;
  /** Per key-server HTTP call. Default 10 s (the SDK's). */
  timeoutMs?: number;
  /** SessionKey lifetime, 1–30 min (the SDK's bounds). Default 30. */
  sessionTtlMin?: number;
  /** Base fetch (tests). */
  fetch?: typeof fetch;
}

/** Builds the approval transaction (`seal_approve_*` PTB, transaction-kind bytes) for an id. */
export type ApprovalTx = (id: string) => Promise<Uint8Array>;

export interface SealStats {
  encryptions: number;
  decryptions: number;
  /** `/v1/fetch_key` HTTP calls (one per key server asked). */
  keyFetchCalls: number;
  /** decryptions that had to fetch keys (the rest used cached keys). */
  keyFetchRounds: number;
}

export class SealParty {
  readonly stats: SealStats = { encryptions: 0, decryptions: 0, keyFetchCalls: 0, keyFetchRounds: 0 };
  private readonly net: KeyServerFetch;
  private readonly seal: SealClient;
  private session?: Promise<SessionKey>;
  /** ids whose keys the SealClient holds (from at least `threshold` servers). */
  private readonly heldIds = new Set<string>();
  /** ids whose first key fetch is under way */
  private readonly fetching = new Map<string, Promise<void>>();
  private servers?: KeyServerInfo[];
  private readonly client: SealCompatibleClient;

  constructor(private readonly o: SealPartyOptions) {
    this.net = new KeyServerFetch(
      o.settings.keyServers.filter((k) => k.url).map((k) => [k.objectId, k.url!] as [string, string]),
      o.fetch,
    );
    this.client = withCachedPackage(o.client, o.packageId);
    this.seal = new SealClient({
      suiClient: this.client,
      serverConfigs: o.settings.keyServers.map((k) => ({ objectId: k.objectId, weight: 1 })),
      // Proof of possession is checked once in `verify()`: the SDK's check runs inside every
      // first use and fails the whole operation when any one server is down.
      verifyKeyServers: false,
      timeout: o.timeoutMs ?? 10_000,
      fetch: this.net.fetch,
    });
  }

  get threshold(): number {
    return this.o.settings.threshold;
  }

  get address(): string | undefined {
    return this.o.signer ? normalizeSuiAddress(this.o.signer.toSuiAddress()) : undefined;
  }

  /** The configured servers as the chain registers them (name, URL, with overrides applied). */
  async keyServers(): Promise<KeyServerInfo[]> {
    if (this.servers) return this.servers;
    let loaded;
    try {
      loaded = await this.seal.getKeyServers();
    } catch (e) {
      throw new SealFailure(
        'config',
        `cannot read the Seal KeyServer objects ${this.o.settings.keyServers.map((k) => k.objectId).join(', ')} from the chain: ${(e as Error).message}; check --seal-key-servers`,
      );
    }
    this.net.learn(loaded.values());
    const override = new Map(this.o.settings.keyServers.map((k) => [k.objectId, k.url]));
    this.servers = [...loaded.values()].map((s) => ({
      objectId: s.objectId,
      name: s.name,
      url: override.get(s.objectId) ?? s.url,
    }));
    return this.servers;
  }

  /**
   * The SDK's own check of every server (`verifyKeyServers: true`: /v1/service answers and
   * proves possession of the key the object registers). Returns what failed, per server.
   */
  async verify(): Promise<Array<KeyServerInfo & { why: string }>> {
    const servers = await this.keyServers();
    const failures: Array<KeyServerInfo & { why: string }> = [];
    for (const s of servers) {
      const probe = new SealClient({
        suiClient: this.o.client,
        serverConfigs: [{ objectId: s.objectId, weight: 1 }],
        verifyKeyServers: true,
        timeout: this.o.timeoutMs ?? 10_000,
        fetch: this.net.fetch,
      });
      const r = await withOutcomeLog(() => probe.getKeyServers());
      if (r.error) failures.push({ ...s, why: (r.error as Error).message });
    }
    return failures;
  }

  async encrypt(id: string, aad: Uint8Array, data: Uint8Array): Promise<Uint8Array> {
    await this.keyServers();
    const r = await withOutcomeLog(() =>
      this.seal.encrypt({ threshold: this.threshold, packageId: this.o.packageId, id, data, aad }),
    );
    if (r.error || !r.value)
      throw explainSealFailure({
        operation: `encrypting under id ${id}`,
        error: r.error,
        log: r.log,
        servers: this.servers ?? [],
        threshold: this.threshold,
      });
    this.stats.encryptions++;
    return r.value.encryptedObject;
  }

  private sessionKey(renew = false): Promise<SessionKey> {
    const signer = this.o.signer;
    if (!signer) throw new Error('this Seal party has no account key: it can encrypt only');
    const current = this.session;
    if (!renew && current) {
      return current.then((k) => (k.isExpired() ? this.sessionKey(true) : k));
    }
    this.session = SessionKey.create({
      address: signer.toSuiAddress(),
      packageId: this.o.packageId,
      ttlMin: this.o.sessionTtlMin ?? 30,
      signer,
      suiClient: this.client,
    });
    this.session.catch(() => (this.session = undefined));
    return this.session;
  }

  /**
   * Decrypts a Seal ciphertext. `expectAad` must equal the authenticated data it carries (the
   * request's checked header), so a ciphertext copied from another request is refused.
   */
  async decrypt(
    data: Uint8Array,
    approve: ApprovalTx,
    what: string,
    expectAad?: Uint8Array,
  ): Promise<Uint8Array> {
    let parsed;
    try {
      parsed = EncryptedObject.parse(data);
    } catch (e) {
      throw new SealFailure('undecryptable', `${what}: not a Seal ciphertext (${(e as Error).message})`);
    }
    if (expectAad) {
      const aad = parsed.ciphertext.Aes256Gcm?.aad ?? parsed.ciphertext.Hmac256Ctr?.aad ?? new Uint8Array();
      if (!bytesEqual(aad, expectAad))
        throw new SealFailure(
          'undecryptable',
          `${what}: the ciphertext's authenticated data is not this request's header (copied from another request?)`,
        );
    }
    const servers = await this.keyServers();
    // Concurrent first answers of one session (kubectl's parallel discovery) share one key
    // fetch: wait for the one in flight, then decrypt with the keys it brought.
    const inFlight = this.fetching.get(parsed.id);
    if (inFlight && !this.heldIds.has(parsed.id)) await inFlight;
    if (this.heldIds.has(parsed.id) || this.fetching.has(parsed.id))
      return this.decryptNow(parsed.id, data, approve, what, servers);
    const run = this.decryptNow(parsed.id, data, approve, what, servers);
    this.fetching.set(
      parsed.id,
      run.then(
        () => undefined,
        () => undefined,
      ),
    );
    try {
      return await run;
    } finally {
      this.fetching.delete(parsed.id);
    }
  }

  private async decryptNow(
    id: string,
    data: Uint8Array,
    approve: ApprovalTx,
    what: string,
    servers: KeyServerInfo[],
  ): Promise<Uint8Array> {
    const attempt = async (renew: boolean) => {
      const sessionKey = await this.sessionKey(renew);
      const held = this.heldIds.has(id);
      // With the keys held, the SDK never reads the approval transaction: skip building it.
      const txBytes = held ? new Uint8Array(1) : await approve(id);
      return withOutcomeLog(() => this.seal.decrypt({ data, sessionKey, txBytes }));
    };
    let r = await attempt(false);
    // A server that rejects the session (expired or invalid certificate): one retry with a new one.
    if (r.error && r.log.outcomes.some((o) => o.error !== undefined && SESSION_ERRORS.has(o.error)))
      r = await attempt(true);
    this.stats.keyFetchCalls += r.log.fetchKeyCalls;
    if (r.log.fetchKeyCalls > 0) this.stats.keyFetchRounds++;
    if (r.error || !r.value)
      throw explainSealFailure({
        operation: what,
        error: r.error,
        log: r.log,
        servers,
        threshold: this.threshold,
      });
    this.heldIds.add(id);
    this.stats.decryptions++;
    return r.value;
  }
}

const SESSION_ERRORS = new Set([
  'ExpiredSessionKey',
  'InvalidCertificate',
  'InvalidSessionSignature',
  'InvalidUserSignature',
]);

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
