/**
 * Which clusters an e2e suite runs on, and what a single test needs from the cluster. A test that
 * depends on what only the embedded cluster simulates names it (the same requirements as a
 * scenario's `requires:`, harness/scenario/requirements.ts) and is skipped elsewhere with the
 * reason in its name and on stderr — never silently.
 */
import { it, type TestFunction } from 'vitest';
import { controlPlaneAvailability } from '../controlplane/availability.ts';
import { unmetRequirements, type ScenarioRequirement } from '../scenario/requirements.ts';
import type { E2EClusterKind } from './e2e-stack.ts';

/** Why the e2e tests cannot boot this cluster here, or undefined when they can. */
export async function e2eClusterSkipReason(kind: E2EClusterKind): Promise<string | undefined> {
  if (kind === 'embedded') return undefined;
  const a = await controlPlaneAvailability();
  return a.ok ? undefined : a.reason;
}

/** A describe title that carries the skip reason, so the report shows why a suite did not run. */
export function suiteTitle(title: string, kind: E2EClusterKind, skipReason: string | undefined): string {
  return `${title} [cluster ${kind}]${skipReason ? ` (skipped: ${skipReason})` : ''}`;
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
