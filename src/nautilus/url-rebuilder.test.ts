import { describe, expect, it } from 'vitest';
import { rebuildUrl } from './url-rebuilder.ts';
import { parseRequest } from '../k8s/request-info.ts';
import { RequestRefused, type K8sRequestFields } from '../k8s/request.ts';

const base: K8sRequestFields = {
  verb: 'get',
  apiGroup: '',
  version: 'v1',
  resource: 'pods',
  subresource: '',
  namespace: 'default',
  name: 'nginx',
  query: '',
};

/** Small deterministic PRNG so the property test is reproducible. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

describe('rebuildUrl', () => {
  it('rebuilds a named get', () => {
    expect(rebuildUrl(base)).toEqual({ method: 'GET', path: '/api/v1/namespaces/default/pods/nginx' });
  });
  it('rebuilds list-by-name through the collection + fieldSelector', () => {
    const f = { ...base, verb: 'list', query: 'fieldSelector=metadata.name%3Dnginx' };
    expect(rebuildUrl(f).path).toBe('/api/v1/namespaces/default/pods?fieldSelector=metadata.name%3Dnginx');
  });
  it('rebuilds a watch on the collection, and on one object through the fieldSelector', () => {
    const all = { ...base, verb: 'watch', name: '', query: 'resourceVersion=42&watch=true' };
    expect(rebuildUrl(all)).toEqual({
      method: 'GET',
      path: '/api/v1/namespaces/default/pods?resourceVersion=42&watch=true',
    });
    const one = { ...base, verb: 'watch', query: 'fieldSelector=metadata.name%3Dnginx&watch=true' };
    expect(rebuildUrl(one).path).toBe(
      '/api/v1/namespaces/default/pods?fieldSelector=metadata.name%3Dnginx&watch=true',
    );
  });
  it('rebuilds a namespace object', () => {
    const f = { ...base, resource: 'namespaces', namespace: 'ns1', name: 'ns1' };
    expect(rebuildUrl(f).path).toBe('/api/v1/namespaces/ns1');
  });
  it('rebuilds a named-group subresource with the method of the verb', () => {
    const f = {
      ...base,
      verb: 'update',
      apiGroup: 'apps',
      resource: 'deployments',
      subresource: 'scale',
      name: 'web',
    };
    expect(rebuildUrl(f)).toEqual({
      method: 'PUT',
      path: '/apis/apps/v1/namespaces/default/deployments/web/scale',
    });
  });

  const refusals: Array<[string, Partial<K8sRequestFields>]> = [
    ['path traversal in name', { name: '..' }],
    ['slash in name', { name: 'a/b' }],
    ['slash in resource', { resource: 'pods/exec' }],
    ['encoded slash', { name: 'a%2Fb' }],
    ['uppercase namespace', { namespace: 'Default' }],
    ['empty resource', { resource: '' }],
    ['empty version', { version: '' }],
    ['odd version', { version: '../v1' }],
    ['unknown verb', { verb: 'escalate' }],
    ['watch without watch=true (legacy /watch/ path)', { verb: 'watch', name: '', query: '' }],
    ['proxy', { verb: 'proxy' }],
    ['subresource without name', { verb: 'list', name: '', subresource: 'status' }],
    ['unknown query parameter', { query: 'evil=1' }],
    ['non-canonical query', { query: 'limit=1&' }],
    ['list with a name but no selector', { verb: 'list', name: 'nginx', query: '' }],
    ['deletecollection with name', { verb: 'deletecollection', name: 'nginx' }],
    ['get without name', { verb: 'get', name: '' }],
    ['delete without name', { verb: 'delete', name: '' }],
    ['query injection', { query: 'limit=1#/../../secrets' }],
    ['newline in name', { name: 'a\nb' }],
    ['group with slash', { apiGroup: 'apps/v1/namespaces' }],
  ];
  for (const [label, patch] of refusals) {
    it(`refuses: ${label}`, () => {
      expect(() => rebuildUrl({ ...base, ...patch })).toThrow(RequestRefused);
    });
  }

  it('property: parse ∘ rebuild is the identity for generated requests', () => {
    const rand = rng(42);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
    const methods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
    const groups = ['', 'apps', 'batch', 'rbac.authorization.k8s.io', 'example.com'];
    const versions = ['v1', 'v1beta1', 'v2alpha3'];
    const resources = ['pods', 'deployments', 'configmaps', 'nodes', 'namespaces', 'clusterroles'];
    const namespaces = ['', 'default', 'kube-system', 'a-b'];
    const names = ['', 'nginx', 'web-1', 'system:x', 'a.b'];
    const subs = ['', '', 'status', 'log', 'scale'];
    const queries = [
      '',
      'limit=5',
      'labelSelector=app%3Dweb',
      'dryRun=All&fieldManager=kubectl',
      'fieldSelector=metadata.name%3Dnginx',
    ];
    let checked = 0;
    for (let i = 0; i < 2000; i++) {
      const g = pick(groups);
      const ns = pick(namespaces);
      const name = pick(names);
      const sub = name === '' ? '' : pick(subs);
      let path = g === '' ? '/api' : `/apis/${g}`;
      path += `/${pick(versions)}`;
      if (ns) path += `/namespaces/${ns}`;
      path += `/${pick(resources)}`;
      if (name) path += `/${name}`;
      if (sub) path += `/${sub}`;
      const q = pick(queries);
      if (q) path += `?${q}`;
      let parsed;
      try {
        parsed = parseRequest(pick(methods), path);
      } catch (e) {
        expect(e).toBeInstanceOf(RequestRefused);
        continue;
      }
      if (parsed.kind !== 'resource') continue;
      const { kind: _k, ...fields } = parsed;
      let rebuilt;
      try {
        rebuilt = rebuildUrl(fields);
      } catch (e) {
        // The only parsed requests the rebuilder may refuse are ambiguous ones; they must be RequestRefused.
        expect(e).toBeInstanceOf(RequestRefused);
        continue;
      }
      const again = parseRequest(rebuilt.method, rebuilt.path);
      expect(again).toEqual(parsed);
      checked++;
    }
    expect(checked).toBeGreaterThan(1500);
  });

  it('property: randomly corrupted fields are refused or rebuilt faithfully, never executed differently', () => {
    const rand = rng(7);
    const junk = ['..', '/', '%2F', '?', '#', ' ', '\u0000', 'A', ':', '\n', '&', '='];
    const keys: Array<keyof K8sRequestFields> = [
      'verb',
      'apiGroup',
      'version',
      'resource',
      'subresource',
      'namespace',
      'name',
      'query',
    ];
    for (let i = 0; i < 2000; i++) {
      const f = { ...base, verb: rand() < 0.5 ? 'get' : 'delete' };
      const key = keys[Math.floor(rand() * keys.length)]!;
      const pos = Math.floor(rand() * (f[key].length + 1));
      f[key] = f[key].slice(0, pos) + junk[Math.floor(rand() * junk.length)]! + f[key].slice(pos);
      try {
        const out = rebuildUrl(f);
        const again = parseRequest(out.method, out.path);
        expect(again).toMatchObject(f);
      } catch (e) {
        expect(e).toBeInstanceOf(RequestRefused);
      }
    }
  });
});
