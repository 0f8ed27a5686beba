/**
 * RBAC rules on the command line: either JSON (a rule or an array of rules in
 * the contract's RbacRule shape) or the compact form
 *   "verbs=get,list;groups=,apps;resources=pods,deployments;namespaces=default;names="
 * (an empty list item is the core group "" / cluster scope "").
 */
import type { RbacRule } from '../contract/index.ts';
import { CliError } from './context.ts';

const KEYS: Record<string, keyof RbacRule> = {
  verbs: 'verbs',
  groups: 'apiGroups',
  apigroups: 'apiGroups',
  resources: 'resources',
  namespaces: 'namespaces',
  names: 'resourceNames',
  resourcenames: 'resourceNames',
};

export function parseRule(text: string): RbacRule {
  const t = text.trim();
  if (t.startsWith('{')) return checkRule(JSON.parse(t) as unknown);
  const rule: RbacRule = { verbs: [], apiGroups: [''], resources: [], namespaces: ['*'], resourceNames: [] };
  for (const part of t.split(';')) {
    if (part.trim() === '') continue;
    const eq = part.indexOf('=');
    if (eq < 0)
      throw new CliError(
        `rule part "${part}" must be key=value (keys: verbs, groups, resources, namespaces, names)`,
      );
    const key = KEYS[part.slice(0, eq).trim().toLowerCase()];
    if (!key)
      throw new CliError(
        `unknown rule key "${part.slice(0, eq)}" (keys: verbs, groups, resources, namespaces, names)`,
      );
    const raw = part.slice(eq + 1);
    rule[key] = key === 'resourceNames' && raw === '' ? [] : raw.split(',').map((s) => s.trim());
  }
  if (rule.verbs.length === 0 || rule.resources.length === 0)
    throw new CliError(`rule "${text}" needs verbs=… and resources=…`);
  return rule;
}

export function parseRules(texts: string[]): RbacRule[] {
  const out: RbacRule[] = [];
  for (const t of texts) {
    const trimmed = t.trim();
    if (trimmed.startsWith('[')) for (const r of JSON.parse(trimmed) as unknown[]) out.push(checkRule(r));
    else out.push(parseRule(trimmed));
  }
  return out;
}

function checkRule(x: unknown): RbacRule {
  const o = x as Partial<RbacRule>;
  const lists: Array<keyof RbacRule> = ['verbs', 'apiGroups', 'resources', 'namespaces', 'resourceNames'];
  for (const k of lists) {
    if (o[k] === undefined && k === 'resourceNames') o[k] = [];
    if (!Array.isArray(o[k]) || !o[k]!.every((s) => typeof s === 'string'))
      throw new CliError(`rule field "${k}" must be an array of strings`);
  }
  return o as RbacRule;
}

export function formatRule(r: RbacRule): string {
  const l = (xs: string[]) => (xs.length === 0 ? '(any)' : xs.map((x) => (x === '' ? '""' : x)).join(','));
  return `verbs=${l(r.verbs)} groups=${l(r.apiGroups)} resources=${l(r.resources)} namespaces=${l(r.namespaces)} names=${l(r.resourceNames)}`;
}
