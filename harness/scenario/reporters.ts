import { HOPS } from '../../src/shared/trace.ts';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { formatFailure } from './assertions.ts';
import { counts, type RunResult, type StepResult } from './results.ts';

export function percentile(values: number[], p: number): number | undefined {
  if (!values.length) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx];
}

/** Per-hop samples (ms) across every exchange of the run, keyed by hop name; plus kubectl wall time. */
export function hopSamples(run: RunResult): Map<string, number[]> {
  const m = new Map<string, number[]>();
  const add = (k: string, v: number): void => void m.set(k, [...(m.get(k) ?? []), v]);
  for (const s of run.scenarios) {
    for (const st of s.steps) {
      if (st.kind !== 'kubectl' || st.outcome === 'skipped') continue;
      add('kubectl (command wall time)', st.durationMs);
      for (const x of st.exchanges) {
        if (x.ms !== undefined) add('http round trip (kubectl)', x.ms);
        for (const [hop, ms] of Object.entries(x.hops ?? {})) add(hop, ms);
      }
    }
  }
  // kubectl's own numbers first, then the request's hops in the order they happen.
  const rank = (k: string): number => {
    const i = (HOPS as readonly string[]).indexOf(k);
    return i >= 0 ? i : k.startsWith('kubectl') ? -2 : k.startsWith('http') ? -1 : HOPS.length;
  };
  return new Map([...m].sort(([a], [b]) => rank(a) - rank(b)));
}

const fmt = (n: number | undefined): string =>
  n === undefined ? '–' : n >= 100 ? n.toFixed(0) : n.toFixed(1);

export function toJson(run: RunResult): string {
  const percentiles = Object.fromEntries(
    [...hopSamples(run)].map(([k, v]) => [
      k,
      {
        n: v.length,
        p50: percentile(v, 50),
        p90: percentile(v, 90),
        p99: percentile(v, 99),
        max: Math.max(...v),
      },
    ]),
  );
  return JSON.stringify({ ...run, counts: counts(run), percentiles }, null, 2) + '\n';
}

const xmlEscape = (s: string): string =>
  s
    .replace(
      /[&<>"']/g,
      (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!,
    )
    // XML 1.0 forbids most control characters, even escaped; kubectl output may contain some.
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');

function stepFailureText(st: StepResult): string {
  const lines = st.failures.map((f) => formatFailure(f, f.position));
  if (st.error) lines.push(`error: ${st.error}`);
  return lines.join('\n');
}

/** JUnit XML: one testsuite per scenario, one testcase per step. */
export function toJunit(run: RunResult): string {
  const c = counts(run);
  const out = [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites name="k3s-daas-harness" tests="${run.scenarios.length}" failures="${c.failed}" skipped="${c.skipped}" time="${(run.durationMs / 1000).toFixed(3)}">`,
  ];
  for (const s of run.scenarios) {
    const failures =
      s.steps.filter((st) => st.outcome === 'failed').length +
      (s.error && !s.steps.some((st) => st.outcome === 'failed') ? 1 : 0);
    out.push(
      `  <testsuite name="${xmlEscape(s.name)}" file="${xmlEscape(s.file)}" tests="${Math.max(1, s.steps.length)}" failures="${failures}" skipped="${s.steps.filter((st) => st.outcome === 'skipped').length}" time="${(s.durationMs / 1000).toFixed(3)}">`,
    );
    if (s.skipReason)
      out.push(
        `    <testcase name="${xmlEscape(s.name)}" classname="${xmlEscape(s.name)}"><skipped message="${xmlEscape(s.skipReason)}"/></testcase>`,
      );
    for (const st of s.steps) {
      const name = `${st.section}[${st.index}] ${st.name}`;
      out.push(
        `    <testcase name="${xmlEscape(name)}" classname="${xmlEscape(s.name)}" time="${(st.durationMs / 1000).toFixed(3)}">`,
      );
      if (st.outcome === 'failed')
        out.push(
          `      <failure message="${xmlEscape((st.failures[0]?.expectation ?? st.error ?? 'failed').slice(0, 200))}">${xmlEscape(stepFailureText(st))}</failure>`,
        );
      if (st.outcome === 'skipped') out.push(`      <skipped message="an earlier step failed"/>`);
      out.push('    </testcase>');
    }
    if (s.error)
      out.push(
        `    <testcase name="scenario" classname="${xmlEscape(s.name)}"><error message="${xmlEscape(s.error)}"/></testcase>`,
      );
    out.push('  </testsuite>');
  }
  out.push('</testsuites>', '');
  return out.join('\n');
}

/** Markdown report: summary, per-hop percentiles, and per step the kubectl time and each hop. */
export function toMarkdown(run: RunResult): string {
  const c = counts(run);
  const lines: string[] = [
    '# K3s-DaaS harness run',
    '',
    `${run.startedAt} · chain **${run.backends.chain}** · cluster **${run.backends.cluster}** · ${(run.durationMs / 1000).toFixed(1)} s · ${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped`,
    '',
  ];
  if (run.stackPhases.length) {
    lines.push('## Stack boot', '', '| phase | ms | detail |', '|---|---:|---|');
    for (const p of run.stackPhases) lines.push(`| ${p.name} | ${fmt(p.ms)} | ${p.detail} |`);
    lines.push('');
  }
  lines.push('## Scenarios', '', '| scenario | result | steps | time (s) |', '|---|---|---:|---:|');
  for (const s of run.scenarios)
    lines.push(
      `| ${s.name} | ${s.outcome === 'passed' ? '✅ passed' : s.outcome === 'skipped' ? '⏭ skipped' : '❌ failed'} | ${s.steps.length} | ${(s.durationMs / 1000).toFixed(2)} |`,
    );
  lines.push('');
  const skipped = run.scenarios.filter((s) => s.skipReason);
  if (skipped.length) {
    lines.push('## Skipped', '');
    for (const s of skipped) lines.push(`- **${s.name}**: ${s.skipReason}`);
    lines.push('');
  }
  const samples = hopSamples(run);
  if (samples.size) {
    lines.push(
      '## Latency percentiles (ms)',
      '',
      '| hop | n | p50 | p90 | p99 | max |',
      '|---|---:|---:|---:|---:|---:|',
    );
    for (const [hop, v] of samples)
      lines.push(
        `| ${hop} | ${v.length} | ${fmt(percentile(v, 50))} | ${fmt(percentile(v, 90))} | ${fmt(percentile(v, 99))} | ${fmt(Math.max(...v))} |`,
      );
    lines.push('');
  }
  lines.push(
    `## Audit`,
    '',
    `${run.audit.commands} request(s) through the gateway: ${run.audit.onChain} on chain with their response, ${run.audit.refused} refused by the contract or gateway.`,
    '',
  );
  for (const p of run.audit.problems) lines.push(`- ❌ ${p}`);
  if (run.componentLogs) {
    lines.push(
      '## Product logs (last lines)',
      '',
      '<details><summary>gateway</summary>',
      '',
      '```',
      run.componentLogs.gateway,
      '```',
      '</details>',
      '',
      '<details><summary>listener</summary>',
      '',
      '```',
      run.componentLogs.listener,
      '```',
      '</details>',
      '',
    );
  }
  lines.push('## Steps', '');
  for (const s of run.scenarios) {
    lines.push(`### ${s.name} — ${s.outcome}`, '', `\`${s.file}\` · namespace \`${s.namespace}\``, '');
    if (s.error) lines.push(`> ${s.error}`, '');
    lines.push('| step | result | ms | exchanges (status · kubectl ms · hops ms) |', '|---|---|---:|---|');
    for (const st of s.steps) {
      const ex = st.exchanges
        .map(
          (x) =>
            `${x.method} ${pathOnly(x.url)} → ${x.status ?? '?'} · ${x.ms ?? '?'}${
              x.hops
                ? ' · ' +
                  Object.entries(x.hops)
                    .map(([k, v]) => `${k} ${v}`)
                    .join(', ')
                : ''
            }`,
        )
        .join('<br>');
      lines.push(
        `| ${st.section}[${st.index}] ${escapeCell(st.name)} | ${st.outcome} | ${fmt(st.durationMs)} | ${escapeCell(ex)} |`,
      );
    }
    const failed = s.steps.filter((st) => st.outcome === 'failed');
    for (const st of failed) lines.push('', '```', stepFailureText(st), '```');
    lines.push('');
  }
  return lines.join('\n');
}

const pathOnly = (url: string): string => {
  try {
    const u = new URL(url);
    return u.pathname;
  } catch {
    return url;
  }
};
const escapeCell = (s: string): string => s.replace(/\|/g, '\\|');

/** Console summary table (plain text, aligned). */
export function summaryTable(run: RunResult): string {
  const rows = run.scenarios.map((s) => [
    s.outcome === 'passed' ? 'PASS' : s.outcome === 'skipped' ? 'SKIP' : 'FAIL',
    s.name,
    String(s.steps.filter((st) => st.outcome === 'passed').length) + '/' + s.steps.length,
    (s.durationMs / 1000).toFixed(2) + 's',
  ]);
  const head = ['', 'scenario', 'steps', 'time'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]): string => r.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  const c = counts(run);
  const out = [
    line(head),
    ...rows.map(line),
    '',
    `${c.passed} passed, ${c.failed} failed${c.skipped ? `, ${c.skipped} skipped` : ''} in ${(run.durationMs / 1000).toFixed(1)}s`,
  ];
  for (const s of run.scenarios) {
    for (const st of s.steps.filter((x) => x.outcome === 'failed'))
      out.push('', `✖ ${s.name} › ${st.name}`, stepFailureText(st).replace(/^/gm, '  '));
    if (s.error) out.push('', `✖ ${s.name}: ${s.error}`);
    if (s.skipReason) out.push('', `⏭ ${s.name} skipped: ${s.skipReason}`);
  }
  return out.join('\n');
}

export async function writeReport(path: string, content: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, content);
}
