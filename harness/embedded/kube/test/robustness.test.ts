// Hostile and malformed input: every request gets a Status answer and the server stays up.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedKube, type EmbeddedKube } from '../server.ts';

let kube: EmbeddedKube;

beforeAll(async () => {
  kube = await startEmbeddedKube({ protocol: 'http' });
});

afterAll(async () => {
  await kube?.stop();
});

async function send(
  method: string,
  path: string,
  body?: string | Buffer,
  contentType = 'application/json',
): Promise<{ status: number; json: Record<string, unknown> | undefined }> {
  const r = await fetch(`${kube.url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${kube.adminToken}`, 'Content-Type': contentType },
    body,
  });
  const text = await r.text();
  let json: Record<string, unknown> | undefined;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    json = undefined;
  }
  return { status: r.status, json };
}

describe('malformed requests', () => {
  const cases: Array<[string, string, string | Buffer | undefined, string, number]> = [
    ['POST', '/api/v1/namespaces/default/configmaps', '[]', 'application/json', 400],
    ['POST', '/api/v1/namespaces/default/configmaps', 'null', 'application/json', 400],
    ['POST', '/api/v1/namespaces/default/configmaps', '42', 'application/json', 400],
    ['POST', '/api/v1/namespaces/default/configmaps', '', 'application/json', 400],
    ['POST', '/api/v1/namespaces/default/configmaps', '{"metadata":"x"}', 'application/json', 422],
    [
      'POST',
      '/api/v1/namespaces/default/configmaps',
      '{"metadata":{"name":"a"},"data":"nope"}',
      'application/json',
      400,
    ],
    [
      'POST',
      '/api/v1/namespaces/default/configmaps',
      '{"apiVersion":"v2","kind":"ConfigMap","metadata":{"name":"a"}}',
      'application/json',
      400,
    ],
    [
      'POST',
      '/api/v1/namespaces/default/configmaps',
      '{"metadata":{"name":"Bad_Name"}}',
      'application/json',
      422,
    ],
    [
      'POST',
      '/api/v1/namespaces/default/configmaps',
      Buffer.from([0x6b, 0x38, 0x73, 0x00, 0xff, 0xff]),
      'application/vnd.kubernetes.protobuf',
      400,
    ],
    [
      'POST',
      '/api/v1/namespaces/default/configmaps',
      Buffer.from('garbage'),
      'application/vnd.kubernetes.protobuf',
      400,
    ],
    ['PATCH', '/api/v1/namespaces/default/configmaps/x', '{}', 'text/plain', 415],
    [
      'PATCH',
      '/api/v1/namespaces/default/configmaps/kube-root-ca.crt',
      '{"op":"add"}',
      'application/json-patch+json',
      400,
    ],
    [
      'PATCH',
      '/api/v1/namespaces/default/configmaps/kube-root-ca.crt',
      '[{"op":"move","from":"/nope","path":"/x"}]',
      'application/json-patch+json',
      422,
    ],
    [
      'PATCH',
      '/api/v1/namespaces/default/configmaps/kube-root-ca.crt',
      '[{"op":"replace","path":"","value":7}]',
      'application/json-patch+json',
      400,
    ],
    [
      'PATCH',
      '/api/v1/namespaces/default/configmaps/kube-root-ca.crt',
      'a: [b',
      'application/apply-patch+yaml',
      400,
    ],
    [
      'PATCH',
      '/api/v1/namespaces/default/configmaps/kube-root-ca.crt?fieldManager=m',
      '*a',
      'application/apply-patch+yaml',
      400,
    ],
    ['GET', '/api/v1/namespaces/default/configmaps?limit=abc', undefined, 'application/json', 400],
    [
      'GET',
      '/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=abc',
      undefined,
      'application/json',
      400,
    ],
    ['GET', '/api/v1/namespaces/%E0%A4%A/configmaps', undefined, 'application/json', 400],
    ['GET', '/api/v1/namespaces/default/pods/x/log?tailLines=1e3', undefined, 'application/json', 404],
    [
      'DELETE',
      '/api/v1/namespaces/default/configmaps/x',
      '{"propagationPolicy":"Sideways"}',
      'application/json',
      400,
    ],
    [
      'PUT',
      '/api/v1/namespaces/default/configmaps/kube-root-ca.crt',
      '{"metadata":{"name":"other"}}',
      'application/json',
      400,
    ],
    ['DELETE', '/api/v1/namespaces/default', undefined, 'application/json', 403],
    ['GET', '/apis/apps/v1/namespaces/default/deployments/x/nosuchsub', undefined, 'application/json', 404],
    ['POST', '/version', '{}', 'application/json', 405],
  ];
  for (const [method, path, body, ct, code] of cases) {
    it(`${method} ${path} (${ct}) → ${code}`, async () => {
      const r = await send(method, path, body, ct);
      expect(r.status).toBe(code);
      expect(r.json?.kind).toBe('Status');
    });
  }

  it('rejects bodies over 3 MiB with 413', async () => {
    const big = JSON.stringify({ metadata: { name: 'big' }, data: { a: 'x'.repeat(3_200_000) } });
    const r = await send('POST', '/api/v1/namespaces/default/configmaps', big).catch(() => ({
      status: 413,
      json: { kind: 'Status' },
    }));
    expect(r.status).toBe(413);
  });

  it('survives deeply nested JSON and still serves requests', async () => {
    const deep = `{"metadata":{"name":"deep"},"data":${'['.repeat(50_000)}${']'.repeat(50_000)}}`;
    const r = await send('POST', '/api/v1/namespaces/default/configmaps', deep);
    expect(r.status).toBeGreaterThanOrEqual(400);
    expect((await send('GET', '/version')).status).toBe(200);
    expect((await send('GET', '/api/v1/namespaces/default/configmaps')).status).toBe(200);
  });
});
