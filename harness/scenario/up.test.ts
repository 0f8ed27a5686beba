/**
 * `k3s-daas-harness up` as a user runs it: a real process on the embedded backends, real
 * kubectl with the kubeconfigs it prints, Ctrl-C (SIGINT) to stop.
 */
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
  identities: Record<string, { kubeconfig: string; address: string }>;
}

let dir: string;
let up: ResultPromise<{ reject: false; all: true }>;
let output = '';
let stack: StackJson;

const kubectl = (identity: string, args: string[]) =>
  execa(
    'kubectl',
    [
      '--kubeconfig',
      stack.identities[identity]!.kubeconfig,
      '--cache-dir',
      join(dir, `cache-${identity}`),
      ...args,
    ],
    { reject: false },
  );

function portOpen(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const s = connect(Number(port), hostname);
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(os.tmpdir(), 'k3s-daas-up-test-'));
  up = execa('node', ['bin/k3s-daas-harness.js', 'up', '--dir', join(dir, 'stack')], {
    reject: false,
    all: true,
    env: { LOG_LEVEL: 'warn' },
  });
  await new Promise<void>((resolve, reject) => {
    up.all.on('data', (d: Buffer) => {
      output += d.toString();
      if (output.includes('K3s-DaaS is up.')) resolve();
    });
    void up.then((r) => reject(new Error(`up exited with ${r.exitCode} before it was ready:\n${output}`)));
  });
  stack = JSON.parse(await readFile(join(dir, 'stack', 'stack.json'), 'utf8')) as StackJson;
}, 180_000);

afterAll(async () => {
  if (up.exitCode === undefined) up.kill('SIGKILL');
  await up;
  await rm(dir, { recursive: true, force: true });
});

describe('k3s-daas-harness up', () => {
  it('prints the kubeconfigs, URLs and IDs it wrote to stack.json', () => {
    for (const name of ['admin', 'viewer']) expect(output).toContain(stack.identities[name]!.kubeconfig);
    expect(output).toContain(stack.gateway);
    expect(output).toContain(stack.packageId);
    expect(output).toContain(stack.clusterId);
  });

  it('serves kubectl through the contract: admin writes, viewer reads, viewer write refused', async () => {
    const created = await kubectl('admin', ['create', 'configmap', 'hello', '--from-literal=k=v']);
    expect(created.stderr).toBe('');
    expect(created.stdout).toBe('configmap/hello created');
    const read = await kubectl('viewer', ['get', 'configmap', 'hello', '-o', 'jsonpath={.data.k}']);
    expect(read.stdout).toBe('v');
    const denied = await kubectl('viewer', ['delete', 'configmap', 'hello']);
    expect(denied.exitCode).toBe(1);
    expect(denied.stderr).toMatch(/Forbidden.*EPermissionDenied/);
  });

  it('stops everything on Ctrl-C and exits 130', async () => {
    up.kill('SIGINT');
    const r = await up;
    expect(r.exitCode).toBe(130);
    expect(r.all).toMatch(/Stopping…\nStopped\./);
    expect(await portOpen(stack.gateway)).toBe(false);
    expect(await portOpen(stack.listenerHealth)).toBe(false);
  }, 60_000);
});
