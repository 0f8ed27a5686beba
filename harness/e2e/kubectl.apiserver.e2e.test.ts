/**
 * kubectl.e2e.test.ts on the real control plane (harness/controlplane: kube-apiserver,
 * controllers, kwok). Skipped with the reason where its binaries are not built.
 */
import { runOnCluster } from './clusters.ts';

await runOnCluster('apiserver', 'kubectl.e2e.test.ts', () => import('./kubectl.e2e.test.ts'));
