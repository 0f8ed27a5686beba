import { describe, expect, it } from 'vitest';
import { parseRequest } from './request-info.ts';
import { RequestRefused } from './request.ts';

function res(method: string, url: string) {
  const r = parseRequest(method, url);
  if (r.kind !== 'resource') throw new Error(`expected a resource request for ${method} ${url}`);
  return r;
}

describe('parseRequest — verbs as kube-apiserver computes them', () => {
  const cases: Array<[string, string, Partial<ReturnType<typeof res>>]> = [
    [
      'GET',
      '/api/v1/namespaces/default/pods',
      { verb: 'list', resource: 'pods', namespace: 'default', name: '' },
    ],
    ['GET', '/api/v1/namespaces/default/pods?watch=true', { verb: 'watch', query: 'watch=true' }],
    ['GET', '/api/v1/namespaces/default/pods?watch=1', { verb: 'watch' }],
    ['GET', '/api/v1/namespaces/default/pods?watch=false', { verb: 'list' }],
    ['GET', '/api/v1/namespaces/default/pods?watch=0', { verb: 'list' }],
    ['GET', '/api/v1/namespaces/default/pods/nginx', { verb: 'get', name: 'nginx' }],
    ['HEAD', '/api/v1/namespaces/default/pods/nginx', { verb: 'get', name: 'nginx' }],
    ['POST', '/api/v1/namespaces/default/pods', { verb: 'create', name: '' }],
    ['PUT', '/api/v1/namespaces/default/pods/nginx', { verb: 'update', name: 'nginx' }],
    ['PATCH', '/api/v1/namespaces/default/pods/nginx', { verb: 'patch' }],
    ['DELETE', '/api/v1/namespaces/default/pods/nginx', { verb: 'delete', name: 'nginx' }],
    ['DELETE', '/api/v1/namespaces/default/pods', { verb: 'deletecollection', name: '' }],
    ['GET', '/api/v1/namespaces/default/pods/nginx/log', { verb: 'get', subresource: 'log', name: 'nginx' }],
    [
      'PUT',
      '/apis/apps/v1/namespaces/ns1/deployments/web/scale',
      { verb: 'update', apiGroup: 'apps', subresource: 'scale' },
    ],
    ['GET', '/api/v1/nodes', { verb: 'list', resource: 'nodes', namespace: '' }],
    [
      'GET',
      '/apis/rbac.authorization.k8s.io/v1/clusterroles/system:controller:x',
      { verb: 'get', name: 'system:controller:x' },
    ],
    ['GET', '/api/v1/namespaces', { verb: 'list', resource: 'namespaces', namespace: '' }],
    [
      'GET',
      '/api/v1/namespaces/kube-system',
      { verb: 'get', resource: 'namespaces', namespace: 'kube-system', name: 'kube-system' },
    ],
    [
      'PUT',
      '/api/v1/namespaces/ns1/finalize',
      { verb: 'update', resource: 'namespaces', name: 'ns1', subresource: 'finalize' },
    ],
    ['GET', '/api/v1/watch/namespaces/default/pods', { verb: 'watch', resource: 'pods' }],
    [
      'GET',
      '/api/v1/namespaces/default/pods?fieldSelector=metadata.name%3Dnginx',
      { verb: 'list', name: 'nginx' },
    ],
    [
      'GET',
      '/api/v1/namespaces/default/pods?fieldSelector=metadata.name%3Dnginx&watch=true',
      { verb: 'watch', name: 'nginx' },
    ],
    ['GET', '/apis/apps/v1/deployments', { verb: 'list', apiGroup: 'apps', version: 'v1', namespace: '' }],
    ['GET', '/apis/batch/v1beta1/namespaces/x/cronjobs', { version: 'v1beta1', apiGroup: 'batch' }],
  ];
  for (const [method, url, expected] of cases) {
    it(`${method} ${url}`, () => {
      expect(res(method, url)).toMatchObject(expected);
    });
  }

  it('keeps the query canonical and in order', () => {
    expect(res('GET', '/api/v1/pods?limit=500&labelSelector=app%3Dweb').query).toBe(
      'limit=500&labelSelector=app%3Dweb',
    );
  });
});

describe('parseRequest — non-resource URLs', () => {
  for (const path of [
    '/version',
    '/api',
    '/apis',
    '/apis/apps',
    '/api/v1',
    '/apis/apps/v1',
    '/openapi/v2',
    '/openapi/v3/apis/apps/v1',
  ]) {
    it(`GET ${path} is discovery`, () => {
      const r = parseRequest('GET', path);
      expect(r).toMatchObject({ kind: 'nonResource', verb: 'get', path, discovery: true });
    });
  }
  it('/healthz is non-resource but not discovery', () => {
    expect(parseRequest('GET', '/healthz')).toMatchObject({ kind: 'nonResource', discovery: false });
  });
  it('POST /version is not cacheable', () => {
    expect(parseRequest('POST', '/version')).toMatchObject({
      kind: 'nonResource',
      verb: 'post',
      discovery: false,
    });
  });
});

describe('parseRequest — refusals', () => {
  const bad: Array<[string, string]> = [
    ['GET', '/api/v1/namespaces/default/pods/%2e%2e/secrets'],
    ['GET', '/api/v1/namespaces/default/pods/a%2Fb'],
    ['GET', '/api/v1/namespaces/Default/pods'],
    ['GET', '/api/v1/namespaces/default/pods/x/log/extra'],
    ['GET', '/api/v1/namespaces/default/pods?evil=1'],
    ['TRACE', '/api/v1/pods'],
    ['GET', '/api/V1/pods'],
    ['GET', '/apis/Apps/v1/deployments'],
    ['GET', '/api/v1/watch'],
    ['GET', '/api/v1/namespaces/default/PODS'],
  ];
  for (const [method, url] of bad) {
    it(`${method} ${url}`, () => {
      expect(() => parseRequest(method, url)).toThrow(RequestRefused);
    });
  }
  it('an unsupported method gets 405', () => {
    try {
      parseRequest('TRACE', '/api/v1/pods');
    } catch (e) {
      expect((e as RequestRefused).httpStatus).toBe(405);
    }
    expect.assertions(1);
  });
});
