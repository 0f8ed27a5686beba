/**
 * `#[expected_failure(...)]` semantics of the Move unit-test runner, applied
 * to the outcome of a test run in the VM.
 */
import { MoveAbortError, MoveExecutionError } from '../src/errors.ts';

export type Outcome =
  | { kind: 'ok' }
  | { kind: 'abort'; code: bigint; module: string; function: string }
  | { kind: 'error'; error: string; module?: string; function?: string; subStatus?: number }
  | { kind: 'crash'; message: string };

export function outcomeOf(e: unknown): Outcome {
  if (e instanceof MoveAbortError)
    return { kind: 'abort', code: e.code, module: e.location.module, function: e.location.function };
  if (e instanceof MoveExecutionError)
    return {
      kind: 'error',
      error: e.kind,
      module: e.location?.module,
      function: e.location?.function,
      ...(e.subStatus !== undefined ? { subStatus: e.subStatus } : {}),
    };
  return { kind: 'crash', message: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
}

export function describeOutcome(o: Outcome): string {
  switch (o.kind) {
    case 'ok':
      return 'returned normally';
    case 'abort':
      return `aborted with code ${o.code} in ${o.module}::${o.function}`;
    case 'error':
      return `${o.error}${o.subStatus !== undefined ? ` (sub-status ${o.subStatus})` : ''}${o.module ? ` in ${o.module}::${o.function}` : ''}`;
    case 'crash':
      return `VM crash: ${o.message}`;
  }
}

export interface ExpectationContext {
  /** `0x…::module` of the test function */
  testModule: string;
  /** named address → 0x… full address */
  namedAddresses: Record<string, string>;
  /** `module::NAME` → value of u64 constants in the package and framework sources */
  constants: Map<string, bigint>;
  /** module aliases of the test's source file (`use a::b as c;` → c → b) */
  aliases?: Map<string, string>;
}

interface Expectation {
  abortCode?: bigint;
  kind?: 'ARITHMETIC_ERROR' | 'OUT_OF_GAS' | 'VECTOR_OPERATION_ERROR';
  /** module name to match (`location = …`), if given */
  locationModule?: string;
  minorStatus?: number;
}

function splitArgs(s: string): string[] {
  return s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
}

function parse(spec: string, ctx: ExpectationContext): Expectation {
  const e: Expectation = {};
  const testModName = ctx.testModule.split('::').pop()!;
  for (const item of splitArgs(spec)) {
    const [k, v] = item.split('=').map((x) => x.trim()) as [string, string | undefined];
    if (k === 'arithmetic_error') e.kind = 'ARITHMETIC_ERROR';
    else if (k === 'out_of_gas') e.kind = 'OUT_OF_GAS';
    else if (k === 'vector_error') e.kind = 'VECTOR_OPERATION_ERROR';
    else if (k === 'minor_status' && v) e.minorStatus = Number(BigInt(v.replace(/_/g, '')));
    else if (k === 'location' && v) e.locationModule = v === 'Self' ? testModName : v.split('::').pop()!;
    else if (k === 'abort_code' && v) {
      const lit = /^(0x[0-9a-fA-F]+|\d+)(?:u\d+)?$/.exec(v.replace(/_/g, ''));
      if (lit) e.abortCode = BigInt(lit[1]!);
      else {
        const parts = v.split('::');
        const name = parts.pop()!;
        const written = parts.length ? parts.pop()! : testModName;
        const mod = ctx.aliases?.get(written) ?? written;
        const c = ctx.constants.get(`${mod}::${name}`);
        if (c === undefined) throw new Error(`cannot resolve abort_code constant '${v}'`);
        e.abortCode = c;
        e.locationModule ??= mod;
      }
    }
  }
  return e;
}

/** Test verdict as the runner would give it: pass, or fail with the reason. */
export function verdict(
  outcome: Outcome,
  expectedFailure: string | undefined,
  ctx: ExpectationContext,
): { pass: boolean; reason: string } {
  const what = describeOutcome(outcome);
  if (expectedFailure === undefined) return { pass: outcome.kind === 'ok', reason: what };
  if (outcome.kind === 'ok')
    return { pass: false, reason: 'expected a failure but the test returned normally' };
  if (outcome.kind === 'crash') return { pass: false, reason: what };
  let exp: Expectation;
  try {
    exp = parse(expectedFailure, ctx);
  } catch (e) {
    return { pass: false, reason: `${what}; ${(e as Error).message}` };
  }
  const modName = (outcome.module ?? '').split('::').pop();
  if (exp.locationModule !== undefined && modName !== exp.locationModule)
    return { pass: false, reason: `${what}; expected location ${exp.locationModule}` };
  if (exp.abortCode !== undefined)
    return outcome.kind === 'abort' && outcome.code === exp.abortCode
      ? { pass: true, reason: what }
      : { pass: false, reason: `${what}; expected abort code ${exp.abortCode}` };
  if (exp.minorStatus !== undefined && (outcome.kind !== 'error' || outcome.subStatus !== exp.minorStatus))
    return { pass: false, reason: `${what}; expected minor status ${exp.minorStatus}` };
  if (exp.kind !== undefined)
    return outcome.kind === 'error' && outcome.error === exp.kind
      ? { pass: true, reason: what }
      : { pass: false, reason: `${what}; expected ${exp.kind}` };
  return { pass: true, reason: what };
}

/** Collect `const NAME: u64 = N;` (also u8..u256) per module from Move sources. */
export function collectConstants(sources: Record<string, string>): Map<string, bigint> {
  const out = new Map<string, bigint>();
  for (const text of Object.values(sources)) {
    const mod = /^\s*module\s+[A-Za-z_0-9]\w*::([A-Za-z_]\w*)\s*[;{]/m.exec(text)?.[1];
    if (!mod) continue;
    for (const m of text.matchAll(
      /\bconst\s+([A-Za-z_]\w*)\s*:\s*u(?:8|16|32|64|128|256)\s*=\s*(0x[0-9a-fA-F_]+|[\d_]+)/g,
    ))
      out.set(`${mod}::${m[1]}`, BigInt(m[2]!.replace(/_/g, '')));
  }
  return out;
}

/** `use addr::module as alias;` and `use addr::module;` declarations of one source file. */
export function moduleAliases(source: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of source.matchAll(/\buse\s+[A-Za-z_]\w*::([A-Za-z_]\w*)(?:\s+as\s+([A-Za-z_]\w*))?\s*;/g))
    out.set(m[2] ?? m[1]!, m[1]!);
  for (const m of source.matchAll(/\buse\s+[A-Za-z_]\w*::([A-Za-z_]\w*)::\{([^}]*)\}/g)) {
    const self = /\bSelf(?:\s+as\s+([A-Za-z_]\w*))?/.exec(m[2]!);
    if (self) out.set(self[1] ?? m[1]!, m[1]!);
  }
  return out;
}
