/**
 * The chaos run of issue #16 (harness/e2e/chaos.ts): 3 listener processes (each its own executor),
 * 8 clients sending ConfigMap creates through the gateway without retries, SIGKILLs every 0.5–3 s,
 * restarts armed with crash points, a 3 s chain pause and a listener paused past its lease.
 * K3S_DAAS_CHAOS_N (default 200) sets the size, K3S_DAAS_CHAOS_SEED the fault schedule,
 * K3S_DAAS_CHAOS_FAULTS=0 runs it without faults (the latency baseline); the report
 * is printed and written to reports/chaos-<n>.json (K3S_DAAS_CHAOS_REPORT to choose the file).
 * The assertions are correctness only (nothing twice, nothing lost, nothing ambiguous, nothing
 * left open); latency and drain are the report's, not a timed test's.
 */
import { expect, it } from 'vitest';
import { cliAvailable } from '../backends/product/components.ts';
import { runChaos } from './chaos.ts';

const N = Number(process.env.K3S_DAAS_CHAOS_N ?? 200);
/** K3S_DAAS_CHAOS_FAULTS=0: the same run without faults (the latency baseline) */
const FAULTS = process.env.K3S_DAAS_CHAOS_FAULTS !== '0';
const missing = await cliAvailable();

it.skipIf(missing)(
  `chaos: ${N} creates under listener kills, crash points and pauses — none twice, none lost, none ambiguous`,
  async () => {
    const report = await runChaos({
      n: N,
      faults: FAULTS,
      ...(process.env.K3S_DAAS_CHAOS_SEED ? { seed: Number(process.env.K3S_DAAS_CHAOS_SEED) } : {}),
      reportFile: process.env.K3S_DAAS_CHAOS_REPORT ?? `reports/chaos-${N}.json`,
      log: (line) => process.stderr.write(`[chaos] ${line}\n`),
    });
    const { problems, ...figures } = report;
    process.stderr.write(`[chaos] report ${JSON.stringify(figures)}\n`);
    if (problems.length) process.stderr.write(`[chaos] problems:\n  ${problems.join('\n  ')}\n`);
    if (FAULTS) expect(report.kills).toBeGreaterThan(0);
    expect({
      executedTwice: report.executedTwice,
      lost: report.lost,
      ambiguous: report.ambiguous,
      openOnChain: report.openOnChain,
    }).toEqual({ executedTwice: 0, lost: 0, ambiguous: 0, openOnChain: 0 });
  },
  Math.max(600_000, N * 2_000),
);
