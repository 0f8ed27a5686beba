/**
 * Each kubectl minor version on the machine (`kubectl.1.27` … next to the default one) runs the
 * core command set through the gateway and the contract, on the embedded cluster (issues #15
 * item 5 and #19 item 5: the parameters every version sends must pass). Skips without kubectl.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coreSetFailures, findKubectls } from '../controlplane/kubectl-versions.ts';
import { startE2EStack, type E2EStack } from './e2e-stack.ts';

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

  it.each(kubectls.map((k) => [k.label, k] as const))(
    'kubectl %s passes the core command set through the contract',
    async (_label, kubectl) => {
      const kubeconfig = s.kubeconfigs.get('admin-user')!;
      expect(await coreSetFailures(kubectl, kubeconfig, { namespacePrefix: 'gw', podsRun: false })).toBe('');
    },
    240_000,
  );
});
