/**
 * Read-only view of compiled Move modules (function signatures, datatypes, abilities), from the
 * bytecode deserializer in @mysten/move-bytecode-template. Used for GetFunction/GetDatatype,
 * server-side input resolution (mutability) and pure-argument checks; execution is the VM's job.
 */
import { deserialize } from '@mysten/move-bytecode-template';
import { normalizeSuiAddress } from '@mysten/sui/utils';

export const ABILITY = { copy: 1, drop: 2, store: 4, key: 8 } as const;

export type SigBody =
  | { kind: 'bool' | 'u8' | 'u16' | 'u32' | 'u64' | 'u128' | 'u256' | 'address' | 'signer' }
  | { kind: 'vector'; elem: SigBody }
  | { kind: 'datatype'; address: string; module: string; name: string; args: SigBody[] }
  | { kind: 'param'; index: number };

export interface SigType {
  reference: 'none' | 'immutable' | 'mutable';
  body: SigBody;
}

export interface FunctionInfo {
  name: string;
  visibility: 'public' | 'private' | 'friend';
  isEntry: boolean;
  typeParameters: { constraints: number }[];
  parameters: SigType[];
  returns: SigType[];
}

export interface FieldInfo {
  name: string;
  type: SigBody;
}

export interface DatatypeInfo {
  name: string;
  kind: 'struct' | 'enum';
  abilities: number;
  typeParameters: { constraints: number; isPhantom: boolean }[];
  fields: FieldInfo[];
  variants: { name: string; fields: FieldInfo[] }[];
}

export interface ModuleInfo {
  address: string;
  name: string;
  functions: Map<string, FunctionInfo>;
  datatypes: Map<string, DatatypeInfo>;
  /** Modules this one imports, as `address::name`. */
  imports: { address: string; name: string }[];
}

type RawToken = string | { [k: string]: unknown };
interface RawHandle {
  module: number;
  name: number;
  abilities?: number;
  type_parameters: ({ constraints: number; is_phantom: boolean } | number)[];
  parameters?: number;
  return_?: number;
}
interface RawModule {
  self_module_handle_idx: number;
  module_handles: { address: number; name: number }[];
  datatype_handles: RawHandle[];
  function_handles: RawHandle[];
  identifiers: string[];
  address_identifiers: string[];
  signatures: RawToken[][];
  function_defs: { function: number; visibility: string; is_entry: boolean }[];
  struct_defs: { struct_handle: number; field_information: { Declared?: { name: number; signature: RawToken }[] } | string }[];
  enum_defs?: { enum_handle: number; variants: { variant_name: number; fields: { name: number; signature: RawToken }[] }[] }[];
}

const PRIMS: Record<string, SigBody['kind']> = {
  Bool: 'bool',
  U8: 'u8',
  U16: 'u16',
  U32: 'u32',
  U64: 'u64',
  U128: 'u128',
  U256: 'u256',
  Address: 'address',
  Signer: 'signer',
};

const cache = new WeakMap<Uint8Array, ModuleInfo>();

/** Module metadata; cached per byte array (the ledger keeps the same arrays for a package's lifetime). */
export function readModule(bytes: Uint8Array): ModuleInfo {
  let info = cache.get(bytes);
  if (!info) {
    info = parseModule(bytes);
    cache.set(bytes, info);
  }
  return info;
}

function parseModule(bytes: Uint8Array): ModuleInfo {
  const raw = deserialize(bytes) as RawModule;
  const ident = (i: number) => raw.identifiers[i]!;
  const moduleRef = (i: number) => {
    const h = raw.module_handles[i]!;
    return { address: normalizeSuiAddress(raw.address_identifiers[h.address]!), name: ident(h.name) };
  };
  const self = moduleRef(raw.self_module_handle_idx);

  const body = (t: RawToken): SigBody => {
    if (typeof t === 'string') {
      const kind = PRIMS[t];
      if (!kind) throw new Error(`unsupported signature token ${t}`);
      return { kind } as SigBody;
    }
    const [tag, value] = Object.entries(t)[0]!;
    switch (tag) {
      case 'Vector':
        return { kind: 'vector', elem: body(value as RawToken) };
      case 'TypeParameter':
        return { kind: 'param', index: value as number };
      case 'Datatype':
      case 'DatatypeInstantiation': {
        const [idx, args] = tag === 'Datatype' ? [value as number, [] as RawToken[]] : (value as [number, RawToken[]]);
        const h = raw.datatype_handles[idx]!;
        const m = moduleRef(h.module);
        return { kind: 'datatype', address: m.address, module: m.name, name: ident(h.name), args: args.map(body) };
      }
      default:
        throw new Error(`unexpected signature token ${tag} at top level`);
    }
  };
  const sig = (t: RawToken): SigType => {
    if (typeof t === 'object' && 'Reference' in t) return { reference: 'immutable', body: body(t.Reference as RawToken) };
    if (typeof t === 'object' && 'MutableReference' in t) return { reference: 'mutable', body: body(t.MutableReference as RawToken) };
    return { reference: 'none', body: body(t) };
  };

  const functions = new Map<string, FunctionInfo>();
  for (const def of raw.function_defs) {
    const h = raw.function_handles[def.function]!;
    const name = ident(h.name);
    functions.set(name, {
      name,
      visibility: def.visibility === 'Public' ? 'public' : def.visibility === 'Friend' ? 'friend' : 'private',
      isEntry: def.is_entry,
      typeParameters: h.type_parameters.map((c) => ({ constraints: typeof c === 'number' ? c : c.constraints })),
      parameters: raw.signatures[h.parameters!]!.map(sig),
      returns: raw.signatures[h.return_!]!.map(sig),
    });
  }

  const datatypes = new Map<string, DatatypeInfo>();
  const handleInfo = (idx: number) => {
    const h = raw.datatype_handles[idx]!;
    return {
      name: ident(h.name),
      abilities: h.abilities ?? 0,
      typeParameters: h.type_parameters.map((p) =>
        typeof p === 'number' ? { constraints: p, isPhantom: false } : { constraints: p.constraints, isPhantom: p.is_phantom },
      ),
    };
  };
  for (const def of raw.struct_defs) {
    const info = handleInfo(def.struct_handle);
    const declared = typeof def.field_information === 'object' ? (def.field_information.Declared ?? []) : [];
    datatypes.set(info.name, {
      ...info,
      kind: 'struct',
      fields: declared.map((f) => ({ name: ident(f.name), type: body(f.signature) })),
      variants: [],
    });
  }
  for (const def of raw.enum_defs ?? []) {
    const info = handleInfo(def.enum_handle);
    datatypes.set(info.name, {
      ...info,
      kind: 'enum',
      fields: [],
      variants: def.variants.map((v) => ({
        name: ident(v.variant_name),
        fields: v.fields.map((f) => ({ name: ident(f.name), type: body(f.signature) })),
      })),
    });
  }

  const imports = raw.module_handles
    .map((_, i) => moduleRef(i))
    .filter((m) => !(m.address === self.address && m.name === self.name));
  return { ...self, functions, datatypes, imports };
}

/** `0xaddr::module::Name<args>` with full-length addresses, type parameters substituted. */
export function sigBodyToTypeTag(t: SigBody, typeArgs: readonly string[] = []): string {
  switch (t.kind) {
    case 'vector':
      return `vector<${sigBodyToTypeTag(t.elem, typeArgs)}>`;
    case 'param': {
      const a = typeArgs[t.index];
      if (a === undefined) throw new Error(`type parameter T${t.index} has no type argument`);
      return a;
    }
    case 'datatype': {
      const base = `${t.address}::${t.module}::${t.name}`;
      return t.args.length ? `${base}<${t.args.map((a) => sigBodyToTypeTag(a, typeArgs)).join(', ')}>` : base;
    }
    default:
      return t.kind;
  }
}
