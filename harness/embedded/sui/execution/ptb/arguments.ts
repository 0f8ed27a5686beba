/**
 * PTB argument slots (Sui: the execution context's inputs and results): by-value use moves or
 * copies, `&`/`&mut` borrows, pure bytes checked against the parameter type.
 */
import { ABILITY } from '../../move/module-info.ts';
import type { PackageCatalog } from '../../move/catalog.ts';
import type { MoveValue } from '../../move/port.ts';
import { ArgErrorKind, argError } from '../errors.ts';
import { checkPureBytes, isPureType, PureArgError } from '../pure.ts';
import type { Arg, InputObject, LoadedInput } from './types.ts';
import { moveValueOf } from './values.ts';

export interface InputSlot {
  pure?: Uint8Array;
  input?: InputObject;
  /** Current value; undefined once moved. */
  value?: MoveValue;
}

export interface ResultSlot {
  value?: MoveValue;
}

export class ArgumentSlots {
  readonly inputs: InputSlot[];
  readonly gas?: InputSlot;
  readonly results: ResultSlot[][] = [];
  /** Objects moved into Move by value (they may come back through transfer or be wrapped/deleted). */
  readonly moved = new Set<string>();

  constructor(
    private readonly catalog: PackageCatalog,
    inputs: LoadedInput[],
    gas: InputObject | undefined,
  ) {
    this.inputs = inputs.map((i) =>
      'pure' in i ? { pure: i.pure } : { input: i.object, value: moveValueOf(i.object.object) },
    );
    if (gas) this.gas = { input: gas, value: moveValueOf(gas.object) };
  }

  /** Whether this argument is a pure input not yet turned into a typed value. */
  isPureInput(arg: Arg): boolean {
    return arg.$kind === 'Input' && this.inputs[arg.Input]?.pure !== undefined;
  }

  slot(arg: Arg, index: number): { slot: InputSlot | ResultSlot; input?: InputSlot } {
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

  pureValue(slot: InputSlot, index: number, type: string | undefined): MoveValue {
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

  checkType(value: MoveValue, expected: string | undefined, index: number): void {
    if (expected && value.type !== expected) {
      throw argError(
        ArgErrorKind.TYPE_MISMATCH,
        index,
        `argument ${index} has type ${value.type}, expected ${expected}`,
      );
    }
  }

  /** By value: copies copyable values, moves the rest. */
  take(arg: Arg, index: number, type: string | undefined, objectsOnly = false): MoveValue {
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
    const copyable = (this.catalog.abilitiesOf(value.type) & ABILITY.copy) !== 0;
    if (!copyable) {
      slot.value = undefined;
      if (input?.input) this.moved.add(input.input.object.id);
    }
    return value;
  }

  borrow(arg: Arg, index: number, type?: string): MoveValue {
    const { slot, input } = this.slot(arg, index);
    if (input?.pure) return this.pureValue(input, index, type);
    if (!slot.value)
      throw argError(ArgErrorKind.ARGUMENT_WITHOUT_VALUE, index, `argument ${index} was already moved`);
    this.checkType(slot.value, type, index);
    return slot.value;
  }

  borrowMut(arg: Arg, index: number, type?: string): MoveValue {
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

  setValue(arg: Arg, value: MoveValue): void {
    this.slot(arg, 0).slot.value = value;
  }
}
