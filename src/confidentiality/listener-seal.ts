/**
 * The listener's side of confidentiality. On a Seal cluster it decrypts a request's payload
 * with a SessionKey of its executor account (the contract's `seal_approve_payload` lets only an
 * active executor of the cluster have the key, and only for the current executor epoch), checks
 * that the ciphertext's AAD is this very request's header, and encrypts every answer body for
 * the requester (the response id the request names) before it is signed and stored. A payload
 * it cannot decrypt is answered with a refusal, never executed; nothing is ever stored in clear
 * on a Seal cluster, refusals included.
 */
import type { Keypair } from '@mysten/sui/cryptography';
import type { SealCompatibleClient } from '@mysten/seal';
import { Transaction } from '@mysten/sui/transactions';
import { hexBytes, settingsOf } from './gateway-seal.ts';
import type { KeyServerSpec, SealSettings } from './key-servers.ts';
import { SealParty } from './seal-party.ts';
import {
  payloadAad,
  responseAad,
  sealApprovePayload,
  sealApproveTxBytes,
  sealIdHex,
  type ClusterConfidentiality,
  type PayloadAadFields,
  type RequestFields,
  type ResponseAadFields,
} from '../contract/index.ts';

export interface ListenerSealOptions {
  client: SealCompatibleClient;
  packageId: string;
  clusterId: string;
  /** the executor's Sui account key (not its answer-signing key) */
  signer: Keypair;
  readSetting: () => Promise<ClusterConfidentiality>;
  keyServers?: KeyServerSpec[];
  threshold?: number;
  settingTtlMs?: number;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

export class ListenerSeal {
  private cached?: { at: number; setting: Promise<ClusterConfidentiality> };
  private party?: { key: string; party: SealParty };
  executorObjectId = '';

  constructor(private readonly o: ListenerSealOptions) {}

  setting(): Promise<ClusterConfidentiality> {
    const ttl = this.o.settingTtlMs ?? 10_000;
    if (this.cached && Date.now() - this.cached.at < ttl) return this.cached.setting;
    const setting = this.o.readSetting();
    this.cached = { at: Date.now(), setting };
    setting.catch(() => (this.cached = undefined));
    return setting;
  }

  private partyFor(s: SealSettings): SealParty {
    const key = JSON.stringify(s);
    if (this.party?.key !== key)
      this.party = {
        key,
        party: new SealParty({
          client: this.o.client,
          packageId: this.o.packageId,
          settings: s,
          signer: this.o.signer,
          ...(this.o.fetch ? { fetch: this.o.fetch } : {}),
          ...(this.o.timeoutMs ? { timeoutMs: this.o.timeoutMs } : {}),
        }),
      };
    return this.party.party;
  }

  /** Whether the cluster runs with Seal now. */
  async sealed(): Promise<boolean> {
    return (await this.setting()).mode === 'seal';
  }

  /** The payload's plaintext (still content-encoded). Throws SealFailure when it cannot. */
  async openPayload(payload: Uint8Array, header: PayloadAadFields, what: string): Promise<Uint8Array> {
    const setting = await this.setting();
    if (setting.mode === 'none') return payload;
    const party = this.partyFor(settingsOf(setting, this.o));
    return party.decrypt(
      payload,
      async (id) => {
        const tx = new Transaction();
        sealApprovePayload(tx, this.o.packageId, {
          id: hexBytes(id),
          cluster: this.o.clusterId,
          executor: this.executorObjectId,
        });
        return sealApproveTxBytes(tx, this.o.client);
      },
      what,
      payloadAad(header),
    );
  }

  /** The body as it goes on chain: encrypted for the requester on a Seal cluster. */
  async sealResponse(
    body: Uint8Array,
    responseSealId: Uint8Array,
    header: ResponseAadFields,
  ): Promise<Uint8Array> {
    const setting = await this.setting();
    if (setting.mode === 'none') return body;
    const party = this.partyFor(settingsOf(setting, this.o));
    return party.encrypt(sealIdHex(responseSealId), responseAad(header), body);
  }

  /** The listener's view (src/nautilus ListenerConfidentiality): from its request fields. */
  port(): {
    setExecutor(objectId: string): void;
    openPayload(f: RequestFields, payload: Uint8Array): Promise<Uint8Array>;
    sealAnswer(
      ref: { request: string },
      f: RequestFields,
      answer: { statusCode: number; contentType: string; contentEncoding: string },
      encoded: Uint8Array,
    ): Promise<Uint8Array>;
  } {
    return {
      setExecutor: (id) => {
        this.executorObjectId = id;
      },
      openPayload: (f, payload) =>
        this.openPayload(
          payload,
          {
            clusterId: this.o.clusterId,
            requester: f.requester,
            requestId: f.requestId,
            verb: f.verb,
            apiGroup: f.apiGroup,
            version: f.version,
            resource: f.resource,
            subresource: f.subresource,
            namespace: f.namespace,
            name: f.name,
            query: f.query,
            contentType: f.contentType,
            accept: f.accept,
            contentEncoding: f.contentEncoding,
            impersonateUser: f.intent.impersonate_user,
            impersonateGroups: f.intent.impersonate_groups,
          },
          `decrypting the payload of request ${f.requestId}`,
        ),
      sealAnswer: async (ref, f, answer, encoded) => {
        if (!(await this.sealed())) return encoded;
        if (f.responseSealId.length === 0)
          throw new Error(
            `request ${f.requestId} names no response Seal id on a Seal cluster; not answered in clear`,
          );
        return this.sealResponse(encoded, f.responseSealId, {
          clusterId: this.o.clusterId,
          requestObjectId: ref.request,
          requester: f.requester,
          statusCode: answer.statusCode,
          contentType: answer.contentType,
          contentEncoding: answer.contentEncoding,
        });
      },
    };
  }

  stats() {
    return this.party?.party.stats ?? { encryptions: 0, decryptions: 0, keyFetchCalls: 0, keyFetchRounds: 0 };
  }
}
