#!/usr/bin/env node
// Compare the shim's declarations (move/shim) with the real Sui framework's,
// and record the real framework's declarations as data.
//
//   npx tsx harness/toolchain/compare-signatures.ts                     shim vs the recorded list
//   npx tsx harness/toolchain/compare-signatures.ts --real <packages>   shim vs a checkout
//   npx tsx harness/toolchain/compare-signatures.ts --record --real <packages> --rev <commit>
//   npx tsx harness/toolchain/compare-signatures.ts --list              the shim's declarations
//
// <packages> is `crates/sui-framework/packages` of a Sui checkout (holding
// move-stdlib/ and sui-framework/). Exit 0 = no difference, 1 = differences.
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { SHIM_ROOT } from './paths.ts';
import {
  compareSignatures,
  formatDifference,
  mustMatch,
  parseSources,
  type SignatureDifference,
  type Signatures,
} from './source-signatures.ts';

/** The framework revision `@zktx.io/sui-move-builder` 0.5.1 (Sui 1.71.1) requests. */
export const PINNED_FRAMEWORK_REV = '73dd2c2ba6f9fdb21d7ffde2b50a3f2f0ac39bc1';
export const FRAMEWORK_FOLDERS = ['move-stdlib', 'sui-framework'] as const;
export const RECORDED_SIGNATURES = path.join(SHIM_ROOT, 'real-framework-signatures.json');

export interface RecordedSignatures {
  /** Where the list came from and how to regenerate it. */
  source: string;
  rev: string;
  generatedBy: string;
  modules: Signatures;
}

/** `.move` files under `<packages>/<folder>/sources` (recursively), keyed by package-relative path. */
export function readFrameworkSources(packagesDir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const folder of FRAMEWORK_FOLDERS) {
    const root = path.join(packagesDir, folder, 'sources');
    if (!existsSync(root) || !statSync(root).isDirectory())
      throw new Error(
        `${root} is missing: pass the folder that holds move-stdlib/ and sui-framework/ ` +
          '(crates/sui-framework/packages of a Sui checkout, or move/shim)',
      );
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(file);
        else if (entry.name.endsWith('.move'))
          out[path.join(folder, path.relative(path.dirname(root), file))] = readFileSync(file, 'utf8');
      }
    };
    walk(root);
  }
  return out;
}

export function shimSignatures(shimRoot = SHIM_ROOT): Signatures {
  return parseSources(readFrameworkSources(shimRoot));
}

export function readRecorded(file = RECORDED_SIGNATURES): RecordedSignatures {
  if (!existsSync(file))
    throw new Error(
      `${file} is missing: regenerate it with \`npx tsx harness/toolchain/compare-signatures.ts --record --real <sui>/crates/sui-framework/packages --rev ${PINNED_FRAMEWORK_REV}\``,
    );
  return JSON.parse(readFileSync(file, 'utf8')) as RecordedSignatures;
}

/** The shim against the recorded real framework (the default check). */
export function compareShimWithRecorded(
  shimRoot = SHIM_ROOT,
  file = RECORDED_SIGNATURES,
): SignatureDifference[] {
  return compareSignatures(shimSignatures(shimRoot), readRecorded(file).modules);
}

export function recordSignatures(packagesDir: string, rev: string): RecordedSignatures {
  return {
    source:
      `crates/sui-framework/packages/{${FRAMEWORK_FOLDERS.join(',')}}/sources of https://github.com/MystenLabs/sui at ${rev} ` +
      '(declarations only, no bodies; the commit was read from a mirror of the tnowacki/sui fork, which holds it)',
    rev,
    generatedBy: `npx tsx harness/toolchain/compare-signatures.ts --record --real <checkout>/crates/sui-framework/packages --rev ${rev}`,
    modules: parseSources(readFrameworkSources(packagesDir)),
  };
}

function main(): number {
  const program = new Command()
    .name('compare-signatures')
    .description(
      'Compare move/shim declarations with the real Sui framework (names, signatures, visibility, layouts, abort codes)',
    )
    .option('--real <dir>', 'crates/sui-framework/packages of a Sui checkout (default: the recorded list)')
    .option('--record', `write the real declarations to ${path.relative(process.cwd(), RECORDED_SIGNATURES)}`)
    .option(
      '--rev <commit>',
      'revision of the checkout given with --real (for --record)',
      PINNED_FRAMEWORK_REV,
    )
    .option('--shim <dir>', 'shim folder', SHIM_ROOT)
    .option('--list', "print the shim's declarations that must match, one per line")
    .parse();
  const opts = program.opts<{ real?: string; record?: boolean; rev: string; shim: string; list?: boolean }>();
  if (opts.list) {
    for (const [module, items] of Object.entries(shimSignatures(path.resolve(opts.shim))))
      for (const [key, d] of Object.entries(items))
        if (mustMatch(key, d))
          process.stdout.write(`${module}: ${d.testOnly ? '#[test_only] ' : ''}${d.sig}\n`);
    return 0;
  }
  if (opts.record) {
    if (!opts.real) throw new Error('--record needs --real <checkout>/crates/sui-framework/packages');
    const recorded = recordSignatures(path.resolve(opts.real), opts.rev);
    writeFileSync(RECORDED_SIGNATURES, `${JSON.stringify(recorded, null, 2)}\n`);
    const count = Object.values(recorded.modules).reduce((n, m) => n + Object.keys(m).length, 0);
    process.stdout.write(
      `${Object.keys(recorded.modules).length} modules, ${count} declarations → ${RECORDED_SIGNATURES}\n`,
    );
    return 0;
  }
  const real = opts.real
    ? parseSources(readFrameworkSources(path.resolve(opts.real)))
    : readRecorded().modules;
  const diffs = compareSignatures(shimSignatures(path.resolve(opts.shim)), real);
  for (const d of diffs) process.stdout.write(`DIFF ${formatDifference(d)}\n`);
  process.stdout.write(`${diffs.length} difference(s) against ${opts.real ?? RECORDED_SIGNATURES}\n`);
  return diffs.length === 0 ? 0 : 1;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    process.exitCode = main();
  } catch (e) {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 2;
  }
}
