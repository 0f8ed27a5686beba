/**
 * The vitest face of the scenario suite: one test case per scenario file, on the given cluster,
 * through the real gateway, listener and kubectl. One stack serves the whole suite (booted once,
 * scenarios isolated by namespace and identities, two at a time). A scenario whose `requires:`
 * the cluster lacks is a skipped case whose title gives the reason; a missing piece of the system
 * (or a control plane that cannot run here) skips the whole suite, naming it — never faked.
 */
import { basename } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCleanups } from '../backends/cleanup.ts';
import type { ClusterKind, RpcProfile } from '../backends/types.ts';
import { formatFailure } from './assertions.ts';
import { loadScenarios } from './loader.ts';
import { missingPrerequisites } from './prerequisites.ts';
import { unmetRequirements } from './requirements.ts';
import type { RunResult, ScenarioResult } from './results.ts';
import { runSuite } from './suite.ts';

export interface ScenarioSuiteOptions {
  cluster: ClusterKind;
  /** the embedded node's RPC profile (default: current) */
  rpcProfile?: RpcProfile;
}

export async function registerScenarioSuite(
  files: readonly string[],
  { cluster, rpcProfile }: ScenarioSuiteOptions,
): Promise<void> {
  const label = rpcProfile ? `, rpc profile ${rpcProfile}` : '';
  const missing = await missingPrerequisites('embedded', cluster);
  const reason = missing.length ? `skipped: ${missing.join('; ')}` : '';
  if (reason) process.stderr.write(`[scenarios on ${cluster}] ${reason}\n`);
  const unmet = new Map(
    (missing.length ? [] : await loadScenarios([...files])).map(
      (l) => [l.file, unmetRequirements(l.spec.requires, cluster)] as const,
    ),
  );

  describe.skipIf(missing.length > 0)(
    `scenarios on the embedded chain${label} and the ${cluster} cluster${reason ? ` (${reason})` : ''}`,
    () => {
      let run: Promise<RunResult>;
      beforeAll(() => {
        const t0 = performance.now();
        run = runSuite({
          files: [...files],
          chain: { kind: 'embedded', ...(rpcProfile ? { rpcProfile } : {}) },
          cluster: { kind: cluster },
          parallel: 2,
        });
        run.then(
          (r) =>
            process.stderr.write(
              `[scenarios on ${cluster}] ${r.scenarios.length} scenarios in ${Math.round(performance.now() - t0)} ms (stack boot ${Math.round(r.stackBootMs ?? 0)} ms)\n`,
            ),
          // Failures surface in each test; keep the rejection from being reported as unhandled.
          () => {},
        );
      });
      afterAll(async () => {
        await run?.catch(() => {});
        await runCleanups();
      });

      for (const file of files) {
        const why = unmet.get(file);
        if (why) process.stderr.write(`[scenarios on ${cluster}] skipped ${basename(file)}: ${why}\n`);
        it.skipIf(why !== undefined)(
          why ? `${basename(file, '.yaml')} (skipped: ${why})` : basename(file, '.yaml'),
          async () => {
            const result = await run;
            const s = result.scenarios.find((x) => x.file === file) as ScenarioResult;
            const report = s.steps
              .filter((st) => st.outcome === 'failed')
              .map(
                (st) =>
                  `${st.name}\n${st.failures.map((f) => formatFailure(f, f.position)).join('\n')}${st.error ? `\nerror: ${st.error}` : ''}`,
              )
              .join('\n\n');
            if (s.outcome === 'failed' && result.componentLogs) {
              process.stderr.write(
                `[scenarios on ${cluster}] ${s.name} failed; gateway log tail:\n${result.componentLogs.gateway}\n[scenarios] listener log tail:\n${result.componentLogs.listener}\n`,
              );
            }
            expect(s.error ?? '', s.error).toBe('');
            expect(report, report).toBe('');
            expect(s.outcome).toBe('passed');
          },
          600_000,
        );
      }

      it('run-wide audit: every command on chain with its response', async () => {
        const result = await run;
        expect(result.audit.problems).toEqual([]);
        expect(result.audit.onChain).toBeGreaterThan(0);
      }, 600_000);
    },
  );
}
