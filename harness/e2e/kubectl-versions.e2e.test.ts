/**
 * Each kubectl minor version on the machine (`kubectl.1.27` … next to the default one) runs the
 * core command set through the gateway and the contract, on the embedded cluster (issues #15
 * item 5 and #19 item 5: the parameters every version sends must pass). Skips without kubectl.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coreCommandSet, findKubectls, runCoreCommandSet } from '../controlplane/kubectl-versions.ts';
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

  it.each(kubectls.map((k) => [k.label, k.path] as const))(
    'kubectl %s passes the core command set through the contract',
    async (label, path) => {
      const ns = `gw-${label.replace('.', '-')}`;
      const failures = await runCoreCommandSet(
        path,
        s.kubeconfigs.get('admin-user')!,
        coreCommandSet(ns, { podsRun: false }),
      );
      expect(
        failures,
        `${path}:\n${failures.map((f) => `  ${f.step}: ${f.command}\n    ${f.detail}`).join('\n')}`,
      ).toEqual([]);
    },
    240_000,
  );
});
