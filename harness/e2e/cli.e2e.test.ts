/**
 * The k3s-daas CLI end to end against the embedded Sui node and cluster:
 * token issue → show → gateway process → kubeconfig → kubectl → revoke →
 * audit, plus cluster create and executor register. Real processes
 * (`node bin/k3s-daas.js …`), real kubectl.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { AnswerSigner } from '../../src/nautilus/answer-signer.ts';
import { ExecutorBcs, answerIntentBytes, sha256 } from '../../src/contract/index.ts';
import { requestEvent } from '../../src/contract/testing/request-fixtures.ts';
import { execa, type ResultPromise } from 'execa';
import { Keystore } from '../../src/sui/keystore.ts';
import { startE2EStack, type E2EStack } from './e2e-stack.ts';
import { freePort, waitForHttps } from '../../src/cli/testing/net.ts';
import { readFile, writeFile } from 'node:fs/promises';

let s: E2EStack;
let gateway: ResultPromise | undefined;
let common: string[];
let env: Record<string, string>;

const cli = (args: string[]) =>
  execa('node', ['bin/k3s-daas.js', ...args], { reject: false, env, timeout: 120_000 });
/** The common CLI options, signing as the cluster admin. */
const asAdmin = (): string[] => [...common, '--signer', s.g.admin.toSuiAddress()];
/** Real kubectl with a kubeconfig and its own discovery cache under the stack's directory. */
const kubectl = (kc: string, cacheDir: string, args: string[]) =>
  execa('kubectl', ['--kubeconfig', kc, '--cache-dir', join(s.dir, cacheDir), ...args], { reject: false });

beforeAll(async () => {
  s = await startE2EStack([]);
  await s.startListener(0);
  const ks = Keystore.fromEntries([]);
  ks.add(s.g.admin);
  await ks.save(join(s.dir, 'cli.keystore'));
  env = {
    LOG_LEVEL: 'warn',
    K3S_DAAS_KEYSTORE: join(s.dir, 'cli.keystore'),
    K3S_DAAS_IDENTITIES: join(s.dir, 'cli-identities.json'),
    // Where token issue --new-key puts user keys: the gateway's keystore, apart from the admin's.
    K3S_DAAS_GATEWAY_KEYSTORE: join(s.dir, 'gateway.keystore'),
  };
  common = ['--grpc-url', s.g.chain.url, '--package', s.g.packageId, '--cluster', s.g.clusterId];
}, 300_000);

afterAll(async () => {
  gateway?.kill('SIGTERM');
  await gateway?.catch(() => undefined);
  await s?.stop();
}, 60_000);

describe('k3s-daas CLI against the embedded chain', () => {
  let bearer = '';
  let address = '';
  let port = 0;

  it('token issue --new-key --fund --stake prints the bearer token once and stores only its hash', async () => {
    const r = await cli([
      'token',
      'issue',
      ...asAdmin(),
      '--name',
      'cli-user',
      '--new-key',
      '--fund',
      '2sui',
      '--stake',
      '1000',
      '--rule',
      'verbs=get,list,create;groups=;resources=configmaps;namespaces=default',
      '--json',
    ]);
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout) as {
      bearerToken: string;
      address: string;
      sealTokenId: string;
      txDigest: string;
    };
    bearer = out.bearerToken;
    address = out.address;
    expect(bearer).toMatch(/^k3sdaas_/);
    const ids = await readFile(env.K3S_DAAS_IDENTITIES!, 'utf8');
    expect(ids).toContain(out.sealTokenId);
    expect(ids).not.toContain(bearer);
  });

  it('token show reads the token back from chain', async () => {
    const r = await cli(['token', 'show', ...common, '--name', 'cli-user', '--json']);
    const t = JSON.parse(r.stdout) as {
      owner: string;
      stakeMist: string;
      revoked: boolean;
      rules: Array<{ resources: string[]; apiGroups: string[] }>;
    };
    expect(t.owner).toBe(address);
    expect(t.stakeMist).toBe('1000');
    expect(t.revoked).toBe(false);
    expect(t.rules.map((x) => x.resources)).toEqual([['configmaps'], ['paths']]);
  });

  it('gateway + kubeconfig: kubectl works as the new identity', async () => {
    port = await freePort();
    gateway = execa(
      'node',
      [
        'bin/k3s-daas.js',
        'gateway',
        ...common,
        // One gateway for every identity of this test: a shared (custodial) gateway must be asked for.
        '--shared',
        '--port',
        String(port),
        '--tls-dir',
        join(s.dir, 'cli-tls'),
        '--request-fee',
        '10',
      ],
      { reject: false, env },
    );
    await waitForHttps(`https://127.0.0.1:${port}/k3s-daas/healthz`, 90_000);
    const kc = join(s.dir, 'cli-kubeconfig');
    const k = await cli([
      'kubeconfig',
      '--name',
      'cli-user',
      '--server',
      `https://127.0.0.1:${port}`,
      '--ca',
      join(s.dir, 'cli-tls', 'ca.crt'),
      '--token',
      bearer,
      '-o',
      kc,
    ]);
    expect(k.exitCode, k.stderr).toBe(0);
    const r = await kubectl(kc, 'cli-cache', ['create', 'configmap', 'from-cli', '--from-literal=a=b']);
    expect(r.stdout.trim(), r.stderr).toBe('configmap/from-cli created');
  }, 180_000);

  it('a token issued while the gateway runs is picked up without a restart', async () => {
    const r = await cli([
      'token',
      'issue',
      ...asAdmin(),
      '--name',
      'late-user',
      '--new-key',
      '--fund',
      '1sui',
      '--rule',
      'verbs=get,list;groups=;resources=configmaps;namespaces=default',
      '--json',
    ]);
    const late = JSON.parse(r.stdout) as { bearerToken: string };
    const kc = join(s.dir, 'late-kubeconfig');
    await cli([
      'kubeconfig',
      '--name',
      'late-user',
      '--server',
      `https://127.0.0.1:${port}`,
      '--ca',
      join(s.dir, 'cli-tls', 'ca.crt'),
      '--token',
      late.bearerToken,
      '-o',
      kc,
    ]);
    let out = { exitCode: 1, stdout: '', stderr: '' } as {
      exitCode?: number;
      stdout: string;
      stderr: string;
    };
    for (let i = 0; i < 10 && out.exitCode !== 0; i++) {
      await new Promise((res) => setTimeout(res, 1_000));
      out = await kubectl(kc, 'late-cache', ['get', 'configmap', 'from-cli', '-o', 'name']);
    }
    expect(out.stdout.trim(), out.stderr).toBe('configmap/from-cli');
  }, 180_000);

  it('cluster pause → /readyz fails naming it and requests are refused; resume → ready again', async () => {
    const kc = join(s.dir, 'late-kubeconfig');
    const ready = await kubectl(kc, 'ready-cache', ['get', '--raw', '/readyz?verbose']);
    expect(ready.stdout, ready.stderr).toMatch(
      /\[\+\]chain ok\n\[\+\]cluster ok\n\[\+\]executors ok\n\[\+\]gas ok\nreadyz check passed/,
    );
    const paused = await cli(['cluster', 'pause', ...asAdmin()]);
    expect(paused.stdout, paused.stderr).toMatch(/^cluster 0x[0-9a-f]{64} paused \(transaction /);
    const notReady = await kubectl(kc, 'ready-cache', ['get', '--raw', '/readyz?verbose']);
    expect(notReady.exitCode).toBe(1);
    expect(notReady.stderr).toMatch(/\[-\]cluster failed: cluster .* is paused/);
    const refused = await kubectl(kc, 'ready-cache', ['get', 'configmaps']);
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toContain('EPaused');
    const resumed = await cli(['cluster', 'resume', ...asAdmin(), '--json']);
    expect(JSON.parse(resumed.stdout)).toMatchObject({ clusterId: s.g.clusterId, paused: false });
    expect((await kubectl(kc, 'ready-cache', ['get', '--raw', '/readyz'])).stdout).toBe('ok');
    expect(
      (await kubectl(kc, 'ready-cache', ['get', 'configmap', 'from-cli', '-o', 'name'])).stdout.trim(),
    ).toBe('configmap/from-cli');
  }, 120_000);

  it('an identity that cannot pay gas: kubectl names address, balance, budget and the fix; identity fund fixes it', async () => {
    // As in the report: issued with too little SUI for one request's gas budget.
    const r = await cli([
      'token',
      'issue',
      ...asAdmin(),
      '--name',
      'poor-user',
      '--new-key',
      '--fund',
      '0.05sui',
      '--rule',
      'verbs=get,list;groups=;resources=configmaps;namespaces=default',
      '--json',
    ]);
    const poor = JSON.parse(r.stdout) as { bearerToken: string; address: string };
    const kc = join(s.dir, 'poor-kubeconfig');
    await cli([
      'kubeconfig',
      '--name',
      'poor-user',
      '--server',
      `https://127.0.0.1:${port}`,
      '--ca',
      join(s.dir, 'cli-tls', 'ca.crt'),
      '--token',
      poor.bearerToken,
      '-o',
      kc,
    ]);
    const explained = (text: string) => {
      expect(text).toContain(poor.address);
      expect(text).toContain('holds 50000000 MIST (0.05 SUI), less than the gas budget 200000000 MIST');
      expect(text).toContain(
        `k3s-daas identity fund --name poor-user --amount 1sui --grpc-url ${s.g.chain.url}`,
      );
    };
    let out = await kubectl(kc, 'poor-cache', ['get', 'configmaps']);
    // The gateway re-reads its identities file about once a second.
    for (let i = 0; i < 10 && /Unauthorized|provide credentials/.test(out.stderr); i++) {
      await new Promise((res) => setTimeout(res, 1_000));
      out = await kubectl(kc, 'poor-cache', ['get', 'configmaps']);
    }
    expect(out.exitCode).toBe(1);
    expect(out.stderr).not.toMatch(/unable to handle the request/);
    explained(out.stderr);
    const ready = await kubectl(kc, 'poor-cache', ['get', '--raw', '/readyz?verbose']);
    expect(ready.exitCode).toBe(1);
    expect(ready.stderr).toMatch(/\[-\]gas failed: identity \\"poor-user\\" cannot pay gas/);

    const funded = await cli(['identity', 'fund', ...asAdmin(), '--name', 'poor-user', '--amount', '1sui']);
    expect(funded.stderr).toBe('');
    expect(funded.stdout).toMatch(
      new RegExp(
        `^sent 1000000000 MIST to ${poor.address} \\(identity "poor-user"\\) .* now holds 1050000000 MIST, enough`,
      ),
    );
    out = await kubectl(kc, 'poor-cache', ['get', 'configmap', 'from-cli', '-o', 'name']);
    expect(out.stdout.trim(), out.stderr).toBe('configmap/from-cli');
    expect((await kubectl(kc, 'poor-cache', ['get', '--raw', '/readyz'])).stdout).toBe('ok');
  }, 120_000);

  it('token revoke → the next kubectl request is 401', async () => {
    const r = await cli(['token', 'revoke', ...asAdmin(), '--name', 'cli-user']);
    expect(r.stdout).toMatch(/revoked \(transaction /);
    const kc = join(s.dir, 'cli-kubeconfig');
    const denied = await kubectl(kc, 'cli-cache-2', ['get', 'configmaps']);
    expect(denied.exitCode).toBe(1);
    expect(denied.stderr).toMatch(/Unauthorized|provide credentials/);
    const show = JSON.parse(
      (await cli(['token', 'show', ...common, '--name', 'cli-user', '--json'])).stdout,
    ) as { revoked: boolean };
    expect(show.revoked).toBe(true);
  }, 120_000);

  it('audit lists who did what, with status and digests', async () => {
    const r = await cli(['audit', ...common, '--json']);
    const rows = JSON.parse(r.stdout) as Array<{
      requester: string;
      verb: string;
      resource: string;
      status?: number;
      requestTx: string;
      responseTx?: string;
      signerKey?: string;
      signatureValid?: boolean;
    }>;
    const mine = rows.filter((x) => x.requester === address);
    // Every answer names the key that signed it, and the signature checks out against it.
    const answered = rows.filter((x) => x.responseTx);
    expect(answered.length).toBeGreaterThan(0);
    expect(
      answered.every((x) => x.signerKey === Buffer.from(s.g.answerSigner.publicKey).toString('hex')),
    ).toBe(true);
    expect(answered.every((x) => x.signatureValid === true)).toBe(true);
    expect(
      mine.some(
        (x) =>
          x.verb === 'create' &&
          x.resource === 'configmaps' &&
          x.status === 201 &&
          x.requestTx &&
          x.responseTx,
      ),
    ).toBe(true);
    const table = await cli(['audit', ...common]);
    expect(table.stdout.split('\n')[0]).toMatch(
      /^TIME\s+REQUESTER\s+VERB\s+RESOURCE.*SIGNER KEY\s+SIGNATURE/,
    );
    const creates = JSON.parse(
      (await cli(['audit', ...common, '--json', '--verb', 'create'])).stdout,
    ) as Array<{
      verb: string;
    }>;
    expect(creates.length).toBeGreaterThan(0);
    expect(creates.every((x) => x.verb === 'create')).toBe(true);
    expect(creates.length).toBeLessThan(rows.length);
  });

  it('audit --bodies decrypts the answers whose requester key you hold and says "encrypted (not yours)" for the rest', async () => {
    // An answer to someone whose key is in no file the CLI reads (the e2e stack's own identity).
    expect((await s.kubectl('admin-user', ['get', 'configmaps'])).exitCode).toBe(0);
    const rows = JSON.parse(
      (await cli(['audit', ...common, '--json', '--bodies', '--no-refusals'])).stdout,
    ) as Array<{ requester: string; responseTx?: string; body?: string }>;
    const answered = rows.filter((x) => x.responseTx);
    const mine = answered.filter((x) => x.requester === address);
    const others = answered.filter((x) => x.requester === s.g.user.toSuiAddress());
    expect(mine.length).toBeGreaterThan(0);
    for (const r of mine) {
      expect(r.body).toBeDefined();
      expect(r.body).not.toBe('encrypted (not yours)');
      expect(r.body).not.toMatch(/^unreadable/);
    }
    expect(others.length).toBeGreaterThan(0);
    expect(others.every((x) => x.body === 'encrypted (not yours)')).toBe(true);
  });

  it('audit lists a 403 refusal by kubectl: time, sender, SealToken, verb/resource, EPermissionDenied', async () => {
    // late-user may get and list configmaps, not delete them: the contract aborts the transaction.
    const denied = await kubectl(join(s.dir, 'late-kubeconfig'), 'late-cache', [
      'delete',
      'configmap',
      'from-cli',
    ]);
    expect(denied.exitCode).toBe(1);
    expect(denied.stderr).toContain('EPermissionDenied');
    const digest = /transaction (\w{32,44})/.exec(denied.stderr)?.[1];
    const late = JSON.parse(await readFile(env.K3S_DAAS_IDENTITIES!, 'utf8')) as {
      identities: Array<{ name: string; address: string; sealTokenId: string }>;
    };
    const who = late.identities.find((i) => i.name === 'late-user')!;
    // The refusal is listed once its checkpoint seals.
    let refused: Array<Record<string, unknown>> = [];
    for (let i = 0; i < 20 && refused.length === 0; i++) {
      if (i) await new Promise((res) => setTimeout(res, 500));
      refused = (
        JSON.parse((await cli(['audit', ...common, '--json', '--refused'])).stdout) as Array<
          Record<string, unknown>
        >
      ).filter((r) => r.requester === who.address && r.verb === 'delete');
    }
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatchObject({
      refused: true,
      requester: who.address,
      sealTokenId: who.sealTokenId,
      verb: 'delete',
      resource: 'configmaps',
      namespace: 'default',
      name: 'from-cli',
      status: 403,
      abort: 'EPermissionDenied',
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    if (digest) expect(refused[0]!.requestTx).toBe(digest);
    const table = (await cli(['audit', ...common])).stdout.split('\n');
    expect(table[0]).toMatch(/SEALTOKEN\s+STATUS\s+ABORT/);
    expect(
      table.some((l) => /\sdelete\s+configmaps\s+default\s+from-cli\s+\S+\s+403\s+EPermissionDenied/.test(l)),
    ).toBe(true);
    const answeredOnly = JSON.parse(
      (await cli(['audit', ...common, '--json', '--no-refusals'])).stdout,
    ) as Array<{
      refused?: boolean;
    }>;
    expect(answeredOnly.some((r) => r.refused)).toBe(false);
  }, 120_000);

  it('cluster create and executor register', async () => {
    // Seal is the default and needs its key servers (the contract records them; nothing here decrypts).
    const refusedSeal = await cli(['cluster', 'create', ...asAdmin(), '--name', 'second']);
    expect(refusedSeal.exitCode).toBe(1);
    expect(refusedSeal.stderr).toContain('--seal-key-servers');
    const ks = ['0x' + '51'.repeat(32), '0x' + '52'.repeat(32)];
    const c = await cli([
      'cluster',
      'create',
      ...asAdmin(),
      '--name',
      'second',
      '--seal-key-servers',
      ks.join(','),
      '--seal-threshold',
      '2',
      '--json',
    ]);
    expect(JSON.parse(c.stdout)).toMatchObject({
      name: 'second',
      clusterId: expect.stringMatching(/^0x[0-9a-f]{64}$/),
      confidentiality: { mode: 'seal', keyServers: ks, threshold: 2 },
    });
    const admin = s.g.admin.toSuiAddress();
    const keyFile = join(s.dir, 'cli-executor.signing.key');
    const register = (...extra: string[]) =>
      cli(['executor', 'register', ...asAdmin(), '--stake', '1000', '--signing-key-file', keyFile, ...extra]);
    // Not admitted: refused with the command that fixes it.
    const refused = await register();
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toContain(`k3s-daas executor admit ${admin}`);
    const admitted = await cli(['executor', 'admit', admin, ...asAdmin(), '--json']);
    expect(JSON.parse(admitted.stdout)).toMatchObject({ account: admin });
    const e = await register('--json');
    const registered = JSON.parse(e.stdout) as {
      executorObjectId: string;
      signingKey: string;
      registeredNow: boolean;
    };
    expect(registered).toMatchObject({ executor: admin, registeredNow: true });
    expect(registered.signingKey).toMatch(/^[0-9a-f]{64}$/);
    const again = await register();
    expect(again.exitCode).toBe(0);
    expect(again.stdout).toContain(`already registered: executor ${admin}`);
    const out = await cli(['executor', 'deregister', ...asAdmin()]);
    expect(out.exitCode).toBe(0);
    expect(out.stdout).toContain(`k3s-daas executor withdraw --executor ${registered.executorObjectId}`);
    // Within the unbonding period the stake is still slashable (in v1 it was gone with deregistration).
    const slashed = await cli([
      'executor',
      'slash',
      ...asAdmin(),
      '--executor',
      registered.executorObjectId,
      '--amount',
      '10',
      '--note',
      'late answers',
    ]);
    expect(slashed.exitCode, slashed.stderr).toBe(0);
    // Two different answers to one request signed with its key: anyone may submit them; the whole stake goes.
    const signer = AnswerSigner.fromFile(keyFile);
    const req = requestEvent({
      request_object_id: '0x' + '0e'.repeat(32),
      cluster_id: s.g.clusterId,
      requester: admin,
      resource: 'secrets',
      name: 'db',
      accept: '',
    });
    const signed = (body: string) => {
      const intent = answerIntentBytes(req, {
        statusCode: 200,
        contentType: 'application/json',
        contentEncoding: '',
        bodySize: body.length,
        bodyDigest: sha256(new TextEncoder().encode(body)),
        signedAtMs: 1,
      });
      return {
        intent: Buffer.from(intent).toString('hex'),
        signature: Buffer.from(signer.sign(intent)).toString('hex'),
      };
    };
    const evidence = join(s.dir, 'evidence.json');
    await writeFile(evidence, JSON.stringify({ a: signed('{"a":1}'), b: signed('{"a":2}') }));
    const equivocation = await cli([
      'executor',
      'slash',
      ...common,
      '--keystore',
      env.K3S_DAAS_GATEWAY_KEYSTORE!,
      '--signer',
      address,
      '--executor',
      registered.executorObjectId,
      '--evidence',
      evidence,
    ]);
    expect(equivocation.exitCode, equivocation.stderr).toBe(0);
    const { object } = await s.client.getObject({
      objectId: registered.executorObjectId,
      include: { content: true },
    });
    expect(ExecutorBcs.parse(object.content).stake.value).toBe('0');
    const early = await cli([
      'executor',
      'withdraw',
      ...asAdmin(),
      '--executor',
      registered.executorObjectId,
    ]);
    expect(early.exitCode).toBe(1);
    expect(early.stderr).toContain('EStakeLocked');
  }, 120_000);
});
