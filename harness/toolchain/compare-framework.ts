#!/usr/bin/env node
// Compare the shim with the real framework sources (a checkout of the Sui
// repository at the pinned revision): public API from the compiled bytecode,
// plus abort-code constants from the sources. Differences and shim items the
// real framework lacks are errors; items the shim does not cover are listed.
//
//   npx tsx harness/toolchain/compare-framework.ts --real <sui-checkout>/crates/sui-framework/packages
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { dumpMovePackage } from '@zktx.io/sui-move-builder/full';
import { MoveBuildError } from './errors.ts';
import { readPackageFiles } from './package-files.ts';
import { SHIM_ROOT } from './paths.ts';
import { abortConstants, compareApis, type ApiDifference } from './signatures.ts';
import { stripAnsi } from './text.ts';
import { ensureMoveBuilder } from './wasm.ts';

/** Folder names of the framework packages, as in the Sui repository and move/shim. */
export const FRAMEWORK_PACKAGES = [
  { folder: 'move-stdlib', address: 'std', value: '0x1' },
  { folder: 'sui-framework', address: 'sui', value: '0x2' },
] as const;

/**
 * Compile framework package folders as one root package pinned at 0x1/0x2 (a
 * framework package cannot be the root of a normal build: it would be put at 0x0).
 */
export async function compileFramework(root: string, folders: readonly string[]): Promise<string[]> {
  await ensureMoveBuilder();
  const pkgs = FRAMEWORK_PACKAGES.filter((p) => folders.includes(p.folder));
  const files: Record<string, string> = {
    'Move.toml': [
      '[package]',
      'name = "FrameworkApi"',
      'edition = "2024"',
      'implicit-dependencies = false',
      '',
      '[addresses]',
      ...pkgs.map((p) => `${p.address} = "${p.value}"`),
      '',
    ].join('\n'),
  };
  for (const p of pkgs) {
    for (const [name, text] of Object.entries(readPackageFiles(path.join(root, p.folder), 'dependency'))) {
      if (name.endsWith('.move')) files[`sources/${p.folder}/${name.replace(/^sources\//, '')}`] = text;
    }
  }
  const result = await dumpMovePackage({ files, silenceWarnings: true, ansiColor: false });
  if ('error' in result)
    throw new MoveBuildError(`${root}: ${stripAnsi(result.error)}`, result.category ?? 'compile');
  return result.modules;
}

/** Abort constants per module (`std::option` → { EOPTION_IS_SET → 262144, … }). */
export function frameworkAbortCodes(root: string, folder: string): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const file = path.join(dir, entry);
      if (statSync(file).isDirectory()) walk(file);
      else if (entry.endsWith('.move')) {
        const text = readFileSync(file, 'utf8');
        const module = /\bmodule\s+([\w:]+)\s*[;{]/.exec(text)?.[1];
        if (module) out.set(module, abortConstants(text));
      }
    }
  };
  walk(path.join(root, folder, 'sources'));
  return out;
}

export interface FrameworkComparison {
  api: ApiDifference[];
  aborts: { module: string; name: string; shim: string; real?: string }[];
}

export async function compareFramework(
  realRoot: string,
  shimRoot = SHIM_ROOT,
  folders: readonly string[] = ['move-stdlib'],
): Promise<FrameworkComparison> {
  const [shim, real] = [await compileFramework(shimRoot, folders), await compileFramework(realRoot, folders)];
  const aborts: FrameworkComparison['aborts'] = [];
  for (const folder of folders) {
    const realCodes = frameworkAbortCodes(realRoot, folder);
    for (const [module, codes] of frameworkAbortCodes(shimRoot, folder)) {
      for (const [name, value] of codes) {
        const other = realCodes.get(module)?.get(name);
        if (other !== value)
          aborts.push({ module, name, shim: value, ...(other !== undefined ? { real: other } : {}) });
      }
    }
  }
  return { api: compareApis(shim, real), aborts };
}

async function main(): Promise<number> {
  const program = new Command()
    .name('compare-framework')
    .description('Diff move/shim against real Sui framework sources (public API and abort codes)')
    .requiredOption(
      '--real <dir>',
      'folder holding the real move-stdlib/ and sui-framework/ (crates/sui-framework/packages)',
    )
    .option('--shim <dir>', 'shim folder', SHIM_ROOT)
    .option('--packages <list>', 'comma-separated package folders', 'move-stdlib,sui-framework')
    .parse();
  const opts = program.opts<{ real: string; shim: string; packages: string }>();
  const folders = opts.packages.split(',').map((s) => s.trim());
  const { api, aborts } = await compareFramework(path.resolve(opts.real), path.resolve(opts.shim), folders);
  const errors = api.filter((d) => d.kind !== 'missing-in-shim');
  for (const d of errors) {
    process.stdout.write(
      d.kind === 'different'
        ? `DIFFERENT ${d.item}\n  shim: ${d.shim}\n  real: ${d.real}\n`
        : `NOT IN REAL FRAMEWORK ${d.item}\n  shim: ${d.shim}\n`,
    );
  }
  for (const a of aborts)
    process.stdout.write(`ABORT CODE ${a.module}::${a.name}: shim ${a.shim}, real ${a.real ?? '(absent)'}\n`);
  const missing = api.filter((d) => d.kind === 'missing-in-shim').length;
  process.stdout.write(
    `${errors.length} API difference(s), ${aborts.length} abort-code difference(s); ` +
      `${missing} real item(s) not covered by the shim (fine unless the contract needs them)\n`,
  );
  return errors.length + aborts.length === 0 ? 0 : 1;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().then(
    (code) => (process.exitCode = code),
    (e: unknown) => {
      process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
