/**
 * vitest global setup: on a machine with Go where the real control plane is
 * not built yet, build it once before the tests (cached afterwards in
 * ~/.cache/k3s-daas/kube/), so `npm test` runs the real-control-plane tests
 * on a fresh CI machine instead of skipping them. About 8 minutes cold on 2
 * cores, with progress; K3S_DAAS_BUILD_KUBE=0 skips it (the tests then skip
 * with the reason). A failed build does not fail the run: the tests that need
 * the binaries skip and say why.
 */
import { which } from '../backends/which.ts';
import { cachedBinaries, ensureControlPlaneBinaries } from './build.ts';

export default async function setup(): Promise<void> {
  if (process.env.K3S_DAAS_BUILD_KUBE === '0') return;
  if (await cachedBinaries(process.env)) return;
  if (!(await which('go', process.env.PATH ?? ''))) return;
  process.stderr.write('building the real Kubernetes control plane once (K3S_DAAS_BUILD_KUBE=0 to skip)…\n');
  try {
    const r = await ensureControlPlaneBinaries({ env: process.env });
    process.stderr.write(`control plane ready (${r.built ? 'built' : 'cached'})\n`);
  } catch (e) {
    process.stderr.write(`control plane build failed; its tests will skip: ${(e as Error).message}\n`);
  }
}
