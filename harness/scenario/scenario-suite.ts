/**
 * The scenario suite as vitest cases: every scenario in scenarios/ on the embedded backends, one
 * test case each, through the real gateway, listener and kubectl. One stack serves the whole
 * suite (booted once, scenarios isolated by namespace and identities, two at a time).
 * `scenarios.test.ts` runs it on the current RPC profile, `scenarios-rpc-1.71.test.ts` on the
 * Sui 1.71 one (no event RPCs).
 *
 * While a piece of the system is missing from this checkout, the suite is skipped with a
 * reason naming it — the harness never substitutes a fake chain, cluster, gateway or listener.
 */
import { basename } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RpcProfile } from '../backends/types.ts';
import { runCleanups } from '../backends/cleanup.ts';
import { formatFailure } from './assertions.ts';
import { missingPrerequisites } from './prerequisites.ts';
import type { RunResult, ScenarioResult } from './results.ts';
import { runSuite } from './suite.ts';

export async function describeScenarioSuite(files: string[], rpcProfile?: RpcProfile): Promise<void> {
  const label = rpcProfile ? ` (rpc profile ${rpcProfile})` : '';
  const missing = await missingPrerequisites('embedded', 'embedded');
  const reason = missing.length ? `skipped: ${missing.join('; ')}` : '';
  if (reason) process.stderr.write(`[scenarios] ${reason}\n`);

  describe.skipIf(missing.length > 0)(
    `scenarios on embedded backends${label}${reason ? ` (${reason})` : ''}`,
    () => {
      let run: Promise<RunResult>;
      beforeAll(() => {
        run = runSuite({
          files,
          chain: { kind: 'embedded', ...(rpcProfile ? { rpcProfile } : {}) },
          cluster: { kind: 'embedded' },
          parallel: 2,
        });
        // Failures surface in each test; keep the rejection from being reported as unhandled.
        run.catch(() => {});
      });
      afterAll(async () => {
        await run?.catch(() => {});
        await runCleanups();
      });

      for (const file of files) {
        it(
          basename(file, '.yaml'),
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
                `[scenarios] ${s.name} failed; gateway log tail:\n${result.componentLogs.gateway}\n[scenarios] listener log tail:\n${result.componentLogs.listener}\n`,
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
