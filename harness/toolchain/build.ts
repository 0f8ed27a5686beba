// buildMovePackage: compile a Move package from disk with the WASM Sui compiler.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  dumpMovePackage,
  GitHubMovePackageFetcher,
  type MovePackageFailure,
  type MovePackageFetcher,
  type MovePackageInput,
  type MovePackageProgressEvent,
  type MovePackageSuccess,
} from '@zktx.io/sui-move-builder/full';
import { deserialize } from '@mysten/move-bytecode-template';
import { MoveBuildError } from './errors.ts';
import { readPackageFiles, packageName } from './package-files.ts';
import { ShimFetcher } from './shim-fetcher.ts';
import {
  isTestModeVerifierFailure,
  restoreTestPaths,
  rewriteTestAttributes,
  TEST_BUILD_MODE,
  withTestsAsSources,
  type MoveTestFunction,
} from './test-build.ts';
import { stripAnsi, toHex } from './text.ts';
import { ensureMoveBuilder } from './wasm.ts';

export type FrameworkSource = 'shim' | 'github';

export interface MoveToolchainOptions {
  /**
   * `shim` (default): std/sui from move/shim on disk, no network. `github`: the real framework
   * downloaded by the builder (test-mode source rewriting applies to local packages only).
   */
  framework?: FrameworkSource;
  /** Called with builder progress (dependency resolution, compilation). */
  onProgress?: (event: MovePackageProgressEvent) => void;
}

export interface BuildOptions extends MoveToolchainOptions {
  /**
   * Keep #[test] / #[test_only] code (tests/ included). Compiles with `modes: ['test']`;
   * when the builder's Sui verifier rejects that (any package depending on Sui), falls
   * back to the custom-mode build described in test-build.ts. See `testBuild` in the result.
   */
  testMode?: boolean;
}

export interface TestBuildInfo {
  /** `mode-test`: real `modes: ['test']`. `custom-mode`: the fallback (no poison calls). */
  strategy: 'mode-test' | 'custom-mode';
  /** Every #[test] function of the root package, with its expected_failure arguments. */
  testFunctions: MoveTestFunction[];
}

export interface MoveBuildResult {
  /** Compiled modules, base64, in dependency order (publishable as-is). */
  modules: string[];
  /** Package IDs the modules link against, hex with 0x. */
  dependencies: string[];
  /** Package digest (Blake2b-256), lowercase hex without 0x. */
  digest: string;
  /** Compiler warnings, ANSI-free; absent when there are none. */
  warnings?: string;
  /** Module names, same order as `modules`. */
  moduleNames?: string[];
  packageName: string;
  /** Wall-clock time of the build (excluding one-time WASM init). */
  buildMs: number;
  /** Present for `testMode` builds. */
  testBuild?: TestBuildInfo;
}

/** Everything a builder call needs apart from its mode-specific options. */
export interface PreparedInput {
  files: Record<string, string>;
  name: string;
  framework: FrameworkSource;
  fetcher?: MovePackageFetcher;
  base: Pick<MovePackageInput, 'files' | 'fetcher' | 'ansiColor' | 'onProgress' | 'githubToken'>;
}

export function prepareInput(
  dir: string,
  options: MoveToolchainOptions,
  transformSource?: (source: string, file: string) => string,
): PreparedInput {
  const root = path.resolve(dir);
  const files = readPackageFiles(root, 'root');
  if (transformSource) {
    for (const [name, text] of Object.entries(files)) {
      if (name.endsWith('.move')) files[name] = transformSource(text, name);
    }
  }
  const framework = options.framework ?? 'shim';
  if (framework !== 'shim' && framework !== 'github') {
    throw new MoveBuildError(
      `Unknown framework source "${String(framework)}": use "shim" or "github".`,
      'input',
    );
  }
  const token = process.env.GITHUB_TOKEN;
  const shim = new ShimFetcher({ rootDir: root, transformSource });
  // `github`: the builder's own GitHub loader for git dependencies, our disk reader for local ones.
  const fetcher =
    framework === 'shim'
      ? shim
      : Object.assign(new GitHubMovePackageFetcher(token), { fetchLocal: shim.fetchLocal });
  return {
    files,
    name: packageName(files),
    framework,
    fetcher,
    base: {
      files,
      fetcher,
      ansiColor: false,
      onProgress: options.onProgress,
      ...(framework === 'github' && token ? { githubToken: token } : {}),
    },
  };
}

const GITHUB_HINT =
  '--framework github downloads the framework from github.com (set GITHUB_TOKEN against rate limits); ' +
  'without network use --framework shim.';

/** Turn a builder failure into a MoveBuildError with an ANSI-free diagnostic. */
export function failure(
  input: Pick<PreparedInput, 'name' | 'framework'>,
  result: MovePackageFailure,
): MoveBuildError {
  const stage = result.category ?? 'unknown';
  const text = restoreTestPaths(stripAnsi(result.error)).trimEnd();
  const prefix =
    stage === 'compile' ? '' : `Move package ${input.name}: ${stage.replace(/_/g, ' ')} failed\n`;
  const hint = stage === 'dependency_resolution' && input.framework === 'github' ? `\n${GITHUB_HINT}` : '';
  return new MoveBuildError(`${prefix}${text}${hint}`, stage, result.code);
}

export async function buildMovePackage(dir: string, options: BuildOptions = {}): Promise<MoveBuildResult> {
  await ensureMoveBuilder();
  if (options.testMode) return buildForTests(dir, options);
  const input = prepareInput(dir, options);
  const started = performance.now();
  const result = await dumpMovePackage(input.base);
  const buildMs = performance.now() - started;
  if ('error' in result) throw failure(input, result);
  return toResult(input.name, result, buildMs);
}

async function buildForTests(dir: string, options: BuildOptions): Promise<MoveBuildResult> {
  const started = performance.now();
  const input = prepareInput(dir, options);
  const testFunctions = Object.entries(input.files)
    .filter(([name]) => name.endsWith('.move'))
    .flatMap(([name, text]) => rewriteTestAttributes(text, name).tests);
  const real = await dumpMovePackage({
    ...input.base,
    files: withTestsAsSources(input.files),
    modes: ['test'],
  });
  if (!('error' in real)) {
    return toResult(input.name, real, performance.now() - started, { strategy: 'mode-test', testFunctions });
  }
  if (!isTestModeVerifierFailure(real.error)) throw failure(input, real);
  // Fallback: same test code under a custom mode (see test-build.ts).
  const rewrite = (text: string, file: string) => rewriteTestAttributes(text, file).source;
  const custom = prepareInput(dir, options, rewrite);
  const result = await dumpMovePackage({
    ...custom.base,
    files: withTestsAsSources(custom.files),
    modes: [TEST_BUILD_MODE],
  });
  if ('error' in result) throw failure(input, result);
  return toResult(input.name, result, performance.now() - started, {
    strategy: 'custom-mode',
    testFunctions,
  });
}

function toResult(
  name: string,
  result: MovePackageSuccess,
  buildMs: number,
  testBuild?: TestBuildInfo,
): MoveBuildResult {
  const warnings = result.warnings ? stripAnsi(result.warnings).trim() : '';
  return {
    modules: result.modules,
    dependencies: result.dependencies,
    digest: toHex(result.digest),
    ...(warnings ? { warnings } : {}),
    moduleNames: result.modules.map(moduleNameOf),
    packageName: name,
    buildMs,
    ...(testBuild ? { testBuild } : {}),
  };
}

/** The module's own name, read from its bytecode (test builds carry the 0xDEADC0DE magic). */
export function moduleNameOf(base64: string): string {
  const bytes = Buffer.from(base64, 'base64');
  if (bytes.readUInt32BE(0) === 0xdeadc0de) bytes.writeUInt32BE(0xa11ceb0b, 0);
  const module = deserialize(bytes) as {
    self_module_handle_idx: number;
    module_handles: { name: number }[];
    identifiers: string[];
  };
  const handle = module.module_handles[module.self_module_handle_idx];
  const name = handle === undefined ? undefined : module.identifiers[handle.name];
  if (name === undefined)
    throw new MoveBuildError('Compiled module has no self handle (corrupt bytecode?)', 'compiler_output');
  return name;
}

export interface WrittenBuild {
  outDir: string;
  jsonPath: string;
  modulePaths: string[];
}

/**
 * Write `<dir>/build/bytecode_modules/<module>.mv` and `<dir>/build/package-dump.json`
 * ({ modules, dependencies, digest, moduleNames }). The folder is replaced each time.
 */
export function writeBuildOutput(dir: string, result: MoveBuildResult): WrittenBuild {
  const outDir = path.join(path.resolve(dir), 'build');
  const modDir = path.join(outDir, 'bytecode_modules');
  rmSync(modDir, { recursive: true, force: true });
  mkdirSync(modDir, { recursive: true });
  const names = result.moduleNames ?? result.modules.map(moduleNameOf);
  const modulePaths = result.modules.map((b64, i) => {
    const file = path.join(modDir, `${names[i] ?? `module_${i}`}.mv`);
    writeFileSync(file, Buffer.from(b64, 'base64'));
    return file;
  });
  const jsonPath = path.join(outDir, 'package-dump.json');
  const dump = {
    packageName: result.packageName,
    modules: result.modules,
    dependencies: result.dependencies,
    digest: result.digest,
    moduleNames: names,
  };
  writeFileSync(jsonPath, `${JSON.stringify(dump, null, 2)}\n`);
  return { outDir, jsonPath, modulePaths };
}
