/**
 * Transaction input checks before anything is loaded (Sui: `transaction_input_checker.rs` and
 * `TransactionData::validity_check`): size, BCS decoding, kind, and the protocol's count limits.
 */
import type { bcs } from '@mysten/sui/bcs';
import { blake2b256 } from '../ledger/objects.ts';
import { digestToBase58 } from '../ledger/bcs-writer.ts';
import { TransactionRejected } from './errors.ts';
import { checkLimit, LimitError, type Limits } from './limits.ts';
import { parseTransactionData } from './tx-reader.ts';

type ParsedTx = ReturnType<typeof bcs.TransactionData.parse>;
export type TransactionV1 = ParsedTx['V1'];

/** Decoded size of padded base64 text (the pure argument is decoded once, later, in run). */
function base64Length(text: string): number {
  const pad = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  return (text.length / 4) * 3 - pad;
}

const TX_DIGEST_PREFIX = new TextEncoder().encode('TransactionData::');

/** Sui's transaction digest, Blake2b-256("TransactionData::" ‖ BCS), as TransactionDataBuilder.getDigestFromBytes computes it. */
export function transactionDigest(txBytes: Uint8Array): string {
  return digestToBase58(blake2b256(TX_DIGEST_PREFIX, txBytes));
}

/** Structural checks shared by execute and simulate; throws TransactionRejected. */
export function decodeTransaction(limits: Limits, txBytes: Uint8Array): TransactionV1 {
  try {
    checkLimit(limits, 'max_tx_size_bytes', txBytes.length, 'transaction');
  } catch (error) {
    throw new TransactionRejected((error as Error).message);
  }
  let parsed: ParsedTx;
  try {
    parsed = parseTransactionData(txBytes);
  } catch (error) {
    throw new TransactionRejected(
      `transaction bytes do not decode as BCS TransactionData: ${(error as Error).message}`,
    );
  }
  const data = parsed.V1;
  if (!data) throw new TransactionRejected('only TransactionData V1 is supported');
  const ptb = data.kind.ProgrammableTransaction;
  if (!ptb)
    throw new TransactionRejected(
      `transaction kind ${data.kind.$kind} is not a programmable transaction; only those can be submitted`,
    );
  try {
    checkLimit(limits, 'max_programmable_tx_commands', ptb.commands.length, 'command count');
    checkLimit(limits, 'max_input_objects', ptb.inputs.length, 'input count');
    checkLimit(limits, 'max_gas_payment_objects', data.gasData.payment.length, 'gas payment object count');
    for (const [i, input] of ptb.inputs.entries()) {
      if (input.$kind === 'Pure') {
        checkLimit(limits, 'max_pure_argument_size', base64Length(input.Pure.bytes), `pure argument ${i}`);
      }
    }
    for (const [i, c] of ptb.commands.entries()) {
      const n =
        c.$kind === 'MoveCall'
          ? c.MoveCall.arguments.length
          : c.$kind === 'MakeMoveVec'
            ? c.MakeMoveVec.elements.length
            : c.$kind === 'SplitCoins'
              ? c.SplitCoins.amounts.length
              : c.$kind === 'MergeCoins'
                ? c.MergeCoins.sources.length
                : c.$kind === 'TransferObjects'
                  ? c.TransferObjects.objects.length
                  : 0;
      checkLimit(limits, 'max_arguments', n, `arguments of command ${i}`);
    }
  } catch (error) {
    if (error instanceof LimitError) throw new TransactionRejected(error.message);
    throw error;
  }
  return data;
}
