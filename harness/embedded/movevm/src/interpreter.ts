/**
 * The interpreter loop. One shared operand stack, an explicit frame stack
 * (no JS recursion between Move functions), pre-decoded code, and one gas
 * unit per instruction (plus per-call and native costs, see GAS).
 */
import {
  MoveAbortError,
  MoveExecutionError,
  VECTOR_SUB_STATUS,
  type ExecutionErrorKind,
  type MoveLocation,
} from './errors.ts';
import type { LoadedFunction } from './loader.ts';
import { Op, prepareFunction, type PreparedCode } from './prepare.ts';
import type { Session } from './session.ts';
import { substitute, type Type } from './types.ts';
import { Ref, Variant, copyValue, valuesEqual, type Value } from './values.ts';

export const MAX_CALL_DEPTH = 1024;

/** Deterministic cost model, in gas units. */
export const GAS = {
  instruction: 1,
  call: 4,
  nativeBase: 10,
} as const;

const MAX_NUM: Record<number, number> = { 8: 0xff, 16: 0xffff, 32: 0xffffffff };
const MAX_BIG: Record<number, bigint> = {
  64: (1n << 64n) - 1n,
  128: (1n << 128n) - 1n,
  256: (1n << 256n) - 1n,
};
const U64_MAX = MAX_BIG[64]!;
const U128_MAX = MAX_BIG[128]!;
const U256_MAX = MAX_BIG[256]!;

interface Frame {
  fn: LoadedFunction;
  code: PreparedCode;
  locals: Value[];
  pc: number;
  ty: readonly Type[];
}

export function codeOf(fn: LoadedFunction): PreparedCode {
  return (fn.code ??= prepareFunction(fn));
}

class LocatedFailure extends Error {
  constructor(
    readonly kind: ExecutionErrorKind,
    readonly detail: string,
    readonly subStatus?: number,
  ) {
    super(detail);
  }
}

function fail(kind: ExecutionErrorKind, detail: string, subStatus?: number): never {
  throw new LocatedFailure(kind, detail, subStatus);
}

function toNum(v: Value, max: number, what: string): number {
  if (typeof v === 'number') {
    if (v > max) fail('ARITHMETIC_ERROR', `cast to ${what} overflows`);
    return v;
  }
  if ((v as bigint) > BigInt(max)) fail('ARITHMETIC_ERROR', `cast to ${what} overflows`);
  return Number(v as bigint);
}

function toBig(v: Value, max: bigint, what: string): bigint {
  const b = typeof v === 'number' ? BigInt(v) : (v as bigint);
  if (b > max) fail('ARITHMETIC_ERROR', `cast to ${what} overflows`);
  return b;
}

function vecIndex(v: Value): number {
  // indices are u64 (bigint); anything beyond 2^53 is out of range anyway
  return Number(v as bigint);
}

/**
 * Run `entry` with `args` (already converted to VM values) to completion and
 * return its results. Throws MoveAbortError / MoveExecutionError.
 */
export function execute(s: Session, entry: LoadedFunction, tyArgs: readonly Type[], args: Value[]): Value[] {
  if (entry.isNative) return callNative(s, entry, tyArgs, args);
  const stack: Value[] = [];
  let sp = 0;
  const frames: Frame[] = [];
  let fn = entry;
  let code = codeOf(fn);
  let ops = code.ops;
  let a1 = code.a1;
  let locals: Value[] = new Array<Value>(code.localCount);
  for (let i = 0; i < args.length; i++) locals[i] = args[i]!;
  let ty = tyArgs;
  let pc = 0;
  let gas = s.gasLeft;
  const cov = s.coverage;

  try {
    for (;;) {
      if (--gas < 0) {
        s.gasLeft = gas;
        fail('OUT_OF_GAS', 'gas budget exhausted');
      }
      if (cov !== undefined) cov[ops[pc]!]!++;
      switch (ops[pc]) {
        case Op.Pop:
          sp--;
          stack[sp] = undefined as unknown as Value;
          pc++;
          break;
        case Op.Ret: {
          const parent = frames.pop();
          if (!parent) {
            s.gasLeft = gas;
            const n = fn.returns.length;
            return stack.slice(sp - n, sp);
          }
          fn = parent.fn;
          code = parent.code;
          ops = code.ops;
          a1 = code.a1;
          locals = parent.locals;
          ty = parent.ty;
          pc = parent.pc;
          break;
        }
        case Op.BrTrue:
          pc = stack[--sp] ? a1[pc]! : pc + 1;
          break;
        case Op.BrFalse:
          pc = stack[--sp] ? pc + 1 : a1[pc]!;
          break;
        case Op.Branch:
          pc = a1[pc]!;
          break;
        case Op.LdSmall:
          stack[sp++] = a1[pc]!;
          pc++;
          break;
        case Op.LdLit:
          stack[sp++] = code.lits[a1[pc]!]!;
          pc++;
          break;
        case Op.LdConstCopy:
          stack[sp++] = copyValue(code.lits[a1[pc]!]!);
          pc++;
          break;
        case Op.LdTrue:
          stack[sp++] = true;
          pc++;
          break;
        case Op.LdFalse:
          stack[sp++] = false;
          pc++;
          break;
        case Op.CopyLoc: {
          const v = locals[a1[pc]!]!;
          stack[sp++] = typeof v === 'object' ? copyValue(v) : v;
          pc++;
          break;
        }
        case Op.MoveLoc: {
          const i = a1[pc]!;
          stack[sp++] = locals[i]!;
          locals[i] = undefined as unknown as Value;
          pc++;
          break;
        }
        case Op.StLoc:
          locals[a1[pc]!] = stack[--sp]!;
          pc++;
          break;
        case Op.Call: {
          const cs = code.calls[a1[pc]!]!;
          const callee = cs.fn;
          let targs = cs.tyArgs;
          if (cs.needsSubst) {
            const cached = cs.substCache.get(ty);
            if (cached) targs = cached;
            else {
              targs = cs.tyArgs.map((t) => substitute(t, ty));
              cs.substCache.set(ty, targs);
            }
          }
          gas -= GAS.call;
          if (callee.isNative) {
            const np = cs.argc;
            const nargs = stack.slice(sp - np, sp);
            sp -= np;
            s.gasLeft = gas;
            const res = callNative(s, callee, targs, nargs);
            gas = s.gasLeft;
            for (let i = 0; i < res.length; i++) stack[sp++] = res[i]!;
            pc++;
            break;
          }
          if (frames.length >= MAX_CALL_DEPTH)
            fail('CALL_STACK_OVERFLOW', `call depth exceeds ${MAX_CALL_DEPTH}`);
          frames.push({ fn, code, locals, pc: pc + 1, ty });
          fn = callee;
          code = codeOf(callee);
          ops = code.ops;
          a1 = code.a1;
          const np = code.paramCount;
          locals = new Array<Value>(code.localCount);
          sp -= np;
          for (let i = 0; i < np; i++) locals[i] = stack[sp + i]!;
          ty = targs;
          pc = 0;
          break;
        }
        case Op.Pack: {
          const n = a1[pc]!;
          const fields = stack.slice(sp - n, sp);
          sp -= n;
          stack[sp++] = fields;
          pc++;
          break;
        }
        case Op.Unpack: {
          const fields = stack[--sp] as Value[];
          for (let i = 0; i < fields.length; i++) stack[sp++] = fields[i]!;
          pc++;
          break;
        }
        case Op.ReadRef: {
          const r = stack[sp - 1] as Ref;
          const v = r.c[r.i]!;
          stack[sp - 1] = typeof v === 'object' ? copyValue(v) : v;
          pc++;
          break;
        }
        case Op.WriteRef: {
          const r = stack[--sp] as Ref;
          r.c[r.i] = stack[--sp]!;
          pc++;
          break;
        }
        case Op.FreezeRef:
        case Op.Nop:
          pc++;
          break;
        case Op.BorrowLoc:
          stack[sp++] = new Ref(locals, a1[pc]!);
          pc++;
          break;
        case Op.BorrowField: {
          const r = stack[sp - 1] as Ref;
          stack[sp - 1] = new Ref(r.c[r.i] as Value[], a1[pc]!);
          pc++;
          break;
        }
        case Op.Add: {
          const r = stack[--sp]!;
          const l = stack[sp - 1]!;
          const w = a1[pc]!;
          if (typeof l === 'number') {
            const x = l + (r as number);
            if (x > MAX_NUM[w]!) fail('ARITHMETIC_ERROR', `u${w} addition overflow`);
            stack[sp - 1] = x;
          } else {
            const x = (l as bigint) + (r as bigint);
            if (x > MAX_BIG[w]!) fail('ARITHMETIC_ERROR', `u${w} addition overflow`);
            stack[sp - 1] = x;
          }
          pc++;
          break;
        }
        case Op.Sub: {
          const r = stack[--sp]!;
          const l = stack[sp - 1]!;
          if (typeof l === 'number') {
            const x = l - (r as number);
            if (x < 0) fail('ARITHMETIC_ERROR', 'subtraction underflow');
            stack[sp - 1] = x;
          } else {
            const x = (l as bigint) - (r as bigint);
            if (x < 0n) fail('ARITHMETIC_ERROR', 'subtraction underflow');
            stack[sp - 1] = x;
          }
          pc++;
          break;
        }
        case Op.Mul: {
          const r = stack[--sp]!;
          const l = stack[sp - 1]!;
          const w = a1[pc]!;
          if (typeof l === 'number') {
            const x = l * (r as number);
            if (x > MAX_NUM[w]!) fail('ARITHMETIC_ERROR', `u${w} multiplication overflow`);
            stack[sp - 1] = x;
          } else {
            const x = (l as bigint) * (r as bigint);
            if (x > MAX_BIG[w]!) fail('ARITHMETIC_ERROR', `u${w} multiplication overflow`);
            stack[sp - 1] = x;
          }
          pc++;
          break;
        }
        case Op.Div:
        case Op.Mod: {
          const r = stack[--sp]!;
          const l = stack[sp - 1]!;
          const isDiv = ops[pc] === Op.Div;
          if (typeof l === 'number') {
            if (r === 0) fail('ARITHMETIC_ERROR', isDiv ? 'division by zero' : 'modulo by zero');
            stack[sp - 1] = isDiv ? Math.floor(l / (r as number)) : l % (r as number);
          } else {
            if (r === 0n) fail('ARITHMETIC_ERROR', isDiv ? 'division by zero' : 'modulo by zero');
            stack[sp - 1] = isDiv ? (l as bigint) / (r as bigint) : (l as bigint) % (r as bigint);
          }
          pc++;
          break;
        }
        case Op.BitOr: {
          const r = stack[--sp]!;
          const l = stack[sp - 1]!;
          stack[sp - 1] = typeof l === 'number' ? (l | (r as number)) >>> 0 : (l as bigint) | (r as bigint);
          pc++;
          break;
        }
        case Op.BitAnd: {
          const r = stack[--sp]!;
          const l = stack[sp - 1]!;
          stack[sp - 1] = typeof l === 'number' ? (l & (r as number)) >>> 0 : (l as bigint) & (r as bigint);
          pc++;
          break;
        }
        case Op.Xor: {
          const r = stack[--sp]!;
          const l = stack[sp - 1]!;
          stack[sp - 1] = typeof l === 'number' ? (l ^ (r as number)) >>> 0 : (l as bigint) ^ (r as bigint);
          pc++;
          break;
        }
        case Op.Shl: {
          const r = stack[--sp] as number;
          const l = stack[sp - 1]!;
          const w = a1[pc]!;
          if (r >= w) fail('ARITHMETIC_ERROR', `shift by ${r} on u${w}`);
          if (typeof l === 'number') stack[sp - 1] = w === 32 ? (l << r) >>> 0 : (l << r) & MAX_NUM[w]!;
          else stack[sp - 1] = ((l as bigint) << BigInt(r)) & MAX_BIG[w]!;
          pc++;
          break;
        }
        case Op.Shr: {
          const r = stack[--sp] as number;
          const l = stack[sp - 1]!;
          const w = a1[pc]!;
          if (r >= w) fail('ARITHMETIC_ERROR', `shift by ${r} on u${w}`);
          stack[sp - 1] = typeof l === 'number' ? l >>> r : (l as bigint) >> BigInt(r);
          pc++;
          break;
        }
        case Op.Or: {
          const r = stack[--sp];
          stack[sp - 1] = (stack[sp - 1] as boolean) || (r as boolean);
          pc++;
          break;
        }
        case Op.And: {
          const r = stack[--sp];
          stack[sp - 1] = (stack[sp - 1] as boolean) && (r as boolean);
          pc++;
          break;
        }
        case Op.Not:
          stack[sp - 1] = !stack[sp - 1];
          pc++;
          break;
        case Op.Eq: {
          const r = stack[--sp]!;
          const l = stack[sp - 1]!;
          stack[sp - 1] = typeof l === 'object' ? valuesEqual(l, r) : l === r;
          pc++;
          break;
        }
        case Op.Neq: {
          const r = stack[--sp]!;
          const l = stack[sp - 1]!;
          stack[sp - 1] = typeof l === 'object' ? !valuesEqual(l, r) : l !== r;
          pc++;
          break;
        }
        case Op.Lt: {
          const r = stack[--sp] as number;
          stack[sp - 1] = (stack[sp - 1] as number) < r;
          pc++;
          break;
        }
        case Op.Gt: {
          const r = stack[--sp] as number;
          stack[sp - 1] = (stack[sp - 1] as number) > r;
          pc++;
          break;
        }
        case Op.Le: {
          const r = stack[--sp] as number;
          stack[sp - 1] = (stack[sp - 1] as number) <= r;
          pc++;
          break;
        }
        case Op.Ge: {
          const r = stack[--sp] as number;
          stack[sp - 1] = (stack[sp - 1] as number) >= r;
          pc++;
          break;
        }
        case Op.Abort: {
          const c = stack[--sp] as bigint;
          s.gasLeft = gas;
          throw new MoveAbortError(c, { module: fn.module.id, function: fn.name, offset: pc });
        }
        case Op.VecPack: {
          const n = a1[pc]!;
          const v = stack.slice(sp - n, sp);
          sp -= n;
          stack[sp++] = v;
          gas -= n >> 3;
          pc++;
          break;
        }
        case Op.VecLen: {
          const r = stack[sp - 1] as Ref;
          stack[sp - 1] = BigInt((r.c[r.i] as Value[]).length);
          pc++;
          break;
        }
        case Op.VecBorrow: {
          const idx = vecIndex(stack[--sp]!);
          const r = stack[sp - 1] as Ref;
          const vec = r.c[r.i] as Value[];
          if (idx >= vec.length)
            fail(
              'VECTOR_OPERATION_ERROR',
              `index ${idx} out of bounds for length ${vec.length}`,
              VECTOR_SUB_STATUS.INDEX_OUT_OF_BOUNDS,
            );
          stack[sp - 1] = new Ref(vec, idx);
          pc++;
          break;
        }
        case Op.VecPushBack: {
          const v = stack[--sp]!;
          const r = stack[--sp] as Ref;
          (r.c[r.i] as Value[]).push(v);
          pc++;
          break;
        }
        case Op.VecPopBack: {
          const r = stack[sp - 1] as Ref;
          const vec = r.c[r.i] as Value[];
          if (vec.length === 0)
            fail('VECTOR_OPERATION_ERROR', 'pop_back on an empty vector', VECTOR_SUB_STATUS.POP_EMPTY_VEC);
          stack[sp - 1] = vec.pop()!;
          pc++;
          break;
        }
        case Op.VecUnpack: {
          const vec = stack[--sp] as Value[];
          const n = a1[pc]!;
          if (vec.length !== n)
            fail(
              'VECTOR_OPERATION_ERROR',
              `vector unpack expected length ${n}, got ${vec.length}`,
              VECTOR_SUB_STATUS.VEC_UNPACK_PARITY_MISMATCH,
            );
          for (let i = 0; i < n; i++) stack[sp++] = vec[i]!;
          pc++;
          break;
        }
        case Op.VecSwap: {
          const j = vecIndex(stack[--sp]!);
          const i = vecIndex(stack[--sp]!);
          const r = stack[--sp] as Ref;
          const vec = r.c[r.i] as Value[];
          if (i >= vec.length || j >= vec.length)
            fail(
              'VECTOR_OPERATION_ERROR',
              `swap index out of bounds for length ${vec.length}`,
              VECTOR_SUB_STATUS.INDEX_OUT_OF_BOUNDS,
            );
          const t = vec[i]!;
          vec[i] = vec[j]!;
          vec[j] = t;
          pc++;
          break;
        }
        case Op.CastU8:
          stack[sp - 1] = toNum(stack[sp - 1]!, 0xff, 'u8');
          pc++;
          break;
        case Op.CastU16:
          stack[sp - 1] = toNum(stack[sp - 1]!, 0xffff, 'u16');
          pc++;
          break;
        case Op.CastU32:
          stack[sp - 1] = toNum(stack[sp - 1]!, 0xffffffff, 'u32');
          pc++;
          break;
        case Op.CastU64:
          stack[sp - 1] = toBig(stack[sp - 1]!, U64_MAX, 'u64');
          pc++;
          break;
        case Op.CastU128:
          stack[sp - 1] = toBig(stack[sp - 1]!, U128_MAX, 'u128');
          pc++;
          break;
        case Op.CastU256:
          stack[sp - 1] = toBig(stack[sp - 1]!, U256_MAX, 'u256');
          pc++;
          break;
        case Op.PackVariant: {
          const n = code.a2[pc]!;
          const fields = stack.slice(sp - n, sp);
          sp -= n;
          stack[sp++] = new Variant(a1[pc]!, fields);
          pc++;
          break;
        }
        case Op.UnpackVariant: {
          const v = stack[--sp] as Variant;
          if (v.tag !== a1[pc]) fail('UNREACHABLE', `variant tag mismatch (have ${v.tag}, unpack ${a1[pc]})`);
          for (let i = 0; i < v.fields.length; i++) stack[sp++] = v.fields[i]!;
          pc++;
          break;
        }
        case Op.UnpackVariantRef: {
          const r = stack[--sp] as Ref;
          const v = r.c[r.i] as Variant;
          if (v.tag !== a1[pc]) fail('UNREACHABLE', `variant tag mismatch (have ${v.tag}, unpack ${a1[pc]})`);
          for (let i = 0; i < v.fields.length; i++) stack[sp++] = new Ref(v.fields, i);
          pc++;
          break;
        }
        case Op.VariantSwitch: {
          const r = stack[--sp] as Ref;
          const v = r.c[r.i] as Variant;
          pc = code.jumpTables[a1[pc]!]![v.tag]!;
          break;
        }
        default:
          fail('UNREACHABLE', `unknown opcode ${ops[pc]}`);
      }
    }
  } catch (e) {
    s.gasLeft = Math.min(s.gasLeft, gas);
    if (e instanceof LocatedFailure) {
      const loc: MoveLocation = { module: fn.module.id, function: fn.name, offset: pc };
      throw new MoveExecutionError(e.kind, e.detail, loc, e.subStatus);
    }
    if (e instanceof RangeError && /call stack/i.test(e.message))
      throw new MoveExecutionError('CALL_STACK_OVERFLOW', 'native recursion too deep', {
        module: fn.module.id,
        function: fn.name,
        offset: pc,
      });
    throw e;
  }
}

function callNative(s: Session, fn: LoadedFunction, ty: readonly Type[], args: Value[]): Value[] {
  const impl = fn.native;
  if (!impl)
    throw new MoveExecutionError(
      'MISSING_NATIVE',
      `native function ${fn.module.id}::${fn.name} is not implemented by this VM`,
      {
        module: fn.module.id,
        function: fn.name,
        offset: 0,
      },
    );
  s.charge(GAS.nativeBase, fn);
  return impl(s, fn, ty, args);
}
