/** Build-and-load helpers shared by the tests and the benchmark. */
import { buildMovePackage } from '../../../toolchain/index.ts';
import { MoveVM } from '../src/vm.ts';
import { buildFramework } from './framework.ts';

/**
 * A VM with the framework shim (0x1, 0x2) and the package at `dir` loaded at
 * `address` (the package's 0x0 self address is replaced, as publishing does).
 */
export async function vmWithPackage(
  dir: string,
  address: string,
): Promise<{ vm: MoveVM; modules: string[] }> {
  const framework = await buildFramework({ testMode: false });
  const pkg = await buildMovePackage(dir);
  const vm = new MoveVM();
  vm.loadPackage(framework.modules);
  vm.loadPackage(pkg.modules, { address });
  return { vm, modules: pkg.modules };
}
