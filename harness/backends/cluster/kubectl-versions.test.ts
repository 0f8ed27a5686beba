/**
 * Each kubectl found next to the default one (`kubectl.1.27` … in the Google Cloud SDK's bin
 * folder) runs the core command set against the real control plane and against the embedded
 * cluster. One cluster of each for all.
 * Skips when the control plane is not built (harness/controlplane/availability.ts) or no
 * kubectl is found.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { controlPlaneAvailability } from '../../controlplane/availability.ts';
import { coreSetFailures, findKubectls } from '../../controlplane/kubectl-versions.ts';
import type { ClusterHandle } from '../types.ts';
import { startApiserverCluster } from './apiserver.ts';
import { startEmbeddedKube, type EmbeddedKube } from '../../embedded/kube/server.ts';

const kubectls = await findKubectls();
const availability = await controlPlaneAvailability();
const reason =
  kubectls.length === 0
    ? 'kubectl is not on PATH (install kubectl, or set KUBECTL=/path/to/kubectl)'
    : availability.ok
      ? undefined
      : availability.reason;
if (reason) process.stderr.write(`[kubectl versions] skipped: ${reason}\n`);

describe.skipIf(reason !== undefined)('kubectl versions against the apiserver backend', () => {
  let cluster: ClusterHandle;
  beforeAll(async () => {
    cluster = await startApiserverCluster({ onProgress: () => {} });
  }, 600_000);
  afterAll(async () => {
    await cluster?.stop();
  });

  it.each(kubectls.map((k) => [k.label, k] as const))(
    'kubectl %s passes the core command set',
    async (_label, kubectl) => {
      expect(
        await coreSetFailures(kubectl, cluster.kubeconfigPath, { namespacePrefix: 'kubectl', podsRun: true }),
      ).toBe('');
    },
    180_000,
  );
});

describe.skipIf(kubectls.length === 0)(
  `kubectl versions against the embedded cluster${kubectls.length ? '' : ' (skipped: kubectl is not on PATH)'}`,
  () => {
    let kube: EmbeddedKube;
    beforeAll(async () => {
      kube = await startEmbeddedKube();
    });
    afterAll(async () => {
      await kube?.stop();
    });

    it.each(kubectls.map((k) => [k.label, k] as const))(
      'kubectl %s passes the core command set',
      async (_label, kubectl) => {
        expect(
          await coreSetFailures(kubectl, kube.kubeconfig, { namespacePrefix: 'kubectl', podsRun: true }),
        ).toBe('');
      },
      180_000,
    );
  },
);
