// OpenAPI schemas of the built-in kinds, derived from the models that
// @kubernetes/client-node generates from the real Kubernetes OpenAPI spec
// (property types from attributeTypeMap, descriptions and required-ness from
// the .d.ts files). Built lazily once per process.
import { readFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as k8s from '@kubernetes/client-node';

export type Schema = Record<string, unknown>;

interface Attribute {
  name: string;
  baseName: string;
  type: string;
  format: string;
}

interface ModelClass {
  attributeTypeMap?: Attribute[];
}

const models = k8s as unknown as Record<string, ModelClass | undefined>;

let modelDir: string | undefined;
function dtsPath(cls: string): string | undefined {
  if (!modelDir) {
    const entry = createRequire(import.meta.url).resolve('@kubernetes/client-node');
    modelDir = join(dirname(entry), 'gen', 'models');
  }
  const p = join(modelDir, `${cls}.d.ts`);
  return existsSync(p) ? p : undefined;
}

/** Real Kubernetes definition names for the meta types kubectl and others look up by name. */
const META: Record<string, string> = {
  V1ObjectMeta: 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta',
  V1ListMeta: 'io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta',
  V1LabelSelector: 'io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector',
  V1LabelSelectorRequirement: 'io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelectorRequirement',
  V1OwnerReference: 'io.k8s.apimachinery.pkg.apis.meta.v1.OwnerReference',
  V1ManagedFieldsEntry: 'io.k8s.apimachinery.pkg.apis.meta.v1.ManagedFieldsEntry',
  V1Status: 'io.k8s.apimachinery.pkg.apis.meta.v1.Status',
  V1StatusDetails: 'io.k8s.apimachinery.pkg.apis.meta.v1.StatusDetails',
  V1StatusCause: 'io.k8s.apimachinery.pkg.apis.meta.v1.StatusCause',
  V1DeleteOptions: 'io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions',
  V1Preconditions: 'io.k8s.apimachinery.pkg.apis.meta.v1.Preconditions',
  V1Condition: 'io.k8s.apimachinery.pkg.apis.meta.v1.Condition',
  V1WatchEvent: 'io.k8s.apimachinery.pkg.apis.meta.v1.WatchEvent',
};

/** Definition name for a client-node class: V1DeploymentSpec → io.k8s.api.v1.DeploymentSpec. */
export function definitionName(cls: string): string {
  const meta = META[cls];
  if (meta) return meta;
  const m = cls.match(/^([A-Z][a-z]+)?(V\d+(?:(?:alpha|beta)\d+)?)(.+)$/);
  if (!m) return `io.k8s.api.${cls}`;
  const [, group, ver, rest] = m;
  return `io.k8s.api.${group ? `${group.toLowerCase()}.` : ''}${ver!.toLowerCase()}.${rest}`;
}

interface Parsed {
  description?: string;
  props: Map<string, { description?: string; required: boolean }>;
}

function parseDts(cls: string): Parsed {
  const out: Parsed = { props: new Map() };
  const p = dtsPath(cls);
  if (!p) return out;
  const text = readFileSync(p, 'utf8');
  const clean = (c: string): string =>
    c
      .split('\n')
      .map((l) => l.replace(/^\s*\*\s?/, '').trim())
      .filter((l) => l && l !== '/')
      .join(' ')
      .trim();
  const classDoc = text.match(/\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*export declare class/);
  if (classDoc) out.description = clean(classDoc[1]!);
  const re = /(?:\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*)?\n\s*'([^']+)'(\?)?:/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    out.props.set(m[2]!, { description: m[1] ? clean(m[1]) : undefined, required: !m[3] });
  }
  return out;
}

function typeSchema(type: string, format: string, refs: Set<string>): Schema {
  let m: RegExpMatchArray | null;
  if ((m = type.match(/^Array<(.+)>$/))) return { type: 'array', items: typeSchema(m[1]!, format, refs) };
  if ((m = type.match(/^\{ \[key: string\]: (.+); \}$/)))
    return { type: 'object', additionalProperties: typeSchema(m[1]!, format, refs) };
  switch (type) {
    case 'string':
      return format ? { type: 'string', format } : { type: 'string' };
    case 'Date':
    case 'V1MicroTime':
      return { type: 'string', format: 'date-time' };
    case 'number':
      return format === 'double' || format === 'float'
        ? { type: 'number', format }
        : { type: 'integer', format: format || 'int64' };
    case 'boolean':
      return { type: 'boolean' };
    case 'IntOrString':
      return { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] };
    case 'any':
    case 'object':
      return { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
  }
  if (models[type]?.attributeTypeMap) {
    refs.add(type);
    return { $ref: `#/components/schemas/${definitionName(type)}` };
  }
  return { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
}

const cache = new Map<string, { schema: Schema; refs: Set<string> }>();

/** Schema of one model class plus the classes it references. */
export function modelSchema(cls: string): { schema: Schema; refs: Set<string> } | undefined {
  const hit = cache.get(cls);
  if (hit) return hit;
  const attrs = models[cls]?.attributeTypeMap;
  if (!attrs) return undefined;
  const parsed = parseDts(cls);
  const refs = new Set<string>();
  const properties: Record<string, Schema> = {};
  const required: string[] = [];
  for (const a of attrs) {
    const info = parsed.props.get(a.name);
    let s = typeSchema(a.type, a.format, refs);
    if (s.$ref && info?.description) s = { allOf: [s], description: info.description };
    else if (info?.description) s = { ...s, description: info.description };
    properties[a.baseName] = s;
    if (info?.required) required.push(a.baseName);
  }
  const schema: Schema = {
    type: 'object',
    ...(parsed.description ? { description: parsed.description } : {}),
    properties,
  };
  if (required.length) schema.required = required;
  const entry = { schema, refs };
  cache.set(cls, entry);
  return entry;
}

/** Component schemas reachable from the given classes, keyed by definition name. */
export function schemasFor(classes: string[]): Record<string, Schema> {
  const out: Record<string, Schema> = {};
  const seen = new Set<string>();
  const queue = [...classes];
  while (queue.length) {
    const cls = queue.pop()!;
    if (seen.has(cls)) continue;
    seen.add(cls);
    const m = modelSchema(cls);
    if (!m) continue;
    out[definitionName(cls)] = m.schema;
    for (const r of m.refs) if (!seen.has(r)) queue.push(r);
  }
  return out;
}

/** Resolves a $ref (or allOf-wrapped $ref) to the referenced class's schema. */
export function resolveRef(s: Schema, all: Record<string, Schema>): Schema {
  const ref =
    (s.$ref as string | undefined) ?? ((s.allOf as Schema[] | undefined)?.[0]?.$ref as string | undefined);
  if (!ref) return s;
  return all[ref.replace('#/components/schemas/', '').replace('#/definitions/', '')] ?? {};
}
