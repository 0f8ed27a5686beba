/** Public entry point: load packages, call functions. */
import { deserializeValue, serializeValue } from './bcs.ts';
import { MoveCallError } from './errors.ts';
import { execute } from './interpreter.ts';
import {
  ABILITY_COPY,
  ABILITY_DROP,
  ABILITY_KEY,
  ABILITY_STORE,
  Linker,
  type LoadedFunction,
  type LoadedModule,
} from './loader.ts';
import { datatypeFieldTypes, variantFieldTypes } from './datatype-fields.ts';
import type { ObjectRuntime } from './object-runtime.ts';
import { Session } from './session.ts';
import { invalidStringArgument, valueMismatch } from './check-value.ts';
import { parseTypeTag } from './typetag.ts';
import { TK, normalizeAddress, substitute, typeTagString, type Type } from './types.ts';
import { Ref, copyValue, type Value } from './values.ts';
import { nativeKey, type NativeTable } from '../natives/registry.ts';
import { stdNatives } from '../natives/std.ts';
import { suiNatives } from '../natives/sui.ts';
import { testScenarioNatives } from '../natives/test-scenario.ts';

/**
 * One argument of `vm.call`:
 * - `{ bcs }`: bytes decoded by the parameter's type. For `&T` / `&mut T`
 *   parameters the bytes are the `T` value (pure value or object contents);
 *   the VM passes a reference to it, and for `&mut T` returns the value after
 *   the call in `CallResult.mutated`.
 * - `{ value }`: a value already in VM representation (see values.ts);
 *   for reference parameters pass the referenced value, not a Ref.
 */
export type CallArg = { bcs: Uint8Array } | { value: Value };

export interface CallOptions {
  /** `0x2::coin`, `0x…64 hex…::k8s_gateway` */
  module: string;
  function: string;
  /** type tags, e.g. `['0x2::sui::SUI']` */
  typeArgs?: string[];
  args?: CallArg[];
  runtime: ObjectRuntime;
  /** gas units (1 per instruction, see GAS in interpreter.ts); default 50 million */
  gasBudget?: number;
  /** allow calling private/friend non-entry functions (the unit-test runner does) */
  allowPrivate?: boolean;
  /** optional sink for `std::debug::print` */
  debugLog?: (line: string) => void;
  /** optional per-`Op` counters of executed instructions (length ≥ OP_COUNT), for coverage */
  coverage?: Float64Array;
}

export interface ReturnedValue {
  type: string;
  bcs: Uint8Array;
  value: Value;
}

export interface MutatedArg extends ReturnedValue {
  /** index into `args` */
  index: number;
}

export interface CallResult {
  returns: ReturnedValue[];
  /** final contents of every `&mut` argument, in argument order */
  mutated: MutatedArg[];
  gasUsed: number;
}

export interface VMOptions {
  /** extra or replacement natives, keyed `0x2::module::function` */
  natives?: NativeTable;
}

export interface ModuleDescription {
  id: string;
  address: string;
  name: string;
  functions: {
    name: string;
    visibility: 'public' | 'private' | 'friend';
    isEntry: boolean;
    typeParameters: string[][];
    parameters: string[];
    returns: string[];
  }[];
  datatypes: {
    name: string;
    abilities: string[];
    typeParameters: { constraints: string[]; isPhantom: boolean }[];
    fields?: { name: string; type: string }[];
    variants?: { name: string; fields: { name: string; type: string }[] }[];
  }[];
}

function abilityNames(mask: number): string[] {
  const out: string[] = [];
  if (mask & ABILITY_COPY) out.push('copy');
  if (mask & ABILITY_DROP) out.push('drop');
  if (mask & ABILITY_STORE) out.push('store');
  if (mask & ABILITY_KEY) out.push('key');
  return out;
}

const TX_CONTEXT = { address: normalizeAddress('0x2'), module: 'tx_context', name: 'TxContext' };

export class MoveVM {
  readonly linker: Linker;
  private readonly natives: NativeTable;

  constructor(opts: VMOptions = {}) {
    this.natives = { ...stdNatives, ...suiNatives, ...testScenarioNatives, ...(opts.natives ?? {}) };
    this.linker = new Linker((fn) => this.natives[nativeKey(fn)]);
  }

  /**
   * Load a package's modules (base64 strings as the compiler emits them, or
   * bytes). `address` replaces the `0x0` self-address of an unpublished
   * package (what publishing does). Returns the package address and module names.
   */
  loadPackage(
    modules: (string | Uint8Array)[],
    opts: { address?: string } = {},
  ): { address: string; modules: string[] } {
    const loaded: LoadedModule[] = modules.map((m) =>
      this.linker.addModule(
        typeof m === 'string' ? Uint8Array.from(Buffer.from(m, 'base64')) : m,
        opts.address,
      ),
    );
    return { address: loaded[0]?.address ?? '', modules: loaded.map((m) => m.name) };
  }

  /** Resolve `0x2::coin` + `split` or throw a MoveCallError saying what is missing. */
  resolveFunction(moduleId: string, name: string): LoadedFunction {
    const [addr, mod, ...rest] = moduleId.split('::');
    if (!addr || !mod || rest.length)
      throw new MoveCallError(`module '${moduleId}' must look like 0x2::module`);
    let address: string;
    try {
      address = normalizeAddress(addr);
    } catch (e) {
      throw new MoveCallError((e as Error).message);
    }
    const m = this.linker.getModule(address, mod);
    if (!m)
      throw new MoveCallError(`module ${address}::${mod} is not loaded; publish or load its package first`);
    const fn = m.functions.get(name);
    if (!fn) {
      const names = [...m.functions.keys()].join(', ');
      throw new MoveCallError(`function '${name}' does not exist in ${m.id} (it has: ${names})`);
    }
    return fn;
  }

  /**
   * Signatures of a loaded module, for the node's package/function queries:
   * functions (visibility, entry, type parameter abilities, parameter and
   * return types as tags with `T0`, `T1`… for type parameters) and datatypes
   * (abilities, type parameters, fields or variants).
   */
  describeModule(moduleId: string): ModuleDescription {
    const [addr, mod] = moduleId.split('::');
    const m = addr && mod ? this.linker.getModule(addr, mod) : undefined;
    if (!m) throw new MoveCallError(`module ${moduleId} is not loaded`);
    const tag = (t: Type) => typeTagString(t);
    return {
      id: m.id,
      address: m.address,
      name: m.name,
      functions: m.functionDefs.map((f) => ({
        name: f.name,
        visibility: f.visibility,
        isEntry: f.isEntry,
        typeParameters: f.typeParamAbilities.map(abilityNames),
        parameters: f.params.map(tag),
        returns: f.returns.map(tag),
      })),
      datatypes: [...m.datatypes.values()].map((d) => ({
        name: d.name,
        abilities: abilityNames(d.abilities),
        typeParameters: d.typeParams.map((p) => ({
          constraints: abilityNames(p.constraints),
          isPhantom: p.phantom,
        })),
        ...(d.isEnum
          ? {
              variants: d.variants!.map((v, i) => ({
                name: v.name,
                fields: v.fieldNames.map((n, j) => ({ name: n, type: tag(variantFieldTypes(d, i)[j]!) })),
              })),
            }
          : { fields: d.fieldNames.map((n, j) => ({ name: n, type: tag(datatypeFieldTypes(d)[j]!) })) }),
      })),
    };
  }

  parseType(tag: string): Type {
    return parseTypeTag(tag, this.linker);
  }

  call(opts: CallOptions): CallResult {
    const fn = this.resolveFunction(opts.module, opts.function);
    const label = `${fn.module.id}::${fn.name}`;
    if (!opts.allowPrivate && fn.visibility !== 'public' && !fn.isEntry)
      throw new MoveCallError(
        `${label} is ${fn.visibility === 'friend' ? 'public(package)' : 'private'} and not entry; only public or entry functions can be called`,
      );
    const tyArgs = (opts.typeArgs ?? []).map((t) => this.parseType(t));
    if (tyArgs.length !== fn.typeParamAbilities.length)
      throw new MoveCallError(
        `${label} takes ${fn.typeParamAbilities.length} type argument(s), got ${tyArgs.length}`,
      );
    const params = fn.params.map((p) => (tyArgs.length ? substitute(p, tyArgs) : p));
    const args = opts.args ?? [];
    const injectCtx = args.length === params.length - 1 && isTxContextRef(params[params.length - 1]);
    if (args.length !== params.length && !injectCtx)
      throw new MoveCallError(
        `${label} expects ${params.length} argument(s) (${params.map((p) => typeTagString(p)).join(', ')}), got ${args.length}`,
      );
    const session = new Session(
      this.linker,
      opts.runtime,
      opts.gasBudget ?? 50_000_000,
      fn.module.id,
      opts.debugLog ?? (() => {}),
    );
    session.coverage = opts.coverage;
    const budget = session.gasLeft;
    const vmArgs: Value[] = [];
    const mutCells: { index: number; cell: Value[]; type: Type }[] = [];
    params.forEach((p, i) => {
      if (i === args.length) {
        vmArgs.push(new Ref([this.txContextValue(p, opts.runtime)], 0));
        return;
      }
      const a = args[i]!;
      const isRef = p.k === TK.Ref || p.k === TK.MutRef;
      const inner = isRef ? (p as { t: Type }).t : p;
      if (inner.k === TK.Param)
        throw new MoveCallError(`${label}: parameter ${i} has an uninstantiated type`);
      let v: Value;
      if ('bcs' in a) {
        try {
          v = deserializeValue(a.bcs, inner);
        } catch (e) {
          throw new MoveCallError(
            `${label}: argument ${i} is not a valid BCS ${typeTagString(inner)} (${(e as Error).message})`,
          );
        }
        const bad = invalidStringArgument(v, inner, `argument ${i}`);
        if (bad) throw new MoveCallError(`${label}: ${bad}`);
      } else {
        const why = valueMismatch(a.value, inner, `argument ${i}`);
        if (why) throw new MoveCallError(`${label}: ${why}`);
        v = copyValue(a.value); // the call may mutate or store it; the caller keeps its own
      }
      if (isRef) {
        const cell = [v];
        vmArgs.push(new Ref(cell, 0));
        if (p.k === TK.MutRef && !isTxContextRef(p)) mutCells.push({ index: i, cell, type: inner });
      } else vmArgs.push(v);
    });
    const results = execute(session, fn, tyArgs, vmArgs);
    session.commit();
    const returnTypes = fn.returns.map((r) => (tyArgs.length ? substitute(r, tyArgs) : r));
    return {
      returns: results.map((v, i) => {
        let t = returnTypes[i]!;
        let val = v;
        if (t.k === TK.Ref || t.k === TK.MutRef) {
          val = (v as Ref).read();
          t = t.t;
        }
        return { type: typeTagString(t), bcs: serializeValue(val, t), value: val };
      }),
      mutated: mutCells.map((m) => ({
        index: m.index,
        type: typeTagString(m.type),
        bcs: serializeValue(m.cell[0]!, m.type),
        value: m.cell[0]!,
      })),
      gasUsed: budget - session.gasLeft,
    };
  }

  /** TxContext struct value built from the runtime (fields matched by name). */
  private txContextValue(p: Type, rt: ObjectRuntime): Value {
    const t = (p as { t: Type }).t as Extract<Type, { k: TK.Datatype }>;
    const tx = rt.tx;
    return t.d.fieldNames.map((n): Value => {
      switch (n) {
        case 'sender':
          return tx.sender;
        case 'tx_hash':
          return Array.from(tx.digest);
        case 'epoch':
          return tx.epoch;
        case 'epoch_timestamp_ms':
          return tx.epochTimestampMs;
        case 'ids_created':
          return tx.idsCreated;
        default:
          throw new MoveCallError(`TxContext field '${n}' is unknown to the VM`);
      }
    });
  }
}

function isTxContextRef(p: Type | undefined): boolean {
  if (!p || (p.k !== TK.Ref && p.k !== TK.MutRef)) return false;
  const t = p.t;
  return (
    t.k === TK.Datatype &&
    t.d.module.address === TX_CONTEXT.address &&
    t.d.module.name === TX_CONTEXT.module &&
    t.d.name === TX_CONTEXT.name
  );
}

export { execute };
