/**
 * Non-custodial by default, end to end: `k3s-daas token issue --new-key` writes the user's key alone
 * into the per-user gateway keystore (0600, never under ~/.sui); `k3s-daas gateway` with no keystore
 * flag serves that one user and says so; a second user's key makes it refuse unless `--shared`
 * (then its banner says custodial); the listener refuses the gateway's keystore and users' keys.
 * Real processes (`node bin/k3s-daas.js …`) with HOME set to a fresh directory, real kubectl.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmod, mkdtemp, readFile, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { Keystore } from '../../src/sui/keystore.ts';
import { freePort, waitForHttps } from '../../src/cli/testing/net.ts';
import { startE2EStack, type E2EStack } from './e2e-stack.ts';

let s: E2EStack;
let home: string;
let env: Record<string, string>;
let common: string[];
const running: ResultPromise[] = [];

const cli = (args: string[]) =>
  execa('node', ['bin/k3s-daas.js', ...args], { reject: false, env, extendEnv: false, timeout: 120_000 });
const gatewayKeystore = () => join(home, '.k3s-daas', 'gateway', 'sui.keystore');

/** `k3s-daas gateway` on a free port; resolves once it serves HTTPS, with its stderr so far. */
async function startGateway(
  extra: string[],
): Promise<{ proc: ResultPromise; port: number; stderr: () => string }> {
  const port = await freePort();
  const proc = execa(
    'node',
    [
      'bin/k3s-daas.js',
      'gateway',
      ...common,
      '--port',
      String(port),
      '--tls-dir',
      join(s.dir, 'tls'),
      // The Cluster's request fee (the gateway pays none by default).
      '--request-fee',
      '10',
      ...extra,
    ],
    { reject: false, env, extendEnv: false },
  );
  running.push(proc);
  let err = '';
  proc.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  await Promise.race([
    waitForHttps(`https://127.0.0.1:${port}/k3s-daas/healthz`, 90_000),
    proc.then((r) => {
      throw new Error(`gateway exited ${r.exitCode}: ${err}`);
    }),
  ]);
  return { proc, port, stderr: () => err };
}

const issue = async (name: string) => {
  const r = await cli([
    'token',
    'issue',
    ...common,
    '--name',
    name,
    '--new-key',
    '--fund',
    '2sui',
    '--rule',
    'verbs=get,list;groups=;resources=configmaps;namespaces=default',
    '--json',
  ]);
  expect(r.exitCode, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as {
    address: string;
    bearerToken: string;
    sealTokenId: string;
    keystore: string;
  };
};

beforeAll(async () => {
  s = await startE2EStack([]);
  await s.startListener(0);
  home = await mkdtemp(join(tmpdir(), 'k3s-daas-home-'));
  const admin = Keystore.fromEntries([]);
  admin.add(s.g.admin);
  await admin.save(join(s.dir, 'admin.keystore'));
  // Only what a user's shell would have: none of the harness's K3S_DAAS_* settings leak in.
  env = {
    PATH: process.env.PATH ?? '',
    HOME: home,
    LOG_LEVEL: 'warn',
    K3S_DAAS_KEYSTORE: join(s.dir, 'admin.keystore'),
    K3S_DAAS_IDENTITIES: join(s.dir, 'identities.json'),
  };
  common = ['--grpc-url', s.g.chain.url, '--package', s.g.packageId, '--cluster', s.g.clusterId];
}, 300_000);

afterAll(async () => {
  for (const p of running) p.kill('SIGTERM');
  await Promise.all(running.map((p) => p.catch(() => undefined)));
  await s?.stop();
}, 60_000);

describe('non-custodial by default', () => {
  let alice: Awaited<ReturnType<typeof issue>>;

  it("token issue --new-key puts the user's key alone in the per-user gateway keystore (0600), never under ~/.sui", async () => {
    alice = await issue('alice');
    expect(alice.keystore).toBe(gatewayKeystore());
    const ks = await Keystore.load(gatewayKeystore());
    expect(ks.addresses).toEqual([alice.address]);
    expect((await stat(gatewayKeystore())).mode & 0o777).toBe(0o600);
    expect(existsSync(join(home, '.sui'))).toBe(false);
    // The admin's keystore still holds only the admin's key.
    expect((await Keystore.load(env.K3S_DAAS_KEYSTORE!)).addresses).toEqual([s.g.admin.toSuiAddress()]);
  }, 120_000);

  it('the default gateway (no --keystore, no --shared) serves that one user and says it is non-custodial', async () => {
    const gw = await startGateway([]);
    expect(gw.stderr()).toContain(
      `per-user gateway (non-custodial): it holds only the key of ${alice.address}`,
    );
    expect(gw.stderr()).toContain(gatewayKeystore());
    const kc = join(s.dir, 'alice.kubeconfig');
    const k = await cli([
      'kubeconfig',
      '--name',
      'alice',
      '--server',
      `https://127.0.0.1:${gw.port}`,
      '--ca',
      join(s.dir, 'tls', 'ca.crt'),
      '--token',
      alice.bearerToken,
      '-o',
      kc,
    ]);
    expect(k.exitCode, k.stderr).toBe(0);
    const r = await execa(
      'kubectl',
      ['--kubeconfig', kc, '--cache-dir', join(s.dir, 'kc-cache'), 'get', 'configmaps'],
      {
        reject: false,
      },
    );
    expect(r.exitCode, r.stderr).toBe(0);
    gw.proc.kill('SIGTERM');
    await gw.proc;
  }, 180_000);

  it('identity new-key: the user makes her own key, the admin issues to its address, her gateway serves her', async () => {
    const mine = join(s.dir, 'carol', 'sui.keystore');
    const made = await cli(['identity', 'new-key', '--keystore', mine, '--json']);
    expect(made.exitCode, made.stderr).toBe(0);
    const { address } = JSON.parse(made.stdout) as { address: string };
    expect((await Keystore.load(mine)).addresses).toEqual([address]);
    expect((await stat(mine)).mode & 0o777).toBe(0o600);
    const again = await cli(['identity', 'new-key', '--keystore', mine]);
    expect(again.exitCode).toBe(1);
    expect(again.stderr).toContain(`already holds the key of ${address}`);
    // The admin never holds carol's key: it issues to her address and writes her identities file.
    const ids = join(s.dir, 'carol', 'identities.json');
    const issued = await cli([
      'token',
      'issue',
      ...common,
      '--name',
      'carol',
      '--recipient',
      address,
      '--identities',
      ids,
      '--fund',
      '1sui',
      '--rule',
      'verbs=get,list;groups=;resources=configmaps;namespaces=default',
      '--json',
    ]);
    expect(issued.exitCode, issued.stderr).toBe(0);
    const { bearerToken } = JSON.parse(issued.stdout) as { bearerToken: string };
    const gw = await startGateway(['--keystore', mine, '--identities', ids]);
    expect(gw.stderr()).toContain(`it holds only the key of ${address}`);
    const kc = join(s.dir, 'carol.kubeconfig');
    await cli([
      'kubeconfig',
      '--name',
      'carol',
      '--server',
      `https://127.0.0.1:${gw.port}`,
      '--ca',
      join(s.dir, 'tls', 'ca.crt'),
      '--token',
      bearerToken,
      '-o',
      kc,
    ]);
    const r = await execa(
      'kubectl',
      ['--kubeconfig', kc, '--cache-dir', join(s.dir, 'carol-cache'), 'get', 'configmaps'],
      {
        reject: false,
      },
    );
    expect(r.exitCode, r.stderr).toBe(0);
    gw.proc.kill('SIGTERM');
    await gw.proc;
  }, 180_000);

  it('a second user in that keystore: without --shared the gateway refuses, naming why; --shared starts and says custodial', async () => {
    const bob = await issue('bob');
    const ks = await Keystore.load(gatewayKeystore());
    expect(ks.addresses.sort()).toEqual([alice.address, bob.address].sort());
    const refused = await execa(
      'node',
      [
        'bin/k3s-daas.js',
        'gateway',
        ...common,
        '--port',
        String(await freePort()),
        '--tls-dir',
        join(s.dir, 'tls'),
      ],
      { reject: false, env, extendEnv: false, timeout: 60_000 },
    );
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toContain('k3s-daas gateway refused to start');
    expect(refused.stderr).toMatch(/holds 2 keys .*a shared gateway is custodial.*--shared/);
    const gw = await startGateway(['--shared']);
    expect(gw.stderr()).toMatch(/SHARED, CUSTODIAL gateway: it holds the keys of 2 user\(s\)/);
    gw.proc.kill('SIGTERM');
    await gw.proc;
  }, 180_000);

  it('a keystore others can read, and a non-loopback host without --shared, are refused', async () => {
    const refusedWith = async (extra: string[]) =>
      execa(
        'node',
        [
          'bin/k3s-daas.js',
          'gateway',
          ...common,
          '--port',
          String(await freePort()),
          '--tls-dir',
          join(s.dir, 'tls'),
          ...extra,
        ],
        { reject: false, env, extendEnv: false, timeout: 60_000 },
      );
    await chmod(gatewayKeystore(), 0o644);
    try {
      const r = await refusedWith(['--shared']);
      expect(r.exitCode).toBe(1);
      expect(r.stderr).toContain(`(mode 0644): it holds private keys; run "chmod 600 ${gatewayKeystore()}"`);
    } finally {
      await chmod(gatewayKeystore(), 0o600);
    }
    const solo = join(s.dir, 'alice-only.keystore');
    const one = Keystore.fromEntries([]);
    one.add((await Keystore.load(gatewayKeystore())).require(alice.address));
    await one.save(solo);
    const host = await refusedWith([
      '--keystore',
      solo,
      '--host',
      '0.0.0.0',
      '--identities',
      join(s.dir, 'none.json'),
    ]);
    expect(host.exitCode).toBe(1);
    expect(host.stderr).toMatch(/per-user gateway listens on loopback only \(got --host 0\.0\.0\.0\)/);
  }, 120_000);

  it("the listener refuses the gateway's keystore and a keystore holding a user's key", async () => {
    const nautilus = (keystore: string, signer?: string) =>
      cli([
        'nautilus',
        ...common,
        '--keystore',
        keystore,
        ...(signer ? ['--signer', signer] : []),
        '--kubeconfig',
        s.kube.kubeconfig,
        '--state-dir',
        join(s.dir, 'nautilus-refused'),
      ]);
    const shared = await nautilus(gatewayKeystore(), alice.address);
    expect(shared.exitCode).toBe(1);
    expect(shared.stderr).toContain(
      `k3s-daas nautilus refused to start: keystore ${gatewayKeystore()} is the gateway's keystore`,
    );
    // A copy of one user's key, alone: still a user's key (its SealToken is on chain).
    const copy = join(s.dir, 'alice-only.keystore');
    const userKey = await nautilus(copy);
    expect(userKey.exitCode).toBe(1);
    expect(userKey.stderr).toMatch(
      new RegExp(
        `the executor's key ${alice.address} is a user's key \\(SealToken 0x[0-9a-f]{64} of this cluster was issued to it\\)`,
      ),
    );
    // The executor's key beside a user's key.
    const mixed = Keystore.fromEntries([]);
    mixed.add(s.executors[0]!);
    mixed.add((await Keystore.load(copy)).require(alice.address));
    await mixed.save(join(s.dir, 'mixed.keystore'));
    const both = await nautilus(join(s.dir, 'mixed.keystore'), s.executors[0]!.toSuiAddress());
    expect(both.exitCode).toBe(1);
    expect(both.stderr).toContain('holds 2 key(s)');
    expect(both.stderr).toContain("the listener's keystore holds only the executor's key");
    expect(JSON.parse(await readFile(gatewayKeystore(), 'utf8'))).toHaveLength(2);
  }, 120_000);
});
