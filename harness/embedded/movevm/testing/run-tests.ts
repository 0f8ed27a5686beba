/**
 * Runs a package's #[test] functions in the TS VM with the unit-test
 * runner's semantics (private functions callable, expected_failure applied).
 */
import { buildMovePackage } from '../../../toolchain/index.ts';
import { readPackageFiles } from '../../../toolchain/package-files.ts';
import { SHIM_ROOT } from '../../../toolchain/paths.ts';
import path from 'node:path';
import { MoveVM } from '../src/vm.ts';
import { OP_NAMES } from '../src/prepare.ts';
import { InMemoryObjectRuntime } from '../src/object-runtime.ts';
import { buildFramework } from './framework.ts';
import { collectConstants, moduleAliases, outcomeOf, verdict, type Outcome } from './expected-failure.ts';

/** Gas budget per test, in VM units (the runner's own bound is comparable: an infinite loop fails in both). */
export const TEST_GAS_BUDGET = 5_000_000;

export interface VmTestResult {
  /** `named_address::module::function`, as the WASM runner prints it */
  name: string;
  pass: boolean;
  reason: string;
  outcome: Outcome;
  gasUsed?: number;
  ms: number;
}

export interface VmTestRun {
  results: VmTestResult[];
  buildMs: number;
  /** executed instructions per interpreter op (see OP_NAMES) over all tests */
  coverage: Float64Array;
}

export async function runPackageTestsInVm(dir: string): Promise<VmTestRun> {
  const t0 = performance.now();
  const framework = await buildFramework({ testMode: true });
  const pkg = await buildMovePackage(dir, { testMode: true });
  const buildMs = performance.now() - t0;
  const tests = pkg.testBuild?.testFunctions ?? [];
  const vm = new MoveVM();
  vm.loadPackage(framework.modules);
  vm.loadPackage(pkg.modules);
  const sources: Record<string, string> = {};
  for (const [d, prefix] of [
    [dir, 'pkg'],
    [path.join(SHIM_ROOT, 'move-stdlib'), 'std'],
    [path.join(SHIM_ROOT, 'sui-framework'), 'sui'],
  ] as const) {
    for (const [f, text] of Object.entries(readPackageFiles(d, 'root')))
      if (f.endsWith('.move')) sources[`${prefix}/${f}`] = text;
  }
  const constants = collectConstants(sources);
  const results: VmTestResult[] = [];
  const coverage = new Float64Array(OP_NAMES.length);
  for (const t of tests) {
    const modName = t.module.split('::').pop()!;
    const moduleId = `0x0::${modName}`;
    const runtime = new InMemoryObjectRuntime();
    const started = performance.now();
    let outcome: Outcome;
    let gasUsed: number | undefined;
    try {
      const r = vm.call({
        module: moduleId,
        function: t.name,
        runtime,
        gasBudget: TEST_GAS_BUDGET,
        allowPrivate: true,
        coverage,
      });
      gasUsed = r.gasUsed;
      outcome = { kind: 'ok' };
    } catch (e) {
      outcome = outcomeOf(e);
    }
    const v = verdict(outcome, t.expectedFailure, {
      testModule: moduleId,
      namedAddresses: {},
      constants,
      aliases: moduleAliases(sources[`pkg/${t.file.replace(/^sources\/__tests__\//, 'tests/')}`] ?? ''),
    });
    results.push({
      name: `${t.module}::${t.name}`,
      pass: v.pass,
      reason: v.reason,
      outcome,
      ...(gasUsed !== undefined ? { gasUsed } : {}),
      ms: performance.now() - started,
    });
  }
  return { results, buildMs, coverage };
}
