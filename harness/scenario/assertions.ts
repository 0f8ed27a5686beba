import { parse as parseYaml } from 'yaml';
import { describeMismatches, partialMatch, show } from './match.ts';
import type { EventExpectation, EventsExpectation, Expectation, JsonValue, TextMatch } from './types.ts';

/** One failed expectation: where it is in the scenario, what was wanted, what happened. */
export interface Failure {
  /** JSON pointer into the scenario, e.g. /steps/3/expect/stdout. */
  pointer: string;
  expectation: string;
  expected: string;
  actual: string;
}

/** A decoded on-chain event as recorded by the stack's event recorder. */
export interface ObservedEvent {
  type: string;
  txDigest: string;
  fields: Record<string, unknown>;
  /** Wall-clock ms when the recorder saw it. */
  seenAt: number;
}

export interface StepObservation {
  exitCode: number;
  stdout: string;
  stderr: string;
  durationMs: number;
  /** Events of this step's commands, in chain order. */
  events: ObservedEvent[];
  /** Stored response of the step's last on-chain request (read from its Request object). */
  response?: { status: number; body: unknown; requestObjectId: string };
  /** The contract abort behind a failed command, when there was one. */
  abort?: { name: string; code?: number; txDigest?: string };
}

const asList = (v: string | string[] | undefined): string[] =>
  v === undefined ? [] : Array.isArray(v) ? v : [v];

export function checkText(match: TextMatch, actual: string, pointer: string, label: string): Failure[] {
  const m = typeof match === 'string' ? { contains: match } : match;
  const out: Failure[] = [];
  const fail = (expectation: string, expected: string): void => {
    out.push({ pointer, expectation: `${label} ${expectation}`, expected, actual: show(actual, 600) });
  };
  if (m.equals !== undefined && actual.trimEnd() !== m.equals.trimEnd()) fail('equals', show(m.equals));
  for (const c of asList(m.contains)) if (!actual.includes(c)) fail('contains', show(c));
  for (const c of asList(m.notContains)) if (actual.includes(c)) fail('does not contain', show(c));
  if (m.regex !== undefined && !new RegExp(m.regex, 'm').test(actual)) fail('matches', `/${m.regex}/`);
  if (m.length !== undefined && actual.length !== m.length)
    out.push({
      pointer,
      expectation: `${label} length`,
      expected: String(m.length),
      actual: `${actual.length} characters`,
    });
  if (m.empty !== undefined && (actual.trim() === '') !== m.empty)
    fail(m.empty ? 'is empty' : 'is not empty', m.empty ? '""' : 'some output');
  return out;
}

function checkParsed(kind: 'json' | 'yaml', expected: JsonValue, stdout: string, pointer: string): Failure[] {
  let parsed: unknown;
  try {
    parsed = kind === 'json' ? JSON.parse(stdout) : parseYaml(stdout);
  } catch (err) {
    return [
      {
        pointer,
        expectation: `stdout parses as ${kind.toUpperCase()}`,
        expected: `valid ${kind}`,
        actual: `${(err as Error).message}: ${show(stdout, 200)}`,
      },
    ];
  }
  const ms = partialMatch(expected, parsed);
  return ms.length
    ? [
        {
          pointer,
          expectation: `stdout (${kind}) partially matches`,
          expected: show(expected),
          actual: describeMismatches(ms),
        },
      ]
    : [];
}

function eventMatches(exp: EventExpectation, ev: ObservedEvent): boolean {
  return ev.type === exp.type && partialMatch(exp.fields ?? {}, ev.fields).length === 0;
}

export function checkEvents(spec: EventsExpectation, events: ObservedEvent[], pointer: string): Failure[] {
  const { ordered, none, match } = Array.isArray(spec)
    ? { ordered: true, none: false, match: spec }
    : { ordered: spec.ordered ?? true, none: spec.none ?? false, match: spec.match ?? [] };
  const summary = (): string =>
    events.length ? events.map((e) => `${e.type}${show(pick(e.fields))}`).join(', ') : 'no events';
  const out: Failure[] = [];
  if (none) {
    const recorded = events.filter((e) => e.type === 'K8sAPIRequest');
    if (recorded.length)
      out.push({
        pointer,
        expectation: 'no K8sAPIRequest recorded on chain',
        expected: 'none',
        actual: summary(),
      });
  }
  let cursor = 0;
  match.forEach((exp, i) => {
    const p = `${pointer}/${Array.isArray(spec) ? '' : 'match/'}${i}`;
    const hits = events.filter((e) => eventMatches(exp, e));
    if (exp.count !== undefined) {
      if (hits.length !== exp.count)
        out.push({
          pointer: p,
          expectation: `exactly ${exp.count} ${exp.type} event(s) matching`,
          expected: show(exp.fields ?? {}),
          actual: `${hits.length} matching; events: ${summary()}`,
        });
      return;
    }
    const from = ordered ? cursor : 0;
    const idx = events.findIndex((e, j) => j >= from && eventMatches(exp, e));
    if (idx < 0) {
      out.push({
        pointer: p,
        expectation: `${exp.type} event${ordered && i > 0 ? ' (after the previous match)' : ''} with fields`,
        expected: show(exp.fields ?? {}),
        actual: summary(),
      });
    } else if (ordered) cursor = idx + 1;
  });
  return out;
}

/** Keeps event summaries readable: the fields people match on, not the payload bytes. */
function pick(fields: Record<string, unknown>): Record<string, unknown> {
  const keys = ['verb', 'resource', 'namespace', 'name', 'status_code', 'request_id'];
  return Object.fromEntries(keys.filter((k) => k in fields).map((k) => [k, fields[k]]));
}

/** Checks every expectation of one step against what happened. Returns all failures, not the first. */
export function checkStep(expect: Expectation, obs: StepObservation, pointer: string): Failure[] {
  const out: Failure[] = [];
  const p = `${pointer}/expect`;
  if (expect.exitCode !== undefined && obs.exitCode !== expect.exitCode) {
    out.push({
      pointer: `${p}/exitCode`,
      expectation: 'kubectl exit code',
      expected: String(expect.exitCode),
      actual: `${obs.exitCode} (stderr: ${show(obs.stderr.trim(), 300)})`,
    });
  }
  if (expect.stdout !== undefined) out.push(...checkText(expect.stdout, obs.stdout, `${p}/stdout`, 'stdout'));
  if (expect.stderr !== undefined) out.push(...checkText(expect.stderr, obs.stderr, `${p}/stderr`, 'stderr'));
  if (expect.json !== undefined) out.push(...checkParsed('json', expect.json, obs.stdout, `${p}/json`));
  if (expect.yaml !== undefined) out.push(...checkParsed('yaml', expect.yaml, obs.stdout, `${p}/yaml`));
  if (expect.events !== undefined) out.push(...checkEvents(expect.events, obs.events, `${p}/events`));
  if (expect.response !== undefined) {
    const r = obs.response;
    if (!r) {
      out.push({
        pointer: `${p}/response`,
        expectation: 'a stored response on chain',
        expected: show(expect.response),
        actual: 'no on-chain request/response for this step',
      });
    } else {
      if (expect.response.status !== undefined && r.status !== expect.response.status) {
        out.push({
          pointer: `${p}/response/status`,
          expectation: 'stored response status',
          expected: String(expect.response.status),
          actual: `${r.status} (Request ${r.requestObjectId})`,
        });
      }
      if (expect.response.body !== undefined) {
        const ms = partialMatch(expect.response.body, r.body);
        if (ms.length)
          out.push({
            pointer: `${p}/response/body`,
            expectation: 'stored response body partially matches',
            expected: show(expect.response.body),
            actual: describeMismatches(ms),
          });
      }
    }
  }
  if (expect.abort !== undefined) {
    const a = obs.abort;
    if (!a || a.name !== expect.abort) {
      out.push({
        pointer: `${p}/abort`,
        expectation: 'contract aborted with',
        expected: expect.abort,
        actual: a
          ? `${a.name}${a.txDigest ? ` (tx ${a.txDigest})` : ''}`
          : `no contract abort (exit ${obs.exitCode}, stderr: ${show(obs.stderr.trim(), 300)})`,
      });
    }
  }
  if (expect.latencyMs !== undefined && obs.durationMs > expect.latencyMs) {
    out.push({
      pointer: `${p}/latencyMs`,
      expectation: 'step latency within budget',
      expected: `≤ ${expect.latencyMs} ms`,
      actual: `${Math.round(obs.durationMs)} ms`,
    });
  }
  return out;
}

export function checkClusterObject(
  spec: { absent?: boolean; matches?: JsonValue },
  object: unknown,
  pointer: string,
  ref: string,
): Failure[] {
  if (spec.absent) {
    return object === undefined
      ? []
      : [
          {
            pointer: `${pointer}/cluster/absent`,
            expectation: `${ref} absent from the cluster`,
            expected: 'absent',
            actual: 'present',
          },
        ];
  }
  if (object === undefined)
    return [
      {
        pointer: `${pointer}/cluster/object`,
        expectation: `${ref} exists in the cluster`,
        expected: 'present',
        actual: 'not found',
      },
    ];
  if (spec.matches !== undefined) {
    const ms = partialMatch(spec.matches, object);
    if (ms.length)
      return [
        {
          pointer: `${pointer}/cluster/matches`,
          expectation: `${ref} partially matches`,
          expected: show(spec.matches),
          actual: describeMismatches(ms),
        },
      ];
  }
  return [];
}

/** Human-readable block for a failure, with the scenario position when known. */
export function formatFailure(f: Failure, position?: { file: string; line: number; column: number }): string {
  const where = position ? `${position.file}:${position.line}:${position.column}` : f.pointer;
  return `${where}: expected ${f.expectation} ${f.expected}\n    actual: ${f.actual}`;
}
