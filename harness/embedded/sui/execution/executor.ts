/**
 * Transaction processing: decode, check limits, signatures, inputs and gas, run the PTB, charge
 * gas, build effects/events/balance changes, and (unless simulating) commit to the ledger.
 */
import { parseTransactionData } from './tx-reader.ts';
import { bcs } from '@mysten/sui/bcs';
import { GrpcTypes } from '@mysten/sui/grpc';
import { normalizeSuiAddress } from '@mysten/sui/utils';
import { GrpcCode } from '../grpc-web/status.ts';
import type { EventRecord, Ledger, TransactionRecord } from '../ledger/ledger.ts';
import {
  blake2b256,
  coinBalance,
  coinTypeOf,
  encodeCoin,
  makeObject,
  storageBytes,
  structTagFromString,
} from '../ledger/objects.ts';
import { CLOCK_ID, GAS_COIN_TYPE, type LedgerObject, type Owner } from '../ledger/types.ts';
import type { PackageCatalog } from '../move/catalog.ts';
import type { MovePort } from '../move/port.ts';
import { ExecutionErrorKind, ExecutionFailure, TransactionRejected } from './errors.ts';
import {
  computationUnits,
  MAX_GAS_BUDGET,
  MIN_COMPUTATION_UNITS,
  refundable,
  storageCost,
  VM_UNITS_PER_COMPUTATION_UNIT,
} from './gas.ts';
import { checkLimit, LimitError, type Limits } from './limits.ts';
import {
  type InputObject,
  type ProgrammableTx,
  type PtbOutcome,
  PtbRuntime,
  toFailure,
  type WrittenObject,
} from './ptb.ts';
import { SignatureError, verifySigners } from './signatures.ts';
import { effectsBcs, effectsDigestOf } from './effects-bcs.ts';
import { BcsWriter, digestBytes, digestToBase58 } from '../ledger/bcs-writer.ts';
import { ownerToProto } from '../services/convert.ts';

type ParsedTx = ReturnType<typeof bcs.TransactionData.parse>;
type V1 = ParsedTx['V1'];
const {
  ChangedObject_IdOperation: IdOp,
  ChangedObject_InputObjectState: InState,
  ChangedObject_OutputObjectState: OutState,
} = GrpcTypes;

export interface ExecutorEnv {
  ledger: () => Ledger;
  catalog: PackageCatalog;
  move: MovePort;
  limits: Limits;
  /** Current consensus time (the Clock's value), for TxContext.epoch_timestamp_ms. */
  nowMs: () => bigint;
  /** Moves the Clock to the current time (a consensus commit before a transaction that reads it). */
  advanceClock: () => void;
}

export interface ExecutionResult {
  digest: string;
  executed: GrpcTypes.ExecutedTransaction;
  record?: TransactionRecord;
  /** The checks that passed ahead of execution, for simulation output. */
  parsed: V1;
  /** Per-command outputs (successful runs only). */
  commandOutputs?: PtbOutcome['commandOutputs'];
}

export interface ExecuteOptions {
  signatures?: Uint8Array[];
  simulate?: boolean;
  /** Simulation with checks disabled skips ownership, gas-balance and signature checks. */
  checks?: boolean;
  /** Simulations may skip encoding BCS effects when the caller's read mask does not ask for them. */
  effectsBcs?: boolean;
}

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

export class Executor {
  constructor(private readonly env: ExecutorEnv) {}

  /** Structural checks shared by execute and simulate; throws TransactionRejected. */
  decode(txBytes: Uint8Array): V1 {
    try {
      checkLimit(this.env.limits, 'max_tx_size_bytes', txBytes.length, 'transaction');
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
      checkLimit(this.env.limits, 'max_programmable_tx_commands', ptb.commands.length, 'command count');
      checkLimit(this.env.limits, 'max_input_objects', ptb.inputs.length, 'input count');
      checkLimit(
        this.env.limits,
        'max_gas_payment_objects',
        data.gasData.payment.length,
        'gas payment object count',
      );
      for (const [i, input] of ptb.inputs.entries()) {
        if (input.$kind === 'Pure') {
          checkLimit(
            this.env.limits,
            'max_pure_argument_size',
            base64Length(input.Pure.bytes),
            `pure argument ${i}`,
          );
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
        checkLimit(this.env.limits, 'max_arguments', n, `arguments of command ${i}`);
      }
    } catch (error) {
      if (error instanceof LimitError) throw new TransactionRejected(error.message);
      throw error;
    }
    return data;
  }

  async execute(txBytes: Uint8Array, opts: ExecuteOptions = {}): Promise<ExecutionResult> {
    const data = this.decode(txBytes);
    const digest = transactionDigest(txBytes);
    const checks = opts.checks ?? true;
    const sender = normalizeSuiAddress(data.sender);
    const gasOwner = normalizeSuiAddress(data.gasData.owner);
    if (!opts.simulate) {
      const existing = this.env.ledger().state.transactions.get(digest);
      if (existing) return { digest, executed: existing.executed, record: existing, parsed: data };
      try {
        await verifySigners(
          txBytes,
          opts.signatures ?? [],
          sender === gasOwner ? [sender] : [sender, gasOwner],
        );
      } catch (error) {
        if (error instanceof SignatureError)
          throw new TransactionRejected(error.message, GrpcCode.INVALID_ARGUMENT);
        throw error;
      }
    }
    // From here on everything is synchronous: no other transaction interleaves.
    return this.run(txBytes, data, digest, opts.simulate ?? false, checks, opts.effectsBcs ?? true);
  }

  private run(
    txBytes: Uint8Array,
    data: V1,
    digest: string,
    simulate: boolean,
    checks: boolean,
    withEffectsBcs: boolean,
  ): ExecutionResult {
    const ledger = this.env.ledger();
    const state = ledger.state;
    const sender = normalizeSuiAddress(data.sender);
    const gasOwner = normalizeSuiAddress(data.gasData.owner);
    const ptb = data.kind.ProgrammableTransaction as ProgrammableTx;
    const price = BigInt(data.gasData.price);
    const budget = BigInt(data.gasData.budget);

    if (data.expiration.$kind === 'Epoch' && BigInt(data.expiration.Epoch) < state.epoch) {
      throw new TransactionRejected(
        `transaction expired at epoch ${data.expiration.Epoch}; current epoch is ${state.epoch}`,
      );
    }
    if (checks && price < state.referenceGasPrice) {
      throw new TransactionRejected(
        `gas price ${price} is below the reference gas price ${state.referenceGasPrice}`,
      );
    }
    if (checks && budget > MAX_GAS_BUDGET) {
      throw new TransactionRejected(`gas budget ${budget} is above the maximum ${MAX_GAS_BUDGET}`);
    }
    const minBudget = MIN_COMPUTATION_UNITS * price;
    if (checks && budget < minBudget) {
      throw new TransactionRejected(
        `gas budget ${budget} is below the minimum ${minBudget} (${MIN_COMPUTATION_UNITS} units × gas price ${price})`,
      );
    }

    // A transaction reading the Clock sees the time of its own consensus commit.
    if (
      ptb.inputs.some(
        (i) =>
          i.$kind === 'Object' &&
          i.Object.$kind === 'SharedObject' &&
          normalizeSuiAddress(i.Object.SharedObject.objectId) === CLOCK_ID,
      )
    ) {
      this.env.advanceClock();
    }

    // ---- inputs ----
    const seen = new Set<string>();
    const inputs: ({ pure: Uint8Array } | { object: InputObject })[] = [];
    const sharedInputs: { obj: LedgerObject; mutable: boolean }[] = [];
    for (const [i, arg] of ptb.inputs.entries()) {
      if (arg.$kind === 'Pure') {
        inputs.push({ pure: new Uint8Array(Buffer.from(arg.Pure.bytes, 'base64')) });
        continue;
      }
      if (arg.$kind !== 'Object')
        throw new TransactionRejected(
          `input ${i} of kind ${arg.$kind} is not supported by the embedded node`,
        );
      const o = arg.Object;
      if (o.$kind === 'Receiving')
        throw new TransactionRejected(
          `input ${i}: Receiving object arguments are not supported by the embedded node`,
        );
      const id = normalizeSuiAddress(
        o.$kind === 'ImmOrOwnedObject' ? o.ImmOrOwnedObject.objectId : o.SharedObject.objectId,
      );
      if (seen.has(id)) throw new TransactionRejected(`object ${id} appears twice among the inputs`);
      seen.add(id);
      const obj = ledger.get(id);
      if (!obj)
        throw new TransactionRejected(
          `input ${i}: object ${id} does not exist (it was deleted, wrapped, or never created)`,
          GrpcCode.NOT_FOUND,
        );
      if (o.$kind === 'ImmOrOwnedObject') {
        const ref = o.ImmOrOwnedObject;
        if (BigInt(ref.version) !== obj.version) {
          throw new TransactionRejected(
            `input ${i}: object ${id} version ${ref.version} is not its current version ${obj.version} (stale object reference: re-read the object and rebuild the transaction)`,
            GrpcCode.FAILED_PRECONDITION,
          );
        }
        if (ref.digest !== obj.digest) {
          throw new TransactionRejected(
            `input ${i}: object ${id} digest ${ref.digest} does not match ${obj.digest} at version ${obj.version}`,
            GrpcCode.FAILED_PRECONDITION,
          );
        }
        if (obj.owner.kind === 'shared')
          throw new TransactionRejected(
            `input ${i}: object ${id} is shared; pass it as a shared object input`,
          );
        if (obj.owner.kind === 'object')
          throw new TransactionRejected(
            `input ${i}: object ${id} is owned by object ${obj.owner.parent} and cannot be a transaction input`,
          );
        if (checks && obj.owner.kind === 'address' && obj.owner.address !== sender) {
          throw new TransactionRejected(
            `input ${i}: object ${id} is owned by ${obj.owner.address}, not by the sender ${sender}; only its owner can use it`,
            GrpcCode.PERMISSION_DENIED,
          );
        }
        inputs.push({ object: { object: obj, mutable: obj.owner.kind === 'address', isGas: false } });
      } else {
        const ref = o.SharedObject;
        if (obj.owner.kind !== 'shared')
          throw new TransactionRejected(
            `input ${i}: object ${id} is not shared; pass it as an owned object reference`,
          );
        if (BigInt(ref.initialSharedVersion) !== obj.owner.initialVersion) {
          throw new TransactionRejected(
            `input ${i}: shared object ${id} has initial shared version ${obj.owner.initialVersion}, not ${ref.initialSharedVersion}`,
          );
        }
        inputs.push({ object: { object: obj, mutable: ref.mutable, isGas: false } });
        sharedInputs.push({ obj, mutable: ref.mutable });
      }
    }

    // ---- gas ----
    const gasCoins: LedgerObject[] = [];
    for (const ref of data.gasData.payment) {
      const id = normalizeSuiAddress(ref.objectId);
      const obj = ledger.get(id);
      if (!obj) throw new TransactionRejected(`gas object ${id} does not exist`, GrpcCode.NOT_FOUND);
      if (seen.has(id)) throw new TransactionRejected(`gas object ${id} is also used as a transaction input`);
      seen.add(id);
      if (obj.data.kind !== 'move' || obj.data.type !== GAS_COIN_TYPE)
        throw new TransactionRejected(`gas object ${id} is not a Coin<SUI>`);
      if (BigInt(ref.version) !== obj.version || ref.digest !== obj.digest) {
        throw new TransactionRejected(
          `gas object ${id} version ${ref.version} is not its current version ${obj.version} (stale reference: rebuild the transaction)`,
          GrpcCode.FAILED_PRECONDITION,
        );
      }
      if (checks && (obj.owner.kind !== 'address' || obj.owner.address !== gasOwner)) {
        throw new TransactionRejected(
          `gas object ${id} is not owned by the gas owner ${gasOwner}`,
          GrpcCode.PERMISSION_DENIED,
        );
      }
      gasCoins.push(obj);
    }
    // A simulation without gas payment runs unpaid (as a dry run does); execution needs coins.
    const unpaidSimulation = simulate && gasCoins.length === 0;
    if (checks && !unpaidSimulation && gasCoins.length === 0)
      throw new TransactionRejected('transaction has no gas payment objects');
    const gasBalance = gasCoins.reduce((n, c) => n + (coinBalance(c) ?? 0n), 0n);
    if (checks && !unpaidSimulation && gasBalance < budget) {
      throw new TransactionRejected(
        `gas coins hold ${gasBalance} MIST, less than the gas budget ${budget}`,
        GrpcCode.FAILED_PRECONDITION,
      );
    }

    // ---- versions ----
    let lamport = 0n;
    for (const i of inputs)
      if ('object' in i && i.object.object.version > lamport) lamport = i.object.object.version;
    for (const c of gasCoins) if (c.version > lamport) lamport = c.version;
    lamport += 1n;

    // Gas smashing: the first coin carries the whole balance, the others are deleted.
    const primaryGas = gasCoins[0];
    const gasInput: InputObject | undefined = primaryGas
      ? {
          object:
            gasCoins.length > 1
              ? {
                  ...primaryGas,
                  data: {
                    ...(primaryGas.data as {
                      kind: 'move';
                      type: string;
                      hasPublicTransfer: boolean;
                      contents: Uint8Array;
                    }),
                    contents: encodeCoin(primaryGas.id, gasBalance),
                  },
                }
              : primaryGas,
          mutable: true,
          isGas: true,
        }
      : undefined;

    const txDigestBytes = digestBytes(digest).slice(); // the VM owns its copy
    const maxVmUnits = Number(
      (budget / (price || 1n)) * VM_UNITS_PER_COMPUTATION_UNIT > 2_000_000_000n
        ? 2_000_000_000n
        : (budget / (price || 1n)) * VM_UNITS_PER_COMPUTATION_UNIT,
    );
    const runtime = new PtbRuntime(
      {
        ledger,
        catalog: this.env.catalog,
        move: this.env.move,
        limits: this.env.limits,
        sender,
        txDigest: txDigestBytes,
        epoch: state.epoch,
        epochTimestampMs: this.env.nowMs(),
        referenceGasPrice: state.referenceGasPrice,
        gasPrice: price,
        gasBudget: budget,
        maxGasUnits: maxVmUnits,
      },
      inputs,
      gasInput,
    );

    let outcome: PtbOutcome | undefined;
    let failure: ExecutionFailure | undefined;
    try {
      outcome = runtime.run(ptb);
    } catch (error) {
      failure = toFailure(error);
    }
    const publishedBytes = outcome
      ? outcome.packages.reduce((n, p) => n + p.modules.reduce((m, [, b]) => m + b.length, 0), 0)
      : 0;
    let compUnits = computationUnits(outcome?.gasUnits ?? 0, ptb.commands.length, publishedBytes);
    if (failure?.kind === ExecutionErrorKind.INSUFFICIENT_GAS) compUnits = budget / (price || 1n);
    const computationCost = compUnits * price;

    // ---- assemble writes ----
    const inputObjects = new Map<string, LedgerObject>();
    for (const i of inputs) if ('object' in i) inputObjects.set(i.object.object.id, i.object.object);
    for (const c of gasCoins) inputObjects.set(c.id, c);

    const build = (result: PtbOutcome | undefined) =>
      this.assemble({
        digest,
        lamport,
        sender,
        inputs,
        gasCoins,
        gasInput,
        result,
        inputObjects,
        computationCost,
        runtime,
      });
    let assembled = build(outcome);
    const net =
      assembled.gasUsed.computationCost + assembled.gasUsed.storageCost - assembled.gasUsed.storageRebate;
    if (!failure && checks && (net > budget || assembled.gasUsed.computationCost > budget)) {
      failure = new ExecutionFailure(
        ExecutionErrorKind.INSUFFICIENT_GAS,
        `gas budget ${budget} does not cover computation ${assembled.gasUsed.computationCost} + storage ${assembled.gasUsed.storageCost} - rebate ${assembled.gasUsed.storageRebate}`,
      );
    }
    if (failure) assembled = build(undefined);

    const status: GrpcTypes.ExecutionStatus = failure
      ? {
          success: false,
          error: {
            description: failure.message,
            command: failure.command !== undefined ? BigInt(failure.command) : undefined,
            kind: failure.kind,
            errorDetails: this.withFunctionIndex(failure.details),
          },
        }
      : { success: true };

    const events: EventRecord[] = failure
      ? []
      : (outcome?.events ?? []).map((e, i) => ({
          packageId: e.packageId,
          module: e.module,
          sender: e.sender,
          eventType: e.type,
          contents: e.bytes,
          transactionDigest: digest,
          eventIndex: i,
          seq: BigInt(state.events.length + i),
        }));

    const effects: GrpcTypes.TransactionEffects = {
      version: 2,
      status,
      epoch: state.epoch,
      gasUsed: assembled.gasUsed,
      transactionDigest: digest,
      gasObject: assembled.changed.find((c) => c.objectId === primaryGas?.id),
      eventsDigest: events.length ? eventsDigest(events) : undefined,
      dependencies: assembled.dependencies,
      lamportVersion: lamport,
      changedObjects: assembled.changed,
      unchangedConsensusObjects: sharedInputs
        .filter((s) => !s.mutable)
        .map((s) => ({
          kind: GrpcTypes.UnchangedConsensusObject_UnchangedConsensusObjectKind.READ_ONLY_ROOT,
          objectId: s.obj.id,
          version: s.obj.version,
          digest: s.obj.digest,
          objectType: s.obj.data.kind === 'move' ? s.obj.data.type : undefined,
        })),
      unchangedLoadedRuntimeObjects: [],
    };
    if (withEffectsBcs || !simulate) {
      const effectsBytes = effectsBcs(effects);
      effects.bcs = { name: 'TransactionEffects', value: effectsBytes };
      effects.digest = effectsDigestOf(effectsBytes);
    }

    const executed: GrpcTypes.ExecutedTransaction = {
      digest,
      transaction: { bcs: { name: 'TransactionData', value: txBytes }, digest, version: 1 },
      signatures: [],
      effects,
      events: events.length
        ? {
            digest: effects.eventsDigest,
            events: events.map((e) => ({
              packageId: e.packageId,
              module: e.module,
              sender: e.sender,
              eventType: e.eventType,
              contents: { name: e.eventType, value: e.contents },
              transactionDigest: digest,
              eventIndex: e.eventIndex,
            })),
          }
        : undefined,
      balanceChanges: assembled.balanceChanges,
    };

    if (simulate)
      return {
        digest,
        executed,
        parsed: data,
        commandOutputs: failure ? undefined : outcome?.commandOutputs,
      };

    // ---- commit ----
    for (const obj of assembled.writes) ledger.put(obj);
    for (const id of assembled.removed) ledger.delete(id);
    const record: TransactionRecord = {
      digest,
      seq: BigInt(state.transactionOrder.length),
      executed,
      events,
    };
    state.transactions.set(digest, record);
    state.transactionOrder.push(digest);
    state.events.push(...events);
    state.pending.push(digest);
    return { digest, executed, record, parsed: data };
  }

  /** Turns the PTB outcome (or, on failure, nothing but gas) into new object versions and effects. */
  private assemble(a: {
    digest: string;
    lamport: bigint;
    sender: string;
    inputs: ({ pure: Uint8Array } | { object: InputObject })[];
    gasCoins: LedgerObject[];
    gasInput: InputObject | undefined;
    result: PtbOutcome | undefined;
    inputObjects: Map<string, LedgerObject>;
    computationCost: bigint;
    runtime: PtbRuntime;
  }) {
    const ledger = this.env.ledger();
    const written = new Map<string, WrittenObject>();
    const deleted = new Set<string>();
    const created = new Set<string>(a.result?.created ?? []);
    const packages = a.result?.packages ?? [];
    if (a.result) {
      for (const [id, w] of a.result.written) written.set(id, w);
      for (const id of a.result.deleted) deleted.add(id);
    } else {
      // Failure: every mutable input is rewritten unchanged at the new version.
      for (const i of a.inputs) {
        if (!('object' in i) || !i.object.mutable) continue;
        const o = i.object.object;
        if (o.data.kind !== 'move') continue;
        written.set(o.id, {
          id: o.id,
          type: o.data.type,
          bytes: o.data.contents,
          owner: o.owner,
          hasPublicTransfer: o.data.hasPublicTransfer,
        });
      }
    }
    // Gas coin (smashed) written back; the other payment coins are deleted.
    const gas = a.gasInput?.object;
    if (gas && gas.data.kind === 'move') {
      if (!written.has(gas.id) && !deleted.has(gas.id)) {
        written.set(gas.id, {
          id: gas.id,
          type: gas.data.type,
          bytes: gas.data.contents,
          owner: gas.owner,
          hasPublicTransfer: true,
        });
      }
      for (const extra of a.gasCoins.slice(1)) deleted.add(extra.id);
    }
    // Inputs moved into Move and neither written nor deleted were wrapped.
    const wrapped = new Set<string>();
    if (a.result) {
      for (const [id, obj] of a.inputObjects) {
        if (obj.owner.kind === 'immutable' || written.has(id) || deleted.has(id)) continue;
        const wasMutable =
          a.inputs.some((i) => 'object' in i && i.object.object.id === id && i.object.mutable) ||
          a.gasCoins.some((g) => g.id === id);
        if (wasMutable) wrapped.add(id);
      }
      for (const id of a.runtime.childrenRead.keys()) a.inputObjects.set(id, a.runtime.childrenRead.get(id)!);
    }

    // New object versions.
    const writes: LedgerObject[] = [];
    const removed: string[] = [];
    let storage = 0n;
    let rebate = 0n;
    const changed: GrpcTypes.ChangedObject[] = [];
    const before = (id: string) => a.inputObjects.get(id) ?? ledger.get(id);

    for (const [id, w] of written) {
      if (created.has(id) && deleted.has(id)) continue;
      const prior = before(id);
      const owner: Owner =
        w.owner.kind === 'shared' && w.owner.initialVersion === 0n
          ? { kind: 'shared', initialVersion: a.lamport }
          : w.owner;
      const data = {
        kind: 'move' as const,
        type: w.type,
        hasPublicTransfer: w.hasPublicTransfer,
        contents: w.bytes,
      };
      // The rebate is part of the object's BCS and so of its digest: known before encoding.
      const cost = storageCost(storageBytes(data));
      const fields = {
        id,
        version: a.lamport,
        owner,
        previousTransaction: a.digest,
        storageRebate: cost,
        data,
      };
      // The gas coin is encoded and digested once, below, after it is charged.
      const obj: LedgerObject =
        id === gas?.id ? { ...fields, digest: '', bcs: new Uint8Array(0) } : makeObject(fields);
      writes.push(obj);
      storage += cost;
      if (prior) rebate += prior.storageRebate;
      changed.push(changeOf(id, prior, obj, created.has(id) && !prior ? IdOp.CREATED : IdOp.NONE));
    }
    for (const p of packages) {
      const data = {
        kind: 'package' as const,
        modules: p.modules,
        typeOrigins: p.typeOrigins,
        linkage: p.linkage,
      };
      const cost = storageCost(storageBytes(data));
      const obj = makeObject({
        id: p.id,
        version: 1n,
        owner: { kind: 'immutable' },
        previousTransaction: a.digest,
        storageRebate: cost,
        data,
      });
      writes.push(obj);
      storage += cost;
      changed.push({
        ...changeOf(p.id, undefined, obj, IdOp.CREATED),
        outputState: OutState.PACKAGE_WRITE,
        objectType: 'package',
      });
    }
    for (const id of [...deleted, ...wrapped]) {
      if (created.has(id) && !before(id)) continue;
      const prior = before(id);
      if (!prior) continue;
      removed.push(id);
      rebate += prior.storageRebate;
      changed.push(changeOf(id, prior, undefined, deleted.has(id) ? IdOp.DELETED : IdOp.NONE));
    }

    const { refund, nonRefundable } = refundable(rebate);
    // Charge the gas coin: computation + storage - refund.
    const gasId = gas?.id;
    if (gasId) {
      const idx = writes.findIndex((w) => w.id === gasId);
      if (idx >= 0) {
        const g = writes[idx]!;
        const balance = coinBalance(g) ?? 0n;
        const charge = a.computationCost + storage - refund;
        const next = balance - charge < 0n ? 0n : balance - charge;
        const updated = makeObject({
          ...g,
          data: {
            ...(g.data as { kind: 'move'; type: string; hasPublicTransfer: boolean; contents: Uint8Array }),
            contents: encodeCoin(gasId, next),
          },
        });
        writes[idx] = updated;
        const ci = changed.findIndex((c) => c.objectId === gasId);
        if (ci >= 0) changed[ci] = { ...changed[ci]!, outputDigest: updated.digest };
      }
    }
    changed.sort((x, y) => (x.objectId! < y.objectId! ? -1 : 1));

    const dependencies = [...new Set([...a.inputObjects.values()].map((o) => o.previousTransaction))]
      .filter((d) => d !== '11111111111111111111111111111111')
      .sort();

    return {
      writes,
      removed,
      changed,
      dependencies,
      gasUsed: {
        computationCost: a.computationCost,
        storageCost: storage,
        storageRebate: refund,
        nonRefundableStorageFee: nonRefundable,
      },
      balanceChanges: balanceChanges(a.inputObjects, writes, removed),
    };
  }

  /** Fills the function index of an abort location from the module's function table. */
  private withFunctionIndex(
    details: GrpcTypes.ExecutionError['errorDetails'],
  ): GrpcTypes.ExecutionError['errorDetails'] {
    if (details.oneofKind !== 'abort' || !details.abort.location) return details;
    const loc = details.abort.location;
    if (loc.function !== undefined || !loc.package || !loc.module || !loc.functionName) return details;
    const mod = this.env.catalog.module(loc.package, loc.module);
    const index = mod ? [...mod.functions.keys()].indexOf(loc.functionName) : -1;
    return {
      oneofKind: 'abort',
      abort: { ...details.abort, location: { ...loc, function: index >= 0 ? index : undefined } },
    };
  }
}

function changeOf(
  id: string,
  prior: LedgerObject | undefined,
  next: LedgerObject | undefined,
  idOperation: GrpcTypes.ChangedObject_IdOperation,
): GrpcTypes.ChangedObject {
  return {
    objectId: id,
    inputState: prior ? InState.EXISTS : InState.DOES_NOT_EXIST,
    inputVersion: prior?.version,
    inputDigest: prior?.digest,
    inputOwner: prior ? ownerToProto(prior.owner) : undefined,
    outputState: next ? OutState.OBJECT_WRITE : OutState.DOES_NOT_EXIST,
    outputVersion: next?.version,
    outputDigest: next?.digest,
    outputOwner: next ? ownerToProto(next.owner) : undefined,
    idOperation,
    objectType:
      (next ?? prior)?.data.kind === 'move' ? ((next ?? prior)!.data as { type: string }).type : 'package',
  };
}

function balanceChanges(
  inputs: Map<string, LedgerObject>,
  writes: LedgerObject[],
  removed: string[],
): GrpcTypes.BalanceChange[] {
  const delta = new Map<string, bigint>();
  const add = (obj: LedgerObject, sign: 1n | -1n) => {
    if (obj.owner.kind !== 'address' || obj.data.kind !== 'move') return;
    const coinType = coinTypeOf(obj.data.type);
    if (!coinType) return;
    const key = `${obj.owner.address}|${coinType}`;
    delta.set(key, (delta.get(key) ?? 0n) + sign * (coinBalance(obj) ?? 0n));
  };
  const touched = new Set([...writes.map((w) => w.id), ...removed]);
  for (const [id, obj] of inputs) if (touched.has(id)) add(obj, -1n);
  for (const w of writes) add(w, 1n);
  return [...delta.entries()]
    .filter(([, v]) => v !== 0n)
    .map(([k, v]) => {
      const [address, coinType] = k.split('|') as [string, string];
      return { address, coinType, amount: v.toString() };
    });
}

const structTagBytes = new Map<string, Uint8Array>();

/** BCS StructTag of an event type; event types repeat, parsing them is the slow part. */
function eventTypeBytes(type: string): Uint8Array {
  let bytes = structTagBytes.get(type);
  if (!bytes) {
    bytes = bcs.StructTag.serialize(structTagFromString(type)).toBytes();
    if (structTagBytes.size > 10_000) structTagBytes.clear();
    structTagBytes.set(type, bytes);
  }
  return bytes;
}

const EVENTS_PREFIX = new TextEncoder().encode('TransactionEvents::');

/**
 * Digest of BCS TransactionEvents: vector of Event { package_id, transaction_module, sender,
 * type: StructTag, contents: vector<u8> }.
 */
export function eventsDigest(events: EventRecord[]): string {
  const w = new BcsWriter(256).uleb(events.length);
  for (const e of events)
    w.address(e.packageId)
      .string(e.module)
      .address(e.sender)
      .raw(eventTypeBytes(e.eventType))
      .byteVector(e.contents);
  return digestToBase58(blake2b256(EVENTS_PREFIX, w.toBytes()));
}
