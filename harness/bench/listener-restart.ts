/**
 * `npx tsx harness/bench/listener-restart.ts` → reports/bench-listener-restart.json
 *
 * How long a restarted `k3s-daas nautilus` process takes to be healthy (spawn → /healthz 200; it
 * claims from then on: its open requests are dispatched as it starts), restarted `BENCH_RESTARTS`
 * times (default 10) against the embedded Sui node in its own process. The claim lease default
 * is chosen from these figures (src/nautilus/README.md). `K3S_DAAS_CPU_PROF_DIR=<dir>` writes a
 * V8 CPU profile of every start.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { startStack } from '../stack.ts';

const RESTARTS = Number(process.env.BENCH_RESTARTS ?? 10);

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!);
};

async function main(): Promise<void> {
  const s = await startStack({ chain: { kind: 'embedded', separateProcess: true } });
  const killed: number[] = [];
  const stopped: number[] = [];
  const inProcess: Array<{ readyMs: number; cliLoadedMs: number }> = [];
  const steps: Array<Record<string, number>> = [];
  try {
    for (let i = 0; i < RESTARTS; i++) {
      // As a crash: SIGKILL, then start again at once.
      const hard = i % 2 === 0;
      if (hard) s.listener.signal?.('SIGKILL');
      await s.listener.stop();
      const t = performance.now();
      await s.listener.start();
      (hard ? killed : stopped).push(performance.now() - t);
    }
    // The processes' own account: CLI loaded at, ready at (ms after process start), start steps.
    const logs = s.listener.logs();
    inProcess.push(
      ...[...logs.matchAll(/ready (\d+) ms after the process started \(CLI loaded at (\d+) ms\)/g)].map(
        (m) => ({
          readyMs: Number(m[1]),
          cliLoadedMs: Number(m[2]),
        }),
      ),
    );
    steps.push(
      ...[...logs.matchAll(/"startupMs":(\{[^}]*\})/g)].map(
        (m) => JSON.parse(m[1]!) as Record<string, number>,
      ),
    );
  } finally {
    await s.stop();
  }
  const all = [...killed, ...stopped];
  const report = {
    restarts: all.length,
    loadAverage: os.loadavg().map((x) => Math.round(x * 10) / 10),
    cpus: os.cpus().length,
    spawnToHealthyMs: { p50: pct(all, 50), p90: pct(all, 90), max: pct(all, 100) },
    readyAfterProcessStartMs: inProcess,
    startSteps: steps,
    afterSigkillMs: killed.map(Math.round),
    afterSigtermMs: stopped.map(Math.round),
  };
  await mkdir('reports', { recursive: true });
  await writeFile('reports/bench-listener-restart.json', JSON.stringify(report, null, 2) + '\n');
  process.stdout.write(JSON.stringify(report, null, 2) + '\n');
}

await main();
