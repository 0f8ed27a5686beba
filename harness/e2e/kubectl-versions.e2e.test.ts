/**
 * Each kubectl minor version on the machine (`kubectl.1.27` … next to the default one) runs the
 * core command set through the gateway and the contract (issues #15 item 5 and #19 item 5: the
 * parameters every version sends must pass), on the embedded cluster and on the real control plane
 * (kubectl-versions.apiserver.e2e.test.ts). Skips without kubectl.
 */
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { coreSetFailures, findKubectls, type KubectlBinary } from '../controlplane/kubectl-versions.ts';
import type { ScenarioRequirement } from '../scenario/requirements.ts';
import { e2eCluster, itRequires } from './clusters.ts';
import { startE2EStack, type E2EStack } from './e2e-stack.ts';

/** kubectl 1.27 and 1.28 need /openapi/v2 (protobuf) for apply; later ones use /openapi/v3. */
const needs = (k: KubectlBinary): ScenarioRequirement[] =>
  /^1\.2[78]$/.test(k.label) ? ['small-openapi-v2'] : [];

const kubectls = await findKubectls();
const reason = kubectls.length === 0 ? 'kubectl is not on PATH (install kubectl, or set KUBECTL)' : undefined;
if (reason) process.stderr.write(`[kubectl versions through the gateway] skipped: ${reason}\n`);

describe.skipIf(reason !== undefined)('kubectl versions through the gateway', () => {
  let s: E2EStack;
  beforeAll(async () => {
    s = await startE2EStack([]);
    await s.startListener(0);
  }, 300_000);
  afterAll(() => s?.stop());

  for (const kubectl of kubectls)
    itRequires(
      e2eCluster(),
      needs(kubectl),
      `kubectl ${kubectl.label} passes the core command set through the contract`,
      async () => {
        const kubeconfig = s.kubeconfigs.get('admin-user')!;
        expect(await coreSetFailures(kubectl, kubeconfig, { namespacePrefix: 'gw', podsRun: false })).toBe(
          '',
        );
      },
      240_000,
    );
});
