/**
 * Test-only: what an unrelated party (no key, no token) can read from the chain. It walks
 * every checkpoint through the public gRPC API and collects every transaction (its BCS, so
 * the pure arguments a payload travels in), every event and every object any transaction
 * created or changed, then looks for planted plaintexts in them — raw, inside base64 runs,
 * and inside gzip members (and base64 inside gzip, gzip inside base64).
 */
import type { SuiGrpcClient } from '@mysten/sui/grpc';
import { gunzipSync } from 'node:zlib';

export interface ChainBlob {
  /** where it was found, e.g. "event K8sAPIResponse of tx 9x…" */
  where: string;
  bytes: Uint8Array;
}

type Checkpoint = {
  transactions?: Array<{
    digest?: string;
    transaction?: { bcs?: { value?: Uint8Array } };
    events?: { events?: Array<{ eventType?: string; contents?: { value?: Uint8Array } }> };
    effects?: { changedObjects?: Array<{ objectId?: string; outputState?: number }> };
  }>;
};

const MASK = {
  paths: [
    'sequence_number',
    'transactions.digest',
    'transactions.transaction.bcs',
    'transactions.events',
    'transactions.effects.changed_objects',
  ],
};

/** Every transaction, event and live object on the chain, as bytes. */
export async function readWholeChain(client: SuiGrpcClient): Promise<ChainBlob[]> {
  const tip = (await client.ledgerService.getServiceInfo({})).response.checkpointHeight ?? 0n;
  const blobs: ChainBlob[] = [];
  const objectIds = new Set<string>();
  for (let seq = 0n; seq <= tip; seq++) {
    const { response } = await client.ledgerService.getCheckpoint({
      checkpointId: { oneofKind: 'sequenceNumber', sequenceNumber: seq },
      readMask: MASK,
    });
    for (const tx of (response.checkpoint as Checkpoint | undefined)?.transactions ?? []) {
      const d = tx.digest ?? '?';
      if (tx.transaction?.bcs?.value)
        blobs.push({ where: `transaction ${d}`, bytes: tx.transaction.bcs.value });
      for (const e of tx.events?.events ?? [])
        if (e.contents?.value)
          blobs.push({
            where: `event ${e.eventType?.split('::').pop()} of tx ${d}`,
            bytes: e.contents.value,
          });
      for (const o of tx.effects?.changedObjects ?? []) if (o.objectId) objectIds.add(o.objectId);
    }
  }
  for (const objectId of objectIds) {
    try {
      const { object } = await client.getObject({ objectId, include: { content: true } });
      if (object.content) blobs.push({ where: `object ${objectId} (${object.type})`, bytes: object.content });
    } catch {
      // deleted or wrapped: its bytes were in the transactions and events above
    }
  }
  return blobs;
}

const B64_RUN = /[A-Za-z0-9+/_-]{8,}={0,2}/g;

/** The views a reader would try: the bytes, base64 runs decoded, gzip members inflated (2 levels). */
export function views(bytes: Uint8Array, depth = 2): Buffer[] {
  const out: Buffer[] = [Buffer.from(bytes)];
  if (depth === 0) return out;
  const buf = Buffer.from(bytes);
  for (
    let i = buf.indexOf(Buffer.from([0x1f, 0x8b, 0x08]));
    i >= 0;
    i = buf.indexOf(Buffer.from([0x1f, 0x8b, 0x08]), i + 1)
  ) {
    try {
      out.push(...views(gunzipSync(buf.subarray(i), { finishFlush: 2 }), depth - 1));
    } catch {
      // not a gzip member, or truncated
    }
  }
  const text = buf.toString('latin1');
  for (const m of text.matchAll(B64_RUN)) {
    const run = m[0];
    // every alignment: a run may start mid-quantum when it sits in a larger binary blob
    for (let k = 0; k < 4 && k < run.length - 4; k++) {
      const decoded = Buffer.from(run.slice(k).replace(/-/g, '+').replace(/_/g, '/'), 'base64');
      if (decoded.length >= 4) out.push(...views(decoded, depth - 1));
    }
  }
  return out;
}

export interface Finding {
  needle: string;
  where: string;
}

/** Where each planted plaintext shows up in what the chain gives anyone. */
export function findPlaintexts(blobs: ChainBlob[], needles: string[]): Finding[] {
  const found: Finding[] = [];
  for (const b of blobs) {
    const vs = views(b.bytes);
    for (const needle of needles) {
      const n = Buffer.from(needle);
      if (vs.some((v) => v.includes(n))) found.push({ needle, where: b.where });
    }
  }
  return found;
}
