import { resolve } from 'node:path';
import type { ChainOptions, ClusterOptions } from '../backends/types.ts';
import { partitionByCluster } from './requirements.ts';
import { DEFAULT_CLUSTER_CONFIG, startStack, type Stack, type StackPhase } from '../stack.ts';
import type { AuditedRequest } from './env.ts';
import { loadScenarios } from './loader.ts';
import { newRunId, planScenarios, type ScenarioPlan } from './plan.ts';
import type { RunResult, ScenarioResult, StepResult } from './results.ts';
import { runBounded, runScenario } from './runner.ts';
import { StackEnv } from './stack-env.ts';

/**
 * Scenarios that touch what all scenarios share must run alone: stopping or restarting the
 * listener stalls everyone, and reverting a cluster snapshot would undo the others' objects.
 */
export function needsExclusiveRun(plan: ScenarioPlan): boolean {
  const { setup, steps, teardown, isolation } = plan.loaded.spec;
  return (
    isolation === 'snapshot' ||
    [...(setup ?? []), ...steps, ...(teardown ?? [])].some((s) => s.action !== undefined)
  );
}

export { defaultScenarioFiles, SCENARIOS_DIR } from './scenario-files.ts';

export interface SuiteOptions {
  files: string[];
  chain: ChainOptions;
  cluster: ClusterOptions;
  parallel?: number;
  keepNamespaces?: boolean;
  /** Gateway and listener inside this process (default: separate k3s-daas processes). */
  inProcess?: boolean;
  confidentiality?: 'seal' | 'none';
  workDir?: string;
  onPhase?: (p: StackPhase) => void;
  onScenarioStart?: (plan: ScenarioPlan) => void;
  onStep?: (plan: ScenarioPlan, step: StepResult) => void;
  onScenarioEnd?: (plan: ScenarioPlan, result: ScenarioResult) => void;
  /** Receives the running stack (e.g. to print its URLs). */
  onStack?: (stack: Stack) => void;
}

/** Loads, boots one stack for all scenarios, runs them (bounded parallelism), audits the run. */
export async function runSuite(opts: SuiteOptions): Promise<RunResult> {
  const startedAt = new Date().toISOString();
  const t0 = performance.now();
  const loaded = await loadScenarios(opts.files.map((f) => resolve(f)));
  const runId = newRunId();
  const allPlans = planScenarios(loaded, runId, DEFAULT_CLUSTER_CONFIG.minWriteStake);
  // Scenarios needing what this cluster lacks are skipped with the reason, before any identity is made.
  const { run: plans, skipped } = partitionByCluster(allPlans, opts.cluster.kind);
  const bootStart = performance.now();
  const stack = await startStack({
    chain: opts.chain,
    cluster: opts.cluster,
    identities: plans.flatMap((p) => p.identityRequests),
    workDir: opts.workDir,
    inProcess: opts.inProcess,
    ...(opts.confidentiality ? { confidentiality: opts.confidentiality } : {}),
    onPhase: opts.onPhase,
  });
  const stackBootMs = performance.now() - bootStart;
  opts.onStack?.(stack);
  try {
    const env = new StackEnv(stack);
    const runOne = async (plan: ScenarioPlan): Promise<ScenarioResult> => {
      opts.onScenarioStart?.(plan);
      const r = await runScenario(env, plan, {
        runId,
        workDir: stack.workDir,
        keepNamespace: opts.keepNamespaces,
        onStep: (s) => opts.onStep?.(plan, s),
      });
      opts.onScenarioEnd?.(plan, r);
      return r;
    };
    // Scenarios that must run alone go after the others, one at a time.
    const exclusive = plans.filter(needsExclusiveRun);
    const shared = plans.filter((p) => !needsExclusiveRun(p));
    const results = new Map<ScenarioPlan, ScenarioResult>();
    for (const [p, r] of (await runBounded(shared, opts.parallel ?? 2, runOne)).map(
      (r, i) => [shared[i]!, r] as const,
    ))
      results.set(p, r);
    for (const p of exclusive) results.set(p, await runOne(p));
    for (const [p, r] of skipped) {
      opts.onScenarioStart?.(p);
      opts.onScenarioEnd?.(p, r);
      results.set(p, r);
    }
    const scenarios = allPlans.map((p) => results.get(p)!);
    const all: AuditedRequest[] = scenarios.flatMap((s) => s.requests ?? []);
    const problems = await env.audit(all);
    return {
      startedAt,
      durationMs: performance.now() - t0,
      backends: { chain: stack.chain.kind, cluster: stack.cluster.kind },
      stackBootMs,
      stackPhases: stack.phases.map((p) => ({ ...p })),
      scenarios,
      audit: {
        commands: all.length,
        onChain: all.filter((r) => !r.refused).length,
        refused: all.filter((r) => r.refused).length,
        problems,
      },
      // When something failed, the product's own logs are the next thing one reads.
      ...(problems.length || scenarios.some((x) => x.outcome === 'failed')
        ? {
            componentLogs: {
              gateway: stack.gateway.logs().split('\n').slice(-60).join('\n'),
              listener: stack.listener.logs().split('\n').slice(-60).join('\n'),
            },
          }
        : {}),
    };
  } finally {
    await stack.stop();
  }
}
