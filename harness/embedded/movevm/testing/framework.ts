/**
 * Compiles the framework shim (move/shim/move-stdlib + sui-framework) into
 * bytecode the VM can load at 0x1 / 0x2.
 *
 * The builder only returns the root package's modules, and it compiles a
 * root package at 0x0 — which the Sui-specific checks reject for the
 * framework itself. So the shim sources are bundled into one root package
 * ("FrameworkBundle", no implicit dependencies) whose [addresses] pin std=0x1
 * and sui=0x2. In test mode the sources get the same custom-mode rewrite the
 * toolchain applies to test builds (harness/toolchain/test-build.ts), so the
 * test-only framework functions (tx_context::dummy, test_scenario, …) match
 * what a test-mode package was compiled against.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { dumpMovePackage } from '@zktx.io/sui-move-builder/full';
import { readPackageFiles } from '../../../toolchain/package-files.ts';
import { rewriteTestAttributes, TEST_BUILD_MODE } from '../../../toolchain/test-build.ts';
import { ensureMoveBuilder } from '../../../toolchain/wasm.ts';
import { SHIM_ROOT } from '../../../toolchain/paths.ts';

export interface FrameworkBuild {
  /** base64 modules of std (0x1) and sui (0x2) */
  modules: string[];
}

function bundleFiles(testMode: boolean): Record<string, string> {
  const files: Record<string, string> = {
    'Move.toml': [
      '[package]',
      'name = "FrameworkBundle"',
      'edition = "2024"',
      'implicit-dependencies = false',
      '',
      '[addresses]',
      'std = "0x1"',
      'sui = "0x2"',
      '',
    ].join('\n'),
  };
  for (const [pkg, prefix] of [
    ['move-stdlib', 'std'],
    ['sui-framework', 'sui'],
  ] as const) {
    const src = readPackageFiles(path.join(SHIM_ROOT, pkg), 'dependency');
    for (const [name, text] of Object.entries(src)) {
      if (!name.endsWith('.move')) continue;
      const rel = name.replace(/^sources\//, '');
      files[`sources/${prefix}/${rel}`] = testMode ? rewriteTestAttributes(text, name).source : text;
    }
  }
  return files;
}

/** Build (or reuse from the OS temp dir, keyed by source hash) the framework bytecode. */
export async function buildFramework(opts: { testMode: boolean }): Promise<FrameworkBuild> {
  const files = bundleFiles(opts.testMode);
  const key = createHash('sha256')
    .update(JSON.stringify([opts.testMode, Object.entries(files).sort()]))
    .digest('hex')
    .slice(0, 16);
  const cacheDir = path.join(os.tmpdir(), 'k3s-daas-movevm');
  const cacheFile = path.join(cacheDir, `framework-${key}.json`);
  if (existsSync(cacheFile)) return JSON.parse(readFileSync(cacheFile, 'utf8')) as FrameworkBuild;
  await ensureMoveBuilder();
  const result = await dumpMovePackage({
    files,
    silenceWarnings: true,
    ansiColor: false,
    ...(opts.testMode ? { modes: [TEST_BUILD_MODE] } : {}),
  });
  if ('error' in result)
    throw new Error(`framework shim does not compile (${result.category}):\n${result.error}`);
  const out: FrameworkBuild = { modules: result.modules };
  mkdirSync(cacheDir, { recursive: true });
  writeFileSync(cacheFile, JSON.stringify(out));
  return out;
}
