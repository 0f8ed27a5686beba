// One WASM compiler instance per process: initialisation costs a fraction of a
// second and the module is stateless between builds.
import { initMovePackageBuilder, getPinnedSuiVersion } from '@zktx.io/sui-move-builder/full';

let ready: Promise<number> | undefined;

/** Initialise the WASM builder once; resolves to the cold init time in ms. */
export function ensureMoveBuilder(): Promise<number> {
  ready ??= (async () => {
    const started = performance.now();
    await initMovePackageBuilder();
    return performance.now() - started;
  })();
  return ready;
}

/** The Sui version whose compiler and framework revision the WASM build pins. */
export async function pinnedSuiVersion(): Promise<string> {
  await ensureMoveBuilder();
  return getPinnedSuiVersion();
}
