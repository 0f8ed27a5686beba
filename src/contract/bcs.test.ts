/**
 * The BCS layouts must match the Move structs field by field. The Move source
 * is parsed here, an independent encoder writes each struct from its Move
 * field types, and the result must equal what bcs.ts produces (and parse back).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AnswerIntentBcs, EVENT_BCS, K8sAPIRequestBcs, OBJECT_BCS, RequestBcs, decodeEvent } from './bcs.ts';
import { MOVE_SOURCE } from './gen-aborts.ts';
import { EVENT_NAMES } from './types.ts';
import { PayloadAadBcs, ResponseAadBcs } from './confidentiality.ts';

/** The confidentiality module's structs (Confidentiality, PayloadAad, ResponseAad). */
const CONFIDENTIALITY_SOURCE = path.join(path.dirname(MOVE_SOURCE), 'confidentiality.move');

type Field = { name: string; type: string };

/** `public struct X has … { field: Type, … }` → fields in declaration order. */
function moveStructs(source: string): Map<string, Field[]> {
  const structs = new Map<string, Field[]>();
  for (const m of source.matchAll(/public struct (\w+)(?:<[^>]*>)? has [^{]*\{([^}]*)\}/g)) {
    const body = (m[2] ?? '')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('//'));
    const fields = body.map((l) => {
      const f = /^(\w+):\s*(.+?),?$/.exec(l);
      if (!f?.[1] || !f[2]) throw new Error(`cannot parse field line "${l}" of ${m[1]}`);
      return { name: f[1], type: f[2] };
    });
    structs.set(m[1] ?? '', fields);
  }
  return structs;
}

const structs = new Map([
  ...moveStructs(readFileSync(MOVE_SOURCE, 'utf8')),
  ...moveStructs(readFileSync(CONFIDENTIALITY_SOURCE, 'utf8')),
]);

type Value = string | number | boolean | null | Value[] | { [k: string]: Value };

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
}

function le(value: bigint, bytes: number): number[] {
  return Array.from({ length: bytes }, (_, i) => Number((value >> BigInt(8 * i)) & 0xffn));
}

/** Sample value (in @mysten/bcs input/output form) and independent encoding for a Move type. */
function sample(type: string, seed: number): Value {
  if (type === 'String') return `s${seed}-ü`;
  if (type === 'ID' || type === 'UID' || type === 'address')
    return '0x' + seed.toString(16).padStart(2, '0').repeat(32);
  if (type === 'u8') return seed % 256;
  if (type === 'u32') return 100_000 + seed;
  if (type === 'u64') return String(2n ** 40n + BigInt(seed));
  if (type === 'bool') return seed % 2 === 0;
  if (type === 'vector<u8>') return [seed % 256, 0, 255];
  if (type === 'vector<String>') return [`a${seed}`, '', '*'];
  if (type === 'vector<ID>') return [sample('ID', seed), sample('ID', seed + 1)];
  if (type === 'Option<address>') return sample('address', seed + 1);
  if (type === 'Balance<SUI>') return { value: sample('u64', seed) };
  if (type.startsWith('Table<')) return { id: sample('UID', seed), size: sample('u64', seed + 1) };
  const vec = /^vector<(.+)>$/.exec(type);
  if (vec?.[1]) return [sample(vec[1], seed), sample(vec[1], seed + 7)];
  const fields = structs.get(type);
  if (!fields) throw new Error(`no sample for Move type ${type}`);
  return Object.fromEntries(fields.map((f, i) => [f.name, sample(f.type, seed + i + 1)]));
}

function encode(type: string, v: Value): number[] {
  if (type === 'String') {
    const b = [...Buffer.from(v as string, 'utf8')];
    return [...uleb(b.length), ...b];
  }
  if (type === 'ID' || type === 'UID' || type === 'address')
    return [...Buffer.from((v as string).slice(2), 'hex')];
  if (type === 'u8') return [v as number];
  if (type === 'u32') return le(BigInt(v as number), 4);
  if (type === 'u64') return le(BigInt(v as string), 8);
  if (type === 'bool') return [v ? 1 : 0];
  if (type === 'Option<address>') return v === null ? [0] : [1, ...encode('address', v)];
  if (type === 'Balance<SUI>') return encode('u64', (v as { value: string }).value);
  if (type.startsWith('Table<')) {
    const t = v as { id: string; size: string };
    return [...encode('UID', t.id), ...encode('u64', t.size)];
  }
  const vec = /^vector<(.+)>$/.exec(type);
  if (vec?.[1]) {
    const items = v as Value[];
    return [...uleb(items.length), ...items.flatMap((x) => encode(vec[1] as string, x))];
  }
  const fields = structs.get(type);
  if (!fields) throw new Error(`cannot encode Move type ${type}`);
  const obj = v as Record<string, Value>;
  return fields.flatMap((f) => encode(f.type, obj[f.name] ?? null));
}

const ALL = {
  ...EVENT_BCS,
  ...OBJECT_BCS,
  AnswerIntent: AnswerIntentBcs,
  PayloadAad: PayloadAadBcs,
  ResponseAad: ResponseAadBcs,
};

describe('BCS layouts follow the Move structs', () => {
  it('finds every event and object struct in the Move source', () => {
    for (const name of Object.keys(ALL)) expect(structs.has(name), name).toBe(true);
    expect(Object.keys(EVENT_BCS).sort()).toEqual([...EVENT_NAMES].sort());
    // Every copy+drop struct of the module (its events) has a layout here.
    const src = readFileSync(MOVE_SOURCE, 'utf8');
    // (AnswerIntent is copy+drop too, but it is signed, never emitted.)
    const events = [...src.matchAll(/public struct (\w+) has copy, drop/g)]
      .map((m) => m[1])
      .filter((n) => n !== 'AnswerIntent');
    expect(events.sort()).toEqual([...EVENT_NAMES].sort());
  });

  for (const [name, layout] of Object.entries(ALL)) {
    it(`${name}: same bytes as an encoder driven by the Move field types, and round-trips`, () => {
      const value = sample(name, 3) as Record<string, Value>;
      const bytes = layout.serialize(value as never).toBytes();
      expect([...bytes]).toEqual(encode(name, value));
      const parsed = layout.parse(bytes) as Record<string, unknown>;
      expect(Object.keys(parsed)).toEqual(structs.get(name)?.map((f) => f.name));
      expect(parsed).toEqual(value);
    });
  }
});

describe('decoding', () => {
  it('decodeEvent reads a K8sAPIRequest with a real payload', () => {
    const payload = new TextEncoder().encode('{"kind":"Pod"}');
    const value = {
      ...(sample('K8sAPIRequest', 1) as Record<string, Value>),
      payload: [...payload],
      verb: 'create',
    };
    const bytes = K8sAPIRequestBcs.serialize(value as never).toBytes();
    const event = decodeEvent('K8sAPIRequest', bytes);
    expect(event.verb).toBe('create');
    expect(new TextDecoder().decode(Uint8Array.from(event.payload))).toBe('{"kind":"Pod"}');
    expect(typeof event.fee).toBe('string');
  });

  it('an open Request names no claimant (the zero ID)', () => {
    const zero = '0x' + '0'.repeat(64);
    const value = { ...(sample('Request', 2) as Record<string, Value>), claimant: zero, state: 0 };
    const parsed = RequestBcs.parse(RequestBcs.serialize(value as never).toBytes());
    expect(parsed.claimant).toBe(zero);
    expect(parsed.state).toBe(0);
  });
});
