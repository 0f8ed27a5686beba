/** robustness.e2e.test.ts on the real control plane (harness/controlplane); skipped with the reason where it is not built. */
import { runOnCluster } from './clusters.ts';

await runOnCluster('apiserver', 'robustness.e2e.test.ts', () => import('./robustness.e2e.test.ts'));
