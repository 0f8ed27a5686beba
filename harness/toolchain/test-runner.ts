// testMovePackage: run a package's Move unit tests with the WASM test runner
// (real Sui natives) and parse the runner's report into per-test results.
import { testMovePackage as runWasmTests } from '@zktx.io/sui-move-builder/full';
import { failure, prepareInput, type MoveToolchainOptions } from './build.ts';
import { stripAnsi } from './text.ts';
import { ensureMoveBuilder } from './wasm.ts';

export type MoveTestStatus = 'pass' | 'fail' | 'timeout';

export interface MoveTestCase {
  /** Fully qualified: `address::module::function`. */
  name: string;
  status: MoveTestStatus;
  /** The runner's failure report for this test (ANSI-free). */
  detail?: string;
}

export interface MoveTestResult {
  passed: boolean;
  tests: MoveTestCase[];
  passedCount: number;
  failedCount: number;
  /** The runner's stdout, ANSI-free. */
  output: string;
  /** Wall-clock time of compile + run (excluding one-time WASM init). */
  testMs: number;
}

export async function testMovePackage(
  dir: string,
  options: MoveToolchainOptions = {},
): Promise<MoveTestResult> {
  await ensureMoveBuilder();
  const input = prepareInput(dir, options);
  const started = performance.now();
  const result = await runWasmTests(input.base);
  const testMs = performance.now() - started;
  if ('error' in result) throw failure(input, result);
  const output = stripAnsi(result.output);
  const tests = parseTestOutput(output);
  // A compile error comes back as a "failed" run whose output is the diagnostic.
  if (!result.passed && tests.length === 0) throw failure(input, { error: output, category: 'compile' });
  const failedCount = tests.filter((t) => t.status !== 'pass').length;
  return {
    passed: result.passed && failedCount === 0,
    tests,
    passedCount: tests.length - failedCount,
    failedCount,
    output,
    testMs,
  };
}

const STATUS_LINE = /^\[\s*(PASS|FAIL|TIMEOUT)\s*\]\s+(\S+)/;
const FAILURES_HEADER = /^Failures in (\S+):\s*$/;
const BLOCK_START = /^┌──\s*(\S+)\s*─+/;
const BLOCK_END = /^└─+/;

/** Parse the Move unit-test runner's report (ANSI-free text). */
export function parseTestOutput(output: string): MoveTestCase[] {
  const tests = new Map<string, MoveTestCase>();
  const lines = output.split('\n');
  for (const line of lines) {
    const m = STATUS_LINE.exec(line);
    if (!m?.[1] || !m[2]) continue;
    tests.set(m[2], { name: m[2], status: m[1].toLowerCase() as MoveTestStatus });
  }
  // Attach each failure block ("┌── name ───" … "└───") to its test.
  let module: string | undefined;
  let current: { name: string; lines: string[] } | undefined;
  for (const line of lines) {
    const header = FAILURES_HEADER.exec(line);
    if (header?.[1]) {
      module = header[1];
      continue;
    }
    const start = BLOCK_START.exec(line);
    if (start?.[1] && module) {
      current = { name: `${module}::${start[1]}`, lines: [] };
      continue;
    }
    if (current && BLOCK_END.test(line)) {
      const test = tests.get(current.name);
      const detail = current.lines
        .map((l) => l.replace(/^│ ?/, ''))
        .join('\n')
        .trim();
      if (test) test.detail = detail;
      current = undefined;
      continue;
    }
    current?.lines.push(line);
  }
  return [...tests.values()];
}
