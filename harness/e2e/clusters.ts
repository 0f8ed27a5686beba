/**
 * Which clusters an e2e test file runs on, and what a single test needs from the cluster. A test
 * that depends on what only the embedded cluster simulates names it (the same requirements as a
 * scenario's `requires:`, harness/scenario/requirements.ts) and is skipped elsewhere with the
 * reason in its name and on stderr — never silently.
 */
import { afterAll, describe, it, type TestFunction } from 'vitest';
import { controlPlaneAvailability } from '../controlplane/availability.ts';
import { unmetRequirements, type ScenarioRequirement } from '../scenario/requirements.ts';
import { chooseE2ECluster, e2eCluster, type E2EClusterKind } from './cluster-choice.ts';

export { e2eCluster, type E2EClusterKind };

/** Why the e2e tests cannot boot this cluster here, or undefined when they can. */
export async function e2eClusterSkipReason(kind: E2EClusterKind): Promise<string | undefined> {
  if (kind === 'embedded') return undefined;
  const a = await controlPlaneAvailability();
  return a.ok ? undefined : a.reason;
}

/**
 * Runs a whole e2e test file on another cluster (from `<name>.<cluster>.e2e.test.ts`), or, where
 * that cluster cannot boot here, registers one skipped suite whose title gives the reason.
 */
export async function runOnCluster(
  kind: E2EClusterKind,
  file: string,
  load: () => Promise<unknown>,
): Promise<void> {
  const reason = await e2eClusterSkipReason(kind);
  if (reason) {
    process.stderr.write(`[${file} on ${kind}] skipped: ${reason}\n`);
    describe.skip(`${file} on the ${kind} cluster (skipped: ${reason})`, () => {
      it(`needs the ${kind} cluster`, () => {});
    });
    return;
  }
  chooseE2ECluster(kind);
  // Also where vitest runs files in one process (isolate: false), the next file starts embedded.
  afterAll(() => chooseE2ECluster(undefined));
  await load();
}

/** `it`, run only where the cluster provides every requirement; otherwise skipped with the reason. */
export function itRequires(
  kind: E2EClusterKind,
  requires: readonly ScenarioRequirement[],
  name: string,
  fn: TestFunction,
  timeoutMs?: number,
): void {
  const why = unmetRequirements(requires, kind);
  if (why) process.stderr.write(`[e2e ${kind}] skipped "${name}": ${why}\n`);
  it.skipIf(why !== undefined)(why ? `${name} (skipped: ${why})` : name, fn, timeoutMs);
}
