import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import type { RbacRule } from '../../src/contract/index.ts';
import { DISCOVERY_RULE } from '../../src/k8s/discovery-fields.ts';
import type { IdentityRequest } from '../backends/onchain/identities.ts';
import type { IdentitySpec, LoadedScenario, RuleSpec } from './types.ts';

/** Everything a scenario needs decided before the stack boots: its namespace and identities. */
export interface ScenarioPlan {
  loaded: LoadedScenario;
  /** Short, DNS-safe, unique within the run. */
  slug: string;
  namespace: string;
  /** Identity name in the scenario → name in the stack. */
  identityNames: Record<string, string>;
  identityRequests: IdentityRequest[];
}

export function slugify(s: string, max = 30): string {
  const slug = s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, max)
    .replace(/-+$/g, '');
  return slug || 'scenario';
}

export function newRunId(): string {
  return createHash('sha256')
    .update(`${process.pid}-${Date.now()}-${Math.random()}`)
    .digest('hex')
    .slice(0, 6);
}

function expandRules(spec: IdentitySpec, namespace: string): RbacRule[] {
  const all = (namespaces: string[]): RbacRule => ({
    verbs: ['*'],
    apiGroups: ['*'],
    resources: ['*'],
    namespaces,
    resourceNames: [],
  });
  const preset: RbacRule[] =
    spec.preset === 'admin'
      ? [all(['*'])]
      : spec.preset === 'namespace-admin'
        ? [all([namespace])]
        : spec.preset === 'read-only'
          ? [
              {
                verbs: ['get', 'list', 'watch'],
                apiGroups: ['*'],
                resources: ['*'],
                namespaces: [namespace],
                resourceNames: [],
              },
            ]
          : [];
  const explicit = (spec.rules ?? []).map((r: RuleSpec): RbacRule => ({
    verbs: r.verbs,
    apiGroups: r.apiGroups ?? ['*'],
    resources: r.resources,
    namespaces: (r.namespaces ?? ['${namespace}']).map((n) => n.replaceAll('${namespace}', namespace)),
    resourceNames: r.resourceNames ?? [],
  }));
  // kubectl cannot work without discovery; every token may read the discovery pseudo-resource.
  return [...preset, ...explicit, { ...DISCOVERY_RULE, resourceNames: [] }];
}

function stakeOf(spec: IdentitySpec, minWriteStake: bigint): bigint {
  if (spec.stake === undefined || spec.stake === 'enough') return minWriteStake;
  if (spec.stake === 'none') return 0n;
  return BigInt(spec.stake);
}

export function planScenarios(
  loaded: LoadedScenario[],
  runId: string,
  minWriteStake: bigint,
): ScenarioPlan[] {
  const used = new Set<string>();
  return loaded.map((l) => {
    let slug = slugify(l.spec.name || basename(l.file, '.yaml'));
    for (let i = 2; used.has(slug); i++) slug = `${slugify(l.spec.name, 27)}-${i}`;
    used.add(slug);
    const namespace = `${slug}-${runId}`.slice(0, 63).replace(/-+$/, '');
    const identityNames: Record<string, string> = {};
    const identityRequests: IdentityRequest[] = [];
    for (const [name, spec] of Object.entries(l.spec.identities ?? {})) {
      const stackName = `${slug}/${name}`;
      identityNames[name] = stackName;
      identityRequests.push({
        name: stackName,
        rules: spec.unknown ? [] : expandRules(spec, namespace),
        stakeMist: spec.unknown ? 0n : stakeOf(spec, minWriteStake),
        expiresInMs: spec.expiresInMs,
        revoked: spec.revoked,
        unknown: spec.unknown,
      });
    }
    return { loaded: l, slug, namespace, identityNames, identityRequests };
  });
}

/** Replaces ${namespace}, ${scenario}, ${runId}, ${fixture:X}, ${file:X} in a string. */
export function renderTemplate(
  s: string,
  vars: {
    namespace: string;
    scenario: string;
    runId: string;
    fixture: (n: string) => string;
    file: (n: string) => string;
  },
): string {
  return s.replace(/\$\{(namespace|scenario|runId|fixture:[^}]+|file:[^}]+)\}/g, (_m, key: string) => {
    if (key === 'namespace') return vars.namespace;
    if (key === 'scenario') return vars.scenario;
    if (key === 'runId') return vars.runId;
    if (key.startsWith('fixture:')) return vars.fixture(key.slice(8));
    return vars.file(key.slice(5));
  });
}

/** Deterministic printable content of `bytes` length (compresses poorly, like real data). */
export function generatedContent(bytes: number, seed: string): string {
  let out = '';
  let block = createHash('sha256').update(seed).digest();
  while (out.length < bytes) {
    out += block.toString('base64').replace(/[+/=]/g, 'x');
    if (out.length % 76 < 44) out += '\n';
    block = createHash('sha256').update(block).digest();
  }
  return out.slice(0, bytes);
}
