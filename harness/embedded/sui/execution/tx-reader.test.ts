import { describe, expect, it } from 'vitest';
import { bcs } from '@mysten/sui/bcs';
import { Inputs, Transaction } from '@mysten/sui/transactions';
import { toBase58 } from '@mysten/sui/utils';
import { fastParse, fastSerialize, parseTransactionData, serializeTransactionData } from './tx-reader.ts';

const addr = (n: number) => '0x' + n.toString(16).padStart(2, '0').repeat(32);
const digest = (n: number) => toBase58(new Uint8Array(32).fill(n));

async function built(fill: (tx: Transaction) => void, expiration?: { epoch: number }) {
  const tx = new Transaction();
  tx.setSender(addr(0x11));
  tx.setGasOwner(addr(0x12));
  tx.setGasPrice(1000n);
  tx.setGasBudget(50_000_000n);
  tx.setGasPayment([
    { objectId: addr(0x21), version: '7', digest: digest(1) },
    { objectId: addr(0x22), version: '18446744073709551615', digest: digest(2) },
  ]);
  if (expiration) tx.setExpiration({ Epoch: expiration.epoch });
  fill(tx);
  return tx.build();
}

describe('TransactionData reader', () => {
  it('reads what bcs.TransactionData.parse reads, for every command and input kind', async () => {
    const cases = [
      await built((tx) => {
        const owned = tx.object(Inputs.ObjectRef({ objectId: addr(0x31), version: '3', digest: digest(3) }));
        const shared = tx.object(
          Inputs.SharedObjectRef({ objectId: addr(0x32), initialSharedVersion: '1', mutable: true }),
        );
        const clock = tx.object(
          Inputs.SharedObjectRef({ objectId: '0x6', initialSharedVersion: 1, mutable: false }),
        );
        const recv = tx.object(
          Inputs.ReceivingRef({ objectId: addr(0x33), version: '4', digest: digest(4) }),
        );
        const [a, b] = tx.splitCoins(tx.gas, [tx.pure.u64(5), tx.pure.u64(6)]);
        tx.mergeCoins(a!, [b!]);
        const v = tx.makeMoveVec({ type: '0x2::coin::Coin<0x2::sui::SUI>', elements: [a!] });
        tx.makeMoveVec({ elements: [owned] });
        tx.moveCall({
          target: `${addr(0x42)}::m::f`,
          typeArguments: [
            'u8',
            'vector<0x2::sui::SUI>',
            `${addr(0x42)}::m::S<u64, address, bool, u128, u16, u32, u256>`,
          ],
          arguments: [shared, clock, recv, v, tx.pure.string('héllo'), tx.pure.vector('u8', [1, 2, 3])],
        });
        tx.transferObjects([owned], tx.pure.address(addr(0x11)));
      }),
      await built(
        (tx) => {
          const cap = tx.publish({
            modules: [[1, 2, 3], Array.from({ length: 300 }, () => 9)],
            dependencies: ['0x1', '0x2'],
          });
          tx.transferObjects([cap], addr(0x11));
        },
        { epoch: 42 },
      ),
      await built((tx) => {
        const ticket = tx.moveCall({
          target: '0x2::package::authorize_upgrade',
          arguments: [
            tx.object(Inputs.ObjectRef({ objectId: addr(0x51), version: '9', digest: digest(5) })),
            tx.pure.u8(0),
            tx.pure.vector('u8', [7]),
          ],
        });
        const receipt = tx.upgrade({
          modules: [[4, 5]],
          dependencies: ['0x1'],
          package: addr(0x52),
          ticket,
        });
        tx.moveCall({ target: '0x2::package::commit_upgrade', arguments: [receipt] });
      }),
    ];
    for (const bytes of cases) {
      const parsed = bcs.TransactionData.parse(bytes);
      expect(fastParse(bytes)).toEqual(parsed);
      expect(parseTransactionData(bytes)).toEqual(parsed);
      // Writing back what was read gives the same bytes (Upgrade goes through the SDK writer).
      const hasUpgrade = parsed.V1.kind.ProgrammableTransaction!.commands.some((c) => c.$kind === 'Upgrade');
      if (!hasUpgrade)
        expect(Buffer.from(fastSerialize(parsed)).toString('hex')).toBe(Buffer.from(bytes).toString('hex'));
      expect(Buffer.from(serializeTransactionData(parsed)).toString('hex')).toBe(
        Buffer.from(bytes).toString('hex'),
      );
    }
  });

  it('falls back to the SDK reader (and its errors) for anything else', () => {
    expect(() => parseTransactionData(new Uint8Array([0, 0, 5]))).toThrow();
    expect(() => parseTransactionData(new Uint8Array([0, 0, 5]))).toThrow(
      (() => {
        try {
          bcs.TransactionData.parse(new Uint8Array([0, 0, 5]));
        } catch (error) {
          return (error as Error).message;
        }
        return 'no error';
      })(),
    );
  });
});
