import { access, readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { Ajv, type ErrorObject } from 'ajv';
import {
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  type Document,
  type Node as YamlNode,
} from 'yaml';
import schema from './scenario.schema.json' with { type: 'json' };
import type { LoadedScenario, ScenarioSpec, SourcePosition, StepSpec } from './types.ts';

export class ScenarioError extends Error {
  readonly problems: Array<SourcePosition & { message: string }>;
  constructor(problems: Array<SourcePosition & { message: string }>) {
    super(problems.map((p) => `${p.file}:${p.line}:${p.column}: ${p.message}`).join('\n'));
    this.name = 'ScenarioError';
    this.problems = problems;
  }
}

const ajv = new Ajv({ allErrors: true, strict: false, useDefaults: false });
const validateSchema = ajv.compile<ScenarioSpec>(schema);

export function pointerSegments(pointer: string): string[] {
  if (pointer === '' || pointer === '/') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/**
 * Maps a JSON pointer to the YAML node it names. With `key`, points at the key of that
 * property (used for "unknown property" errors, where the value is not the problem).
 */
function nodeAt(doc: Document, segments: string[], key?: string): YamlNode | undefined {
  let node: unknown = doc.contents;
  for (const seg of segments) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === seg);
      if (!pair) return node as YamlNode;
      node = pair.value ?? pair.key;
    } else if (isSeq(node)) {
      const item = node.items[Number(seg)];
      if (item === undefined) return node as YamlNode;
      node = item;
    } else {
      break;
    }
  }
  if (key !== undefined && isMap(node)) {
    const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === key);
    if (pair && isScalar(pair.key)) return pair.key as YamlNode;
  }
  return node as YamlNode | undefined;
}

function positionFor(
  doc: Document,
  lc: LineCounter,
  file: string,
  pointer: string,
  key?: string,
): SourcePosition {
  const node = nodeAt(doc, pointerSegments(pointer), key);
  const offset = node?.range?.[0] ?? 0;
  const { line, col } = lc.linePos(offset);
  return { file, line, column: col };
}

function describeAjvError(e: ErrorObject): { message: string; key?: string } {
  const where = e.instancePath || '(top level)';
  switch (e.keyword) {
    case 'additionalProperties': {
      const prop = (e.params as { additionalProperty: string }).additionalProperty;
      return { message: `${where}: unknown property "${prop}"`, key: prop };
    }
    case 'enum':
      return {
        message: `${where}: must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`,
      };
    case 'required':
      return {
        message: `${where}: missing required property "${(e.params as { missingProperty: string }).missingProperty}"`,
      };
    default:
      return { message: `${where}: ${e.message ?? e.keyword}` };
  }
}

/**
 * ajv reports every branch of a failed oneOf; keep the most specific errors so the user sees
 * "unknown property" rather than three variants of "must match exactly one schema".
 */
function pruneErrors(errors: ErrorObject[]): ErrorObject[] {
  const specific = errors.filter((e) => e.keyword !== 'oneOf' && e.keyword !== 'if');
  const byPath = new Map<string, ErrorObject[]>();
  for (const e of specific) byPath.set(e.instancePath, [...(byPath.get(e.instancePath) ?? []), e]);
  const out: ErrorObject[] = [];
  for (const [, list] of byPath) {
    const hard = list.filter((e) => e.keyword !== 'required' && e.keyword !== 'type');
    out.push(...(hard.length ? hard : list.slice(0, 1)));
  }
  // A step that matched no variant of its oneOf: say what a step can be instead of listing
  // every branch's missing property.
  for (const e of errors) {
    if (e.keyword !== 'oneOf') continue;
    const isStep = /\/(setup|steps|teardown)\/\d+$/.test(e.instancePath);
    const others = out.filter((o) => o.instancePath === e.instancePath);
    if (isStep && others.every((o) => o.keyword === 'required')) {
      for (const o of others) out.splice(out.indexOf(o), 1);
      out.push({
        ...e,
        message: 'a step needs exactly one of: kubectl (with as), cluster, action, audit, sleepMs, await',
      });
    } else if (!specific.some((s) => s.instancePath.startsWith(e.instancePath))) {
      out.push(e);
    }
  }
  return dedupe(out);
}

function dedupe(errors: ErrorObject[]): ErrorObject[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const k = `${e.instancePath}|${e.keyword}|${JSON.stringify(e.params)}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Checks the schema cannot express: identity references, fixture files, regexes. */
async function semanticProblems(
  spec: ScenarioSpec,
  fixturesDir: string,
): Promise<Array<{ pointer: string; message: string }>> {
  const problems: Array<{ pointer: string; message: string }> = [];
  const identities = new Set(Object.keys(spec.identities ?? {}));
  const files = new Set(Object.keys(spec.files ?? {}));
  const sections: Array<['setup' | 'steps' | 'teardown', StepSpec[] | undefined]> = [
    ['setup', spec.setup],
    ['steps', spec.steps],
    ['teardown', spec.teardown],
  ];
  for (const [section, steps] of sections) {
    for (const [i, step] of (steps ?? []).entries()) {
      const base = `/${section}/${i}`;
      if (step.as !== undefined && !identities.has(step.as)) {
        problems.push({
          pointer: `${base}/as`,
          message: `identity "${step.as}" is not defined under identities (defined: ${[...identities].join(', ') || 'none'})`,
        });
      }
      const strings = [...(step.kubectl ?? []), step.stdin ?? ''];
      for (const s of strings) {
        for (const m of s.matchAll(/\$\{(fixture|file):([^}]+)\}/g)) {
          if (m[1] === 'file' && !files.has(m[2]!)) {
            problems.push({
              pointer: `${base}/kubectl`,
              message: `\${file:${m[2]}} is not declared under files`,
            });
          }
          if (m[1] === 'fixture' && !(await exists(join(fixturesDir, m[2]!)))) {
            problems.push({
              pointer: `${base}/kubectl`,
              message: `fixture ${m[2]} not found in ${fixturesDir}`,
            });
          }
        }
      }
      if (step.stdinFile && !(await exists(join(fixturesDir, step.stdinFile)))) {
        problems.push({
          pointer: `${base}/stdinFile`,
          message: `fixture ${step.stdinFile} not found in ${fixturesDir}`,
        });
      }
      for (const stream of ['stdout', 'stderr'] as const) {
        const m = step.expect?.[stream];
        if (m && typeof m === 'object' && m.regex !== undefined) {
          try {
            new RegExp(m.regex);
          } catch (err) {
            problems.push({
              pointer: `${base}/expect/${stream}/regex`,
              message: `invalid regex: ${(err as Error).message}`,
            });
          }
        }
      }
      if (step.until) {
        try {
          new RegExp(step.until.stdout);
        } catch (err) {
          problems.push({
            pointer: `${base}/until/stdout`,
            message: `invalid regex: ${(err as Error).message}`,
          });
        }
        if (!step.kubectl)
          problems.push({ pointer: `${base}/until`, message: 'until needs a kubectl command' });
      }
      if (step.await && section !== 'steps')
        problems.push({ pointer: `${base}/await`, message: 'await is only allowed in steps' });
    }
  }
  return problems;
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/** Parses and validates one scenario from text. `file` is used in messages and to find fixtures. */
export async function parseScenario(
  text: string,
  file: string,
  fixturesDir = join(dirname(file), 'fixtures'),
): Promise<LoadedScenario> {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, keepSourceTokens: true, prettyErrors: false });
  if (doc.errors.length) {
    throw new ScenarioError(
      doc.errors.map((e) => {
        const { line, col } = lc.linePos(e.pos[0]);
        return { file, line, column: col, message: `YAML: ${e.message.split('\n')[0]}` };
      }),
    );
  }
  const data: unknown = doc.toJS({ maxAliasCount: 100 });
  if (!validateSchema(data)) {
    throw new ScenarioError(
      pruneErrors(validateSchema.errors ?? []).map((e) => {
        const { message, key } = describeAjvError(e);
        return { ...positionFor(doc, lc, file, e.instancePath, key), message };
      }),
    );
  }
  const spec = data;
  const semantic = await semanticProblems(spec, fixturesDir);
  if (semantic.length) {
    throw new ScenarioError(
      semantic.map((p) => ({ ...positionFor(doc, lc, file, p.pointer), message: p.message })),
    );
  }
  return { spec, file, fixturesDir, positionOf: (pointer) => positionFor(doc, lc, file, pointer) };
}

export async function loadScenario(path: string, fixturesDir?: string): Promise<LoadedScenario> {
  const file = resolve(path);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new ScenarioError([
      { file, line: 1, column: 1, message: `cannot read scenario: ${(err as Error).message}` },
    ]);
  }
  return parseScenario(text, file, fixturesDir);
}

/** Loads several files; collects every file's errors before failing. */
export async function loadScenarios(paths: string[]): Promise<LoadedScenario[]> {
  const results = await Promise.allSettled(paths.map((p) => loadScenario(p)));
  const problems = results.flatMap((r) =>
    r.status === 'rejected'
      ? r.reason instanceof ScenarioError
        ? r.reason.problems
        : [{ file: '?', line: 1, column: 1, message: String(r.reason) }]
      : [],
  );
  if (problems.length) throw new ScenarioError(problems);
  return results.map((r) => (r as PromiseFulfilledResult<LoadedScenario>).value);
}

export { schema as scenarioSchema };
