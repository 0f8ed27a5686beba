import { EMBEDDED_KUBE_PIECE, EMBEDDED_SUI_PIECE } from '../backends/pieces.ts';
import { probeEntryPoint } from '../backends/load-module.ts';
import { cliAvailable } from '../backends/product/components.ts';
import type { ChainKind, ClusterKind } from '../backends/types.ts';
import { controlPlaneAvailability } from '../controlplane/availability.ts';
import { which } from '../backends/which.ts';

/**
 * The pieces a scenario run needs that may not be present (yet) in this checkout or on this
 * machine. Empty = ready. Used to skip with a reason naming the missing piece, never to fake it.
 */
export async function missingPrerequisites(
  chain: ChainKind = 'embedded',
  cluster: ClusterKind = 'embedded',
): Promise<string[]> {
  const missing: string[] = [];
  if (chain === 'embedded') {
    const r = await probeEntryPoint(
      EMBEDDED_SUI_PIECE,
      import.meta.url,
      '../embedded/sui/index.ts',
      'startEmbeddedSui',
    );
    if (r) missing.push(r);
  }
  if (cluster === 'embedded') {
    const r = await probeEntryPoint(
      EMBEDDED_KUBE_PIECE,
      import.meta.url,
      '../embedded/kube/index.ts',
      'startEmbeddedKube',
    );
    if (r) missing.push(r);
  }
  if (cluster === 'apiserver') {
    const a = await controlPlaneAvailability();
    if (!a.ok) missing.push(a.reason);
  }
  const cli = await cliAvailable();
  if (cli) missing.push(cli);
  if (!(await which(process.env.KUBECTL ?? 'kubectl')))
    missing.push('kubectl is not on PATH (install kubectl 1.32, or set KUBECTL=/path/to/kubectl)');
  return missing;
}
