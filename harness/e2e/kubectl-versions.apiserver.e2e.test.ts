/** kubectl-versions.e2e.test.ts on the real control plane (harness/controlplane); skipped with the reason where it is not built. */
import { runOnCluster } from './clusters.ts';

await runOnCluster(
  'apiserver',
  'kubectl-versions.e2e.test.ts',
  () => import('./kubectl-versions.e2e.test.ts'),
);
