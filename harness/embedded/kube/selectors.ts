// Label and field selectors in the syntax of the ?labelSelector= / ?fieldSelector= parameters.
import { ApiError } from './status.ts';
import type { KubeObject } from './store.ts';

type Requirement =
  { key: string; op: 'in' | 'notin'; values: string[] } | { key: string; op: 'exists' | '!' };

export type Matcher = (labels: Record<string, string> | undefined) => boolean;

const KEY = /^([a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?\/)?[a-zA-Z0-9]([-a-zA-Z0-9_.]*[a-zA-Z0-9])?$/;

/** Splits at commas that are not inside parentheses. */
function splitTerms(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out.map((t) => t.trim()).filter((t) => t.length > 0);
}

function bad(_sel: string, why: string): ApiError {
  return new ApiError(400, 'BadRequest', `unable to parse requirement: ${why}`);
}

const VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** A label value as kube-apiserver's selector lexer reads it: an operator character where an identifier belongs is a parse error. */
function checkValue(sel: string, key: string, v: string): void {
  const op = v.match(/^[=!(),]/);
  if (op) throw bad(sel, `found '${op[0]}', expected: identifier`);
  if (v.length > 63 || !VALUE.test(v))
    throw bad(
      sel,
      `values[0][${key}]: Invalid value: "${v}": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
    );
}

export function parseLabelSelector(sel: string | undefined): Matcher {
  if (!sel || !sel.trim()) return () => true;
  const reqs: Requirement[] = [];
  for (const term of splitTerms(sel)) {
    let m: RegExpMatchArray | null;
    if ((m = term.match(/^(\S+)\s+(in|notin)\s*\(([^)]*)\)$/))) {
      reqs.push({
        key: m[1]!,
        op: m[2] as 'in' | 'notin',
        values: m[3]!
          .split(',')
          .map((v) => v.trim())
          .filter(Boolean),
      });
    } else if ((m = term.match(/^([^=!\s]+)\s*(==|=|!=)\s*(\S*)$/))) {
      checkValue(sel, m[1]!, m[3]!);
      reqs.push({ key: m[1]!, op: m[2] === '!=' ? 'notin' : 'in', values: [m[3]!] });
    } else if ((m = term.match(/^!\s*(\S+)$/))) {
      reqs.push({ key: m[1]!, op: '!' });
    } else if ((m = term.match(/^(\S+)$/))) {
      reqs.push({ key: m[1]!, op: 'exists' });
    } else throw bad(sel, `cannot parse "${term}"`);
    const key = reqs[reqs.length - 1]!.key;
    if (!KEY.test(key) || key.length > 316) throw bad(sel, `invalid label key "${key}"`);
  }
  return (labels) => {
    const l = labels ?? {};
    return reqs.every((r) => {
      const has = Object.prototype.hasOwnProperty.call(l, r.key);
      switch (r.op) {
        case 'exists':
          return has;
        case '!':
          return !has;
        case 'in':
          return has && r.values.includes(l[r.key]!);
        case 'notin':
          return !has || !r.values.includes(l[r.key]!);
      }
    });
  };
}

/** matchLabels/matchExpressions of a LabelSelector object. */
export function labelSelectorMatcher(sel: unknown): Matcher {
  if (!sel || typeof sel !== 'object') return () => false;
  const s = sel as {
    matchLabels?: Record<string, string>;
    matchExpressions?: Array<{ key: string; operator: string; values?: string[] }>;
  };
  const ml = s.matchLabels ?? {};
  const me = s.matchExpressions ?? [];
  if (!Object.keys(ml).length && !me.length) return () => true;
  return (labels) => {
    const l = labels ?? {};
    for (const [k, v] of Object.entries(ml)) if (l[k] !== v) return false;
    for (const e of me) {
      const k = e.key;
      const has = Object.prototype.hasOwnProperty.call(l, k);
      const vals = e.values ?? [];
      if (e.operator === 'In' && !(has && vals.includes(l[k]!))) return false;
      if (e.operator === 'NotIn' && has && vals.includes(l[k]!)) return false;
      if (e.operator === 'Exists' && !has) return false;
      if (e.operator === 'DoesNotExist' && has) return false;
    }
    return true;
  };
}

/** Renders matchLabels as a selector string (for Deployment status.selector and the like). */
export function selectorString(sel: unknown): string {
  const s = (sel ?? {}) as { matchLabels?: Record<string, string> };
  return Object.entries(s.matchLabels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

export type FieldMatcher = (obj: KubeObject) => boolean;

/** Fields each kind allows in field selectors besides metadata.name/namespace (as in kube-apiserver). */
const FIELD_LABELS: Record<string, string[]> = {
  pods: [
    'spec.nodeName',
    'spec.restartPolicy',
    'spec.schedulerName',
    'spec.serviceAccountName',
    'spec.hostNetwork',
    'status.phase',
    'status.podIP',
    'status.nominatedNodeName',
  ],
  events: [
    'involvedObject.kind',
    'involvedObject.namespace',
    'involvedObject.name',
    'involvedObject.uid',
    'involvedObject.apiVersion',
    'involvedObject.resourceVersion',
    'involvedObject.fieldPath',
    'reason',
    'reportingComponent',
    'source',
    'type',
  ],
  secrets: ['type'],
  nodes: ['spec.unschedulable'],
  namespaces: ['status.phase'],
  replicasets: ['status.replicas'],
  jobs: ['status.successful'],
};

function getPath(obj: unknown, path: string): string {
  let cur: unknown = obj;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return '';
    cur = (cur as Record<string, unknown>)[part];
  }
  if (cur === undefined || cur === null) return '';
  if (typeof cur === 'object') return '';
  return String(cur);
}

export function parseFieldSelector(sel: string | undefined, resource: string): FieldMatcher {
  if (!sel || !sel.trim()) return () => true;
  const allowed = new Set(['metadata.name', 'metadata.namespace', ...(FIELD_LABELS[resource] ?? [])]);
  const terms = sel
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  const reqs: Array<{ field: string; neg: boolean; value: string }> = [];
  for (const t of terms) {
    const m = t.match(/^([^=!]+)(==|=|!=)(.*)$/);
    if (!m) throw new ApiError(400, 'BadRequest', `invalid selector: '${sel}'; can't understand '${t}'`);
    const field = m[1]!.trim();
    if (!allowed.has(field)) {
      // Kinds with their own field labels word it one way, the rest (ConfigMap, …) another.
      throw new ApiError(
        400,
        'BadRequest',
        FIELD_LABELS[resource]
          ? `field label not supported: ${field}`
          : `"${field}" is not a known field selector: only "metadata.name", "metadata.namespace"`,
      );
    }
    reqs.push({ field, neg: m[2] === '!=', value: m[3]!.trim() });
  }
  return (obj) =>
    reqs.every((r) => {
      const field = r.field === 'source' ? 'source.component' : r.field;
      const v = getPath(obj, field);
      return r.neg ? v !== r.value : v === r.value;
    });
}
