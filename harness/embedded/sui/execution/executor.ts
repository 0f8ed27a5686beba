/**
 * The execution engine (Sui: `execution_engine.rs`): checks, input and gas loading, the PTB run
 * against a temporary store, gas charging, effects, and (unless simulating) the commit to the
 * ledger. Each step lives in its own module; this file only orders them.
 */
import type { GrpcTypes } from '@mysten/sui/grpc';
import { normalizeSuiAddress } from '@mysten/sui/utils';
import { GrpcCode } from '../grpc-web/status.ts';
import type { Ledger, TransactionRecord } from '../ledger/ledger.ts';
import { CLOCK_ID, type LedgerObject } from '../ledger/types.ts';
import type { PackageCatalog } from '../move/catalog.ts';
import type { MovePort } from '../move/port.ts';
import { digestBytes } from '../ledger/bcs-writer.ts';
import { objectChanges } from './effects.ts';
import { type ExecutionFailure, TransactionRejected } from './errors.ts';
import {
  budgetShortfall,
  computationCharge,
  inputBytes,
  outOfGas,
  vmInstructionBudget,
} from './gas-charger.ts';
import { checkGasParameters, loadGasPayment } from './gas-payment.ts';
import { loadInputObjects } from './input-objects.ts';
import type { Limits } from './limits.ts';
import { PtbExecution } from './ptb/execution.ts';
import { toFailure } from './ptb/failure.ts';
import type { ProgrammableTx, PtbOutcome } from './ptb/types.ts';
import { SignatureError, verifySigners } from './signatures.ts';
import { decodeTransaction, transactionDigest, type TransactionV1 } from './transaction-checks.ts';
import { transactionOutput } from './transaction-output.ts';

export { transactionDigest } from './transaction-checks.ts';
export { eventsDigest } from './effects.ts';

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
  parsed: TransactionV1;
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

export class Executor {
  constructor(private readonly env: ExecutorEnv) {}

  /** Structural checks shared by execute and simulate; throws TransactionRejected. */
  decode(txBytes: Uint8Array): TransactionV1 {
    return decodeTransaction(this.env.limits, txBytes);
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
    data: TransactionV1,
    digest: string,
    simulate: boolean,
    checks: boolean,
    withEffectsBcs: boolean,
  ): ExecutionResult {
    const ledger = this.env.ledger();
    const state = ledger.state;
    const sender = normalizeSuiAddress(data.sender);
    const ptb = data.kind.ProgrammableTransaction as ProgrammableTx;
    const price = BigInt(data.gasData.price);
    const budget = BigInt(data.gasData.budget);

    if (data.expiration.$kind === 'Epoch' && BigInt(data.expiration.Epoch) < state.epoch) {
      throw new TransactionRejected(
        `transaction expired at epoch ${data.expiration.Epoch}; current epoch is ${state.epoch}`,
      );
    }
    checkGasParameters(state.referenceGasPrice, price, budget, checks);
    // A transaction reading the Clock sees the time of its own consensus commit.
    if (readsClock(ptb)) this.env.advanceClock();

    const { inputs, sharedInputs, seen } = loadInputObjects(ledger, ptb, sender, checks);
    const { gasCoins, gasInput } = loadGasPayment(ledger, data, seen, { checks, simulate });

    let lamport = 0n;
    for (const i of inputs)
      if ('object' in i && i.object.object.version > lamport) lamport = i.object.object.version;
    for (const c of gasCoins) if (c.version > lamport) lamport = c.version;
    lamport += 1n;

    const execution = new PtbExecution(
      {
        ledger,
        catalog: this.env.catalog,
        move: this.env.move,
        limits: this.env.limits,
        sender,
        txDigest: digestBytes(digest).slice(), // the VM owns its copy
        epoch: state.epoch,
        epochTimestampMs: state.epochStartMs, // tx_context::epoch_timestamp_ms: when the epoch began
        referenceGasPrice: state.referenceGasPrice,
        gasPrice: price,
        gasBudget: budget,
        maxGasUnits: vmInstructionBudget(budget, price),
      },
      inputs,
      gasInput,
    );
    let outcome: PtbOutcome | undefined;
    let failure: ExecutionFailure | undefined;
    try {
      outcome = execution.run(ptb);
    } catch (error) {
      failure = toFailure(error);
    }
    const inputObjects = new Map<string, LedgerObject>();
    for (const i of inputs) if ('object' in i) inputObjects.set(i.object.object.id, i.object.object);
    for (const c of gasCoins) inputObjects.set(c.id, c);
    const charge = computationCharge({
      vmInstructions: execution.store.outcome.gasUnits,
      inputBytes: inputBytes(inputObjects.values()),
      outcome,
      failure,
      budget,
      price,
      referenceGasPrice: state.referenceGasPrice,
    });
    if (!failure && charge.outOfGas && checks) failure = outOfGas(budget, charge.cost);
    const computation = checks ? charge.cost : charge.uncapped;
    const build = (result: PtbOutcome | undefined) =>
      objectChanges(ledger, {
        digest,
        lamport,
        sender,
        inputs,
        gasCoins,
        gasInput,
        result,
        inputObjects,
        computationCost: computation,
        childrenRead: execution.store.childrenRead,
      });
    let assembled = build(outcome);
    if (!failure && checks) failure = budgetShortfall(assembled.gasUsed, budget);
    if (failure) assembled = build(undefined);

    const { events, executed } = transactionOutput({
      txBytes,
      digest,
      epoch: state.epoch,
      lamport,
      eventBase: state.events.length,
      outcome,
      failure,
      errorDetails: failure ? this.withFunctionIndex(failure.details) : undefined,
      assembled,
      primaryGasId: gasCoins[0]?.id,
      sharedInputs,
      withEffectsBcs: withEffectsBcs || !simulate,
    });
    if (simulate)
      return {
        digest,
        executed,
        parsed: data,
        commandOutputs: failure ? undefined : outcome?.commandOutputs,
      };

    // Commit.
    for (const obj of assembled.writes) ledger.put(obj);
    for (const id of assembled.removed) ledger.delete(id);
    const record: TransactionRecord = {
      digest,
      seq: BigInt(state.transactionOrder.length),
      executed,
      events,
      computationUnits: charge.units,
    };
    state.transactions.set(digest, record);
    state.transactionOrder.push(digest);
    state.events.push(...events);
    state.pending.push(digest);
    return { digest, executed, record, parsed: data };
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

function readsClock(ptb: ProgrammableTx): boolean {
  return ptb.inputs.some(
    (i) =>
      i.$kind === 'Object' &&
      i.Object.$kind === 'SharedObject' &&
      normalizeSuiAddress(i.Object.SharedObject.objectId) === CLOCK_ID,
  );
}
