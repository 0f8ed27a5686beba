/**
 * Loader and linker: turns compiled module bytes into typed, linked
 * structures. Modules are registered by address and name; handles to other
 * modules are resolved lazily (on first use) so that a package can be loaded
 * before or after the packages it depends on.
 */
import { deserialize } from '@mysten/move-bytecode-template';
import { MoveLinkError } from './errors.ts';
import {
  TK,
  T_ADDRESS,
  T_BOOL,
  T_SIGNER,
  T_U128,
  T_U16,
  T_U256,
  T_U32,
  T_U64,
  T_U8,
  normalizeAddress,
  vectorOf,
  type Type,
} from './types.ts';
import type { Value } from './values.ts';
import { deserializeValue } from './bcs.ts';
import type { PreparedCode } from './prepare.ts';
import type { NativeFunction } from '../natives/registry.ts';
import type { RawInstruction, RawModule, SigToken } from '../../../toolchain/compiled-module.ts';

// ---- shape of `deserialize()` output: harness/toolchain/compiled-module.ts ----
export type { RawInstruction, RawModule, SigToken };

export const ABILITY_COPY = 1;
export const ABILITY_DROP = 2;
export const ABILITY_STORE = 4;
export const ABILITY_KEY = 8;

export interface LoadedDatatype {
  readonly module: LoadedModule;
  readonly name: string;
  readonly abilities: number;
  readonly typeParams: readonly { constraints: number; phantom: boolean }[];
  readonly isEnum: boolean;
  /** index into struct_defs or enum_defs */
  readonly defIndex: number;
  readonly fieldNames: readonly string[];
  readonly variants?: readonly { name: string; fieldNames: readonly string[] }[];
  fieldTypes?: Type[];
  variantTypes?: Type[][];
}

export interface LoadedFunction {
  readonly module: LoadedModule;
  readonly name: string;
  readonly defIndex: number;
  readonly visibility: 'public' | 'private' | 'friend';
  readonly isEntry: boolean;
  readonly typeParamAbilities: readonly number[];
  readonly params: readonly Type[];
  readonly returns: readonly Type[];
  readonly isNative: boolean;
  native?: NativeFunction;
  code?: PreparedCode;
}

export class LoadedModule {
  readonly address: string;
  readonly name: string;
  /** `0x<64 hex>::name` */
  readonly id: string;
  readonly datatypes = new Map<string, LoadedDatatype>();
  readonly functions = new Map<string, LoadedFunction>();
  /** datatypes defined here, by struct_defs / enum_defs index */
  readonly structDefs: LoadedDatatype[] = [];
  readonly enumDefs: LoadedDatatype[] = [];
  readonly functionDefs: LoadedFunction[] = [];
  private readonly dtHandleCache: (LoadedDatatype | undefined)[] = [];
  private readonly fnHandleCache: (LoadedFunction | undefined)[] = [];
  private readonly sigCache: (Type[] | undefined)[] = [];
  private readonly constCache: (Value | undefined)[] = [];
  private readonly constTypeCache: (Type | undefined)[] = [];

  constructor(
    readonly linker: Linker,
    readonly raw: RawModule,
    readonly bytes: Uint8Array,
  ) {
    const self = raw.module_handles[raw.self_module_handle_idx]!;
    this.address = normalizeAddress(raw.address_identifiers[self.address]!);
    this.name = raw.identifiers[self.name]!;
    this.id = `${this.address}::${this.name}`;
    const ident = (i: number): string => raw.identifiers[i]!;
    raw.struct_defs.forEach((def, i) => {
      const h = raw.datatype_handles[def.struct_handle]!;
      const fields = def.field_information === 'Native' ? [] : def.field_information.Declared;
      const dt: LoadedDatatype = {
        module: this,
        name: ident(h.name),
        abilities: h.abilities,
        typeParams: h.type_parameters.map((p) => ({ constraints: p.constraints, phantom: p.is_phantom })),
        isEnum: false,
        defIndex: i,
        fieldNames: fields.map((f) => ident(f.name)),
      };
      this.structDefs.push(dt);
      this.datatypes.set(dt.name, dt);
    });
    raw.enum_defs.forEach((def, i) => {
      const h = raw.datatype_handles[def.enum_handle]!;
      const dt: LoadedDatatype = {
        module: this,
        name: ident(h.name),
        abilities: h.abilities,
        typeParams: h.type_parameters.map((p) => ({ constraints: p.constraints, phantom: p.is_phantom })),
        isEnum: true,
        defIndex: i,
        fieldNames: [],
        variants: def.variants.map((v) => ({
          name: ident(v.variant_name),
          fieldNames: v.fields.map((f) => ident(f.name)),
        })),
      };
      this.enumDefs.push(dt);
      this.datatypes.set(dt.name, dt);
    });
    raw.function_defs.forEach((def, i) => {
      const h = raw.function_handles[def.function]!;
      const fn: LoadedFunction = {
        module: this,
        name: ident(h.name),
        defIndex: i,
        visibility:
          def.visibility === 'Public' ? 'public' : def.visibility === 'Friend' ? 'friend' : 'private',
        isEntry: def.is_entry,
        typeParamAbilities: h.type_parameters,
        get params() {
          return lazy.params();
        },
        get returns() {
          return lazy.returns();
        },
        isNative: !def.code,
      };
      // Signatures may name datatypes of modules loaded later: resolve on first use.
      let params: Type[] | undefined;
      let returns: Type[] | undefined;
      const lazy = {
        params: () => (params ??= this.signature(h.parameters)),
        returns: () => (returns ??= this.signature(h.return_)),
      };
      this.functionDefs.push(fn);
      this.functions.set(fn.name, fn);
    });
  }

  /** Signature token → runtime type (type parameters kept as TK.Param). */
  token(tok: SigToken): Type {
    if (typeof tok === 'string') {
      switch (tok) {
        case 'Bool':
          return T_BOOL;
        case 'U8':
          return T_U8;
        case 'U16':
          return T_U16;
        case 'U32':
          return T_U32;
        case 'U64':
          return T_U64;
        case 'U128':
          return T_U128;
        case 'U256':
          return T_U256;
        case 'Address':
          return T_ADDRESS;
        case 'Signer':
          return T_SIGNER;
        default:
          throw new MoveLinkError(`${this.id}: unknown signature token ${tok}`);
      }
    }
    if ('Vector' in tok) return vectorOf(this.token(tok.Vector));
    if ('Datatype' in tok) return { k: TK.Datatype, d: this.datatypeHandle(tok.Datatype), args: [] };
    if ('DatatypeInstantiation' in tok) {
      const [h, args] = tok.DatatypeInstantiation;
      return { k: TK.Datatype, d: this.datatypeHandle(h), args: args.map((a) => this.token(a)) };
    }
    if ('Reference' in tok) return { k: TK.Ref, t: this.token(tok.Reference) };
    if ('MutableReference' in tok) return { k: TK.MutRef, t: this.token(tok.MutableReference) };
    if ('TypeParameter' in tok) return { k: TK.Param, i: tok.TypeParameter };
    throw new MoveLinkError(`${this.id}: unknown signature token ${JSON.stringify(tok)}`);
  }

  signature(idx: number): Type[] {
    let s = this.sigCache[idx];
    if (!s) {
      const raw = this.raw.signatures[idx];
      if (!raw) throw new MoveLinkError(`${this.id}: signature index ${idx} out of range`);
      s = raw.map((t) => this.token(t));
      this.sigCache[idx] = s;
    }
    return s;
  }

  datatypeHandle(idx: number): LoadedDatatype {
    let d = this.dtHandleCache[idx];
    if (!d) {
      const h = this.raw.datatype_handles[idx]!;
      const mh = this.raw.module_handles[h.module]!;
      const addr = normalizeAddress(this.raw.address_identifiers[mh.address]!);
      const modName = this.raw.identifiers[mh.name]!;
      const name = this.raw.identifiers[h.name]!;
      const m = this.linker.requireModule(addr, modName, `${this.id} uses ${modName}::${name}`);
      d = m.datatypes.get(name);
      if (!d)
        throw new MoveLinkError(
          `${this.id} uses datatype ${m.id}::${name}, which that module does not define`,
        );
      this.dtHandleCache[idx] = d;
    }
    return d;
  }

  functionHandle(idx: number): LoadedFunction {
    let f = this.fnHandleCache[idx];
    if (!f) {
      const h = this.raw.function_handles[idx]!;
      const mh = this.raw.module_handles[h.module]!;
      const addr = normalizeAddress(this.raw.address_identifiers[mh.address]!);
      const modName = this.raw.identifiers[mh.name]!;
      const name = this.raw.identifiers[h.name]!;
      const m = this.linker.requireModule(addr, modName, `${this.id} calls ${modName}::${name}`);
      f = m.functions.get(name);
      if (!f) throw new MoveLinkError(`${this.id} calls ${m.id}::${name}, which that module does not define`);
      this.fnHandleCache[idx] = f;
    }
    return f;
  }

  constantType(idx: number): Type {
    let t = this.constTypeCache[idx];
    if (!t) {
      t = this.token(this.raw.constant_pool[idx]!.type_);
      this.constTypeCache[idx] = t;
    }
    return t;
  }

  /** Decoded constant (callers copy it before handing it to Move code). */
  constant(idx: number): Value {
    let v = this.constCache[idx];
    if (v === undefined) {
      const c = this.raw.constant_pool[idx];
      if (!c) throw new MoveLinkError(`${this.id}: constant index ${idx} out of range`);
      v = deserializeValue(Uint8Array.from(c.data), this.constantType(idx));
      this.constCache[idx] = v;
    }
    return v;
  }
}

/** Registry of loaded modules keyed by `address::name`. */
export class Linker {
  private readonly modules = new Map<string, LoadedModule>();

  constructor(readonly bindNative: (fn: LoadedFunction) => NativeFunction | undefined) {}

  /**
   * Load one module. `selfAddress` replaces the `0x0` address that an
   * unpublished package is compiled with (what publishing does on chain).
   */
  addModule(bytes: Uint8Array, selfAddress?: string): LoadedModule {
    let raw: RawModule;
    // Test-mode builds mark modules with the 0xDEADC0DE magic; the format is otherwise identical.
    if (
      bytes.length >= 4 &&
      bytes[0] === 0xde &&
      bytes[1] === 0xad &&
      bytes[2] === 0xc0 &&
      bytes[3] === 0xde
    ) {
      bytes = Uint8Array.from(bytes);
      bytes.set([0xa1, 0x1c, 0xeb, 0x0b], 0);
    }
    try {
      raw = deserialize(bytes) as unknown as RawModule;
    } catch (e) {
      throw new MoveLinkError(`cannot deserialize module bytes: ${(e as Error).message}`);
    }
    if (selfAddress !== undefined) {
      const zero = '0'.repeat(64);
      const target = normalizeAddress(selfAddress).slice(2);
      raw.address_identifiers = raw.address_identifiers.map((a) =>
        a.replace(/^0x/, '').padStart(64, '0') === zero ? target : a,
      );
    }
    const m = new LoadedModule(this, raw, bytes);
    const existing = this.modules.get(m.id);
    if (existing) {
      // Re-loading the same bytes is a no-op; other code under a loaded ID would leave stale links.
      if (sameBytes(existing.bytes, bytes)) return existing;
      throw new MoveLinkError(
        `module ${m.id} is already loaded with different bytecode; publish changed code at a new address`,
      );
    }
    this.modules.set(m.id, m);
    for (const f of m.functionDefs) if (f.isNative) f.native = this.bindNative(f);
    return m;
  }

  getModule(address: string, name: string): LoadedModule | undefined {
    return this.modules.get(`${normalizeAddress(address)}::${name}`);
  }

  requireModule(address: string, name: string, why: string): LoadedModule {
    const m = this.modules.get(`${address}::${name}`);
    if (!m)
      throw new MoveLinkError(`module ${address}::${name} is not loaded (${why}); load its package first`);
    return m;
  }

  allModules(): LoadedModule[] {
    return [...this.modules.values()];
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
