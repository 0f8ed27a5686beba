import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { describe, expect, it } from 'vitest';
import { abortFromStderr, hopsOf, parseVerboseStderr, runKubectl } from './kubectl.ts';

const SAMPLE = new URL('./test/fixtures/kubectl-v8-stderr.txt', import.meta.url);

describe('kubectl -v=8 log parsing', () => {
  it('keeps only what a user sees and extracts every exchange with its headers', async () => {
    const { stderr, http } = parseVerboseStderr(await readFile(SAMPLE, 'utf8'));
    expect(stderr).toBe('Error from server (Forbidden): unknown\n');
    expect(http).toHaveLength(5);
    expect(http[0]).toMatchObject({
      method: 'GET',
      url: 'http://127.0.0.1:18555/api?timeout=32s',
      status: 403,
      ms: 1,
    });
    expect(http[0]!.headers['x-k3s-daas-tx-digest']).toBe('DIGEST123');
    expect(http[0]!.headers['user-agent']).toBeUndefined();
  });
  it('drops logged request bodies (hexdump blocks) from the user-facing stderr', () => {
    const raw = [
      'I1127 00:50:01.000001   42 request.go:1351] "Request Body" body=<',
      '\t00000000  6b 38 73 00 0a 0f 0a 02  76 31 12 09 43 6f 6e 66  |k8s.....v1..Conf|',
      ' >',
      'I1127 00:50:01.000002   42 round_trippers.go:470] POST https://127.0.0.1:1/api/v1/namespaces/n/configmaps',
      'I1127 00:50:01.000003   42 round_trippers.go:581] Response Status: 403 Forbidden in 120 milliseconds',
      'error: failed to create configmap: no rule allows it [EPermissionDenied]',
      '',
    ].join('\n');
    const { stderr, http } = parseVerboseStderr(raw);
    expect(stderr).toBe('error: failed to create configmap: no rule allows it [EPermissionDenied]\n');
    expect(http).toEqual([
      {
        method: 'POST',
        url: 'https://127.0.0.1:1/api/v1/namespaces/n/configmaps',
        status: 403,
        ms: 120,
        headers: {},
      },
    ]);
  });
  it('reads per-hop traces as JSON or key=value', () => {
    expect(
      hopsOf({
        method: 'GET',
        url: '/',
        headers: { 'x-k3s-daas-trace': '{"tx_submitted":3,"tx_executed":7}' },
      }),
    ).toEqual({ tx_submitted: 3, tx_executed: 7 });
    expect(hopsOf({ method: 'GET', url: '/', headers: { 'x-k3s-daas-trace': 'a=1;b=2' } })).toEqual({
      a: 1,
      b: 2,
    });
    expect(hopsOf({ method: 'GET', url: '/', headers: {} })).toBeUndefined();
  });
  it('finds the abort constant and digest in a gateway Status message', () => {
    expect(
      abortFromStderr(
        'Error from server (Forbidden): no rule allows create pods [EPermissionDenied] (transaction 4vJ9JU1bJJE96FWSJKvHsmmFADCg4gpZQff4P3bkLKi)',
      ),
    ).toEqual({
      name: 'EPermissionDenied',
      txDigest: '4vJ9JU1bJJE96FWSJKvHsmmFADCg4gpZQff4P3bkLKi',
    });
    expect(abortFromStderr('Error from server (NotFound)')).toBeUndefined();
  });
});

describe('runKubectl drives the real kubectl', () => {
  it('against a plain HTTP endpoint: exit code, clean stderr, exchanges', async () => {
    const srv = createServer((_req, res) => {
      res.writeHead(404, { 'content-type': 'application/json', 'x-k3s-daas-request-id': 'r-1' });
      res.end(
        JSON.stringify({
          kind: 'Status',
          apiVersion: 'v1',
          status: 'Failure',
          message: 'pods "x" not found',
          reason: 'NotFound',
          code: 404,
        }),
      );
    });
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const { port } = srv.address() as { port: number };
    try {
      const r = await runKubectl({
        kubeconfigPath: '/dev/null',
        args: ['--server', `http://127.0.0.1:${port}`, 'get', '--raw', '/api/v1/namespaces/d/pods/x'],
      });
      expect(r.exitCode).toBe(1);
      expect(r.stderr).not.toMatch(/round_trippers/);
      expect(r.http.some((h) => h.status === 404 && h.headers['x-k3s-daas-request-id'] === 'r-1')).toBe(true);
    } finally {
      srv.close();
    }
  });
});
