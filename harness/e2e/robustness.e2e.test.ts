/**
 * End to end, robustness: body limits, retries of the same request id,
 * a listener killed mid-request, two listeners, gateway timeout, malformed
 * traffic, and the listener refusing fields it cannot rebuild. Real chain,
 * real cluster, real kubectl; the crash is a real SIGKILL of a
 * `k3s-daas nautilus` process.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { request } from 'node:https';
import { join } from 'node:path';
import { writeFile } from 'node:fs/promises';
import { execa, type ResultPromise } from 'execa';
import { Keystore } from '../../src/sui/keystore.ts';
import { run } from '../embedded/sui/test/contract-setup.ts';
import {
  executeKubectlCommand,
  K8sAPIRequestBcs,
  RequestBcs,
  RequestState,
} from '../../src/contract/index.ts';
import { structName } from '../../src/sui/events.ts';
import { fuzzCases, sendRaw } from '../../src/gateway/testing/fuzz-requests.ts';
import { REQUEST_ID_HEADER } from '../../src/gateway/server.ts';
import { startE2EStack, type E2EStack } from './e2e-stack.ts';

let s: E2EStack;

beforeAll(async () => {
  s = await startE2EStack([]);
  await s.startListener(0);
}, 300_000);
afterAll(async () => s?.stop(), 60_000);

function rawCall(method: string, path: string, headers: Record<string, string>, body?: string) {
  const u = new URL(s.gateway.url);
  return new Promise<{ code: number; body: string; headers: Record<string, unknown> }>((resolve, reject) => {
    const req = request(
      {
        host: u.hostname,
        port: u.port,
        method,
        path,
        ca: s.gateway.caCert,
        headers: { authorization: `Bearer ${s.tokens.get('admin-user')}`, ...headers },
      },
      (res) => {
        let b = '';
        res.on('data', (c: Buffer) => (b += c.toString()));
        res.on('end', () => resolve({ code: res.statusCode ?? 0, body: b, headers: res.headers }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('bodies larger than one pure argument', () => {
  it('a 60 KB incompressible body travels chunked and succeeds', async () => {
    const data = randomBytes(45_000).toString('base64'); // ~60 KB, 4 chunks
    const r = await s.kubectl('admin-user', [
      'create',
      'configmap',
      'chunked',
      `--from-literal=blob=${data}`,
    ]);
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('configmap/chunked created');
    const back = JSON.parse(
      (await s.kubectl('admin-user', ['get', 'configmap', 'chunked', '-o', 'json'])).stdout,
    ) as { data: { blob: string } };
    expect(back.data.blob).toBe(data);
  });

  it('a 150 KB compressible body is gzip-compressed under the limit and succeeds', async () => {
    // (files, not literals: a single argv entry is limited to 128 KiB)
    await writeFile(join(s.dir, 'squeezed.txt'), 'abcdefgh'.repeat(19_000));
    const r = await s.kubectl('admin-user', [
      'create',
      'configmap',
      'squeezed',
      `--from-file=blob=${join(s.dir, 'squeezed.txt')}`,
    ]);
    expect(r.stdout.trim()).toBe('configmap/squeezed created');
  });

  it('a 200 KB incompressible body is refused with 413', async () => {
    await writeFile(join(s.dir, 'huge.txt'), randomBytes(150_000).toString('base64'));
    const r = await s.kubectl('admin-user', [
      'create',
      'configmap',
      'huge',
      `--from-file=blob=${join(s.dir, 'huge.txt')}`,
    ]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/contract accepts at most 112000 bytes/);
  });
});

describe('request ids', () => {
  it('the same request id is executed once per gateway; after a restart a retry is a new request, which Kubernetes refuses as a duplicate create', async () => {
    const id = `dup-${Date.now()}`;
    const body = JSON.stringify({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: id },
      data: { a: 'b' },
    });
    const h = { [REQUEST_ID_HEADER]: id, 'content-type': 'application/json' };
    const [a, b] = await Promise.all([
      rawCall('POST', '/api/v1/namespaces/default/configmaps', h, body),
      rawCall('POST', '/api/v1/namespaces/default/configmaps', h, body),
    ]);
    expect(a.code).toBe(201);
    expect(b.code).toBe(201);
    expect(b.headers['x-k3s-daas-tx-digest']).toBe(a.headers['x-k3s-daas-tx-digest']);
    await s.restartGateway();
    const c = await rawCall('POST', '/api/v1/namespaces/default/configmaps', h, body);
    // Request ids are labels on chain (v2): the retry is its own Request, and the create is not applied twice.
    expect(c.code).toBe(409);
    expect(c.body).toContain('AlreadyExists');
    expect(c.headers['x-k3s-daas-tx-digest']).not.toBe(a.headers['x-k3s-daas-tx-digest']);
    const posts = s.kube
      .audit()
      .filter((x) => x.method === 'POST' && x.path.startsWith('/api/v1/namespaces/default/configmaps'));
    expect(posts.filter((x) => x.code === 201).length).toBeGreaterThan(0);
    const cm = await s.kubectl('admin-user', ['get', 'configmap', id, '-o', 'json']);
    expect(JSON.parse(cm.stdout)).toMatchObject({ metadata: { name: id } });
    expect(
      s.kube
        .audit()
        .filter(
          (x) =>
            x.method === 'POST' &&
            x.path.split('?')[0] === '/api/v1/namespaces/default/configmaps' &&
            x.code === 409,
        ).length,
    ).toBe(1);
  });
});

describe('malformed traffic', () => {
  it('1,000 malformed or random requests are each answered with a Status and the gateway stays up', async () => {
    const u = new URL(s.gateway.url);
    const cases = fuzzCases(1000, s.tokens.get('admin-user')!, 7)
      // keep the on-chain share small: the point is input handling, not chain throughput
      .map((c, i) =>
        i % 10 === 0
          ? c
          : {
              ...c,
              raw: Buffer.from(
                c.raw
                  .toString('latin1')
                  .replace(/Authorization: Bearer [^\r]+\r\n/, 'Authorization: Bearer nope\r\n'),
                'latin1',
              ),
            },
      );
    const results = [];
    for (let i = 0; i < cases.length; i += 20)
      results.push(
        ...(await Promise.all(
          cases
            .slice(i, i + 20)
            .map((c) => sendRaw(u.hostname, Number(u.port), s.gateway.caCert, c.raw, 60_000)),
        )),
      );
    expect(results.filter((r) => r.code === 0)).toEqual([]);
    for (const r of results)
      if (r.code >= 400 && r.body) expect(JSON.parse(r.body)).toMatchObject({ kind: 'Status', code: r.code });
    expect((await s.kubectl('admin-user', ['get', 'pods'])).exitCode).toBe(0);
  }, 300_000);
});

describe('the listener only executes what it can rebuild', () => {
  it('fields the contract accepts but the rebuilder refuses get a 400 Status and never reach Kubernetes', async () => {
    const before = s.kube.audit().length;
    const responseSealId = s.responseSealIdFor(s.g.user.toSuiAddress());
    const t = await run(s.client, s.g.user, (tx) =>
      executeKubectlCommand(tx, s.g.packageId, {
        cluster: s.g.clusterId,
        token: s.g.tokenId,
        requestId: `forged-${Date.now()}`,
        verb: 'get',
        apiGroup: '',
        version: 'v1',
        resource: 'secrets',
        subresource: '',
        namespace: 'default',
        name: 'x&y=z',
        query: 'evil=1',
        contentType: '',
        accept: '',
        contentEncoding: '',
        payload: new Uint8Array(),
        ...(responseSealId ? { responseSealId } : {}),
        fee: 10n,
      }),
    );
    const ev = t.events!.find((e) => structName(e.eventType) === 'K8sAPIRequest')!;
    const objectId = K8sAPIRequestBcs.parse(ev.bcs).request_object_id;
    let obj;
    for (let i = 0; i < 100; i++) {
      const { object } = await s.client.getObject({ objectId, include: { content: true } });
      obj = RequestBcs.parse(object.content);
      if (obj.state === RequestState.Answered) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(obj!.status_code).toBe(400);
    const stored = await s.readStoredResponse(objectId);
    expect(stored.rawBody).toMatch(/the executor refused the request/);
    expect(
      s.kube
        .audit()
        .slice(before)
        .filter((a) => a.path.includes('secrets')),
    ).toEqual([]);
  });
});

describe('gateway timeout', () => {
  it('no listener → 504 Status after the configured timeout', async () => {
    await s.stopListeners();
    await s.restartGateway({ responseTimeoutMs: 1_500, discoveryTtlMs: 60_000 });
    const r = await rawCall('GET', '/api/v1/namespaces/default/pods', {});
    expect(r.code).toBe(504);
    expect(JSON.parse(r.body)).toMatchObject({ kind: 'Status', reason: 'Timeout', code: 504 });
    expect(r.body).toMatch(/no executor stored a response within 1500 ms/);
    await s.restartGateway();
  });
});

describe('listeners: crash recovery and sharing', () => {
  function cliListener(stateDir: string, crashAt?: string): ResultPromise {
    return execa(
      'node',
      [
        'bin/k3s-daas.js',
        'nautilus',
        '--grpc-url',
        s.g.chain.url,
        '--package',
        s.g.packageId,
        '--cluster',
        s.g.clusterId,
        '--keystore',
        join(s.dir, 'executor.keystore'),
        '--kubeconfig',
        s.kube.kubeconfig,
        '--allow-admin-credential',
        // kube-apiserver enforces RBAC: the requesters' tokens are mirrored into it (#18)
        ...(s.kube.kind === 'embedded'
          ? []
          : ['--rbac-kubeconfig', s.kube.kubeconfig, '--pod-security', 'baseline']),
        '--state-dir',
        stateDir,
        '--signing-key-file',
        s.signingKeyFile(0),
        '--reconcile',
        '1s',
      ],
      {
        reject: false,
        env: { LOG_LEVEL: 'warn', ...(crashAt ? { K3S_DAAS_NAUTILUS_CRASH_AT: crashAt } : {}) },
      },
    );
  }

  for (const crashAt of ['after-claim', 'after-execute']) {
    it(`listener killed ${crashAt} and restarted → the request completes exactly once`, async () => {
      await s.stopListeners();
      // Two CLI start-ups (seconds each on a loaded machine) fit in the wait.
      await s.restartGateway({ responseTimeoutMs: 150_000 });
      const ks = Keystore.fromEntries([]);
      ks.add(s.executors[0]!);
      await ks.save(join(s.dir, 'executor.keystore'));
      const stateDir = join(s.dir, `crash-${crashAt}`);
      const name = `crash-${crashAt}`;
      const before = s.kube.audit().length;
      const crashing = cliListener(stateDir, crashAt);
      const create = s.kubectl('admin-user', ['create', 'configmap', name, '--from-literal=a=b'], {
        timeoutMs: 120_000,
      });
      const crashed = await crashing;
      expect(crashed.signal).toBe('SIGKILL');
      const restarted = cliListener(stateDir);
      const r = await create;
      const back = await s.kubectl('admin-user', ['get', 'configmap', name, '-o', 'json']);
      restarted.kill('SIGTERM');
      await restarted;
      expect(r.stderr, `${r.stderr}\n--- crashed listener ---\n${String(crashed.stderr).slice(-2000)}`).toBe(
        '',
      );
      expect(r.stdout.trim()).toBe(`configmap/${name} created`);
      expect(JSON.parse(back.stdout)).toMatchObject({ metadata: { name } });
      // Exactly one create reached Kubernetes: nothing was executed twice.
      const posts = s.kube
        .audit()
        .slice(before)
        .filter(
          (a) => a.method === 'POST' && a.path.split('?')[0] === '/api/v1/namespaces/default/configmaps',
        );
      expect(posts.map((p) => p.code)).toEqual([201]);
    }, 240_000);
  }

  it('two listeners → every request executed exactly once', async () => {
    await s.stopListeners();
    const [a, b] = await Promise.all([s.startListener(0), s.startListener(1)]);
    const before = s.kube.audit().length;
    const names = Array.from({ length: 8 }, (_, i) => `shared-${i}`);
    const results = await Promise.all(
      names.map((n) => s.kubectl('admin-user', ['create', 'configmap', n, '--from-literal=a=b'])),
    );
    for (const [i, r] of results.entries()) expect(r.stdout.trim()).toBe(`configmap/${names[i]} created`);
    const posts = s.kube
      .audit()
      .slice(before)
      .filter((x) => x.method === 'POST' && x.path.split('?')[0] === '/api/v1/namespaces/default/configmaps');
    expect(posts.length).toBe(names.length);
    expect(posts.every((p) => p.code === 201)).toBe(true);
    const executedA = await a.listener.metrics.executed.get();
    const executedB = await b.listener.metrics.executed.get();
    const total = [...executedA.values, ...executedB.values]
      .filter((v) => v.labels.verb === 'create')
      .reduce((n, v) => n + v.value, 0);
    expect(total).toBe(names.length);
  }, 240_000);
});
