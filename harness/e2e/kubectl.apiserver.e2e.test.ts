/**
 * The kubectl e2e suite (kubectl.suite.ts) on the real control plane (harness/controlplane:
 * kube-apiserver, controllers, kwok). Skipped with the reason where its binaries are not built.
 */
import { e2eClusterSkipReason } from './clusters.ts';
import { kubectlSuite } from './kubectl.suite.ts';

const reason = await e2eClusterSkipReason('apiserver');
if (reason) process.stderr.write(`[kubectl e2e on apiserver] skipped: ${reason}\n`);
kubectlSuite('apiserver', reason);
