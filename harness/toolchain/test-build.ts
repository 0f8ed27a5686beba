// Test-mode builds. `modes: ['test']` is the real thing, but the builder runs
// the Sui bytecode verifier over every compiled module, and in test mode the
// compiler adds a public `unit_test_poison` to each module — which the
// verifier's exhaustive check on `sui::transfer` rejects. So a test-mode build
// of any package that depends on Sui fails inside the builder. The fallback
// here compiles the same test code under a custom compiler mode: `#[test_only]`
// and `#[test]` become `#[mode(k3s_test_build)]` and expected failures are
// recorded as metadata instead of attributes.

/** The custom compiler mode used by the fallback. */
export const TEST_BUILD_MODE = 'k3s_test_build';
/** tests/ files are compiled as sources under this prefix (the builder ignores tests/ otherwise). */
export const TESTS_PREFIX = 'sources/__tests__/';

export interface MoveTestFunction {
  /** `address::module` as written in the source. */
  module: string;
  name: string;
  /** Arguments of `expected_failure(...)` as written (`""` for a bare `expected_failure`). */
  expectedFailure?: string;
  /** Package-relative file and 1-based line of the function. */
  file: string;
  line: number;
}

/** Move the root package's tests/ files under sources/ so a test-mode dump includes them. */
export function withTestsAsSources(files: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, text] of Object.entries(files)) {
    out[name.startsWith('tests/') ? `${TESTS_PREFIX}${name.slice('tests/'.length)}` : name] = text;
  }
  return out;
}

/** Undo `withTestsAsSources` in diagnostics so they name the real file. */
export function restoreTestPaths(text: string): string {
  return text.split(TESTS_PREFIX).join('tests/');
}

/** Split an attribute body on top-level commas. */
function splitTopLevel(body: string): string[] {
  const items: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      items.push(body.slice(start, i).trim());
      start = i + 1;
    }
  }
  items.push(body.slice(start).trim());
  return items.filter((s) => s.length > 0);
}

const ATTRIBUTE = /#\[((?:[^\]"]|"[^"]*")*)\]/g;
const MODULE_DECL = /\bmodule\s+([A-Za-z_][\w]*(?:::[A-Za-z_]\w*)?)\s*[;{]/g;
const FUN_AFTER = /^\s*(?:#\[[^\]]*\]\s*)*(?:public(?:\s*\([^)]*\))?\s+)?(?:entry\s+)?fun\s+([A-Za-z_]\w*)/;

/**
 * Rewrite test attributes of one source file for the custom-mode fallback and
 * collect its test functions.
 */
export function rewriteTestAttributes(
  source: string,
  file: string,
): { source: string; tests: MoveTestFunction[] } {
  const modules = [...source.matchAll(MODULE_DECL)].map((m) => ({ at: m.index, name: m[1] ?? '' }));
  const tests: MoveTestFunction[] = [];
  let pendingExpected: { fun: string; args: string } | undefined;
  const rewritten = source.replace(ATTRIBUTE, (whole, body: string, offset: number) => {
    const items = splitTopLevel(body);
    let isTest = false;
    let expected: string | undefined;
    const kept: string[] = [];
    for (const item of items) {
      const head = /^([A-Za-z_]\w*)/.exec(item)?.[1];
      if (head === 'test' || head === 'random_test') {
        isTest = true;
        kept.push(`mode(${TEST_BUILD_MODE})`);
      } else if (head === 'test_only') {
        kept.push(`mode(${TEST_BUILD_MODE})`);
      } else if (head === 'expected_failure') {
        const args = /^expected_failure\s*\(([\s\S]*)\)\s*$/.exec(item);
        expected = args?.[1]?.trim() ?? '';
      } else {
        kept.push(item);
      }
    }
    const after = source.slice(offset + whole.length);
    const funMatch = FUN_AFTER.exec(after);
    const fun = funMatch?.[1];
    // `#[expected_failure]` may sit in its own attribute next to `#[test]`: merge into that test.
    const last = tests[tests.length - 1];
    if (expected !== undefined && !isTest && fun) {
      if (last && last.name === fun) last.expectedFailure = expected;
      else pendingExpected = { fun, args: expected };
    }
    if (isTest && fun) {
      if (expected === undefined && pendingExpected?.fun === fun) expected = pendingExpected.args;
      pendingExpected = undefined;
      const module = modules.filter((m) => m.at < offset).pop()?.name ?? '';
      const funEnd = offset + whole.length + (funMatch?.[0].length ?? 0);
      const line = source.slice(0, funEnd).split('\n').length;
      tests.push({
        module,
        name: fun,
        file,
        line,
        ...(expected !== undefined ? { expectedFailure: expected } : {}),
      });
    }
    if (items.length === kept.length && kept.every((k, i) => k === items[i])) return whole;
    // Keep the line count so diagnostics still point at the right lines.
    const pad = '\n'.repeat((whole.match(/\n/g) ?? []).length);
    return kept.length === 0 ? pad : `#[${kept.join(', ')}]${pad}`;
  });
  return { source: rewritten, tests };
}

/** True when a builder failure is the test-mode verifier problem described above. */
export function isTestModeVerifierFailure(error: string): boolean {
  return /Sui Module Verification Failure/.test(error) && /unit_test_poison/.test(error);
}
