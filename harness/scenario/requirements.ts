/**
 * What a scenario may need that only some clusters provide. A scenario names it under
 * `requires:`; on a cluster without it the scenario is skipped with the reason (never run and
 * passed on something the cluster only pretends, never silently dropped).
 */
import type { ClusterKind } from '../backends/types.ts';
import type { ScenarioPlan } from './plan.ts';
import type { ScenarioResult } from './results.ts';

export type ScenarioRequirement = 'simulated-logs' | 'json-responses' | 'small-openapi-v2';

export const SCENARIO_REQUIREMENTS: Readonly<Record<ScenarioRequirement, string>> = {
  'simulated-logs':
    "container output made up by the cluster: the embedded cluster simulates it; a real cluster reads logs from the node's kubelet, and its pods' output is whatever the image prints (the apiserver backend runs kwok nodes without a kubelet, so there are no logs at all)",
  'json-responses':
    "the stored response body in JSON: the embedded cluster always answers JSON; kube-apiserver answers protobuf to kubectl's typed requests, so the on-chain response is protobuf",
  'small-openapi-v2':
    "an /openapi/v2 document that fits one on-chain response: kubectl 1.27 and 1.28 read it (protobuf) for apply; kube-apiserver's is 1.9 MB, 259 KB gzipped, over the cluster's 240,000-byte response cap, so the listener answers 413; the embedded cluster's is smaller",
};

/** Which clusters provide what. Only the embedded cluster simulates; every real one lacks all of it. */
const PROVIDES: Readonly<Record<ClusterKind, readonly ScenarioRequirement[]>> = {
  embedded: ['simulated-logs', 'json-responses', 'small-openapi-v2'],
  apiserver: [],
  kind: [],
  k3s: [],
  kubeconfig: [],
};

export function isRequirement(s: string): s is ScenarioRequirement {
  return Object.prototype.hasOwnProperty.call(SCENARIO_REQUIREMENTS, s);
}

/** Why a scenario with these requirements cannot run on this cluster, or undefined when it can. */
export function unmetRequirements(
  requires: readonly ScenarioRequirement[] | undefined,
  cluster: ClusterKind,
): string | undefined {
  const missing = (requires ?? []).filter((r) => !PROVIDES[cluster].includes(r));
  if (!missing.length) return undefined;
  return `needs ${missing.map((r) => `${r} (${SCENARIO_REQUIREMENTS[r]})`).join('; ')}, which the ${cluster} cluster does not provide; run it with --cluster embedded`;
}

/** Splits plans into those this cluster can run and skipped results (with the reason) for the rest. */
export function partitionByCluster(
  plans: readonly ScenarioPlan[],
  cluster: ClusterKind,
): { run: ScenarioPlan[]; skipped: Map<ScenarioPlan, ScenarioResult> } {
  const run: ScenarioPlan[] = [];
  const skipped = new Map<ScenarioPlan, ScenarioResult>();
  for (const p of plans) {
    const why = unmetRequirements(p.loaded.spec.requires, cluster);
    if (!why) run.push(p);
    else
      skipped.set(p, {
        name: p.loaded.spec.name,
        file: p.loaded.file,
        namespace: p.namespace,
        outcome: 'skipped',
        durationMs: 0,
        steps: [],
        skipReason: why,
      });
  }
  return { run, skipped };
}
