/** Ledger persistence: one JSON file with tagged bigint / bytes / Map values. */
import { mkdirSync, readFileSync, renameSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import type { LedgerState } from './ledger/ledger.ts';

const FILE = 'ledger.json';

function replacer(this: unknown, _key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return { $big: value.toString() };
  if (value instanceof Uint8Array) return { $bytes: Buffer.from(value).toString('base64') };
  if (value instanceof Map) return { $map: [...value.entries()] };
  return value;
}

function reviver(_key: string, value: unknown): unknown {
  if (value && typeof value === 'object') {
    const v = value as Record<string, unknown>;
    if (typeof v.$big === 'string') return BigInt(v.$big);
    if (typeof v.$bytes === 'string') return new Uint8Array(Buffer.from(v.$bytes, 'base64'));
    if (Array.isArray(v.$map)) return new Map(v.$map as [unknown, unknown][]);
  }
  return value;
}

export function saveState(dir: string, state: LedgerState, clockMs: bigint): void {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, FILE);
  writeFileSync(`${file}.tmp`, JSON.stringify({ version: 1, clockMs, state }, replacer));
  renameSync(`${file}.tmp`, file);
}

export function loadState(dir: string): { state: LedgerState; clockMs: bigint } | undefined {
  const file = path.join(dir, FILE);
  if (!existsSync(file)) return undefined;
  const parsed = JSON.parse(readFileSync(file, 'utf8'), reviver) as {
    version: number;
    clockMs: bigint;
    state: LedgerState;
  };
  if (parsed.version !== 1)
    throw new Error(`${file} has format version ${parsed.version}; this node reads version 1`);
  // Events are shared between transaction records and the global list: rebuild the links.
  const byKey = new Map(parsed.state.events.map((e) => [`${e.transactionDigest}:${e.eventIndex}`, e]));
  for (const tx of parsed.state.transactions.values()) {
    (tx as { events: unknown }).events = tx.events.map(
      (e) => byKey.get(`${e.transactionDigest}:${e.eventIndex}`) ?? e,
    );
  }
  return { state: parsed.state, clockMs: parsed.clockMs };
}
