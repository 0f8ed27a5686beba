/**
 * npm run bench:harness — five-step wall time cold (Move build cache bypassed) and warm, in
 * separate processes as a user runs them, and the whole scenario suite's time.
 * Writes reports/bench-harness.json. Targets (embedded, this machine): five-step ≤ 20 s cold,
 * suite ≤ 90 s.
 */
import { readFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { writeReport } from './reporters.ts';

const ROOT = new URL('../../', import.meta.url).pathname;

async function timed(
  label: string,
  cmd: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<{ wallMs: number; exitCode: number }> {
  process.stdout.write(`${label} … `);
  const t = performance.now();
  const r = await execa(cmd, args, { cwd: ROOT, env: { ...process.env, ...env }, reject: false, all: true });
  const wallMs = performance.now() - t;
  process.stdout.write(`${(wallMs / 1000).toFixed(1)} s (exit ${r.exitCode})\n`);
  if (r.exitCode !== 0) process.stdout.write(String(r.all).split('\n').slice(-30).join('\n') + '\n');
  return { wallMs, exitCode: r.exitCode ?? 1 };
}

async function fiveStep(label: string, extra: string[], env: Record<string, string>) {
  const report = join(tmpdir(), `five-step-${process.pid}-${label}.json`);
  const run = await timed(
    `five-step ${label}`,
    process.execPath,
    ['--import', 'tsx', '5_STEP_INTEGRATION_TEST.ts', '--report', report, ...extra],
    env,
  );
  const json = JSON.parse(await readFile(report, 'utf8').catch(() => '{}')) as {
    totalMs?: number;
    steps?: Array<{ title: string; ms: number; status: string }>;
    measurements?: unknown;
  };
  return {
    ...run,
    insideMs: json.totalMs,
    steps: json.steps?.map((s) => ({ title: s.title, ms: Math.round(s.ms), status: s.status })),
    measurements: json.measurements,
  };
}

const results = {
  date: new Date().toISOString(),
  machine: { cpus: cpus().length, node: process.version, loadAverageAtStart: loadavg() },
  fiveStep: {
    cold: await fiveStep('cold', [], { K3S_DAAS_NO_BUILD_CACHE: '1' }),
    warm: await fiveStep('warm', [], {}),
    warmInProcess: await fiveStep('warm-in-process', ['--in-process'], {}),
  },
  suite: await timed('scenario suite', process.execPath, [
    'bin/k3s-daas-harness.js',
    'run',
    '--report-dir',
    join(tmpdir(), `harness-bench-${process.pid}`),
  ]),
  loadAverageAtEnd: loadavg(),
  targets: { fiveStepColdMs: 20_000, suiteMs: 90_000 },
  notes:
    'wallMs includes process start (tsx loading the TypeScript sources); insideMs is the five-step program from its first line. Cold = Move package build cache bypassed (the framework shim bytecode cache of harness/embedded/movevm stays).',
};
await writeReport(join(ROOT, 'reports', 'bench-harness.json'), JSON.stringify(results, null, 2) + '\n');
process.stdout.write(`written reports/bench-harness.json\n`);
process.exitCode = results.fiveStep.cold.exitCode || results.fiveStep.warm.exitCode || results.suite.exitCode;
