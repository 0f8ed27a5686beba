/**
 * Run a Move package's unit tests in the TypeScript VM (the same bytecode
 * the embedded chain executes):
 *   npx tsx harness/embedded/movevm/cli.ts test move/k8s_gateway [name-filter]
 * Exit code 1 when a test fails.
 */
import path from 'node:path';
import { runPackageTestsInVm } from './testing/run-tests.ts';

async function main(argv: string[]): Promise<number> {
  const [cmd, dir, filter] = argv;
  if (cmd !== 'test' || !dir) {
    process.stderr.write('usage: tsx harness/embedded/movevm/cli.ts test <package-dir> [name-filter]\n');
    return 2;
  }
  const run = await runPackageTestsInVm(path.resolve(dir));
  const results = run.results.filter((r) => !filter || r.name.includes(filter));
  for (const r of results) {
    const ms = r.ms < 1 ? '<1' : r.ms.toFixed(0);
    process.stdout.write(
      `[ ${r.pass ? 'PASS' : 'FAIL'} ] ${r.name} (${ms} ms)${r.pass ? '' : ` — ${r.reason}`}\n`,
    );
  }
  const failed = results.filter((r) => !r.pass).length;
  process.stdout.write(
    `${results.length - failed} passed, ${failed} failed (build ${run.buildMs.toFixed(0)} ms)\n`,
  );
  return failed === 0 ? 0 : 1;
}

process.exitCode = await main(process.argv.slice(2));
