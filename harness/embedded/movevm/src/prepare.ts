/**
 * Pre-decodes a function body into flat integer arrays (opcode + two
 * operands) and resolves every handle once, so the interpreter loop does no
 * lookups or allocation per instruction. A linear abstract interpretation of
 * operand-stack types gives each `Add`/`Mul`/`Shl`/`Shr` its integer width
 * (the bytecode itself is untyped there). Move's verifier guarantees the
 * operand stack is empty at basic-block boundaries, so one linear pass is
 * exact.
 */
import { MoveLinkError } from './errors.ts';
import {
  TK,
  T_BOOL,
  T_U128,
  T_U16,
  T_U256,
  T_U32,
  T_U64,
  T_U8,
  substitute,
  vectorOf,
  hasParams,
  type Type,
} from './types.ts';
import type { LoadedDatatype, LoadedFunction, LoadedModule } from './loader.ts';
import { datatypeFieldTypes, variantFieldTypes } from './datatype-fields.ts';
import type { Value } from './values.ts';

export const enum Op {
  Pop,
  Ret,
  BrTrue,
  BrFalse,
  Branch,
  LdSmall, // a1 = u8/u16/u32 value
  LdLit, // a1 = index into lits (u64/u128/u256 bigint or immutable constant)
  LdConstCopy, // a1 = index into lits; value must be deep-copied (vectors/structs)
  LdTrue,
  LdFalse,
  CopyLoc,
  MoveLoc,
  StLoc,
  Call, // a1 = index into calls
  Pack, // a1 = field count
  Unpack,
  ReadRef,
  WriteRef,
  FreezeRef,
  BorrowLoc, // a1 = local
  BorrowField, // a1 = field offset
  Add, // a1 = bit width
  Sub,
  Mul, // a1 = bit width
  Mod,
  Div,
  BitOr,
  BitAnd,
  Xor,
  Or,
  And,
  Not,
  Eq,
  Neq,
  Lt,
  Gt,
  Le,
  Ge,
  Abort,
  Nop,
  Shl, // a1 = bit width
  Shr, // a1 = bit width
  VecPack, // a1 = n
  VecLen,
  VecBorrow,
  VecPushBack,
  VecPopBack,
  VecUnpack, // a1 = n
  VecSwap,
  CastU8,
  CastU16,
  CastU32,
  CastU64,
  CastU128,
  CastU256,
  PackVariant, // a1 = tag, a2 = field count
  UnpackVariant, // a1 = tag, a2 = enum index in `enums` (for error messages)
  UnpackVariantRef, // a1 = tag
  VariantSwitch, // a1 = jump table index
}

/** Names of the `Op` values, by number (for coverage reports). */
export const OP_NAMES = [
  'Pop',
  'Ret',
  'BrTrue',
  'BrFalse',
  'Branch',
  'LdSmall',
  'LdLit',
  'LdConstCopy',
  'LdTrue',
  'LdFalse',
  'CopyLoc',
  'MoveLoc',
  'StLoc',
  'Call',
  'Pack',
  'Unpack',
  'ReadRef',
  'WriteRef',
  'FreezeRef',
  'BorrowLoc',
  'BorrowField',
  'Add',
  'Sub',
  'Mul',
  'Mod',
  'Div',
  'BitOr',
  'BitAnd',
  'Xor',
  'Or',
  'And',
  'Not',
  'Eq',
  'Neq',
  'Lt',
  'Gt',
  'Le',
  'Ge',
  'Abort',
  'Nop',
  'Shl',
  'Shr',
  'VecPack',
  'VecLen',
  'VecBorrow',
  'VecPushBack',
  'VecPopBack',
  'VecUnpack',
  'VecSwap',
  'CastU8',
  'CastU16',
  'CastU32',
  'CastU64',
  'CastU128',
  'CastU256',
  'PackVariant',
  'UnpackVariant',
  'UnpackVariantRef',
  'VariantSwitch',
] as const;

export interface CallSite {
  readonly fn: LoadedFunction;
  /** type arguments; may mention the caller's type parameters when `generic` */
  readonly tyArgs: readonly Type[];
  readonly needsSubst: boolean;
  /** parameter count of the callee (hot path of native calls) */
  readonly argc: number;
  /**
   * Instantiations already computed, keyed by the caller's type-argument
   * array (stable per call site), so repeated generic calls reuse the same
   * Type objects — and with them memoized type tags.
   */
  readonly substCache: WeakMap<readonly Type[], readonly Type[]>;
}

export interface PreparedCode {
  readonly ops: Int32Array;
  readonly a1: Int32Array;
  readonly a2: Int32Array;
  readonly lits: Value[];
  readonly calls: CallSite[];
  readonly jumpTables: Int32Array[];
  readonly localCount: number;
  readonly paramCount: number;
}

function bits(t: Type | undefined, what: string): number {
  switch (t?.k) {
    case TK.U8:
      return 8;
    case TK.U16:
      return 16;
    case TK.U32:
      return 32;
    case TK.U64:
      return 64;
    case TK.U128:
      return 128;
    case TK.U256:
      return 256;
    default:
      throw new MoveLinkError(`${what}: operand is not an integer`);
  }
}

function leBytesToBigInt(bytes: number[]): bigint {
  let v = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[i]!);
  return v;
}

function toBig(x: unknown): bigint {
  if (typeof x === 'bigint') return x;
  if (typeof x === 'number') return BigInt(x);
  if (typeof x === 'string') return BigInt(x);
  if (Array.isArray(x)) return leBytesToBigInt(x as number[]);
  throw new MoveLinkError(`unexpected integer literal ${String(x)}`);
}

function refTarget(t: Type | undefined, what: string): Type {
  if (!t || (t.k !== TK.Ref && t.k !== TK.MutRef))
    throw new MoveLinkError(`${what}: expected a reference on the stack`);
  return t.t;
}

export function prepareFunction(fn: LoadedFunction): PreparedCode {
  const m: LoadedModule = fn.module;
  const raw = m.raw;
  const def = raw.function_defs[fn.defIndex]!;
  const body = def.code;
  if (!body) throw new MoveLinkError(`${m.id}::${fn.name} is native and has no body`);
  const where = `${m.id}::${fn.name}`;
  const code = body.code;
  const n = code.length;
  const ops = new Int32Array(n);
  const a1 = new Int32Array(n);
  const a2 = new Int32Array(n);
  const lits: Value[] = [];
  const calls: CallSite[] = [];
  const localTypes = [...fn.params, ...m.signature(body.locals)];
  const st: Type[] = [];
  const pop = (): Type => {
    const t = st.pop();
    if (!t) throw new MoveLinkError(`${where}: operand stack underflow during preparation`);
    return t;
  };

  const structInst = (idx: number): { dt: LoadedDatatype; args: Type[] } => {
    const inst = raw.struct_def_instantiations[idx]!;
    return { dt: m.structDefs[inst.def]!, args: m.signature(inst.type_parameters) };
  };
  const fieldInfo = (handleIdx: number, args: Type[] | null): { offset: number; type: Type } => {
    const fh = raw.field_handles[handleIdx]!;
    const dt = m.structDefs[fh.owner]!;
    const ft = datatypeFieldTypes(dt)[fh.field]!;
    return { offset: fh.field, type: args ? substitute(ft, args) : ft };
  };
  const variantInfo = (
    handleIdx: number,
    generic: boolean,
  ): { dt: LoadedDatatype; tag: number; fields: Type[]; type: Type } => {
    if (!generic) {
      const vh = raw.variant_handles[handleIdx]!;
      const dt = m.enumDefs[vh.enum_def]!;
      return {
        dt,
        tag: vh.variant,
        fields: variantFieldTypes(dt, vh.variant),
        type: { k: TK.Datatype, d: dt, args: [] },
      };
    }
    const vh = raw.variant_instantiation_handles[handleIdx]!;
    const inst = raw.enum_def_instantiations[vh.enum_def]!;
    const dt = m.enumDefs[inst.def]!;
    const args = m.signature(inst.type_parameters);
    return {
      dt,
      tag: vh.variant,
      fields: variantFieldTypes(dt, vh.variant).map((t) => substitute(t, args)),
      type: { k: TK.Datatype, d: dt, args },
    };
  };
  const addCall = (callee: LoadedFunction, tyArgs: Type[]): number => {
    calls.push({
      fn: callee,
      tyArgs,
      needsSubst: tyArgs.some(hasParams),
      argc: callee.params.length,
      substCache: new WeakMap(),
    });
    for (let i = 0; i < callee.params.length; i++) pop();
    for (const r of callee.returns) st.push(tyArgs.length ? substitute(r, tyArgs) : r);
    return calls.length - 1;
  };

  for (let pc = 0; pc < n; pc++) {
    const ins = code[pc]!;
    const name = typeof ins === 'string' ? ins : Object.keys(ins)[0]!;
    const arg: unknown = typeof ins === 'string' ? undefined : (ins as Record<string, unknown>)[name];
    const num = (): number => Number(arg as number);
    let op: Op;
    switch (name) {
      case 'Pop':
        op = Op.Pop;
        pop();
        break;
      case 'Ret':
        op = Op.Ret;
        st.length = 0;
        break;
      case 'BrTrue':
      case 'BrFalse':
        op = name === 'BrTrue' ? Op.BrTrue : Op.BrFalse;
        a1[pc] = num();
        pop();
        break;
      case 'Branch':
        op = Op.Branch;
        a1[pc] = num();
        break;
      case 'LdU8':
        op = Op.LdSmall;
        a1[pc] = num();
        st.push(T_U8);
        break;
      case 'LdU16':
        op = Op.LdSmall;
        a1[pc] = num();
        st.push(T_U16);
        break;
      case 'LdU32':
        op = Op.LdLit; // u32 may exceed int32
        lits.push(num());
        a1[pc] = lits.length - 1;
        st.push(T_U32);
        break;
      case 'LdU64':
      case 'LdU128':
      case 'LdU256':
        op = Op.LdLit;
        lits.push(toBig(arg));
        a1[pc] = lits.length - 1;
        st.push(name === 'LdU64' ? T_U64 : name === 'LdU128' ? T_U128 : T_U256);
        break;
      case 'LdConst': {
        const v = m.constant(num());
        op = typeof v === 'object' ? Op.LdConstCopy : Op.LdLit;
        lits.push(v);
        a1[pc] = lits.length - 1;
        st.push(m.constantType(num()));
        break;
      }
      case 'LdTrue':
        op = Op.LdTrue;
        st.push(T_BOOL);
        break;
      case 'LdFalse':
        op = Op.LdFalse;
        st.push(T_BOOL);
        break;
      case 'CopyLoc':
      case 'MoveLoc':
        op = name === 'CopyLoc' ? Op.CopyLoc : Op.MoveLoc;
        a1[pc] = num();
        st.push(localTypes[num()]!);
        break;
      case 'StLoc':
        op = Op.StLoc;
        a1[pc] = num();
        pop();
        break;
      case 'MutBorrowLoc':
      case 'ImmBorrowLoc':
        op = Op.BorrowLoc;
        a1[pc] = num();
        st.push({ k: name === 'MutBorrowLoc' ? TK.MutRef : TK.Ref, t: localTypes[num()]! });
        break;
      case 'Call': {
        op = Op.Call;
        a1[pc] = addCall(m.functionHandle(num()), []);
        break;
      }
      case 'CallGeneric': {
        op = Op.Call;
        const inst = raw.function_instantiations[num()]!;
        a1[pc] = addCall(m.functionHandle(inst.handle), m.signature(inst.type_parameters));
        break;
      }
      case 'Pack':
      case 'PackGeneric': {
        op = Op.Pack;
        const { dt, args } =
          name === 'Pack' ? { dt: m.structDefs[num()]!, args: [] as Type[] } : structInst(num());
        const nf = datatypeFieldTypes(dt).length;
        a1[pc] = nf;
        for (let i = 0; i < nf; i++) pop();
        st.push({ k: TK.Datatype, d: dt, args });
        break;
      }
      case 'Unpack':
      case 'UnpackGeneric': {
        op = Op.Unpack;
        const { dt, args } =
          name === 'Unpack' ? { dt: m.structDefs[num()]!, args: [] as Type[] } : structInst(num());
        pop();
        for (const ft of datatypeFieldTypes(dt)) st.push(args.length ? substitute(ft, args) : ft);
        break;
      }
      case 'ReadRef':
        op = Op.ReadRef;
        st.push(refTarget(pop(), where));
        break;
      case 'WriteRef':
        op = Op.WriteRef;
        pop();
        pop();
        break;
      case 'FreezeRef':
        op = Op.FreezeRef;
        st.push({ k: TK.Ref, t: refTarget(pop(), where) });
        break;
      case 'MutBorrowField':
      case 'ImmBorrowField':
      case 'MutBorrowFieldGeneric':
      case 'ImmBorrowFieldGeneric': {
        op = Op.BorrowField;
        let info;
        if (name.endsWith('Generic')) {
          const fi = raw.field_instantiations[num()]!;
          info = fieldInfo(fi.handle, m.signature(fi.type_parameters));
        } else info = fieldInfo(num(), null);
        a1[pc] = info.offset;
        pop();
        st.push({ k: name.startsWith('Mut') ? TK.MutRef : TK.Ref, t: info.type });
        break;
      }
      case 'Add':
      case 'Mul':
      case 'Shl':
      case 'Shr': {
        op = name === 'Add' ? Op.Add : name === 'Mul' ? Op.Mul : name === 'Shl' ? Op.Shl : Op.Shr;
        pop();
        const l = pop();
        a1[pc] = bits(l, `${where} offset ${pc} (${name})`);
        st.push(l);
        break;
      }
      case 'Sub':
      case 'Mod':
      case 'Div':
      case 'BitOr':
      case 'BitAnd':
      case 'Xor': {
        op = { Sub: Op.Sub, Mod: Op.Mod, Div: Op.Div, BitOr: Op.BitOr, BitAnd: Op.BitAnd, Xor: Op.Xor }[name];
        pop();
        st.push(pop());
        break;
      }
      case 'Or':
      case 'And':
      case 'Eq':
      case 'Neq':
      case 'Lt':
      case 'Gt':
      case 'Le':
      case 'Ge':
        op = { Or: Op.Or, And: Op.And, Eq: Op.Eq, Neq: Op.Neq, Lt: Op.Lt, Gt: Op.Gt, Le: Op.Le, Ge: Op.Ge }[
          name
        ];
        pop();
        pop();
        st.push(T_BOOL);
        break;
      case 'Not':
        op = Op.Not;
        break;
      case 'Abort':
        op = Op.Abort;
        st.length = 0;
        break;
      case 'Nop':
        op = Op.Nop;
        break;
      case 'VecPack': {
        op = Op.VecPack;
        const [sig, count] = arg as [number, unknown];
        const k = Number(toBig(count));
        a1[pc] = k;
        for (let i = 0; i < k; i++) pop();
        st.push(vectorOf(m.signature(sig)[0]!));
        break;
      }
      case 'VecLen':
        op = Op.VecLen;
        pop();
        st.push(T_U64);
        break;
      case 'VecImmBorrow':
      case 'VecMutBorrow': {
        op = Op.VecBorrow;
        pop();
        pop();
        st.push({ k: name === 'VecMutBorrow' ? TK.MutRef : TK.Ref, t: m.signature(num())[0]! });
        break;
      }
      case 'VecPushBack':
        op = Op.VecPushBack;
        pop();
        pop();
        break;
      case 'VecPopBack':
        op = Op.VecPopBack;
        pop();
        st.push(m.signature(num())[0]!);
        break;
      case 'VecUnpack': {
        op = Op.VecUnpack;
        const [sig, count] = arg as [number, unknown];
        const k = Number(toBig(count));
        a1[pc] = k;
        pop();
        const et = m.signature(sig)[0]!;
        for (let i = 0; i < k; i++) st.push(et);
        break;
      }
      case 'VecSwap':
        op = Op.VecSwap;
        pop();
        pop();
        pop();
        break;
      case 'CastU8':
      case 'CastU16':
      case 'CastU32':
      case 'CastU64':
      case 'CastU128':
      case 'CastU256': {
        const table = {
          CastU8: [Op.CastU8, T_U8],
          CastU16: [Op.CastU16, T_U16],
          CastU32: [Op.CastU32, T_U32],
          CastU64: [Op.CastU64, T_U64],
          CastU128: [Op.CastU128, T_U128],
          CastU256: [Op.CastU256, T_U256],
        } as const;
        const [o, t] = table[name];
        op = o;
        pop();
        st.push(t);
        break;
      }
      case 'PackVariant':
      case 'PackVariantGeneric': {
        op = Op.PackVariant;
        const v = variantInfo(num(), name === 'PackVariantGeneric');
        a1[pc] = v.tag;
        a2[pc] = v.fields.length;
        for (let i = 0; i < v.fields.length; i++) pop();
        st.push(v.type);
        break;
      }
      case 'UnpackVariant':
      case 'UnpackVariantGeneric':
      case 'UnpackVariantImmRef':
      case 'UnpackVariantMutRef':
      case 'UnpackVariantGenericImmRef':
      case 'UnpackVariantGenericMutRef': {
        const generic = name.includes('Generic');
        const v = variantInfo(num(), generic);
        a1[pc] = v.tag;
        pop();
        if (name.endsWith('ImmRef') || name.endsWith('MutRef')) {
          op = Op.UnpackVariantRef;
          const k = name.endsWith('MutRef') ? TK.MutRef : TK.Ref;
          for (const f of v.fields) st.push({ k, t: f });
        } else {
          op = Op.UnpackVariant;
          for (const f of v.fields) st.push(f);
        }
        break;
      }
      case 'VariantSwitch':
        op = Op.VariantSwitch;
        a1[pc] = num();
        pop();
        break;
      default:
        throw new MoveLinkError(
          `${where}: bytecode '${name}' at offset ${pc} is not supported (global-storage instructions are not used on Sui)`,
        );
    }
    ops[pc] = op;
  }
  return {
    ops,
    a1,
    a2,
    lits,
    calls,
    jumpTables: body.jump_tables.map((j) => Int32Array.from(j.jump_table.Full)),
    localCount: localTypes.length,
    paramCount: fn.params.length,
  };
}
