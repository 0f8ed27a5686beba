import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { checkClusterObject, checkStep, type Failure } from './assertions.ts';
import type { AuditedRequest, ScenarioEnv } from './env.ts';
import { hopsOf, GATEWAY_HEADERS, type KubectlResult } from './kubectl.ts';
import { generatedContent, renderTemplate, type ScenarioPlan } from './plan.ts';
import type { ExchangeRecord, ScenarioResult, StepResult } from './results.ts';
import type { StepSpec } from './types.ts';

export interface RunScenarioOptions {
  runId: string;
  workDir: string;
  /** Keep the scenario namespace after the run (debugging). */
  keepNamespace?: boolean;
  /** Called as each step finishes (progress output). */
  onStep?: (step: StepResult) => void;
  /** Default kubectl timeout per command. */
  kubectlTimeoutMs?: number;
}

type Section = 'setup' | 'steps' | 'teardown';

interface Pending {
  step: StepSpec;
  index: number;
  started: number;
  run: Promise<{ result: StepResult; audited: AuditedRequest[] }>;
}

function kindOf(step: StepSpec): StepResult['kind'] {
  if (step.kubectl) return 'kubectl';
  if (step.cluster) return 'cluster';
  if (step.action) return 'action';
  if (step.audit) return 'audit';
  if (step.sleepMs !== undefined) return 'sleep';
  return 'await';
}

function stepName(step: StepSpec): string {
  if (step.name) return step.name;
  if (step.kubectl) return `kubectl ${step.kubectl.join(' ')}`;
  if (step.cluster)
    return `cluster: ${step.cluster.absent ? 'no' : ''} ${step.cluster.object.kind} ${step.cluster.object.name}`.replace(
      '  ',
      ' ',
    );
  if (step.action) return step.action;
  if (step.audit) return 'audit: every command on chain with its response';
  if (step.sleepMs !== undefined) return `sleep ${step.sleepMs} ms`;
  return 'await background commands';
}

function exchangesOf(run: KubectlResult): ExchangeRecord[] {
  return run.http.map((x) => ({
    method: x.method,
    url: x.url,
    status: x.status,
    ms: x.ms,
    requestId: x.headers[GATEWAY_HEADERS.requestId],
    txDigest: x.headers[GATEWAY_HEADERS.txDigest],
    hops: hopsOf(x),
  }));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Plays one scenario against an environment. Never throws: every problem ends up in the result. */
export async function runScenario(
  env: ScenarioEnv,
  plan: ScenarioPlan,
  opts: RunScenarioOptions,
): Promise<ScenarioResult> {
  const { spec, positionOf } = plan.loaded;
  const started = performance.now();
  const dir = join(opts.workDir, plan.slug);
  await mkdir(join(dir, 'fixtures'), { recursive: true });
  await mkdir(join(dir, 'files'), { recursive: true });
  const steps: StepResult[] = [];
  const audited: AuditedRequest[] = [];
  let pending: Pending[] = [];
  let failed = false;
  let error: string | undefined;

  const vars = {
    namespace: plan.namespace,
    scenario: plan.slug,
    runId: opts.runId,
    fixture: (n: string) => join(dir, 'fixtures', n),
    file: (n: string) => join(dir, 'files', n),
  };
  const render = (s: string): string => renderTemplate(s, vars);
  // Expectations may use the same variables as commands (e.g. namespace: "${namespace}").
  const renderDeep = <T>(v: T): T => {
    if (typeof v === 'string') return render(v) as T;
    if (Array.isArray(v)) return v.map(renderDeep) as T;
    if (v && typeof v === 'object')
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, renderDeep(x)])) as T;
    return v;
  };

  // Fixtures are rendered (so they may use ${namespace}); generated files are written once.
  const fixtureNames = new Set<string>();
  for (const section of [spec.setup, spec.steps, spec.teardown]) {
    for (const step of section ?? []) {
      for (const s of [...(step.kubectl ?? []), step.stdin ?? ''])
        for (const m of s.matchAll(/\$\{fixture:([^}]+)\}/g)) fixtureNames.add(m[1]!);
      if (step.stdinFile) fixtureNames.add(step.stdinFile);
    }
  }
  for (const name of fixtureNames) {
    const text = await readFile(join(plan.loaded.fixturesDir, name), 'utf8');
    await mkdir(join(dir, 'fixtures', ...name.split('/').slice(0, -1)), { recursive: true });
    await writeFile(join(dir, 'fixtures', name), render(text));
  }
  for (const [name, f] of Object.entries(spec.files ?? {}))
    await writeFile(join(dir, 'files', name), generatedContent(f.bytes, f.seed ?? name));

  const identityFor = (step: StepSpec): string => {
    const stackName = step.as ? plan.identityNames[step.as] : undefined;
    if (!stackName) throw new Error(`step uses identity "${step.as}" which the scenario does not define`);
    return stackName;
  };

  const positioned = (failures: Failure[]) =>
    failures.map((f) => ({ ...f, position: safePosition(positionOf, f.pointer) }));

  /** One attempt of a kubectl step: run it, gather the chain evidence, check expectations. */
  const attemptKubectl = async (
    step: StepSpec,
    pointer: string,
  ): Promise<{ failures: Failure[]; run: KubectlResult; requests: AuditedRequest[] }> => {
    const identity = identityFor(step);
    const stdin =
      step.stdin !== undefined
        ? render(step.stdin)
        : step.stdinFile
          ? await readFile(vars.fixture(step.stdinFile), 'utf8')
          : undefined;
    const sinceMs = Date.now();
    const run = await env.kubectl(identity, step.kubectl!.map(render), {
      stdin,
      cwd: dir,
      timeoutMs: opts.kubectlTimeoutMs,
      ...(step.until
        ? { until: { stdout: new RegExp(step.until.stdout), timeoutMs: step.until.timeoutMs ?? 60_000 } }
        : {}),
    });
    const e = step.expect ?? {};
    const needChain = e.events !== undefined || e.response !== undefined || e.abort !== undefined;
    const evidence = await env.evidence(run, identity, { sinceMs, needChain });
    const failures = checkStep(
      e,
      {
        exitCode: run.exitCode,
        stdout: run.stdout,
        stderr: run.stderr,
        durationMs: run.durationMs,
        events: evidence.events,
        response: evidence.response,
        abort: evidence.abort,
      },
      pointer,
    );
    if (step.until && !run.untilMatched)
      failures.unshift({
        pointer: `${pointer}/until/stdout`,
        expectation: 'output matched before the command ended',
        expected: `/${step.until.stdout}/`,
        actual: run.stdout.slice(-500) || '(no output)',
      });
    return { failures, run, requests: evidence.requests };
  };

  const runStep = async (
    rawStep: StepSpec,
    section: Section,
    index: number,
  ): Promise<{ result: StepResult; audited: AuditedRequest[] }> => {
    const step = renderDeep(rawStep);
    const pointer = `/${section}/${index}`;
    const t0 = performance.now();
    const result: StepResult = {
      section,
      index,
      name: stepName(step),
      kind: kindOf(step),
      outcome: 'passed',
      durationMs: 0,
      attempts: 0,
      failures: [],
      exchanges: [],
    };
    const stepAudited: AuditedRequest[] = [];
    const deadline = step.eventually ? Date.now() + step.eventually.timeoutMs : 0;
    try {
      for (;;) {
        result.attempts++;
        let failures: Failure[] = [];
        if (step.kubectl) {
          const a = await attemptKubectl(step, pointer);
          failures = a.failures;
          result.command = a.run.command;
          result.identity = step.as;
          result.exitCode = a.run.exitCode;
          result.exchanges = exchangesOf(a.run);
          // Join the listener's hops (event seen → Kubernetes answered → response stored) to the gateway's.
          if (env.listenerHops) {
            for (const x of result.exchanges) {
              const l = x.requestId && x.txDigest ? await env.listenerHops(x.requestId) : undefined;
              if (l) x.hops = { ...x.hops, ...l };
            }
          }
          // Latency budget applies to the command, not to eventually's retries.
          result.durationMs = a.run.durationMs;
          if (!step.eventually || failures.length === 0 || Date.now() >= deadline)
            stepAudited.push(...a.requests);
        } else if (step.cluster) {
          const o = step.cluster.object;
          const ref = {
            apiVersion: o.apiVersion ?? 'v1',
            kind: o.kind,
            name: render(o.name),
            namespace: o.namespace === undefined ? plan.namespace : render(o.namespace),
          };
          const obj = await env.readClusterObject(ref);
          failures = checkClusterObject(
            { absent: step.cluster.absent, matches: step.cluster.matches },
            obj,
            pointer,
            `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`,
          );
        } else if (step.action) {
          await env.action(step.action);
        } else if (step.audit) {
          const problems = await env.audit(audited);
          const onChain = audited.filter((r) => !r.refused).length;
          if (step.audit.minCommands !== undefined && onChain < step.audit.minCommands) {
            problems.push(
              `only ${onChain} command(s) reached the chain, expected at least ${step.audit.minCommands}`,
            );
          }
          failures = problems.map((p) => ({
            pointer: `${pointer}/audit`,
            expectation: 'every command on chain with its response',
            expected: 'K8sAPIRequest + K8sAPIResponse + stored response',
            actual: p,
          }));
        } else if (step.sleepMs !== undefined) {
          await sleep(step.sleepMs);
        }
        if (failures.length === 0 || !step.eventually || Date.now() >= deadline) {
          result.failures = positioned(failures);
          break;
        }
        await sleep(step.eventually.intervalMs ?? 500);
      }
    } catch (err) {
      result.error = (err as Error).message;
    }
    if (result.kind !== 'kubectl') result.durationMs = performance.now() - t0;
    result.outcome = result.failures.length || result.error ? 'failed' : 'passed';
    return { result, audited: stepAudited };
  };

  const record = (r: { result: StepResult; audited: AuditedRequest[] }): void => {
    steps.push(r.result);
    audited.push(...r.audited);
    if (r.result.outcome === 'failed') failed = true;
    opts.onStep?.(r.result);
  };

  const drain = async (): Promise<void> => {
    const list = pending;
    pending = [];
    for (const p of list) record(await p.run);
  };

  const runSection = async (
    section: Section,
    list: StepSpec[] | undefined,
    stopOnFailure: boolean,
  ): Promise<void> => {
    for (const [i, step] of (list ?? []).entries()) {
      if (failed && stopOnFailure) {
        steps.push({
          section,
          index: i,
          name: stepName(step),
          kind: kindOf(step),
          outcome: 'skipped',
          durationMs: 0,
          attempts: 0,
          failures: [],
          exchanges: [],
        });
        continue;
      }
      if (step.await) {
        const t = performance.now();
        await drain();
        record({
          result: {
            section,
            index: i,
            name: stepName(step),
            kind: 'await',
            outcome: 'passed',
            durationMs: performance.now() - t,
            attempts: 1,
            failures: [],
            exchanges: [],
          },
          audited: [],
        });
        continue;
      }
      if (step.background && step.kubectl) {
        pending.push({ step, index: i, started: Date.now(), run: runStep(step, section, i) });
        continue;
      }
      record(await runStep(step, section, i));
    }
    await drain();
  };

  let snapshot: string | undefined;
  try {
    if (spec.isolation === 'snapshot' && env.snapshotCluster) snapshot = await env.snapshotCluster();
    await env.createNamespace(plan.namespace);
    const work = (async () => {
      await runSection('setup', spec.setup, true);
      await runSection('steps', spec.steps, true);
    })();
    if (spec.timeoutMs) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        work,
        new Promise<never>(
          (_r, reject) =>
            (timer = setTimeout(
              () => reject(new Error(`scenario timed out after ${spec.timeoutMs} ms`)),
              spec.timeoutMs,
            )),
        ),
      ]).finally(() => clearTimeout(timer));
    } else {
      await work;
    }
  } catch (err) {
    error = (err as Error).message;
    failed = true;
  } finally {
    // Teardown always runs, and its failures count.
    const wasFailed = failed;
    failed = false;
    await runSection('teardown', spec.teardown, false).catch(
      (err: unknown) => (error ??= (err as Error).message),
    );
    failed = wasFailed || failed;
    if (!opts.keepNamespace) await env.deleteNamespace(plan.namespace).catch(() => {});
    if (snapshot && env.revertCluster) await env.revertCluster(snapshot).catch(() => {});
  }
  return {
    name: spec.name,
    file: plan.loaded.file,
    namespace: plan.namespace,
    outcome: failed || error ? 'failed' : 'passed',
    durationMs: performance.now() - started,
    steps,
    requests: audited,
    ...(error ? { error } : {}),
  };
}

function safePosition(
  positionOf: (p: string) => { file: string; line: number; column: number },
  pointer: string,
) {
  try {
    return positionOf(pointer);
  } catch {
    return undefined;
  }
}

/** Runs plans with at most `parallel` at a time, preserving the input order in the output. */
export async function runBounded<T, R>(
  items: T[],
  parallel: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.max(1, Math.min(parallel, items.length)) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!, i);
    }
  });
  await Promise.all(workers);
  return out;
}
