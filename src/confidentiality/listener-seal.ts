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
import { toHex } from '@mysten/sui/utils';
import { hexBytes, settingsOf } from './gateway-seal.ts';
import type { KeyServerSpec, SealSettings } from './key-servers.ts';
import { SealParty } from './seal-party.ts';
import type { ConfidentialitySetting, PayloadHeader, ResponseHeader, SealScheme } from './scheme.ts';

export interface ListenerSealOptions {
  client: SealCompatibleClient;
  packageId: string;
  clusterId: string;
  scheme: SealScheme;
  /** the executor's Sui account key (not its answer-signing key) */
  signer: Keypair;
  readSetting: () => Promise<ConfidentialitySetting>;
  keyServers?: KeyServerSpec[];
  threshold?: number;
  settingTtlMs?: number;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

export class ListenerSeal {
  private cached?: { at: number; setting: Promise<ConfidentialitySetting> };
  private party?: { key: string; party: SealParty };
  executorObjectId = '';

  constructor(private readonly o: ListenerSealOptions) {}

  setting(): Promise<ConfidentialitySetting> {
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
  async openPayload(payload: Uint8Array, header: PayloadHeader, what: string): Promise<Uint8Array> {
    const setting = await this.setting();
    if (setting.mode === 'none') return payload;
    const party = this.partyFor(settingsOf(setting, this.o));
    return party.decrypt(
      payload,
      async (id) => {
        const tx = new Transaction();
        tx.setSender(this.o.signer.toSuiAddress());
        this.o.scheme.approvePayload(tx, this.o.packageId, {
          id: hexBytes(id),
          clusterId: this.o.clusterId,
          executorObjectId: this.executorObjectId,
        });
        return tx.build({ client: this.o.client, onlyTransactionKind: true });
      },
      what,
      this.o.scheme.payloadAad(header),
    );
  }

  /** The body as it goes on chain: encrypted for the requester on a Seal cluster. */
  async sealResponse(body: Uint8Array, responseSealId: Uint8Array, header: ResponseHeader): Promise<Uint8Array> {
    const setting = await this.setting();
    if (setting.mode === 'none') return body;
    const party = this.partyFor(settingsOf(setting, this.o));
    return party.encrypt(toHex(responseSealId), this.o.scheme.responseAad(header), body);
  }

  stats() {
    return this.party?.party.stats ?? { encryptions: 0, decryptions: 0, keyFetchCalls: 0, keyFetchRounds: 0 };
  }
}
