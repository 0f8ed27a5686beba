// API discovery: /version, legacy /api and /apis documents, and the
// aggregated apidiscovery.k8s.io/v2 form client-go asks for first.
import { createHash } from 'node:crypto';
import { groupVersion, type KindRegistry, type ResourceKind } from './registry.ts';

export const KUBE_VERSION = { major: '1', minor: '32', gitVersion: 'v1.32.0-k3s-daas-embedded' };

export function versionInfo(): Record<string, string> {
  return {
    ...KUBE_VERSION,
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2026-01-01T00:00:00Z',
    goVersion: 'go1.23.0',
    compiler: 'gc',
    platform: 'linux/amd64',
  };
}

export const AGGREGATED_MEDIA = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';
const AGGREGATED_MEDIA_BETA = 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList';

/** Which aggregated discovery version the Accept header asks for (first acceptable wins). */
export function wantsAggregated(accept: string | undefined): 'v2' | 'v2beta1' | undefined {
  if (!accept) return undefined;
  for (const part of accept.split(',')) {
    const p = part.replace(/\s+/g, '');
    if (p.includes('as=APIGroupDiscoveryList') && p.includes('g=apidiscovery.k8s.io')) {
      if (p.includes('v=v2beta1')) return 'v2beta1';
      if (p.includes('v=v2')) return 'v2';
    }
    if (p.startsWith('application/json') && !p.includes('as=')) return undefined;
  }
  return undefined;
}

export function aggregatedMediaType(v: 'v2' | 'v2beta1'): string {
  return v === 'v2' ? AGGREGATED_MEDIA : AGGREGATED_MEDIA_BETA;
}

function storageVersionHash(rk: ResourceKind): string {
  return (
    createHash('sha256').update(`${rk.group}/${rk.version}/${rk.kind}`).digest('base64').slice(0, 11) + '='
  );
}

function subresourceVerbs(sub: string): string[] {
  if (sub === 'log') return ['get'];
  if (sub === 'exec' || sub === 'attach' || sub === 'portforward') return ['create', 'get'];
  if (sub === 'eviction' || sub === 'binding' || sub === 'token') return ['create'];
  if (sub === 'finalize') return ['update'];
  return ['get', 'patch', 'update'];
}

function subresourceKind(rk: ResourceKind, sub: string): { group: string; version: string; kind: string } {
  if (sub === 'scale') return { group: 'autoscaling', version: 'v1', kind: 'Scale' };
  if (sub === 'eviction') return { group: 'policy', version: 'v1', kind: 'Eviction' };
  if (sub === 'token') return { group: 'authentication.k8s.io', version: 'v1', kind: 'TokenRequest' };
  if (sub === 'binding') return { group: '', version: 'v1', kind: 'Binding' };
  if (sub === 'log') return { group: '', version: 'v1', kind: 'Pod' };
  if (sub === 'exec') return { group: '', version: 'v1', kind: 'PodExecOptions' };
  if (sub === 'attach') return { group: '', version: 'v1', kind: 'PodAttachOptions' };
  if (sub === 'portforward') return { group: '', version: 'v1', kind: 'PodPortForwardOptions' };
  return { group: rk.group, version: rk.version, kind: rk.kind };
}

export function apiResourceList(rks: ResourceKind[], gv: string): Record<string, unknown> {
  const resources: Record<string, unknown>[] = [];
  for (const rk of [...rks].sort((a, b) => a.resource.localeCompare(b.resource))) {
    resources.push({
      name: rk.resource,
      singularName: rk.singular,
      namespaced: rk.namespaced,
      kind: rk.kind,
      verbs: rk.verbs,
      ...(rk.shortNames.length ? { shortNames: rk.shortNames } : {}),
      ...(rk.categories.length ? { categories: rk.categories } : {}),
      storageVersionHash: storageVersionHash(rk),
    });
    for (const sub of rk.subresources) {
      const sk = subresourceKind(rk, sub);
      resources.push({
        name: `${rk.resource}/${sub}`,
        singularName: '',
        namespaced: rk.namespaced,
        ...(sk.group !== rk.group ? { group: sk.group, version: sk.version } : {}),
        kind: sk.kind,
        verbs: subresourceVerbs(sub),
      });
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: gv, resources };
}

export function legacyApiVersions(serverAddress: string): Record<string, unknown> {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

interface GroupInfo {
  name: string;
  versions: string[];
  preferred: string;
}

/** Groups in a stable order: built-in groups first, CRD groups after. */
function groups(reg: KindRegistry): GroupInfo[] {
  const map = new Map<string, GroupInfo>();
  for (const rk of reg.all()) {
    if (!rk.group) continue;
    const g = map.get(rk.group) ?? { name: rk.group, versions: [], preferred: rk.version };
    if (!g.versions.includes(rk.version)) g.versions.push(rk.version);
    map.set(rk.group, g);
  }
  for (const g of map.values()) {
    g.versions.sort(compareKubeVersions);
    g.preferred = g.versions[0]!;
  }
  return [...map.values()];
}

/** Kubernetes version priority: GA > beta > alpha, higher numbers first. */
export function compareKubeVersions(a: string, b: string): number {
  const parse = (v: string): [number, number, number] => {
    const m = v.match(/^v(\d+)(?:(alpha|beta)(\d+))?$/);
    if (!m) return [0, 0, 0];
    return [m[2] === 'alpha' ? 1 : m[2] === 'beta' ? 2 : 3, Number(m[1]), Number(m[3] ?? 0)];
  };
  const [pa, pb] = [parse(a), parse(b)];
  for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return pb[i]! - pa[i]!;
  return a.localeCompare(b);
}

export function apiGroupList(reg: KindRegistry): Record<string, unknown> {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: groups(reg).map((g) => ({
      name: g.name,
      versions: g.versions.map((v) => ({ groupVersion: `${g.name}/${v}`, version: v })),
      preferredVersion: { groupVersion: `${g.name}/${g.preferred}`, version: g.preferred },
    })),
  };
}

export function apiGroup(reg: KindRegistry, name: string): Record<string, unknown> | undefined {
  const g = groups(reg).find((x) => x.name === name);
  if (!g) return undefined;
  return {
    kind: 'APIGroup',
    apiVersion: 'v1',
    name: g.name,
    versions: g.versions.map((v) => ({ groupVersion: `${g.name}/${v}`, version: v })),
    preferredVersion: { groupVersion: `${g.name}/${g.preferred}`, version: g.preferred },
  };
}

function aggregatedResources(rks: ResourceKind[]): Record<string, unknown>[] {
  return [...rks]
    .sort((a, b) => a.resource.localeCompare(b.resource))
    .map((rk) => ({
      resource: rk.resource,
      responseKind: { group: rk.group, version: rk.version, kind: rk.kind },
      scope: rk.namespaced ? 'Namespaced' : 'Cluster',
      singularResource: rk.singular,
      verbs: rk.verbs,
      ...(rk.shortNames.length ? { shortNames: rk.shortNames } : {}),
      ...(rk.categories.length ? { categories: rk.categories } : {}),
      ...(rk.subresources.length
        ? {
            subresources: rk.subresources.map((sub) => ({
              subresource: sub,
              responseKind: subresourceKind(rk, sub),
              verbs: subresourceVerbs(sub),
            })),
          }
        : {}),
    }));
}

export function aggregatedDiscovery(
  reg: KindRegistry,
  legacy: boolean,
  version: 'v2' | 'v2beta1',
): Record<string, unknown> {
  const byGv = reg.groupVersions();
  const items = legacy
    ? [
        {
          metadata: { name: '', creationTimestamp: null },
          versions: [
            { version: 'v1', resources: aggregatedResources(byGv.get('v1') ?? []), freshness: 'Current' },
          ],
        },
      ]
    : groups(reg).map((g) => ({
        metadata: { name: g.name, creationTimestamp: null },
        versions: g.versions.map((v) => ({
          version: v,
          resources: aggregatedResources(byGv.get(`${g.name}/${v}`) ?? []),
          freshness: 'Current',
        })),
      }));
  return { kind: 'APIGroupDiscoveryList', apiVersion: `apidiscovery.k8s.io/${version}`, metadata: {}, items };
}

export { groupVersion };
