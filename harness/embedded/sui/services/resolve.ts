/**
 * Server-side resolution for SimulateTransaction, as `tx.build({ client })` over gRPC expects:
 * object inputs get kind/version/digest/mutability from the ledger, the gas price defaults to the
 * reference price, the budget is estimated by a dry run, and gas coins are chosen among the
 * sender's Coin<SUI> (never one that is already an input).
 */
import { bcs } from '@mysten/sui/bcs';
import { GrpcTypes } from '@mysten/sui/grpc';
import { normalizeSuiAddress, toBase64 } from '@mysten/sui/utils';
import { GrpcCode, GrpcError, invalidArgument } from '../grpc-web/status.ts';
import type { EmbeddedSuiNode } from '../node.ts';
import { coinBalance } from '../ledger/objects.ts';
import { CLOCK_ID, GAS_COIN_TYPE, type LedgerObject } from '../ledger/types.ts';
import { MAX_GAS_BUDGET, MIN_COMPUTATION_UNITS } from '../execution/gas.ts';
import { commandsFromProto } from './transaction-proto.ts';
import { serializeTransactionData } from '../execution/tx-reader.ts';

const InputKind = GrpcTypes.Input_InputKind;
type Commands = ReturnType<typeof commandsFromProto>;
type CallArgIn = Parameters<typeof bcs.CallArg.serialize>[0];

export interface ResolvedTransaction {
  bytes: Uint8Array;
  /** Whether the budget came from a dry run (then the caller re-simulates with it). */
  estimated: boolean;
  /**
   * The same transaction with another budget. When gas selection picks the same coins, only the
   * budget's 8 bytes differ, so they are patched in a copy instead of resolving and serializing
   * everything again; otherwise the transaction is rebuilt.
   */
  withBudget(budget: bigint): Uint8Array;
}

/** How each input is used: by a `&T` parameter only, or mutably (by `&mut`, by value, or by a native command). */
function usage(node: EmbeddedSuiNode, commands: Commands): Map<number, 'read' | 'write'> {
  const uses = new Map<number, 'read' | 'write'>();
  const mark = (arg: unknown, mode: 'read' | 'write') => {
    if (arg && typeof arg === 'object' && 'Input' in arg) {
      const i = (arg as { Input: number }).Input;
      if (uses.get(i) !== 'write') uses.set(i, mode);
    }
  };
  for (const c of commands) {
    if (c.MoveCall) {
      const call = c.MoveCall;
      const fn = node.catalog.function(call.package, call.module, call.function);
      call.arguments.forEach((a, i) =>
        mark(a, fn?.parameters[i]?.reference === 'immutable' ? 'read' : 'write'),
      );
    } else if (c.TransferObjects) c.TransferObjects.objects.forEach((a) => mark(a, 'write'));
    else if (c.SplitCoins) mark(c.SplitCoins.coin, 'write');
    else if (c.MergeCoins)
      [c.MergeCoins.destination, ...c.MergeCoins.sources].forEach((a) => mark(a, 'write'));
    else if (c.MakeMoveVec) c.MakeMoveVec.elements.forEach((a) => mark(a, 'write'));
  }
  return uses;
}

function objectOrFail(node: EmbeddedSuiNode, id: string, what: string): LedgerObject {
  const obj = node.ledger.get(normalizeSuiAddress(id));
  if (!obj) throw new GrpcError(GrpcCode.NOT_FOUND, `${what}: object ${id} does not exist`);
  return obj;
}

function resolveInputs(node: EmbeddedSuiNode, tx: GrpcTypes.Transaction, commands: Commands): CallArgIn[] {
  const data = tx.kind?.data;
  if (data?.oneofKind !== 'programmableTransaction')
    throw invalidArgument('only programmable transactions can be simulated');
  const uses = usage(node, commands);
  return data.programmableTransaction.inputs.map((input, i): CallArgIn => {
    const what = `input ${i}`;
    if (input.kind === InputKind.PURE) return { Pure: { bytes: toBase64(input.pure ?? new Uint8Array()) } };
    if (input.kind === InputKind.RECEIVING) {
      return {
        Object: {
          Receiving: { objectId: input.objectId!, version: String(input.version), digest: input.digest! },
        },
      };
    }
    if (!input.objectId) throw invalidArgument(`${what}: neither a pure value nor an object id`);
    const obj = objectOrFail(node, input.objectId, what);
    if (obj.owner.kind === 'shared') {
      const mutable = obj.id === CLOCK_ID ? false : (input.mutable ?? uses.get(i) !== 'read');
      return {
        Object: {
          SharedObject: { objectId: obj.id, initialSharedVersion: String(obj.owner.initialVersion), mutable },
        },
      };
    }
    if (input.kind === InputKind.SHARED) throw invalidArgument(`${what}: object ${obj.id} is not shared`);
    if (obj.owner.kind === 'object')
      throw invalidArgument(
        `${what}: object ${obj.id} is owned by object ${obj.owner.parent} and cannot be an input`,
      );
    const version = input.version ?? obj.version;
    const ref = version === obj.version ? obj : node.ledger.getAt(obj.id, version);
    return {
      Object: {
        ImmOrOwnedObject: {
          objectId: obj.id,
          version: String(version),
          digest: input.digest ?? ref?.digest ?? obj.digest,
        },
      },
    };
  });
}

/** Gas coins of `owner` (largest first) excluding the inputs, enough to cover `budget`. */
function selectGas(
  node: EmbeddedSuiNode,
  owner: string,
  budget: bigint,
  exclude: Set<string>,
): LedgerObject[] {
  const coins = node.ledger
    .ownedBy(owner)
    .filter((o) => o.data.kind === 'move' && o.data.type === GAS_COIN_TYPE && !exclude.has(o.id))
    .sort((a, b) => ((coinBalance(b) ?? 0n) > (coinBalance(a) ?? 0n) ? 1 : -1));
  const chosen: LedgerObject[] = [];
  let total = 0n;
  for (const c of coins) {
    if (total >= budget || chosen.length >= node.limits.max_gas_payment_objects) break;
    chosen.push(c);
    total += coinBalance(c) ?? 0n;
  }
  if (total < budget) {
    throw new GrpcError(
      GrpcCode.FAILED_PRECONDITION,
      `${owner} has ${total} MIST in Coin<SUI> available for gas, not enough for a budget of ${budget}; fund it (faucet) or lower the budget`,
    );
  }
  return chosen;
}

export function buildResolved(
  node: EmbeddedSuiNode,
  tx: GrpcTypes.Transaction,
  doGasSelection: boolean,
  budgetOverride?: bigint,
): ResolvedTransaction {
  const commands = commandsFromProto(tx);
  const inputs = resolveInputs(node, tx, commands);
  const sender = normalizeSuiAddress(tx.sender ?? '0x0');
  const owner = normalizeSuiAddress(tx.gasPayment?.owner ?? sender);
  const price = tx.gasPayment?.price ?? node.ledger.state.referenceGasPrice;
  const given = budgetOverride ?? tx.gasPayment?.budget;
  const exclude = new Set(
    inputs.flatMap((i) => {
      const ref = (i as { Object?: { ImmOrOwnedObject?: { objectId: string } } }).Object?.ImmOrOwnedObject;
      return ref ? [normalizeSuiAddress(ref.objectId)] : [];
    }),
  );
  let payment = (tx.gasPayment?.objects ?? []).map((o) => {
    const obj = objectOrFail(node, o.objectId ?? '', 'gas payment');
    return { objectId: obj.id, version: String(o.version ?? obj.version), digest: o.digest ?? obj.digest };
  });
  let budget = given;
  let estimated = false;
  if (budget === undefined) {
    // Dry-run budget: the largest coin's balance when it suffices, else everything the gas
    // owner has; capped at the protocol maximum. Not "everything" by default: paying with every
    // coin smashes them all, and the deleted coins' storage rebates would make the estimate too
    // low for the transaction that is then paid with just the coins the estimate needs.
    const coins = node.ledger
      .ownedBy(owner)
      .filter((o) => o.data.kind === 'move' && o.data.type === GAS_COIN_TYPE && !exclude.has(o.id))
      .map((c) => coinBalance(c) ?? 0n);
    const available = coins.reduce((n, b) => n + b, 0n);
    const largest = coins.reduce((m, b) => (b > m ? b : m), 0n);
    const floor = MIN_COMPUTATION_UNITS * price;
    budget = largest >= floor ? largest : available;
    if (budget > MAX_GAS_BUDGET) budget = MAX_GAS_BUDGET;
    if (budget < floor) budget = floor;
    estimated = true;
  }
  if (doGasSelection && payment.length === 0) {
    payment = selectGas(node, owner, budget, exclude).map((c) => ({
      objectId: c.id,
      version: String(c.version),
      digest: c.digest,
    }));
  }
  const expiration =
    tx.expiration?.kind === GrpcTypes.TransactionExpiration_TransactionExpirationKind.EPOCH &&
    tx.expiration.epoch !== undefined
      ? { Epoch: String(tx.expiration.epoch) }
      : { None: true as const };
  const serialize = (gasPayment: typeof payment, gasBudget: bigint) =>
    serializeTransactionData({
      V1: {
        kind: { ProgrammableTransaction: { inputs, commands } },
        sender,
        gasData: { payment: gasPayment, owner, price: String(price), budget: String(gasBudget) },
        expiration,
      },
    } as Parameters<typeof bcs.TransactionData.serialize>[0]);
  const bytes = serialize(payment, budget);
  const paidWith = payment.map((p) => p.objectId).join(',');
  // TransactionData::V1 ends with gas budget (u64 LE) ‖ expiration.
  const budgetOffset = bytes.length - bcs.TransactionExpiration.serialize(expiration).toBytes().length - 8;
  const withBudget = (newBudget: bigint): Uint8Array => {
    let newPayment = payment;
    if (doGasSelection && (tx.gasPayment?.objects ?? []).length === 0) {
      newPayment = selectGas(node, owner, newBudget, exclude).map((c) => ({
        objectId: c.id,
        version: String(c.version),
        digest: c.digest,
      }));
    }
    if (newPayment.map((p) => p.objectId).join(',') !== paidWith) return serialize(newPayment, newBudget);
    const patched = bytes.slice();
    new DataView(patched.buffer).setBigUint64(budgetOffset, newBudget, true);
    return patched;
  };
  return { bytes, estimated, withBudget };
}

/** Sui's estimate: computation plus a safety margin, plus net storage, never below computation + margin. */
export function estimateBudget(gas: GrpcTypes.GasCostSummary | undefined, price: bigint): bigint {
  const computation = gas?.computationCost ?? 0n;
  const overhead = 1000n * price;
  const withStorage = computation + overhead + (gas?.storageCost ?? 0n) - (gas?.storageRebate ?? 0n);
  const floor = computation + overhead;
  return withStorage > floor ? withStorage : floor;
}
