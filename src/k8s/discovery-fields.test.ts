import { describe, expect, it } from 'vitest';
import { discoveryFields, discoveryPath, DISCOVERY_GROUP } from './discovery-fields.ts';
import { RequestRefused } from './request.ts';

describe('discovery pseudo-resource', () => {
  const paths = [
    '/version',
    '/api',
    '/api/v1',
    '/apis',
    '/apis/apps',
    '/apis/apps/v1',
    '/apis/rbac.authorization.k8s.io/v1',
    '/openapi/v2',
    '/openapi/v3',
    '/openapi/v3/api/v1',
    '/openapi/v3/apis/apps/v1',
  ];
  for (const p of paths) {
    it(`round-trips ${p}`, () => {
      const f = discoveryFields(p, '');
      expect(f?.apiGroup).toBe(DISCOVERY_GROUP);
      expect(discoveryPath(f!)).toBe(p);
    });
  }
  it('keeps the openapi v3 hash', () => {
    expect(discoveryPath(discoveryFields('/openapi/v3/apis/apps/v1', 'hash=ABC123')!)).toBe(
      '/openapi/v3/apis/apps/v1?hash=ABC123',
    );
  });
  it("drops kubectl's timeout parameter", () => {
    expect(discoveryFields('/api', 'timeout=32s')?.query).toBe('');
  });
  it('is not a route to arbitrary non-resource URLs', () => {
    for (const p of [
      '/healthz',
      '/metrics',
      '/logs/x',
      '/api/v1/pods',
      '/apis/apps/v1/deployments',
      '/openapi/v4',
      '/debug/pprof',
    ])
      expect(discoveryFields(p, '')).toBeUndefined();
    expect(discoveryFields('/api', 'x=1')).toBeUndefined();
  });
  it('the listener refuses forged fields', () => {
    const base = discoveryFields('/api', '')!;
    for (const bad of [
      { name: 'metrics' },
      { name: 'api:v1:pods' },
      { verb: 'create' },
      { namespace: 'default' },
      { query: 'hash=a&x=1' },
      { subresource: 'log' },
    ]) {
      expect(() => discoveryPath({ ...base, ...bad })).toThrow(RequestRefused);
    }
  });
});
