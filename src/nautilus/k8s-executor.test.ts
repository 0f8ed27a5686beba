/**
 * Retry/backoff of the Kubernetes hop, with faults injected at the HTTP
 * boundary by msw (connection errors, 5xx answers, hung requests).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setupServer } from 'msw/node';
import { http, HttpResponse, delay } from 'msw';
import { K8sExecutor } from './k8s-executor.ts';
import { requesterIdentity } from './kube-identity.ts';

const KUBECONFIG = `apiVersion: v1
kind: Config
clusters: [{ name: c, cluster: { server: "https://k8s.test:6443" } }]
users: [{ name: u, user: { token: "secret-token" } }]
contexts: [{ name: ctx, context: { cluster: c, user: u } }]
current-context: ctx
`;

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

function executor(extra: Partial<ConstructorParameters<typeof K8sExecutor>[0]> = {}) {
  return new K8sExecutor({ kubeconfigYaml: KUBECONFIG, retries: 3, ...extra });
}

describe('K8sExecutor', () => {
  it('uses kubeconfig auth, impersonates the requester, passes Accept', async () => {
    let seen: Headers | undefined;
    server.use(
      http.get('https://k8s.test:6443/api/v1/namespaces/default/pods', ({ request }) => {
        seen = request.headers;
        return HttpResponse.json({ kind: 'PodList', items: [] });
      }),
    );
    const r = await executor().execute({
      method: 'GET',
      path: '/api/v1/namespaces/default/pods',
      accept: 'application/json;as=Table;v=v1;g=meta.k8s.io',
      as: requesterIdentity({ requester: '0xabc', tokenId: '0x70', clusterId: '0xc1' }),
      idempotent: true,
    });
    expect(r.statusCode).toBe(200);
    expect(JSON.parse(r.body.toString())).toMatchObject({ kind: 'PodList' });
    expect(seen?.get('authorization')).toBe('Bearer secret-token');
    expect(seen?.get('impersonate-user')).toBe('sui:0xabc');
    // undici joins repeated headers with ", "
    expect(seen?.get('impersonate-group')).toBe(
      'k3s-daas:cluster:0xc1, k3s-daas:token:0x70, system:authenticated',
    );
    expect(seen?.get('accept')).toContain('as=Table');
  });

  it('retries a read after network errors, then succeeds', async () => {
    let calls = 0;
    server.use(
      http.get('https://k8s.test:6443/api/v1/nodes', () => {
        calls++;
        return calls < 3 ? HttpResponse.error() : HttpResponse.json({ kind: 'NodeList', items: [] });
      }),
    );
    const r = await executor().execute({
      method: 'GET',
      path: '/api/v1/nodes',
      accept: 'application/json',
      as: 'self',
      idempotent: true,
    });
    expect(r.statusCode).toBe(200);
    expect(calls).toBe(3);
  });

  it('does not retry a write after an ambiguous network error (it may have run)', async () => {
    let calls = 0;
    server.use(
      http.post('https://k8s.test:6443/api/v1/namespaces/default/pods', () => {
        calls++;
        return HttpResponse.error();
      }),
    );
    await expect(
      executor().execute({
        method: 'POST',
        path: '/api/v1/namespaces/default/pods',
        accept: 'application/json',
        body: Buffer.from('{}'),
        contentType: 'application/json',
        as: 'self',
        idempotent: false,
      }),
    ).rejects.toThrow();
    expect(calls).toBe(1);
  });

  it('gives up after the retry budget', async () => {
    let calls = 0;
    server.use(
      http.get('https://k8s.test:6443/api/v1/nodes', () => {
        calls++;
        return HttpResponse.error();
      }),
    );
    await expect(
      executor({ retries: 2 }).execute({
        method: 'GET',
        path: '/api/v1/nodes',
        accept: 'application/json',
        as: 'self',
        idempotent: true,
      }),
    ).rejects.toThrow();
    expect(calls).toBe(3);
  });

  it('a hung request times out and is retried for reads', async () => {
    let calls = 0;
    server.use(
      http.get('https://k8s.test:6443/api/v1/nodes', async () => {
        calls++;
        if (calls === 1) await delay('infinite');
        return HttpResponse.json({ kind: 'NodeList', items: [] });
      }),
    );
    const r = await executor({ timeoutMs: 300 }).execute({
      method: 'GET',
      path: '/api/v1/nodes',
      accept: 'application/json',
      as: 'self',
      idempotent: true,
    });
    expect(r.statusCode).toBe(200);
    expect(calls).toBe(2);
  });

  it('an HTTP error answer is an answer (returned verbatim, not retried)', async () => {
    let calls = 0;
    server.use(
      http.get('https://k8s.test:6443/api/v1/namespaces/default/pods/x', () => {
        calls++;
        return HttpResponse.json({ kind: 'Status', code: 404, reason: 'NotFound' }, { status: 404 });
      }),
    );
    const r = await executor().execute({
      method: 'GET',
      path: '/api/v1/namespaces/default/pods/x',
      accept: 'application/json',
      as: 'self',
      idempotent: true,
    });
    expect(r.statusCode).toBe(404);
    expect(calls).toBe(1);
  });
});
