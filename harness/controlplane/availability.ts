/**
 * Whether the real control plane can run here without surprising anyone: tests use this to
 * skip with a reason. Policy: cached binaries → run; not cached → build only when
 * K3S_DAAS_BUILD_KUBE=1 (a cold build takes minutes, so `npm test` never starts one on its
 * own); no Go and no cache → skip, naming what to install.
 */
import { which } from '../backends/which.ts';
import { cachedBinaries, ensureControlPlaneBinaries, type ControlPlaneBinaries } from './build.ts';

export type Availability =
  | { readonly ok: true; readonly binaries: ControlPlaneBinaries; readonly built: boolean }
  | { readonly ok: false; readonly reason: string };

export async function controlPlaneAvailability(env: NodeJS.ProcessEnv = process.env): Promise<Availability> {
  const cached = await cachedBinaries(env);
  if (cached) return { ok: true, binaries: cached, built: false };
  if (!(await which('go', env.PATH ?? ''))) {
    return {
      ok: false,
      reason:
        'the real control plane is not built and go is not on PATH: install Go ≥ 1.26, then `npx tsx harness/controlplane/cli.ts build` (or set K3S_DAAS_BUILD_KUBE=1)',
    };
  }
  if (env.K3S_DAAS_BUILD_KUBE !== '1') {
    return {
      ok: false,
      reason:
        'the real control plane is not built yet (about 6 minutes on 2 cores, once): run `npx tsx harness/controlplane/cli.ts build`, or set K3S_DAAS_BUILD_KUBE=1 to build it in the test',
    };
  }
  const r = await ensureControlPlaneBinaries({ env });
  return { ok: true, binaries: r.binaries, built: r.built };
}
