import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bcs } from '@mysten/sui/bcs';
import { GrpcTypes } from '@mysten/sui/grpc';
import { frameworkModules } from '../compiled.ts';
import { startEmbeddedSui, type EmbeddedSui } from '../index.ts';
import { buildResolved } from './resolve.ts';

const ArgKind = GrpcTypes.Argument_ArgumentKind;

/** SplitCoins(gas, [1000]) → TransferObjects to the sender, unresolved, as the SDK sends it. */
function splitAndTransfer(sender: string, coinObjects: string[] = []): GrpcTypes.Transaction {
  return {
    sender,
    gasPayment: { objects: coinObjects.map((objectId) => ({ objectId })) },
    kind: {
      data: {
        oneofKind: 'programmableTransaction',
        programmableTransaction: {
          inputs: [
            { kind: GrpcTypes.Input_InputKind.PURE, pure: bcs.u64().serialize(1000n).toBytes() },
            { kind: GrpcTypes.Input_InputKind.PURE, pure: bcs.Address.serialize(sender).toBytes() },
          ],
          commands: [
            {
              command: {
                oneofKind: 'splitCoins',
                splitCoins: { coin: { kind: ArgKind.GAS }, amounts: [{ kind: ArgKind.INPUT, input: 0 }] },
              },
            },
            {
              command: {
                oneofKind: 'transferObjects',
                transferObjects: {
                  objects: [{ kind: ArgKind.RESULT, result: 0 }],
                  address: { kind: ArgKind.INPUT, input: 1 },
                },
              },
            },
          ],
        },
      },
    },
  } as GrpcTypes.Transaction;
}

describe('resolved transaction with a new budget', () => {
  let chain: EmbeddedSui;
  beforeAll(async () => {
    chain = await startEmbeddedSui({
      accounts: 2,
      frameworkModules: await frameworkModules(),
      heartbeatMs: 60_000,
    });
  });
  afterAll(() => chain.stop());

  it('patches exactly the bytes a full rebuild with that budget produces', () => {
    const sender = chain.accounts[0]!.address;
    for (const [tx, selection] of [
      [splitAndTransfer(sender), true],
      [splitAndTransfer(sender), false],
    ] as const) {
      const first = buildResolved(chain.node, tx, selection);
      expect(first.estimated).toBe(true);
      for (const budget of [2_000_000n, 1_000_000_000_000n, 4_000_000_000_000n]) {
        const patched = first.withBudget(budget);
        expect(Buffer.from(patched).toString('hex')).toBe(
          Buffer.from(buildResolved(chain.node, tx, selection, budget).bytes).toString('hex'),
        );
        expect(bcs.TransactionData.parse(patched).V1.gasData.budget).toBe(String(budget));
      }
      // The first build is left untouched.
      expect(bcs.TransactionData.parse(first.bytes).V1.gasData.budget).not.toBe('2000000');
    }
  });
});
