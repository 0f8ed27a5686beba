/** The VM's BCS codec against @mysten/bcs on random values of random layouts. */
import { beforeAll, describe, expect, it } from 'vitest';
import { bcs, type BcsType } from '@mysten/sui/bcs';
import { deserializeValue, serializeValue } from './src/bcs.ts';
import { MoveVM } from './src/vm.ts';
import { buildFramework } from './testing/framework.ts';
import type { Type } from './src/types.ts';
import type { Value } from './src/values.ts';

let vm: MoveVM;
beforeAll(async () => {
  vm = new MoveVM();
  vm.loadPackage((await buildFramework({ testMode: false })).modules);
}, 300_000);

let seed = 12345;
const rnd = (n: number) => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed % n;
};
const rbig = (bits: number) => {
  let x = 0n;
  for (let i = 0; i < bits; i += 16) x = (x << 16n) | BigInt(rnd(65536));
  return x & ((1n << BigInt(bits)) - 1n);
};

type Erased = BcsType<unknown, unknown>;
/** @mysten/bcs types are invariant in their input; the cases only need to serialize. */
const erase = <T, I>(b: BcsType<T, I>): Erased => b as unknown as Erased;

interface Case {
  tag: string;
  mysten: Erased;
  /** random value as [VM value, @mysten/bcs input] */
  gen: () => [Value, unknown];
}

function randomCase(depth: number): Case {
  const k = rnd(depth > 2 ? 9 : 12);
  switch (k) {
    case 0:
      return {
        tag: 'bool',
        mysten: erase(bcs.bool()),
        gen: () => {
          const b = rnd(2) === 1;
          return [b, b];
        },
      };
    case 1:
      return {
        tag: 'u8',
        mysten: erase(bcs.u8()),
        gen: () => {
          const n = rnd(256);
          return [n, n];
        },
      };
    case 2:
      return {
        tag: 'u16',
        mysten: erase(bcs.u16()),
        gen: () => {
          const n = rnd(65536);
          return [n, n];
        },
      };
    case 3:
      return {
        tag: 'u32',
        mysten: erase(bcs.u32()),
        gen: () => {
          const n = Number(rbig(32));
          return [n, n];
        },
      };
    case 4:
      return {
        tag: 'u64',
        mysten: erase(bcs.u64()),
        gen: () => {
          const n = rbig(64);
          return [n, n];
        },
      };
    case 5:
      return {
        tag: 'u128',
        mysten: erase(bcs.u128()),
        gen: () => {
          const n = rbig(128);
          return [n, n];
        },
      };
    case 6:
      return {
        tag: 'u256',
        mysten: erase(bcs.u256()),
        gen: () => {
          const n = rbig(256);
          return [n, n];
        },
      };
    case 7:
      return {
        tag: 'address',
        mysten: erase(bcs.Address),
        gen: () => {
          const a = '0x' + rbig(256).toString(16).padStart(64, '0');
          return [a, a];
        },
      };
    case 8:
      return {
        tag: '0x1::string::String',
        mysten: erase(bcs.string()),
        gen: () => {
          const s = 'é'.repeat(rnd(3)) + 'x'.repeat(rnd(200));
          return [[Array.from(new TextEncoder().encode(s))], s];
        },
      };
    case 9:
    case 10: {
      const e = randomCase(depth + 1);
      return {
        tag: `vector<${e.tag}>`,
        mysten: erase(bcs.vector(e.mysten)),
        gen: () => {
          const n = rnd(k === 10 ? 300 : 5);
          const pairs = Array.from({ length: n }, () => e.gen());
          return [pairs.map((p) => p[0]), pairs.map((p) => p[1])];
        },
      };
    }
    default: {
      const e = randomCase(depth + 1);
      return {
        tag: `0x1::option::Option<${e.tag}>`,
        mysten: erase(bcs.option(e.mysten)),
        gen: () => {
          if (rnd(2) === 0) return [[[]], null];
          const [v, m] = e.gen();
          return [[[v]], m];
        },
      };
    }
  }
}

describe('BCS of VM values', () => {
  it('matches @mysten/bcs byte for byte and round-trips, on 300 random layouts', () => {
    for (let i = 0; i < 300; i++) {
      const c = randomCase(0);
      const t: Type = vm.parseType(c.tag);
      const [value, input] = c.gen();
      const ours = serializeValue(value, t);
      const theirs = c.mysten.serialize(input).toBytes();
      expect(Buffer.from(ours).toString('hex'), c.tag).toBe(Buffer.from(theirs).toString('hex'));
      expect(serializeValue(deserializeValue(theirs, t), t)).toEqual(ours);
    }
  });

  it('rejects malformed input with a message', () => {
    const t = vm.parseType('vector<u64>');
    expect(() => deserializeValue(Uint8Array.of(2, 1, 0, 0, 0, 0, 0, 0, 0), t)).toThrow(
      /unexpected end of input/,
    );
    expect(() => deserializeValue(Uint8Array.of(0, 7), t)).toThrow(/trailing byte/);
    expect(() => deserializeValue(Uint8Array.of(2), vm.parseType('bool'))).toThrow(/invalid bool/);
  });
});
