#!/usr/bin/env node
// npm run move:build / move:test — compile or test a Move package offline with
// the WASM Sui compiler (or the real `sui` CLI with --with-sui).
import path from 'node:path';
import { Command, Option } from 'commander';
import type { MovePackageProgressEvent } from '@zktx.io/sui-move-builder/full';
import { buildMovePackage, writeBuildOutput, type FrameworkSource } from './build.ts';
import { MoveBuildError, OfflineFetchError } from './errors.ts';
import { DEFAULT_PACKAGE_DIR } from './paths.ts';
import { runSuiMove, SuiBinaryMissingError } from './sui-cli.ts';
import { testMovePackage } from './test-runner.ts';
import { ensureMoveBuilder, pinnedSuiVersion } from './wasm.ts';

interface CliOptions {
  framework: FrameworkSource;
  withSui?: boolean;
}

const display = (p: string) => path.relative(process.cwd(), p) || '.';
const ms = (n: number) => (n >= 1000 ? `${(n / 1000).toFixed(2)} s` : `${Math.round(n)} ms`);

/** Progress on stderr so stdout stays the report. */
function progress(): (event: MovePackageProgressEvent) => void {
  const started = performance.now();
  const say = (text: string) => process.stderr.write(`  · ${text} (${ms(performance.now() - started)})\n`);
  return (event) => {
    switch (event.type) {
      case 'resolve_start':
        return say('resolving dependencies');
      case 'resolve_complete':
        return say(`resolved ${event.count} dependency package(s)`);
      case 'compile_start':
        return say('compiling');
      case 'compile_complete':
        return say('compiled');
      case 'fetch_failed':
        return say(`could not fetch ${event.dependencyName}: ${event.error}`);
      default:
        return undefined;
    }
  };
}

async function startWasm(framework: FrameworkSource): Promise<number> {
  process.stderr.write('  · loading the WASM Sui compiler\n');
  const initMs = await ensureMoveBuilder();
  process.stderr.write(
    `  · Sui ${await pinnedSuiVersion()} compiler ready (${ms(initMs)}), framework: ${framework}\n`,
  );
  return initMs;
}

async function build(dirArg: string | undefined, opts: CliOptions): Promise<number> {
  const dir = path.resolve(dirArg ?? DEFAULT_PACKAGE_DIR);
  if (opts.withSui) return runSuiMove('build', dir);
  const initMs = await startWasm(opts.framework);
  const result = await buildMovePackage(dir, { framework: opts.framework, onProgress: progress() });
  const written = writeBuildOutput(dir, result);
  const names = result.moduleNames ?? [];
  const lines = [
    `Built Move package ${result.packageName} (${display(dir)}) with framework: ${opts.framework}`,
    `  modules (${names.length}): ${names.join(', ')}`,
    `  dependencies: ${result.dependencies.map((d) => d.replace(/^0x0*(?=.)/, '0x')).join(', ')}`,
    `  digest: ${result.digest}`,
    `  output: ${display(written.outDir)}/bytecode_modules/*.mv, ${display(written.jsonPath)}`,
    `  time: WASM init ${ms(initMs)}, build ${ms(result.buildMs)}`,
  ];
  if (result.warnings) {
    const w = result.warnings.split('\n');
    lines.push(`  warnings: ${w.filter((l) => /^warning/.test(l)).length} (first lines below)`);
    lines.push(...w.slice(0, 12).map((l) => `    ${l}`));
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

async function test(dirArg: string | undefined, opts: CliOptions): Promise<number> {
  const dir = path.resolve(dirArg ?? DEFAULT_PACKAGE_DIR);
  if (opts.withSui) return runSuiMove('test', dir);
  const initMs = await startWasm(opts.framework);
  const result = await testMovePackage(dir, { framework: opts.framework, onProgress: progress() });
  process.stdout.write(result.output.endsWith('\n') ? result.output : `${result.output}\n`);
  process.stderr.write(`  · WASM init ${ms(initMs)}, compile + test ${ms(result.testMs)}\n`);
  process.stdout.write(`${result.passedCount} passed, ${result.failedCount} failed\n`);
  return result.passed ? 0 : 1;
}

function main(argv: string[]): Promise<number> {
  const program = new Command()
    .name('move-toolchain')
    .description('Offline Move build and test (WASM Sui compiler, move/shim framework)');
  const frameworkOption = () =>
    new Option('--framework <source>', 'where std/sui come from: shim (offline) or github (online)')
      .choices(['shim', 'github'])
      .default('shim');
  let run: Promise<number> = Promise.resolve(0);
  program
    .command('build')
    .description('compile a Move package; bytecode and a JSON summary go to <dir>/build')
    .argument('[dir]', 'Move package folder', display(DEFAULT_PACKAGE_DIR))
    .addOption(frameworkOption())
    .option('--with-sui', 'use `sui move build` from PATH instead of the WASM compiler')
    .action((dir: string | undefined, opts: CliOptions) => {
      run = build(dir, opts);
    });
  program
    .command('test')
    .description("run a Move package's unit tests (#[test] functions) and report each one")
    .argument('[dir]', 'Move package folder', display(DEFAULT_PACKAGE_DIR))
    .addOption(frameworkOption())
    .option('--with-sui', 'use `sui move test` from PATH instead of the WASM test runner')
    .action((dir: string | undefined, opts: CliOptions) => {
      run = test(dir, opts);
    });
  program.parse(argv);
  return run;
}

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof MoveBuildError || error instanceof OfflineFetchError) {
      process.stderr.write(`${error.message}\n`);
      process.exitCode = 1;
    } else if (error instanceof SuiBinaryMissingError) {
      process.stderr.write(`${error.message}\n`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 1;
    }
  },
);
