import { describe, expect, it } from 'vitest';
import { bcs } from '@mysten/sui/bcs';
import { normalizeSuiAddress } from '@mysten/sui/utils';
import { CoinContents, coinBalance, makeObject, slowObjectBcs, encodeCoin } from './objects.ts';
import { GAS_COIN_TYPE, GENESIS_DIGEST, type Owner } from './types.ts';

const ID = '0x' + 'ab'.repeat(32);
const owners: Owner[] = [
  { kind: 'address', address: '0x' + '01'.repeat(32) },
  { kind: 'object', parent: '0x' + '02'.repeat(32) },
  { kind: 'shared', initialVersion: 7n },
  { kind: 'immutable' },
];

describe('object encoding', () => {
  it('assembles the same BCS as @mysten/sui bcs.Object for every owner and type kind', () => {
    const types = [
      GAS_COIN_TYPE,
      '0x0000000000000000000000000000000000000000000000000000000000000002::coin::Coin<0x00000000000000000000000000000000000000000000000000000000000000aa::t::T>',
      '0x00000000000000000000000000000000000000000000000000000000000000aa::m::S<u64, vector<u8>>',
    ];
    for (const owner of owners) {
      for (const type of types) {
        const data = { kind: 'move' as const, type, hasPublicTransfer: true, contents: encodeCoin(ID, 5n) };
        const obj = makeObject({
          id: ID,
          version: 12n,
          owner,
          previousTransaction: GENESIS_DIGEST,
          storageRebate: 99n,
          data,
        });
        const parsed = bcs.Object.parse(obj.bcs);
        const reference = slowObjectBcs(
          { owner, previousTransaction: GENESIS_DIGEST, storageRebate: 99n },
          parsed.data,
        );
        expect(Buffer.from(obj.bcs).toString('hex')).toBe(Buffer.from(reference).toString('hex'));
        expect(obj.digest).toMatch(/^[1-9A-HJ-NP-Za-km-z]{43,44}$/);
      }
    }
  });
});

describe('coin contents fast path', () => {
  it('encodes and reads Coin<T> exactly as the BCS struct does', () => {
    for (const [id, balance] of [
      ['0x2', 0n],
      ['0xABCDEF', 1n],
      ['0x' + 'f'.repeat(64), (1n << 64n) - 1n],
      ['0x' + '0123456789abcdef'.repeat(4), 1_000_000_000_000n],
    ] as const) {
      const bytes = encodeCoin(id, balance);
      expect(Buffer.from(bytes).toString('hex')).toBe(
        Buffer.from(CoinContents.serialize({ id, balance }).toBytes()).toString('hex'),
      );
      const obj = makeObject({
        id: normalizeSuiAddress(id),
        version: 1n,
        owner: { kind: 'address', address: normalizeSuiAddress('0xa') },
        previousTransaction: GENESIS_DIGEST,
        storageRebate: 0n,
        data: { kind: 'move', type: GAS_COIN_TYPE, hasPublicTransfer: true, contents: bytes },
      });
      expect(coinBalance(obj)).toBe(balance);
    }
    expect(() => encodeCoin('0x2', -1n)).toThrow();
    expect(() => encodeCoin('0x2', 1n << 64n)).toThrow();
  });
});
