/** Native PTB commands (Sui: `programmable_transactions/execution.rs`): SplitCoins, MergeCoins, TransferObjects, MakeMoveVec. */
import { bcs } from '@mysten/sui/bcs';
import { normalizeSuiAddress, toHex } from '@mysten/sui/utils';
import { concatBytes } from '@noble/hashes/utils.js';
import { coinTypeOf, encodeCoin } from '../../ledger/objects.ts';
import { ABILITY } from '../../move/module-info.ts';
import { ArgErrorKind, argError, ExecutionErrorKind, ExecutionFailure } from '../errors.ts';
import { checkLimit } from '../limits.ts';
import type { PtbContext } from './context.ts';
import type { Arg } from './types.ts';
import type { ResultSlot } from './arguments.ts';
import { normalizeType, objectIdOf, readCoinBalance, sameSlot } from './values.ts';

export function splitCoins(cx: PtbContext, coinArg: Arg, amounts: Arg[]): ResultSlot[] {
  const coin = cx.args.borrowMut(coinArg, 0);
  const coinType = coinTypeOf(coin.type);
  if (!coinType) throw argError(ArgErrorKind.TYPE_MISMATCH, 0, `SplitCoins needs a Coin, got ${coin.type}`);
  let balance = readCoinBalance(coin.bytes);
  const out: ResultSlot[] = [];
  for (const [i, amountArg] of amounts.entries()) {
    const raw = cx.args.take(amountArg, i + 1, 'u64').bytes;
    const amount =
      raw.length === 8
        ? new DataView(raw.buffer, raw.byteOffset, 8).getBigUint64(0, true)
        : BigInt(bcs.u64().parse(raw));
    if (amount > balance) {
      throw new ExecutionFailure(
        ExecutionErrorKind.INSUFFICIENT_COIN_BALANCE,
        `SplitCoins: coin has ${balance}, cannot split ${amount}`,
      );
    }
    balance -= amount;
    out.push({ value: { type: coin.type, bytes: encodeCoin(cx.store.freshId(), amount) } });
  }
  cx.args.setValue(coinArg, { type: coin.type, bytes: encodeCoin(objectIdOf(coin.bytes), balance) });
  return out;
}

export function mergeCoins(cx: PtbContext, destArg: Arg, sources: Arg[]): ResultSlot[] {
  const dest = cx.args.borrowMut(destArg, 0);
  if (!coinTypeOf(dest.type))
    throw argError(ArgErrorKind.TYPE_MISMATCH, 0, `MergeCoins needs a Coin, got ${dest.type}`);
  let balance = readCoinBalance(dest.bytes);
  for (const [i, source] of sources.entries()) {
    if (sameSlot(source, destArg))
      throw argError(ArgErrorKind.INVALID_VALUE_USAGE, i + 1, 'MergeCoins cannot merge a coin into itself');
    if (source.$kind === 'GasCoin')
      throw argError(
        ArgErrorKind.INVALID_GAS_COIN_USAGE,
        i + 1,
        'the gas coin cannot be merged into another coin',
      );
    const coin = cx.args.take(source, i + 1, dest.type);
    balance += readCoinBalance(coin.bytes);
    if (balance >= 1n << 64n)
      throw new ExecutionFailure(
        ExecutionErrorKind.COIN_BALANCE_OVERFLOW,
        'MergeCoins: balance overflows u64',
      );
    cx.store.deleteObject(objectIdOf(coin.bytes));
  }
  cx.args.setValue(destArg, { type: dest.type, bytes: encodeCoin(objectIdOf(dest.bytes), balance) });
  return [];
}

export function transferObjects(cx: PtbContext, objects: Arg[], addressArg: Arg): ResultSlot[] {
  const recipient = normalizeSuiAddress(toHex(cx.args.take(addressArg, objects.length, 'address').bytes));
  for (const [i, arg] of objects.entries()) {
    const value = cx.args.take(arg, i, undefined, true);
    const abilities = cx.env.catalog.abilitiesOf(value.type);
    if (!(abilities & ABILITY.key) || !(abilities & ABILITY.store)) {
      throw argError(
        ArgErrorKind.INVALID_TRANSFER_OBJECT,
        i,
        `TransferObjects: ${value.type} is not an object with store`,
      );
    }
    cx.store.place(value.type, value.bytes, { kind: 'address', address: recipient });
  }
  return [];
}

export function makeMoveVec(cx: PtbContext, type: string | null, elements: Arg[]): ResultSlot[] {
  let elemType = type ? normalizeType(type) : undefined;
  checkLimit(cx.env.limits, 'max_arguments', elements.length, 'MakeMoveVec element count');
  const parts: Uint8Array[] = [];
  for (const [i, arg] of elements.entries()) {
    if (!elemType && cx.args.isPureInput(arg)) {
      throw argError(
        ArgErrorKind.INVALID_MAKE_MOVE_VEC_NON_OBJECT_ARGUMENT,
        i,
        'MakeMoveVec without a type needs object elements',
      );
    }
    const value = cx.args.take(arg, i, elemType);
    elemType ??= value.type;
    parts.push(value.bytes);
  }
  if (!elemType)
    throw new ExecutionFailure(
      ExecutionErrorKind.TYPE_ARGUMENT_ERROR,
      'MakeMoveVec with no elements needs a type',
    );
  const len = bcs.uleb128().serialize(parts.length).toBytes();
  return [{ value: { type: `vector<${elemType}>`, bytes: concatBytes(len, ...parts) } }];
}
