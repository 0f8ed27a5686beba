import type { MovePackageFailureCategory } from '@zktx.io/sui-move-builder/full';

/**
 * A Move package failed to resolve, compile or run its tests. `message` is the
 * compiler's diagnostic (ANSI-free) with `path:line:col` relative to the
 * package root, e.g. `sources/foo.move:12:5`.
 */
export class MoveBuildError extends Error {
  override readonly name = 'MoveBuildError';
  constructor(
    message: string,
    readonly category: MovePackageFailureCategory | 'input' = 'unknown',
    readonly code?: string,
  ) {
    super(message);
  }
}

/** The offline fetcher was asked for something it cannot serve without a network. */
export class OfflineFetchError extends Error {
  override readonly name = 'OfflineFetchError';
}
