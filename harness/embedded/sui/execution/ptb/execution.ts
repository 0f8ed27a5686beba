/**
 * Programmable transaction execution (Sui: `programmable_transactions/execution.rs`): runs the
 * commands in order over the argument slots, Move calls through the MovePort against the
 * temporary store, then writes back mutable inputs and refuses values that cannot be dropped.
 * Values travel between commands as BCS bytes with their type, as in Sui's own PTB runtime.
 */
import { fromBase64, normalizeSuiAddress } from '@mysten/sui/utils';
import { ABILITY, sigBodyToTypeTag } from '../../move/module-info.ts';
import type { MoveCallInput, MoveCallOutput, MoveValue } from '../../move/port.ts';
import { ExecutionErrorKind, ExecutionFailure } from '../errors.ts';
import { checkLimit } from '../limits.ts';
import { TemporaryStore } from '../temporary-store.ts';
import { ArgumentSlots, type ResultSlot } from './arguments.ts';
import type { PtbContext } from './context.ts';
import { toFailure } from './failure.ts';
import { makeMoveVec, mergeCoins, splitCoins, transferObjects } from './native-commands.ts';
import { publish } from './publish.ts';
import type { Arg, Command, InputObject, LoadedInput, ProgrammableTx, PtbEnv, PtbOutcome } from './types.ts';
import { isTxContext, normalizeType } from './values.ts';

export class PtbExecution implements PtbContext {
  readonly args: ArgumentSlots;
  readonly store: TemporaryStore;
  private gasUnitsLeft: number;
  private mutatedInCommand: { argument: Arg; value: MoveValue }[] = [];

  constructor(
    readonly env: PtbEnv,
    inputs: LoadedInput[],
    gas: InputObject | undefined,
  ) {
    this.gasUnitsLeft = env.maxGasUnits;
    this.args = new ArgumentSlots(env.catalog, inputs, gas);
    this.store = new TemporaryStore(
      env,
      inputs.flatMap((i) => ('object' in i ? [i.object] : [])),
      gas,
    );
  }

  run(ptb: ProgrammableTx): PtbOutcome {
    const outcome = this.store.outcome;
    for (const [index, command] of ptb.commands.entries()) {
      try {
        this.mutatedInCommand = [];
        const results = this.command(command);
        this.args.results.push(results);
        outcome.commandOutputs.push({
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
    return outcome;
  }

  private command(c: Command): ResultSlot[] {
    switch (c.$kind) {
      case 'SplitCoins':
        return splitCoins(this, c.SplitCoins.coin, c.SplitCoins.amounts);
      case 'MergeCoins':
        return mergeCoins(this, c.MergeCoins.destination, c.MergeCoins.sources);
      case 'TransferObjects':
        return transferObjects(this, c.TransferObjects.objects, c.TransferObjects.address);
      case 'MakeMoveVec':
        return makeMoveVec(this, c.MakeMoveVec.type, c.MakeMoveVec.elements);
      case 'MoveCall':
        return this.moveCall(c.MoveCall);
      case 'Publish':
        return publish(
          this,
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
      if (p.reference === 'mutable') return this.args.borrowMut(arg, i, type);
      if (p.reference === 'immutable') return this.args.borrow(arg, i, type);
      return this.args.take(arg, i, type);
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
      this.args.setValue(arg, { type, bytes: m.bytes });
      this.mutatedInCommand.push({ argument: arg, value: { type, bytes: m.bytes } });
    }
    return output.returns.map((value) => ({ value }));
  }

  invoke(input: MoveCallInput): MoveCallOutput {
    this.store.currentCall = { package: input.package, module: input.module };
    try {
      const out = this.env.move.call(input, this.store, this.gasUnitsLeft);
      this.gasUnitsLeft -= out.gasUsed;
      this.store.outcome.gasUnits += out.gasUsed;
      return out;
    } catch (error) {
      throw toFailure(error);
    }
  }

  /** Writes back mutable inputs still held, and refuses leftover values that cannot be dropped. */
  private finish(): void {
    for (const s of [...this.args.inputs, ...(this.args.gas ? [this.args.gas] : [])]) {
      const input = s.input;
      if (!input || !s.value) continue;
      if (!input.mutable || input.object.owner.kind === 'immutable') continue;
      if (this.store.outcome.written.has(input.object.id) || this.store.outcome.deleted.has(input.object.id))
        continue;
      checkLimit(
        this.env.limits,
        'max_move_object_size',
        s.value.bytes.length,
        `object ${input.object.id} of type ${s.value.type}`,
      );
      this.store.outcome.written.set(input.object.id, {
        id: input.object.id,
        type: s.value.type,
        bytes: s.value.bytes,
        owner: input.object.owner,
        hasPublicTransfer: input.object.data.kind === 'move' && input.object.data.hasPublicTransfer,
      });
    }
    for (const [c, values] of this.args.results.entries()) {
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
    for (const id of this.args.moved) {
      const input = this.store.inputObject(id);
      if (
        input?.object.owner.kind === 'shared' &&
        !this.store.outcome.deleted.has(id) &&
        this.store.outcome.written.get(id)?.owner.kind !== 'shared'
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
    const id = this.args.gas?.input?.object.id;
    if (!id) return undefined;
    return this.store.outcome.written.get(id) ?? this.args.gas?.value;
  }
}
