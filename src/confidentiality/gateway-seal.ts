/**
 * The gateway's side of confidentiality. On a Seal cluster it encrypts each request payload for
 * the cluster's executors (a payload id of the current executor epoch) with the request header
 * as AAD, names the response id the executor must encrypt the answer for, and decrypts the
 * answer with a SessionKey of the requester's own key. Ids carry a per-requester session
 * nonce, so one key fetch serves every answer of a session. On a cluster created with
 * `confidentiality: none` it does nothing; there is no other way to send clear bytes.
 */
import { randomBytes } from 'node:crypto';
import type { Keypair } from '@mysten/sui/cryptography';
import type { SealCompatibleClient } from '@mysten/seal';
import { Transaction } from '@mysten/sui/transactions';
import { normalizeSuiAddress } from '@mysten/sui/utils';
import type { KeyServerSpec, SealSettings } from './key-servers.ts';
import { SealParty } from './seal-party.ts';
import { SealFailure } from './seal-failure.ts';
import {
  payloadAad,
  responseAad,
  sealApproveResponse,
  sealApproveTxBytes,
  sealIdHex,
  sealPayloadId,
  sealResponseId,
  type ClusterConfidentiality,
  type PayloadAadFields,
  type ResponseAadFields,
} from '../contract/index.ts';

export interface GatewaySealOptions {
  client: SealCompatibleClient;
  packageId: string;
  clusterId: string;
  /** The Cluster's confidentiality setting as the chain has it now. */
  readSetting: () => Promise<ClusterConfidentiality>;
  /** `--seal-key-servers`: URL overrides; every server named must be one of the cluster's. */
  keyServers?: KeyServerSpec[];
  /** `--seal-threshold`: must equal the cluster's when given. */
  threshold?: number;
  /** How long one session nonce (hence one response key) is used. Default 25 min. */
  nonceTtlMs?: number;
  /** How long a read setting is trusted before it is read again. Default 30 s. */
  settingTtlMs?: number;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

export interface SealedRequest {
  payload: Uint8Array;
  responseSealId: Uint8Array;
}

/** The sealing input: the header the AAD binds, minus what the gateway knows itself. */
export type RequestHeader = Omit<PayloadAadFields, 'clusterId' | 'requester'>;

/** Builds SealSettings from the cluster's setting and the local flags. */
export function settingsOf(
  setting: Extract<ClusterConfidentiality, { mode: 'seal' }>,
  flags: { keyServers?: KeyServerSpec[]; threshold?: number },
): SealSettings {
  const onChain = setting.keyServers.map((k) => normalizeSuiAddress(k));
  const urls = new Map((flags.keyServers ?? []).map((k) => [normalizeSuiAddress(k.objectId), k.url]));
  const foreign = [...urls.keys()].filter((k) => !onChain.includes(k));
  if (foreign.length > 0)
    throw new SealFailure(
      'config',
      `--seal-key-servers names ${foreign.join(', ')}, which the cluster does not use (its key servers: ${onChain.join(', ')}); the cluster's setting decides, the flag only gives URLs`,
    );
  if (flags.threshold !== undefined && flags.threshold !== setting.threshold)
    throw new SealFailure(
      'config',
      `--seal-threshold ${flags.threshold} differs from the cluster's threshold ${setting.threshold}; drop the flag or ask the administrator`,
    );
  return {
    keyServers: onChain.map((objectId) => {
      const url = urls.get(objectId);
      return url ? { objectId, url } : { objectId };
    }),
    threshold: setting.threshold,
  };
}

interface Session {
  nonce: Uint8Array;
  until: number;
}

export class GatewaySeal {
  private cached?: { at: number; setting: Promise<ClusterConfidentiality> };
  private readonly parties = new Map<string, { key: string; party: SealParty }>();
  private encryptor?: { key: string; party: SealParty };
  private readonly sessions = new Map<string, Session>();

  constructor(private readonly o: GatewaySealOptions) {}

  /** The cluster's setting (cached; `refresh` reads it again, e.g. after EStalePayloadId). */
  setting(refresh = false): Promise<ClusterConfidentiality> {
    const ttl = this.o.settingTtlMs ?? 30_000;
    if (!refresh && this.cached && Date.now() - this.cached.at < ttl) return this.cached.setting;
    const setting = this.o.readSetting();
    this.cached = { at: Date.now(), setting };
    setting.catch(() => (this.cached = undefined));
    return setting;
  }

  private partyKey(s: SealSettings): string {
    return JSON.stringify(s);
  }

  private encryptParty(s: SealSettings): SealParty {
    const key = this.partyKey(s);
    if (this.encryptor?.key !== key) this.encryptor = { key, party: this.newParty(s) };
    return this.encryptor.party;
  }

  private newParty(settings: SealSettings, signer?: Keypair): SealParty {
    return new SealParty({
      client: this.o.client,
      packageId: this.o.packageId,
      settings,
      ...(signer ? { signer } : {}),
      ...(this.o.fetch ? { fetch: this.o.fetch } : {}),
      ...(this.o.timeoutMs ? { timeoutMs: this.o.timeoutMs } : {}),
    });
  }

  /** The requester's own decrypting party (its own SealClient, its own SessionKey). */
  party(signer: Keypair, s: SealSettings): SealParty {
    const address = normalizeSuiAddress(signer.toSuiAddress());
    const key = this.partyKey(s);
    let p = this.parties.get(address);
    if (!p || p.key !== key) {
      p = { key, party: this.newParty(s, signer) };
      this.parties.set(address, p);
    }
    return p.party;
  }

  private session(requester: string): Session {
    let s = this.sessions.get(requester);
    if (!s || s.until < Date.now()) {
      s = { nonce: new Uint8Array(randomBytes(16)), until: Date.now() + (this.o.nonceTtlMs ?? 25 * 60_000) };
      this.sessions.set(requester, s);
    }
    return s;
  }

  /**
   * Seals one request, or says the cluster runs without confidentiality (`clear`). `encoded` is
   * the payload as it goes on chain before encryption (gzip already applied).
   */
  async sealRequest(a: {
    requester: string;
    header: RequestHeader;
    encoded: Uint8Array;
    refresh?: boolean;
  }): Promise<SealedRequest | 'clear'> {
    const setting = await this.setting(a.refresh);
    if (setting.mode === 'none') return 'clear';
    const settings = settingsOf(setting, this.o);
    const requester = normalizeSuiAddress(a.requester);
    const { nonce } = this.session(requester);
    const clusterId = this.o.clusterId;
    const responseSealId = sealResponseId({ clusterId, requester, nonce });
    if (a.encoded.length === 0) return { payload: a.encoded, responseSealId };
    const id = sealPayloadId({ clusterId, epoch: setting.executorEpoch, requester, nonce });
    const aad = payloadAad({ ...a.header, clusterId, requester });
    const payload = await this.encryptParty(settings).encrypt(sealIdHex(id), aad, a.encoded);
    return { payload, responseSealId };
  }

  /** Decrypts an answer (its body as stored, digest and signature already checked). */
  async openResponse(a: {
    signer: Keypair;
    header: ResponseAadFields;
    body: Uint8Array;
    what: string;
  }): Promise<Uint8Array> {
    const setting = await this.setting();
    if (setting.mode === 'none') return a.body;
    const party = this.party(a.signer, settingsOf(setting, this.o));
    const aad = responseAad(a.header);
    return party.decrypt(
      a.body,
      async (id) => {
        const tx = new Transaction();
        sealApproveResponse(tx, this.o.packageId, { id: hexBytes(id), cluster: this.o.clusterId });
        return sealApproveTxBytes(tx, this.o.client);
      },
      a.what,
      aad,
    );
  }

  /** Totals over every party: for metrics and the benchmark. */
  stats(): { encryptions: number; decryptions: number; keyFetchCalls: number; keyFetchRounds: number } {
    const all = [...this.parties.values()].map((p) => p.party.stats);
    if (this.encryptor) all.push(this.encryptor.party.stats);
    return all.reduce(
      (t, s) => ({
        encryptions: t.encryptions + s.encryptions,
        decryptions: t.decryptions + s.decryptions,
        keyFetchCalls: t.keyFetchCalls + s.keyFetchCalls,
        keyFetchRounds: t.keyFetchRounds + s.keyFetchRounds,
      }),
      { encryptions: 0, decryptions: 0, keyFetchCalls: 0, keyFetchRounds: 0 },
    );
  }
}

export function hexBytes(hex: string): Uint8Array {
  return Uint8Array.from(Buffer.from(hex.replace(/^0x/, ''), 'hex'));
}
