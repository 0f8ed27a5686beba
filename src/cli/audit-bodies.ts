/**
 * `audit --bodies`: the answer bodies of audited requests, as the caller may read them. On a
 * Seal cluster an answer opens only with its requester's key (the contract's response policy):
 * with that key in the caller's keystores it is decrypted; otherwise it says "encrypted (not
 * yours)". Payloads open only for the cluster's executors, so they are never shown here.
 */
import { existsSync } from 'node:fs';
import type { SuiGrpcClient } from '@mysten/sui/grpc';
import type { Keypair } from '@mysten/sui/cryptography';
import { decodeBody } from '../contract/index.ts';
import { AnswerReader } from '../gateway/answer-reader.ts';
import { GatewaySeal } from '../confidentiality/gateway-seal.ts';
import { clusterSettingReader } from '../confidentiality/cluster-setting.ts';
import { Keystore } from '../sui/keystore.ts';
import type { AuditEntry } from './commands/audit.ts';

export const NOT_YOURS = 'encrypted (not yours)';

export interface BodyReaderOptions {
  client: SuiGrpcClient;
  packageId: string;
  clusterId: string;
  /** the keys the caller holds (its keystore, its gateway keystore) */
  keys: (address: string) => Keypair | undefined;
}

/** The caller's keys from keystore files that exist (a missing file holds no key). */
export async function keysFrom(paths: string[]): Promise<(address: string) => Keypair | undefined> {
  const stores = await Promise.all(paths.filter((p) => existsSync(p)).map((p) => Keystore.load(p)));
  return (address) => stores.map((s) => s.get(address)).find((k) => k !== undefined);
}

/** Sets `body` on every answered row: the text, NOT_YOURS, or why it could not be read. */
export async function attachBodies(rows: AuditEntry[], o: BodyReaderOptions): Promise<void> {
  const reader = new AnswerReader(o.client, o.clusterId);
  const seal = new GatewaySeal({
    client: o.client,
    packageId: o.packageId,
    clusterId: o.clusterId,
    readSetting: clusterSettingReader(o.client, o.clusterId),
  });
  const sealed = (await seal.setting()).mode === 'seal';
  for (const row of rows) {
    if (!row.responseTx) continue;
    try {
      const ev = await reader.responseEventIn(row.responseTx, row.requestObjectId);
      if (!ev) continue;
      let bytes = await reader.body(ev);
      if (sealed) {
        const signer = o.keys(row.requester);
        if (!signer) {
          row.body = NOT_YOURS;
          continue;
        }
        bytes = await seal.openResponse({
          signer,
          header: {
            clusterId: o.clusterId,
            requestObjectId: row.requestObjectId,
            requester: row.requester,
            statusCode: ev.status_code,
            contentType: ev.content_type,
            contentEncoding: ev.content_encoding,
          },
          body: bytes,
          what: `decrypting the answer to ${row.requestId}`,
        });
      }
      row.body = Buffer.from(decodeBody(bytes, ev.content_encoding)).toString('utf8');
    } catch (e) {
      row.body = `unreadable: ${(e as Error).message}`;
    }
  }
}
