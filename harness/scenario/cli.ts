/**
 * k3s-daas-harness: run YAML scenarios against a stack on chosen backends.
 *   k3s-daas-harness run [files…] --chain embedded|localnet|docker|remote --cluster embedded|kind|k3s|kubeconfig
 *   k3s-daas-harness up [--dir DIR]     (same backend flags; runs until Ctrl-C)
 *   k3s-daas-harness validate [files…]
 */
import { join, relative } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { Listr, type ListrTaskWrapper } from 'listr2';
import { runCleanups } from '../backends/cleanup.ts';
import { addBackendOptions, backendOptions, type BackendFlags } from './backend-flags.ts';
import { loadScenarios, ScenarioError } from './loader.ts';
import { missingPrerequisites } from './prerequisites.ts';
import { summaryTable, toJson, toJunit, toMarkdown, writeReport } from './reporters.ts';
import type { RunResult, ScenarioResult } from './results.ts';
import { defaultScenarioFiles } from './scenario-files.ts';
import type { UpFlags } from './up.ts';

function positiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive integer');
  return n;
}

interface RunFlags extends BackendFlags {
  parallel: number;
  reportDir: string;
  junit?: string;
  json?: string;
  markdown?: string;
  keepNamespaces?: boolean;
}

function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void; reject: (e: unknown) => void } {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

async function runCommand(files: string[], flags: RunFlags): Promise<number> {
  const paths = files.length ? files : await defaultScenarioFiles();
  const loaded = await loadScenarios(paths);
  if (flags.chain === 'embedded' || flags.cluster === 'embedded') {
    const missing = await missingPrerequisites(flags.chain, flags.cluster);
    if (missing.length) {
      process.stderr.write(`cannot run scenarios: ${missing.join('; ')}\n`);
      return 2;
    }
  }
  const { chain, cluster } = backendOptions(flags);
  const boot = deferred<void>();
  const perScenario = new Map(
    loaded.map((l) => [
      l.file,
      {
        done: deferred<ScenarioResult>(),
        task: undefined as ListrTaskWrapper<unknown, never, never> | undefined,
      },
    ]),
  );
  let bootTask: ListrTaskWrapper<unknown, never, never> | undefined;

  const listr = new Listr(
    [
      {
        title: `Boot stack (chain ${flags.chain}, cluster ${flags.cluster})`,
        task: async (_ctx, task) => {
          bootTask = task as unknown as ListrTaskWrapper<unknown, never, never>;
          await boot.promise;
        },
      },
      {
        title: `Scenarios (${loaded.length}, ${flags.parallel} at a time)`,
        task: (_ctx, task) =>
          task.newListr(
            loaded.map((l) => ({
              title: `${l.spec.name}  ${relative(process.cwd(), l.file)}`,
              task: async (_c: unknown, t: ListrTaskWrapper<unknown, never, never>) => {
                const entry = perScenario.get(l.file)!;
                entry.task = t;
                const r = await entry.done.promise;
                t.title = `${l.spec.name}  (${(r.durationMs / 1000).toFixed(1)}s)`;
                // A scenario this cluster cannot run shows as skipped, with why, not as passed.
                if (r.outcome === 'skipped') {
                  t.skip(`${l.spec.name}: skipped — ${r.skipReason ?? 'skipped'}`);
                  return;
                }
                if (r.outcome === 'failed')
                  throw new Error(r.error ?? r.steps.find((s) => s.outcome === 'failed')?.name ?? 'failed');
              },
            })),
            { concurrent: true, exitOnError: false },
          ),
      },
    ],
    { exitOnError: false, rendererOptions: { collapseSubtasks: false } },
  );
  const rendering = listr.run().catch(() => undefined);

  let result: RunResult;
  try {
    // Loaded here, not at start: the stack code takes seconds to load and `validate`/`--help` need none of it.
    const { runSuite } = await import('./suite.ts');
    result = await runSuite({
      files: paths,
      chain,
      cluster,
      parallel: flags.parallel,
      keepNamespaces: flags.keepNamespaces,
      inProcess: flags.inProcess,
      confidentiality: flags.confidentiality,
      onPhase: (p) => {
        if (bootTask) bootTask.output = `${p.name}: ${p.detail} (${p.ms.toFixed(0)} ms)`;
      },
      onStack: () => boot.resolve(),
      onStep: (plan, step) => {
        const t = perScenario.get(plan.loaded.file)?.task;
        if (t)
          t.output = `${step.outcome === 'failed' ? '✖' : '✔'} ${step.name} (${step.durationMs.toFixed(0)} ms)`;
      },
      onScenarioEnd: (plan, r) => perScenario.get(plan.loaded.file)?.done.resolve(r),
    });
  } catch (err) {
    boot.reject(err);
    for (const e of perScenario.values()) e.done.reject(new Error('stack did not boot'));
    await rendering;
    throw err;
  }
  await rendering;

  const dir = flags.reportDir;
  const outputs: Array<[string, string]> = [
    [flags.json ?? join(dir, 'harness.json'), toJson(result)],
    [flags.junit ?? join(dir, 'harness-junit.xml'), toJunit(result)],
    [flags.markdown ?? join(dir, 'harness.md'), toMarkdown(result)],
  ];
  for (const [path, content] of outputs) await writeReport(path, content);
  process.stdout.write('\n' + summaryTable(result) + '\n');
  process.stdout.write(`reports: ${outputs.map(([p]) => relative(process.cwd(), p)).join(', ')}\n`);
  return result.scenarios.some((s) => s.outcome === 'failed') || result.audit.problems.length ? 1 : 0;
}

export function buildProgram(): Command {
  const program = new Command('k3s-daas-harness')
    .description('Boot K3s-DaaS on chosen backends and play YAML scenarios through the real kubectl.')
    .showHelpAfterError();
  addBackendOptions(
    program
      .command('run')
      .description('run scenarios (default: every scenarios/*.yaml)')
      .argument('[files...]', 'scenario files')
      .option('-p, --parallel <n>', 'scenarios run at the same time', positiveInt, 2)
      .option('--report-dir <dir>', 'where reports go', 'reports')
      .option('--junit <file>', 'JUnit XML report path')
      .option('--json <file>', 'JSON report path')
      .option('--markdown <file>', 'Markdown report path')
      .option('--keep-namespaces', 'keep each scenario namespace afterwards'),
  ).action(async (files: string[], flags: RunFlags) => {
    process.exitCode = await runCommand(files, flags);
  });
  addBackendOptions(
    program
      .command('up')
      .description(
        'boot a stack and keep it running until Ctrl-C: prints kubeconfigs (admin, viewer), URLs and IDs',
      )
      .option(
        '--dir <dir>',
        'work directory for kubeconfigs, keystore, TLS and stack.json (default: a new temp dir)',
      ),
  ).action(async (flags: UpFlags) => {
    const { upCommand } = await import('./up.ts');
    process.exitCode = await upCommand(flags);
  });
  program
    .command('validate')
    .description('validate scenario files against the schema (no stack)')
    .argument('[files...]', 'scenario files')
    .action(async (files: string[]) => {
      const paths = files.length ? files : await defaultScenarioFiles();
      const loaded = await loadScenarios(paths);
      process.stdout.write(`${loaded.length} scenario(s) valid\n`);
    });
  return program;
}

export async function main(argv = process.argv): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (err) {
    if (err instanceof ScenarioError) process.stderr.write(`${err.message}\n`);
    else process.stderr.write(`k3s-daas-harness: ${(err as Error).message}\n`);
    process.exitCode = 1;
  } finally {
    await runCleanups();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
