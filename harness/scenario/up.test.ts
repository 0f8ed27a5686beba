/**
 * `npm run harness -- up` as a user runs it: a real process tree (npm → node) on the embedded
 * backends, real kubectl with the kubeconfigs it prints, the product CLI with the admin commands it
 * prints, and stopped with a signal to npm — after which no process of its tree may remain.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import os from 'node:os';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

interface StackJson {
  gateway: string;
  listenerHealth: string;
  packageId: string;
  clusterId: string;
  keystore: string;
  listenerKeystore: string;
  admin: { address: string; adminCapId: string; keystore: string };
  identities: Record<string, { kubeconfig: string; address: string }>;
}

type Up = ResultPromise<{ reject: false; all: true }>;

/** The process (pid + start time, so a reused pid is not mistaken for a survivor). */
interface Proc {
  pid: number;
  start: string;
  cmd: string;
}

function procInfo(pid: number): Proc | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (fields[0] === 'Z') return undefined; // exited, waiting to be reaped
    const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').slice(0, 120);
    return { pid, start: fields[19]!, cmd };
  } catch {
    return undefined;
  }
}

/** Every descendant of pid, from /proc (Linux). */
function descendants(pid: number): Proc[] {
  const out: Proc[] = [];
  let children: number[] = [];
  try {
    for (const task of readdirSync(`/proc/${pid}/task`))
      children.push(
        ...readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').split(' ').filter(Boolean).map(Number),
      );
  } catch {
    children = [];
  }
  for (const c of children) {
    const info = procInfo(c);
    if (info) out.push(info, ...descendants(c));
  }
  return out;
}

const alive = (p: Proc): boolean => procInfo(p.pid)?.start === p.start;

function portOpen(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const s = connect(Number(port), hostname);
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });
}

/** `npm run harness -- up` (through `sh -c '<prefix> exec npm …'` to set up signal dispositions), until it is up. */
async function startUp(
  dir: string,
  shellPrefix = '',
): Promise<{ up: Up; output: () => string; stack: StackJson }> {
  const up: Up = execa(
    'sh',
    ['-c', `${shellPrefix} exec npm run harness -- up --dir "$0"`, join(dir, 'stack')],
    {
      reject: false,
      all: true,
      env: { LOG_LEVEL: 'warn' },
    },
  );
  let output = '';
  await new Promise<void>((resolve, reject) => {
    up.all.on('data', (d: Buffer) => {
      output += d.toString();
      if (output.includes('all of the above as JSON')) resolve();
    });
    void up.then((r) => reject(new Error(`up exited with ${r.exitCode} before it was ready:\n${output}`)));
  });
  const stack = JSON.parse(await readFile(join(dir, 'stack', 'stack.json'), 'utf8')) as StackJson;
  return { up, output: () => output, stack };
}

/** Signals npm, waits for it, and returns what of its tree is still running 30 s later at most. */
async function stopThroughNpm(
  up: Up,
  signal: NodeJS.Signals,
): Promise<{ exitCode?: number; survivors: Proc[]; all: string }> {
  const tree = descendants(up.pid!);
  expect(tree.some((p) => p.cmd.includes('k3s-daas.js gateway'))).toBe(true);
  expect(tree.some((p) => p.cmd.includes('k3s-daas.js nautilus'))).toBe(true);
  process.kill(up.pid!, signal);
  const deadline = Date.now() + 30_000;
  while (tree.some(alive) && Date.now() < deadline) await new Promise((res) => setTimeout(res, 250));
  const survivors = tree.filter(alive);
  // Reported by the caller; killed here so that a failing run leaves nothing behind either
  // (and the output pipes they hold close).
  for (const p of survivors) process.kill(p.pid, 'SIGKILL');
  const r = await up;
  return { exitCode: r.exitCode, survivors, all: r.all };
}

const linux = existsSync('/proc/self/task');

describe.skipIf(!linux)('npm run harness -- up, stopped with SIGTERM to npm', () => {
  let dir: string;
  let up: Up;
  let output: () => string;
  let stack: StackJson;
  const kubectl = (kubeconfig: string, args: string[]) =>
    execa('kubectl', ['--kubeconfig', kubeconfig, '--cache-dir', join(dir, 'kube-cache'), ...args], {
      reject: false,
    });

  beforeAll(async () => {
    dir = await mkdtemp(join(os.tmpdir(), 'k3s-daas-up-test-'));
    ({ up, output, stack } = await startUp(dir));
  }, 240_000);

  afterAll(async () => {
    if (up.exitCode === undefined) up.kill('SIGKILL');
    await up;
    await rm(dir, { recursive: true, force: true });
  });

  it('prints the kubeconfigs, URLs and IDs it wrote to stack.json', () => {
    for (const name of ['admin', 'viewer']) expect(output()).toContain(stack.identities[name]!.kubeconfig);
    expect(output()).toContain(stack.gateway);
    expect(output()).toContain(stack.packageId);
    expect(output()).toContain(stack.clusterId);
  });

  it('serves kubectl through the contract: admin writes, viewer reads, viewer write refused', async () => {
    const admin = stack.identities.admin!.kubeconfig;
    const viewer = stack.identities.viewer!.kubeconfig;
    const created = await kubectl(admin, ['create', 'configmap', 'hello', '--from-literal=k=v']);
    expect(created.stderr).toBe('');
    expect(created.stdout).toBe('configmap/hello created');
    const read = await kubectl(viewer, ['get', 'configmap', 'hello', '-o', 'jsonpath={.data.k}']);
    expect(read.stdout).toBe('v');
    const denied = await kubectl(viewer, ['delete', 'configmap', 'hello']);
    expect(denied.exitCode).toBe(1);
    expect(denied.stderr).toMatch(/Forbidden.*EPermissionDenied/);
  });

  it('keeps the gateway, listener and admin keys in separate 0600 keystores and says the test gateway is custodial', async () => {
    const keys = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as string[];
    const files = [stack.keystore, stack.listenerKeystore, stack.admin.keystore];
    expect(new Set(files).size).toBe(3);
    for (const f of files) expect(statSync(f).mode & 0o777).toBe(0o600);
    // The gateway: the identities' keys (admin, viewer), nothing else; the listener: the executor's.
    expect(keys(stack.keystore)).toHaveLength(Object.keys(stack.identities).length);
    expect(keys(stack.listenerKeystore)).toHaveLength(1);
    expect(keys(stack.keystore)).not.toContain(keys(stack.listenerKeystore)[0]);
    expect(keys(stack.keystore)).not.toContain(keys(stack.admin.keystore)[0]);
    expect(output()).toMatch(/SHARED test gateway \(k3s-daas gateway --shared\): custodial/);
  });

  it('says who holds the AdminCap and where its key is; the printed token issue / kubeconfig / revoke commands work', async () => {
    const out = output();
    expect(out).toContain(`AdminCap ${stack.admin.adminCapId}`);
    expect(out).toContain(`is held by ${stack.admin.address}`);
    expect(out).toContain(stack.admin.keystore);
    // The admin's key alone, private to its owner.
    expect(JSON.parse(readFileSync(stack.admin.keystore, 'utf8'))).toHaveLength(1);
    expect(statSync(stack.admin.keystore).mode & 0o777).toBe(0o600);

    // Copied from the banner as a user would: the token issue command runs as printed.
    const lines = out.split('\n');
    const from = lines.findIndex((l) => l.includes(' token issue '));
    const to = lines.findIndex((l, i) => i >= from && l.includes('--rule'));
    expect(from).toBeGreaterThan(0);
    const issue = await execa('bash', ['-c', lines.slice(from, to + 1).join('\n')], {
      cwd: dir,
      reject: false,
    });
    expect(issue.stderr).toBe('');
    expect(issue.exitCode).toBe(0);
    const bearer = /bearer token \(shown once\): (\S+)/.exec(issue.stdout)?.[1];
    expect(bearer).toBeDefined();

    const kubeconfigLine = lines.find((l) => l.includes(' kubeconfig --name alice'))!;
    const kc = await execa('bash', ['-c', kubeconfigLine.replace('<bearer token>', bearer!)], {
      cwd: dir,
      reject: false,
    });
    expect(kc.exitCode).toBe(0);
    const alice = join(dir, 'alice.kubeconfig');
    // The gateway re-reads the identities file and keystore about once a second.
    let created;
    for (let i = 0; i < 20; i++) {
      created = await kubectl(alice, ['create', 'configmap', 'from-alice', '-n', 'default']);
      if (created.exitCode === 0) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(created!.stderr).toBe('');
    expect(created!.stdout).toBe('configmap/from-alice created');

    const revokeLine = lines.find((l) => l.includes(' token revoke --name alice'))!;
    const revoke = await execa('bash', ['-c', revokeLine], { cwd: dir, reject: false });
    expect(revoke.stderr).toBe('');
    expect(revoke.stdout).toMatch(/revoked/);
    const refused = await kubectl(alice, ['get', 'configmap', 'from-alice', '-n', 'default']);
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toMatch(/Unauthorized|revoked/i);
  }, 120_000);

  it('SIGTERM to npm stops everything: no process of its tree survives, ports closed', async () => {
    const { survivors, all } = await stopThroughNpm(up, 'SIGTERM');
    expect(survivors.map((p) => `${p.pid} ${p.cmd}`)).toEqual([]);
    expect(all).toMatch(/Stopping…\nStopped\./);
    expect(await portOpen(stack.gateway)).toBe(false);
    expect(await portOpen(stack.listenerHealth)).toBe(false);
  }, 60_000);
});

describe.skipIf(!linux)(
  'npm run harness -- up with SIGINT ignored (nohup, a background job), stopped with SIGINT to npm',
  () => {
    let dir: string;
    let up: Up;

    beforeAll(async () => {
      dir = await mkdtemp(join(os.tmpdir(), 'k3s-daas-up-test-'));
      // `trap '' INT` is what a non-interactive shell does to a background job (`nohup … &`).
      ({ up } = await startUp(dir, "trap '' INT;"));
    }, 240_000);

    afterAll(async () => {
      if (up.exitCode === undefined) up.kill('SIGKILL');
      await up;
      await rm(dir, { recursive: true, force: true });
    });

    it('stops everything and exits 130; no process of its tree survives', async () => {
      const { exitCode, survivors, all } = await stopThroughNpm(up, 'SIGINT');
      expect(survivors.map((p) => `${p.pid} ${p.cmd}`)).toEqual([]);
      expect(all).toMatch(/Stopping…\nStopped\./);
      expect(exitCode).toBe(130);
    }, 60_000);
  },
);

describe.skipIf(!linux)('npm run harness -- up, its gateway stopped with SIGTERM', () => {
  let dir: string;
  let up: Up;

  beforeAll(async () => {
    dir = await mkdtemp(join(os.tmpdir(), 'k3s-daas-up-test-'));
    ({ up } = await startUp(dir));
  }, 240_000);

  afterAll(async () => {
    if (up.exitCode === undefined) up.kill('SIGKILL');
    await up;
    await rm(dir, { recursive: true, force: true });
  });

  it('up says so, stops the rest and exits 1; no process of its tree survives', async () => {
    const tree = descendants(up.pid!);
    const gateway = tree.find((p) => p.cmd.includes('k3s-daas.js gateway'))!;
    process.kill(gateway.pid, 'SIGTERM');
    const r = await up;
    const deadline = Date.now() + 30_000;
    while (tree.some(alive) && Date.now() < deadline) await new Promise((res) => setTimeout(res, 250));
    expect(tree.filter(alive).map((p) => `${p.pid} ${p.cmd}`)).toEqual([]);
    expect(r.all).toMatch(/gateway.* exited on its own/);
    expect(r.exitCode).toBe(1);
  }, 60_000);
});
