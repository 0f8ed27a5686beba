// Public API of the offline Move toolchain (see README.md).
export { buildMovePackage, writeBuildOutput, moduleNameOf } from './build.ts';
export type {
  BuildOptions,
  FrameworkSource,
  MoveBuildResult,
  MoveToolchainOptions,
  WrittenBuild,
} from './build.ts';
export { testMovePackage, parseTestOutput } from './test-runner.ts';
export type { MoveTestCase, MoveTestResult, MoveTestStatus } from './test-runner.ts';
export { MoveBuildError, OfflineFetchError } from './errors.ts';
export { ShimFetcher, SHIM_PACKAGES, SUI_REPO_URL } from './shim-fetcher.ts';
export { ensureMoveBuilder, pinnedSuiVersion } from './wasm.ts';
export { findSuiBinary, runSuiMove, SuiBinaryMissingError } from './sui-cli.ts';
export { DEFAULT_PACKAGE_DIR, SHIM_ROOT } from './paths.ts';
