/**
 * Programmable transaction runtime: argument slots, native commands (SplitCoins, MergeCoins,
 * TransferObjects, MakeMoveVec, Publish) and MoveCall through the MovePort. Values travel
 * between commands as BCS bytes with their type, as in Sui's own PTB runtime.
 */
import { bcs } from '@mysten/sui/bcs';
import { fromBase64, normalizeStructTag, normalizeSuiAddress, toHex } from '@mysten/sui/utils';
import { blake2b256, coinTypeOf, concatBytes, encodeCoin } from '../ledger/objects.ts';
import type { LedgerObject, Owner, TypeOriginEntry } from '../ledger/types.ts';
import { UPGRADE_CAP_TYPE } from '../ledger/types.ts';
import type { Ledger } from '../ledger/ledger.ts';
import type { PackageCatalog } from '../move/catalog.ts';
import { ABILITY, readModule, sigBodyToTypeTag, type ModuleInfo, type SigType } from '../move/module-info.ts';
import { withSelfAddress } from '../move/self-address.ts';
import type { MovePort, MoveValue } from '../move/port.ts';
import type {
  ObjectRuntime,
  StoredObject,
  TxContextInfo,
  Owner as VmOwner,
  EmittedEvent,
} from '../../movevm/index.ts';
import {
  ArgErrorKind,
  argError,
  type ErrorDetails,
  ExecutionErrorKind,
  ExecutionFailure,
  MoveAbort,
} from './errors.ts';
import { MoveAbortError, MoveCallError, MoveExecutionError, MoveLinkError } from '../../movevm/index.ts';
import { checkLimit, LimitError, type Limits } from './limits.ts';
import { checkPureBytes, isPureType, PureArgError } from './pure.ts';

type ParsedTx = ReturnType<typeof bcs.TransactionData.parse>;
export type ProgrammableTx = NonNullable<ParsedTx['V1']['kind']['ProgrammableTransaction']>;
type Command = ProgrammableTx['commands'][number];
export type Arg = Command extends infer C
  ? C extends { MoveCall: { arguments: (infer A)[] } }
    ? A
    : never
  : never;

const TX_CONTEXT = normalizeStructTag('0x2::tx_context::TxContext');
const SUI_ADDR = normalizeSuiAddress('0x2');

/** An input object as loaded for this transaction. */
export interface InputObject {
  object: LedgerObject;
  /** Owned, or shared passed as mutable. */
  mutable: boolean;
  isGas: boolean;
}

interface InputSlot {
  pure?: Uint8Array;
  input?: InputObject;
  /** Current value; undefined once moved. */
  value?: MoveValue;
}

interface ResultSlot {
  value?: MoveValue;
  /** Objects created by this command (split coins, upgrade cap) whose ids are in createdIds. */
}

export interface WrittenObject {
  id: string;
  type: string;
  bytes: Uint8Array;
  owner: Owner;
  hasPublicTransfer: boolean;
}

export interface PtbOutcome {
  /** Final state of objects written (inputs written back, transfers, children). */
  written: Map<string, WrittenObject>;
  deleted: Set<string>;
  created: Set<string>;
  packages: {
    id: string;
    modules: [string, Uint8Array][];
    typeOrigins: TypeOriginEntry[];
    linkage: [string, { upgradedId: string; upgradedVersion: bigint }][];
  }[];
  events: { packageId: string; module: string; type: string; bytes: Uint8Array; sender: string }[];
  gasUnits: number;
  /** Per command: returned values and the final values of `&mut` arguments (SimulateTransaction output). */
  commandOutputs: { returns: MoveValue[]; mutated: { argument: Arg; value: MoveValue }[] }[];
}

export interface PtbEnv {
  ledger: Ledger;
  catalog: PackageCatalog;
  move: MovePort;
  limits: Limits;
  sender: string;
  txDigest: Uint8Array;
  epoch: bigint;
  epochTimestampMs: bigint;
  referenceGasPrice: bigint;
  gasPrice: bigint;
  gasBudget: bigint;
  /** VM instruction budget for the whole transaction. */
  maxGasUnits: number;
}

export class PtbRuntime implements ObjectRuntime {
  /** Shared with the VM: its natives bump idsCreated. */
  readonly tx: TxContextInfo;
  private currentCall = { package: '', module: '' };
  private gasUnitsLeft: number;
  private readonly inputs: InputSlot[];
  private readonly gas?: InputSlot;
  private readonly results: ResultSlot[][] = [];
  private readonly outcome: PtbOutcome = {
    written: new Map(),
    deleted: new Set(),
    created: new Set(),
    packages: [],
    events: [],
    gasUnits: 0,
    commandOutputs: [],
  };
  /** Objects moved into Move by value (they may come back through transfer or be wrapped/deleted). */
  private readonly moved = new Set<string>();
  private eventBytes = 0;

  constructor(
    private readonly env: PtbEnv,
    inputs: ({ pure: Uint8Array } | { object: InputObject })[],
    gas: InputObject | undefined,
  ) {
    this.tx = {
      sender: env.sender,
      digest: env.txDigest,
      epoch: env.epoch,
      epochTimestampMs: env.epochTimestampMs,
      idsCreated: 0n,
      referenceGasPrice: env.referenceGasPrice,
      gasPrice: env.gasPrice,
      gasBudget: env.gasBudget,
    };
    this.gasUnitsLeft = env.maxGasUnits;
    this.inputs = inputs.map((i) =>
      'pure' in i ? { pure: i.pure } : { input: i.object, value: moveValueOf(i.object.object) },
    );
    if (gas) this.gas = { input: gas, value: moveValueOf(gas.object) };
  }

  // ---- ObjectRuntime (effects of a successful Move call, applied by the VM in order) ----
  /** Next object id for native commands, from the same counter the VM's natives use. */
  freshId(): string {
    const counter = new Uint8Array(8);
    new DataView(counter.buffer).setBigUint64(0, this.tx.idsCreated++, true);
    const id = '0x' + toHex(blake2b256(new Uint8Array([0xf1]), this.tx.digest, counter));
    this.outcome.created.add(id);
    return id;
  }

  newId(id: string): void {
    this.outcome.created.add(id);
  }

  deleteId(id: string): void {
    this.deleteObject(id);
  }

  emitEvent(ev: EmittedEvent): void {
    checkLimit(this.env.limits, 'max_event_emit_size', ev.bcs.length, `event ${ev.type}`);
    if (this.outcome.events.length + 1 > this.env.limits.max_num_event_emit) {
      throw new ExecutionFailure(
        ExecutionErrorKind.EFFECTS_TOO_LARGE,
        `transaction emits more than max_num_event_emit = ${this.env.limits.max_num_event_emit} events`,
      );
    }
    this.outcome.events.push({
      packageId: this.currentCall.package,
      module: this.currentCall.module,
      type: ev.type,
      bytes: ev.bcs,
      sender: this.tx.sender,
    });
  }

  transfer(obj: StoredObject, owner: VmOwner): void {
    this.place(obj.type, obj.bcs, owner.kind === 'shared' ? { kind: 'shared-new' } : owner);
  }

  private place(type: string, bytes: Uint8Array, owner: Owner | { kind: 'shared-new' }): void {
    const id = objectIdOf(bytes);
    let finalOwner: Owner;
    if (owner.kind === 'shared-new') {
      const existing = this.inputObject(id);
      if (existing && existing.object.owner.kind === 'shared') finalOwner = existing.object.owner;
      else if (!this.outcome.created.has(id)) {
        throw new ExecutionFailure(
          ExecutionErrorKind.CONSENSUS_OBJECT_OPERATION_NOT_ALLOWED,
          `object ${id} was not created in this transaction and cannot be shared`,
        );
      } else finalOwner = { kind: 'shared', initialVersion: 0n }; // the executor sets the version
    } else finalOwner = owner;
    checkLimit(this.env.limits, 'max_move_object_size', bytes.length, `object ${id} of type ${type}`);
    this.outcome.written.set(id, {
      id,
      type,
      bytes,
      owner: finalOwner,
      hasPublicTransfer: (this.env.catalog.abilitiesOf(type) & ABILITY.store) !== 0,
    });
    this.outcome.deleted.delete(id);
  }

  private deleteObject(id: string): void {
    this.outcome.written.delete(id);
    this.outcome.deleted.add(id);
  }

  readChild(parent: string, childId: string): StoredObject | undefined {
    const pending = this.outcome.written.get(childId);
    if (pending) {
      return pending.owner.kind === 'object' && pending.owner.parent === parent
        ? { id: childId, type: pending.type, bcs: pending.bytes }
        : undefined;
    }
    if (this.outcome.deleted.has(childId)) return undefined;
    const obj = this.env.ledger.get(childId);
    if (!obj || obj.owner.kind !== 'object' || obj.owner.parent !== parent || obj.data.kind !== 'move')
      return undefined;
    this.childrenRead.set(childId, obj);
    return { id: childId, type: obj.data.type, bcs: obj.data.contents };
  }

  writeChild(parent: string, obj: StoredObject): void {
    this.place(obj.type, obj.bcs, { kind: 'object', parent });
  }

  removeChild(_parent: string, id: string): void {
    this.deleteObject(id);
  }

  /** Child objects loaded from the ledger during execution (their versions feed the effects). */
  readonly childrenRead = new Map<string, LedgerObject>();

  // ---- commands ----
  run(ptb: ProgrammableTx): PtbOutcome {
    for (const [index, command] of ptb.commands.entries()) {
      try {
        this.mutatedInCommand = [];
        const results = this.command(command);
        this.results.push(results);
        this.outcome.commandOutputs.push({
          returns: results.flatMap((r) => (r.value ? [r.value] : [])),
          mutated: this.mutatedInCommand,
        });
      } catch (error) {
        const failure = toFailure(error);
        failure.command = index;
        throw failure;
      }
    }
    try {
      this.finish();
    } catch (error) {
      throw toFailure(error);
    }
    return this.outcome;
  }

  private command(c: Command): ResultSlot[] {
    switch (c.$kind) {
      case 'SplitCoins':
        return this.splitCoins(c.SplitCoins.coin, c.SplitCoins.amounts);
      case 'MergeCoins':
        return this.mergeCoins(c.MergeCoins.destination, c.MergeCoins.sources);
      case 'TransferObjects':
        return this.transferObjects(c.TransferObjects.objects, c.TransferObjects.address);
      case 'MakeMoveVec':
        return this.makeMoveVec(c.MakeMoveVec.type, c.MakeMoveVec.elements);
      case 'MoveCall':
        return this.moveCall(c.MoveCall);
      case 'Publish':
        return this.publish(
          c.Publish.modules.map((m) => fromBase64(m)),
          c.Publish.dependencies,
        );
      case 'Upgrade':
        throw new ExecutionFailure(
          ExecutionErrorKind.FEATURE_NOT_YET_SUPPORTED,
          'package upgrades are not supported by the embedded node',
        );
      default:
        throw new ExecutionFailure(
          ExecutionErrorKind.FEATURE_NOT_YET_SUPPORTED,
          `unsupported command ${(c as { $kind: string }).$kind}`,
        );
    }
  }

  private splitCoins(coinArg: Arg, amounts: Arg[]): ResultSlot[] {
    const coin = this.borrowMut(coinArg, 0);
    const coinType = coinTypeOf(coin.type);
    if (!coinType) throw argError(ArgErrorKind.TYPE_MISMATCH, 0, `SplitCoins needs a Coin, got ${coin.type}`);
    let balance = readCoinBalance(coin.bytes);
    const out: ResultSlot[] = [];
    for (const [i, amountArg] of amounts.entries()) {
      const raw = this.take(amountArg, i + 1, 'u64').bytes;
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
      out.push({ value: { type: coin.type, bytes: encodeCoin(this.freshId(), amount) } });
    }
    this.setValue(coinArg, { type: coin.type, bytes: encodeCoin(objectIdOf(coin.bytes), balance) });
    return out;
  }

  private mergeCoins(destArg: Arg, sources: Arg[]): ResultSlot[] {
    const dest = this.borrowMut(destArg, 0);
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
      const coin = this.take(source, i + 1, dest.type);
      balance += readCoinBalance(coin.bytes);
      if (balance >= 1n << 64n)
        throw new ExecutionFailure(
          ExecutionErrorKind.COIN_BALANCE_OVERFLOW,
          'MergeCoins: balance overflows u64',
        );
      this.deleteObject(objectIdOf(coin.bytes));
    }
    this.setValue(destArg, { type: dest.type, bytes: encodeCoin(objectIdOf(dest.bytes), balance) });
    return [];
  }

  private transferObjects(objects: Arg[], addressArg: Arg): ResultSlot[] {
    const recipient = normalizeSuiAddress(toHex(this.take(addressArg, objects.length, 'address').bytes));
    for (const [i, arg] of objects.entries()) {
      const value = this.take(arg, i, undefined, true);
      const abilities = this.env.catalog.abilitiesOf(value.type);
      if (!(abilities & ABILITY.key) || !(abilities & ABILITY.store)) {
        throw argError(
          ArgErrorKind.INVALID_TRANSFER_OBJECT,
          i,
          `TransferObjects: ${value.type} is not an object with store`,
        );
      }
      this.place(value.type, value.bytes, { kind: 'address', address: recipient });
    }
    return [];
  }

  private makeMoveVec(type: string | null, elements: Arg[]): ResultSlot[] {
    let elemType = type ? normalizeType(type) : undefined;
    checkLimit(this.env.limits, 'max_arguments', elements.length, 'MakeMoveVec element count');
    const parts: Uint8Array[] = [];
    for (const [i, arg] of elements.entries()) {
      if (!elemType && arg.$kind === 'Input' && this.inputs[arg.Input]?.pure) {
        throw argError(
          ArgErrorKind.INVALID_MAKE_MOVE_VEC_NON_OBJECT_ARGUMENT,
          i,
          'MakeMoveVec without a type needs object elements',
        );
      }
      const value = this.take(arg, i, elemType);
      elemType ??= value.type;
      parts.push(value.bytes);
    }
    if (!elemType)
      throw new ExecutionFailure(
        ExecutionErrorKind.TYPE_ARGUMENT_ERROR,
        'MakeMoveVec with no elements needs a type',
      );
    const len = bcs.uleb128().serialize(parts.length).toBytes();
    return [{ value: { type: `vector<${elemType}>`, bytes: concatBytes([len, ...parts]) } }];
  }

  private moveCall(call: {
    package: string;
    module: string;
    function: string;
    typeArguments: string[];
    arguments: Arg[];
  }): ResultSlot[] {
    const pkg = normalizeSuiAddress(call.package);
    checkLimit(this.env.limits, 'max_type_arguments', call.typeArguments.length, 'type argument count');
    const mod = this.env.catalog.module(pkg, call.module);
    if (!mod) {
      throw new ExecutionFailure(
        ExecutionErrorKind.FUNCTION_NOT_FOUND,
        `module ${pkg}::${call.module} is not published`,
      );
    }
    const fn = mod.functions.get(call.function);
    if (!fn)
      throw new ExecutionFailure(
        ExecutionErrorKind.FUNCTION_NOT_FOUND,
        `function ${pkg}::${call.module}::${call.function} does not exist`,
      );
    if (fn.visibility !== 'public' && !fn.isEntry) {
      throw new ExecutionFailure(
        ExecutionErrorKind.NON_ENTRY_FUNCTION_INVOKED,
        `${call.module}::${call.function} is neither public nor entry`,
      );
    }
    if (fn.typeParameters.length !== call.typeArguments.length) {
      throw new ExecutionFailure(
        ExecutionErrorKind.TYPE_ARITY_MISMATCH,
        `${call.module}::${call.function} takes ${fn.typeParameters.length} type arguments, got ${call.typeArguments.length}`,
      );
    }
    const typeArgs = call.typeArguments.map(normalizeType);
    const params = fn.parameters.filter((p, i) => !(i === fn.parameters.length - 1 && isTxContext(p)));
    if (params.length !== call.arguments.length) {
      throw new ExecutionFailure(
        ExecutionErrorKind.ARITY_MISMATCH,
        `${call.module}::${call.function} takes ${params.length} arguments, got ${call.arguments.length}`,
      );
    }
    const args: MoveValue[] = params.map((p, i) => {
      const type = sigBodyToTypeTag(p.body, typeArgs);
      const arg = call.arguments[i]!;
      if (p.reference === 'mutable') return this.borrowMut(arg, i, type);
      if (p.reference === 'immutable') return this.borrow(arg, i, type);
      return this.take(arg, i, type);
    });
    const output = this.invoke({
      package: pkg,
      module: call.module,
      function: call.function,
      typeArguments: typeArgs,
      args,
    });
    for (const m of output.mutatedRefs) {
      const arg = call.arguments[m.index]!;
      const type = sigBodyToTypeTag(params[m.index]!.body, typeArgs);
      this.setValue(arg, { type, bytes: m.bytes });
      this.mutatedInCommand.push({ argument: arg, value: { type, bytes: m.bytes } });
    }
    return output.returns.map((value) => ({ value }));
  }

  private publish(modules: Uint8Array[], dependencies: string[]): ResultSlot[] {
    checkLimit(this.env.limits, 'max_modules_in_publish', modules.length, 'module count');
    if (modules.length === 0)
      throw new ExecutionFailure(
        ExecutionErrorKind.VM_VERIFICATION_OR_DESERIALIZATION_ERROR,
        'Publish with no modules',
      );
    const packageId = this.freshId();
    const rewritten: [string, Uint8Array][] = [];
    const deps = new Set(dependencies.map((d) => normalizeSuiAddress(d)));
    const typeOrigins: TypeOriginEntry[] = [];
    const infos = new Map<string, ModuleInfo>();
    for (const bytes of modules) {
      let info: ModuleInfo;
      let patched: Uint8Array;
      try {
        patched = withSelfAddress(bytes, packageId);
        info = readModule(patched);
      } catch (error) {
        throw new ExecutionFailure(
          ExecutionErrorKind.VM_VERIFICATION_OR_DESERIALIZATION_ERROR,
          `a published module does not deserialize: ${(error as Error).message}`,
        );
      }
      if (info.address !== packageId) {
        throw new ExecutionFailure(
          ExecutionErrorKind.PUBLISH_ERROR_NON_ZERO_ADDRESS,
          `module ${info.name} is not at address 0x0`,
        );
      }
      rewritten.push([info.name, patched]);
      infos.set(info.name, info);
      for (const name of info.datatypes.keys())
        typeOrigins.push({ moduleName: info.name, datatypeName: name, package: packageId });
    }
    rewritten.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const names = new Set(rewritten.map(([n]) => n));
    // Link check: every imported module exists in this package or in a declared, installed dependency.
    for (const info of infos.values()) {
      for (const imp of info.imports) {
        if (imp.address === packageId) {
          if (!names.has(imp.name))
            throw linkError(`module ${info.name} imports ${imp.name}, which this package does not contain`);
          continue;
        }
        if (!deps.has(imp.address)) {
          throw new ExecutionFailure(
            ExecutionErrorKind.PUBLISH_UPGRADE_MISSING_DEPENDENCY,
            `module ${info.name} uses ${imp.address}::${imp.name} but ${imp.address} is not among the declared dependencies`,
          );
        }
        if (!this.env.catalog.module(imp.address, imp.name)) {
          throw linkError(
            `module ${info.name} imports ${imp.address}::${imp.name}, which is not installed on this chain`,
          );
        }
      }
    }
    const linkage: [string, { upgradedId: string; upgradedVersion: bigint }][] = [];
    for (const dep of [...deps].sort()) {
      const obj = this.env.ledger.get(dep);
      if (!obj || obj.data.kind !== 'package') {
        throw new ExecutionFailure(
          ExecutionErrorKind.PUBLISH_UPGRADE_MISSING_DEPENDENCY,
          `dependency ${dep} is not a published package`,
        );
      }
      linkage.push([dep, { upgradedId: dep, upgradedVersion: obj.version }]);
    }
    this.outcome.packages.push({ id: packageId, modules: rewritten, typeOrigins, linkage });
    this.pendingPackages.set(packageId, rewritten);
    try {
      this.env.move.loadPublished(
        packageId,
        rewritten.map(([, b]) => b),
      );
    } catch (error) {
      throw toFailure(error, ExecutionErrorKind.VM_VERIFICATION_OR_DESERIALIZATION_ERROR);
    }
    // Module initializers, in module order: init(otw?, ctx).
    for (const [name] of rewritten) {
      const info = infos.get(name)!;
      const init = info.functions.get('init');
      if (!init) continue;
      const params = init.parameters.filter((p) => !isTxContext(p));
      const otwName = name.toUpperCase();
      const args: MoveValue[] = [];
      if (params.length === 1) {
        const body = params[0]!.body;
        if (body.kind !== 'datatype' || body.name !== otwName || body.module !== name) {
          throw linkError(
            `${name}::init takes ${sigBodyToTypeTag(body)}, expected the one-time witness ${otwName}`,
          );
        }
        // One-time witness: a struct with a single bool field.
        args.push({ type: `${packageId}::${name}::${otwName}`, bytes: new Uint8Array([1]) });
      } else if (params.length > 1)
        throw linkError(`${name}::init has ${params.length} parameters besides TxContext`);
      this.invoke({ package: packageId, module: name, function: 'init', typeArguments: [], args });
    }
    const capId = this.freshId();
    const cap = concatBytes([
      fromHexBytes(capId),
      fromHexBytes(packageId),
      bcs.u64().serialize(1n).toBytes(),
      new Uint8Array([0]),
    ]);
    return [{ value: { type: UPGRADE_CAP_TYPE, bytes: cap } }];
  }

  private mutatedInCommand: { argument: Arg; value: MoveValue }[] = [];

  /** Packages published by this transaction, visible to its later commands. */
  readonly pendingPackages = new Map<string, [string, Uint8Array][]>();

  private invoke(input: {
    package: string;
    module: string;
    function: string;
    typeArguments: string[];
    args: MoveValue[];
  }) {
    this.currentCall = { package: input.package, module: input.module };
    try {
      const out = this.env.move.call(input, this, this.gasUnitsLeft);
      this.gasUnitsLeft -= out.gasUsed;
      this.outcome.gasUnits += out.gasUsed;
      return out;
    } catch (error) {
      throw toFailure(error);
    }
  }

  // ---- argument access ----
  private slot(arg: Arg, index: number): { slot: InputSlot | ResultSlot; input?: InputSlot } {
    switch (arg.$kind) {
      case 'GasCoin':
        if (!this.gas)
          throw argError(ArgErrorKind.INVALID_GAS_COIN_USAGE, index, 'this transaction has no gas coin');
        return { slot: this.gas, input: this.gas };
      case 'Input': {
        const s = this.inputs[arg.Input];
        if (!s) throw argError(ArgErrorKind.INDEX_OUT_OF_BOUNDS, index, `input ${arg.Input} does not exist`);
        return { slot: s, input: s };
      }
      case 'Result': {
        const r = this.results[arg.Result];
        if (!r)
          throw argError(ArgErrorKind.INDEX_OUT_OF_BOUNDS, index, `result ${arg.Result} does not exist yet`);
        if (r.length !== 1)
          throw argError(
            ArgErrorKind.INVALID_RESULT_ARITY,
            index,
            `result ${arg.Result} has ${r.length} values; use NestedResult`,
          );
        return { slot: r[0]! };
      }
      case 'NestedResult': {
        const [c, j] = arg.NestedResult;
        const r = this.results[c];
        if (!r) throw argError(ArgErrorKind.INDEX_OUT_OF_BOUNDS, index, `result ${c} does not exist yet`);
        const s = r[j];
        if (!s)
          throw argError(ArgErrorKind.SECONDARY_INDEX_OUT_OF_BOUNDS, index, `result ${c} has no value ${j}`);
        return { slot: s };
      }
      default:
        throw argError(ArgErrorKind.INDEX_OUT_OF_BOUNDS, index, 'unknown argument kind');
    }
  }

  private pureValue(slot: InputSlot, index: number, type: string | undefined): MoveValue {
    if (!type)
      throw argError(
        ArgErrorKind.INVALID_USAGE_OF_PURE_ARGUMENT,
        index,
        'a pure argument cannot be used where an object is expected',
      );
    if (!isPureType(type))
      throw argError(
        ArgErrorKind.INVALID_USAGE_OF_PURE_ARGUMENT,
        index,
        `type ${type} cannot come from a pure argument`,
      );
    try {
      checkPureBytes(type, slot.pure!);
    } catch (error) {
      if (error instanceof PureArgError)
        throw argError(
          ArgErrorKind.INVALID_BCS_BYTES,
          index,
          `argument ${index} as ${type}: ${error.message}`,
        );
      throw error;
    }
    return { type, bytes: slot.pure! };
  }

  private checkType(value: MoveValue, expected: string | undefined, index: number): void {
    if (expected && value.type !== expected) {
      throw argError(
        ArgErrorKind.TYPE_MISMATCH,
        index,
        `argument ${index} has type ${value.type}, expected ${expected}`,
      );
    }
  }

  /** By value: copies copyable values, moves the rest. */
  private take(arg: Arg, index: number, type: string | undefined, objectsOnly = false): MoveValue {
    const { slot, input } = this.slot(arg, index);
    if (input?.pure) {
      if (objectsOnly)
        throw argError(
          ArgErrorKind.INVALID_USAGE_OF_PURE_ARGUMENT,
          index,
          'a pure argument cannot be transferred',
        );
      return this.pureValue(input, index, type);
    }
    const value = slot.value;
    if (!value)
      throw argError(ArgErrorKind.ARGUMENT_WITHOUT_VALUE, index, `argument ${index} was already moved`);
    this.checkType(value, type, index);
    if (input?.input) {
      const owner = input.input.object.owner;
      if (owner.kind === 'immutable')
        throw argError(
          ArgErrorKind.INVALID_OBJECT_BY_VALUE,
          index,
          `immutable object ${input.input.object.id} cannot be taken by value`,
        );
      if (owner.kind === 'shared' && !input.input.mutable)
        throw argError(
          ArgErrorKind.INVALID_OBJECT_BY_VALUE,
          index,
          `shared object ${input.input.object.id} is read-only in this transaction`,
        );
      if (input.input.isGas && !objectsOnly)
        throw argError(
          ArgErrorKind.INVALID_GAS_COIN_USAGE,
          index,
          'the gas coin can only be taken by value by TransferObjects',
        );
    }
    const copyable = (this.env.catalog.abilitiesOf(value.type) & ABILITY.copy) !== 0;
    if (!copyable) {
      slot.value = undefined;
      if (input?.input) this.moved.add(input.input.object.id);
    }
    return value;
  }

  private borrow(arg: Arg, index: number, type?: string): MoveValue {
    const { slot, input } = this.slot(arg, index);
    if (input?.pure) return this.pureValue(input, index, type);
    if (!slot.value)
      throw argError(ArgErrorKind.ARGUMENT_WITHOUT_VALUE, index, `argument ${index} was already moved`);
    this.checkType(slot.value, type, index);
    return slot.value;
  }

  private borrowMut(arg: Arg, index: number, type?: string): MoveValue {
    const { slot, input } = this.slot(arg, index);
    if (input?.pure) {
      // A pure input borrowed mutably becomes a typed value that later commands see changed.
      const value = this.pureValue(input, index, type);
      input.value = value;
      input.pure = undefined;
      return value;
    }
    if (input?.input) {
      const owner = input.input.object.owner;
      if (owner.kind === 'immutable' || (owner.kind === 'shared' && !input.input.mutable)) {
        throw argError(
          ArgErrorKind.INVALID_OBJECT_BY_MUT_REF,
          index,
          `object ${input.input.object.id} is not mutable in this transaction`,
        );
      }
    }
    if (!slot.value)
      throw argError(ArgErrorKind.ARGUMENT_WITHOUT_VALUE, index, `argument ${index} was already moved`);
    this.checkType(slot.value, type, index);
    return slot.value;
  }

  private setValue(arg: Arg, value: MoveValue): void {
    this.slot(arg, 0).slot.value = value;
  }

  private inputObject(id: string): InputObject | undefined {
    if (this.gas?.input?.object.id === id) return this.gas.input;
    return this.inputs.find((s) => s.input?.object.id === id)?.input;
  }

  /** Writes back mutable inputs still held, and refuses leftover values that cannot be dropped. */
  private finish(): void {
    for (const s of [...this.inputs, ...(this.gas ? [this.gas] : [])]) {
      const input = s.input;
      if (!input || !s.value) continue;
      if (!input.mutable || input.object.owner.kind === 'immutable') continue;
      if (this.outcome.written.has(input.object.id) || this.outcome.deleted.has(input.object.id)) continue;
      checkLimit(
        this.env.limits,
        'max_move_object_size',
        s.value.bytes.length,
        `object ${input.object.id} of type ${s.value.type}`,
      );
      this.outcome.written.set(input.object.id, {
        id: input.object.id,
        type: s.value.type,
        bytes: s.value.bytes,
        owner: input.object.owner,
        hasPublicTransfer: input.object.data.kind === 'move' && input.object.data.hasPublicTransfer,
      });
    }
    for (const [c, values] of this.results.entries()) {
      for (const [j, r] of values.entries()) {
        if (r.value && !(this.env.catalog.abilitiesOf(r.value.type) & ABILITY.drop)) {
          throw new ExecutionFailure(
            ExecutionErrorKind.UNUSED_VALUE_WITHOUT_DROP,
            `result ${c}.${j} of type ${r.value.type} has no drop ability and was never used (transfer it or pass it on)`,
            { oneofKind: undefined },
            c,
          );
        }
      }
    }
    // A shared input taken by value must be deleted or re-shared.
    for (const id of this.moved) {
      const input = this.inputObject(id);
      if (
        input?.object.owner.kind === 'shared' &&
        !this.outcome.deleted.has(id) &&
        this.outcome.written.get(id)?.owner.kind !== 'shared'
      ) {
        throw new ExecutionFailure(
          ExecutionErrorKind.CONSENSUS_OBJECT_OPERATION_NOT_ALLOWED,
          `shared object ${id} was taken by value and neither deleted nor re-shared`,
        );
      }
    }
  }

  /** Gas coin value after the commands ran (undefined when it was deleted/merged away). */
  gasValue(): MoveValue | undefined {
    const id = this.gas?.input?.object.id;
    if (!id) return undefined;
    return this.outcome.written.get(id) ?? this.gas?.value;
  }
}

// ---- helpers ----
export function moveValueOf(obj: LedgerObject): MoveValue | undefined {
  return obj.data.kind === 'move' ? { type: obj.data.type, bytes: obj.data.contents } : undefined;
}

export function objectIdOf(bytes: Uint8Array): string {
  return '0x' + toHex(bytes.subarray(0, 32));
}

function readCoinBalance(bytes: Uint8Array): bigint {
  return new DataView(bytes.buffer, bytes.byteOffset + 32, 8).getBigUint64(0, true);
}

function sameSlot(a: Arg, b: Arg): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function isTxContext(p: SigType): boolean {
  return p.body.kind === 'datatype' && `${p.body.address}::${p.body.module}::${p.body.name}` === TX_CONTEXT;
}

export function normalizeType(type: string): string {
  const prim = ['bool', 'u8', 'u16', 'u32', 'u64', 'u128', 'u256', 'address', 'signer'];
  if (prim.includes(type)) return type;
  const vec = /^vector<(.+)>$/.exec(type);
  if (vec) return `vector<${normalizeType(vec[1]!)}>`;
  return normalizeStructTag(type);
}

function fromHexBytes(id: string): Uint8Array {
  return Uint8Array.from(Buffer.from(id.slice(2), 'hex'));
}

function linkError(message: string): ExecutionFailure {
  return new ExecutionFailure(ExecutionErrorKind.VM_VERIFICATION_OR_DESERIALIZATION_ERROR, message);
}

export function toFailure(
  error: unknown,
  fallback = ExecutionErrorKind.VM_INVARIANT_VIOLATION,
): ExecutionFailure {
  if (error instanceof ExecutionFailure) return error;
  if (error instanceof MoveAbort) {
    return abortFailure(
      error.code,
      error.location.package,
      error.location.module,
      error.location.functionName ?? '',
      error.location.function,
      error.location.instruction,
    );
  }
  if (error instanceof MoveAbortError) {
    const [pkg, mod] = splitModuleId(error.location.module);
    return abortFailure(error.code, pkg, mod, error.location.function, -1, error.location.offset);
  }
  if (error instanceof MoveExecutionError) {
    const kind =
      error.kind === 'OUT_OF_GAS'
        ? ExecutionErrorKind.INSUFFICIENT_GAS
        : ExecutionErrorKind.MOVE_PRIMITIVE_RUNTIME_ERROR;
    const loc = error.location;
    const details: ErrorDetails = loc
      ? { oneofKind: 'abort', abort: { location: locationOf(loc.module, loc.function, -1, loc.offset) } }
      : { oneofKind: undefined };
    return new ExecutionFailure(
      kind,
      error.message,
      kind === ExecutionErrorKind.INSUFFICIENT_GAS ? { oneofKind: undefined } : details,
    );
  }
  if (error instanceof MoveCallError)
    return new ExecutionFailure(ExecutionErrorKind.FUNCTION_NOT_FOUND, error.message);
  if (error instanceof MoveLinkError)
    return new ExecutionFailure(ExecutionErrorKind.VM_VERIFICATION_OR_DESERIALIZATION_ERROR, error.message);
  if (error instanceof LimitError) {
    const kind =
      error.limit === 'max_move_object_size'
        ? ExecutionErrorKind.OBJECT_TOO_BIG
        : ExecutionErrorKind.EFFECTS_TOO_LARGE;
    return new ExecutionFailure(kind, error.message, {
      oneofKind: 'sizeError',
      sizeError: { size: BigInt(error.size), maxSize: BigInt(error.max) },
    });
  }
  return new ExecutionFailure(fallback, (error as Error)?.message ?? String(error));
}

function splitModuleId(moduleId: string): [string, string] {
  const i = moduleId.lastIndexOf('::');
  return [moduleId.slice(0, i), moduleId.slice(i + 2)];
}

/** Function index is looked up by the executor (it knows the modules); -1 = unknown here. */
function locationOf(moduleId: string, functionName: string, fn: number, instruction: number) {
  const [pkg, mod] = splitModuleId(moduleId);
  return { package: pkg, module: mod, functionName, function: fn < 0 ? undefined : fn, instruction };
}

function abortFailure(
  code: bigint,
  pkg: string,
  mod: string,
  functionName: string,
  fn: number,
  instruction: number,
): ExecutionFailure {
  const where = `${pkg}::${mod}::${functionName}`;
  return new ExecutionFailure(
    ExecutionErrorKind.MOVE_ABORT,
    `Move abort ${code} in ${where} (instruction ${instruction})`,
    {
      oneofKind: 'abort',
      abort: {
        abortCode: code,
        location: { package: pkg, module: mod, functionName, function: fn < 0 ? undefined : fn, instruction },
      },
    },
  );
}

export { SUI_ADDR };
