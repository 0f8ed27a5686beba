/**
 * State of one `vm.call`: gas, buffered effects, the dynamic-field child
 * cache (children are Move values while the call runs, BCS in the runtime).
 */
import { MoveAbortError, MoveExecutionError } from './errors.ts';
import type { LoadedFunction, Linker } from './loader.ts';
import type { EmittedEvent, ObjectRuntime, Owner, StoredObject } from './object-runtime.ts';
import { deriveObjectId } from './object-runtime.ts';
import { deserializeValue, serializeValue } from './bcs.ts';
import { typeTagString, type Type } from './types.ts';
import type { Value } from './values.ts';

type LoggedEffect =
  | { op: 'new'; id: string }
  | { op: 'delete'; id: string }
  | { op: 'transfer'; obj: StoredObject; owner: Owner }
  | { op: 'event'; ev: EmittedEvent };

export interface ChildEntry {
  parent: string;
  id: string;
  type: Type;
  tag: string;
  /** one-slot container so `&mut Child` can be a Ref into it */
  cell: Value[];
  originalBcs: Uint8Array | undefined;
  removed: boolean;
}

export class Session {
  gasLeft: number;
  readonly effects: LoggedEffect[] = [];
  readonly children = new Map<string, ChildEntry>();
  /** events emitted in this call (type tag + value), for test natives */
  readonly eventValues: { type: Type; value: Value }[] = [];
  /** IDs created in this call, in order */
  readonly createdIds: string[] = [];
  /** when set, the interpreter counts executed instructions per `Op` here */
  coverage: Float64Array | undefined;

  constructor(
    readonly linker: Linker,
    readonly runtime: ObjectRuntime,
    gasBudget: number,
    /** `0x…::module` of the entry function (event `sender` module) */
    readonly callerModule: string,
    readonly debugLog: (line: string) => void,
  ) {
    this.gasLeft = gasBudget;
  }

  charge(units: number, where?: LoadedFunction): void {
    this.gasLeft -= units;
    if (this.gasLeft < 0)
      throw new MoveExecutionError(
        'OUT_OF_GAS',
        'gas budget exhausted',
        where ? { module: where.module.id, function: where.name, offset: 0 } : undefined,
      );
  }

  /** Abort located at a native function's module (as Sui reports native aborts). */
  abort(fn: LoadedFunction, code: number | bigint): never {
    throw new MoveAbortError(BigInt(code), { module: fn.module.id, function: fn.name, offset: 0 });
  }

  freshId(): string {
    const tx = this.runtime.tx;
    const id = deriveObjectId(tx.digest, tx.idsCreated);
    tx.idsCreated += 1n;
    return id;
  }

  log(e: LoggedEffect): void {
    this.effects.push(e);
  }

  /** Child object of `parent`, from this call's cache or the runtime; undefined when absent. */
  child(parent: string, id: string, expected: Type): ChildEntry | undefined {
    const cached = this.children.get(id);
    if (cached) return cached.removed || cached.parent !== parent ? undefined : cached;
    const stored = this.runtime.readChild(parent, id);
    if (!stored) return undefined;
    const base = { parent, id, type: expected, tag: stored.type, originalBcs: stored.bcs, removed: false };
    // Wrong type: report it (callers compare `tag`) without caching a bogus value.
    if (typeTagString(expected) !== stored.type) return { ...base, cell: [] };
    const entry: ChildEntry = { ...base, cell: [deserializeValue(stored.bcs, expected)] };
    this.children.set(id, entry);
    return entry;
  }

  addChild(parent: string, id: string, type: Type, value: Value): void {
    const prev = this.children.get(id);
    this.children.set(id, {
      parent,
      id,
      type,
      tag: typeTagString(type),
      cell: [value],
      originalBcs: prev?.originalBcs,
      removed: false,
    });
  }

  /**
   * Apply buffered effects to the runtime (only after success) and start
   * afresh — test_scenario's end_transaction commits mid-call.
   */
  commit(): void {
    this.flush();
    this.effects.length = 0;
    this.children.clear();
  }

  private flush(): void {
    const rt = this.runtime;
    for (const c of this.children.values()) if (c.removed && c.originalBcs) rt.removeChild(c.parent, c.id);
    for (const e of this.effects) {
      switch (e.op) {
        case 'new':
          rt.newId(e.id);
          break;
        case 'delete':
          rt.deleteId(e.id);
          break;
        case 'transfer':
          rt.transfer(e.obj, e.owner);
          break;
        case 'event':
          rt.emitEvent(e.ev);
          break;
      }
    }
    for (const c of this.children.values()) {
      if (c.removed) continue;
      const bcs = serializeValue(c.cell[0]!, c.type);
      if (c.originalBcs && sameBytes(bcs, c.originalBcs) && c.tag === typeTagString(c.type)) continue;
      rt.writeChild(c.parent, { id: c.id, type: typeTagString(c.type), bcs });
    }
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
