/**
 * The `apiserver` cluster backend on the real binaries, driven by the real kubectl: a secure
 * control plane (no anonymous access, RBAC), Deployments that roll out (controller-manager,
 * scheduler, kwok's fake node), clean stop. Skips with the reason when the binaries are not
 * built (see harness/controlplane/availability.ts for the policy) or kubectl is missing.
 */
import { spawn } from 'node:child_process';
import { readdir, readFile, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpsRequest } from '../../controlplane/api.ts';
import { startControlPlane } from '../../controlplane/controlplane.ts';
import { makeWorkDir } from '../workdir.ts';
import { controlPlaneAvailability } from '../../controlplane/availability.ts';
import { KUBE_VERSION } from '../../controlplane/versions.ts';
import type { ClusterHandle } from '../types.ts';
import { which } from '../which.ts';
import { lastApiserverBootMs, startApiserverCluster } from './apiserver.ts';

const KUBECTL = process.env.KUBECTL ?? 'kubectl';
const SIGINT_CHILD = fileURLToPath(new URL('../test/fixtures/sigint-apiserver-child.ts', import.meta.url));

async function skipReason(): Promise<string | undefined> {
  if (!(await which(KUBECTL)))
    return `${KUBECTL} is not on PATH (install kubectl, or set KUBECTL=/path/to/kubectl)`;
  const a = await controlPlaneAvailability();
  return a.ok ? undefined : a.reason;
}
const reason = await skipReason();
if (reason) process.stderr.write(`[apiserver backend] skipped: ${reason}\n`);

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata: { name: web, labels: { app: web } }
spec:
  replicas: 2
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers: [{ name: web, image: "nginx:1.27" }]
`;

/** Command lines of live processes that mention `needle` (to prove a stop left nothing behind). */
async function processesMentioning(needle: string): Promise<string[]> {
  const out: string[] = [];
  for (const pid of await readdir('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const cmd = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).replace(/\0/g, ' ');
      if (cmd.includes(needle)) out.push(`${pid}: ${cmd.slice(0, 120)}`);
    } catch {
      // exited meanwhile
    }
  }
  return out;
}

describe.skipIf(reason !== undefined)(
  'apiserver cluster backend (real etcd + kube-apiserver + controllers + kwok)',
  () => {
    let cluster: ClusterHandle;
    const kubectl = (args: string[], input?: string) =>
      execa(KUBECTL, ['--kubeconfig', cluster.kubeconfigPath, ...args], {
        reject: false,
        input,
        timeout: 90_000,
      });

    beforeAll(async () => {
      cluster = await startApiserverCluster({ onProgress: () => {} });
      process.stderr.write(`[apiserver backend] boot phases (ms): ${JSON.stringify(lastApiserverBootMs)}\n`);
    }, 600_000);
    afterAll(async () => {
      await cluster?.stop();
    });

    it('serves the pinned release over TLS, with the admin in system:masters', async () => {
      expect(cluster.kind).toBe('apiserver');
      expect(cluster.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const v = await kubectl(['version', '-o', 'json']);
      expect(v.exitCode, v.stderr).toBe(0);
      expect(
        (JSON.parse(v.stdout) as { serverVersion: { gitVersion: string } }).serverVersion.gitVersion,
      ).toBe(KUBE_VERSION);
      const ready = await kubectl(['get', '--raw', '/readyz']);
      expect(ready.stdout).toBe('ok');
      const who = await kubectl(['auth', 'whoami', '-o', 'json']);
      expect(JSON.parse(who.stdout)).toMatchObject({
        status: {
          userInfo: { username: 'kubernetes-admin', groups: expect.arrayContaining(['system:masters']) },
        },
      });
    });

    it('refuses anonymous requests and applies RBAC to other users', async () => {
      const ca = await readFile(`${dirname(cluster.kubeconfigPath)}/pki/ca.crt`, 'utf8');
      // No client certificate: 401, not an anonymous read.
      const anon = await httpsRequest(`${cluster.url}/api/v1/namespaces`, {
        caPem: ca,
        certPem: '',
        keyPem: '',
      });
      expect(anon.status).toBe(401);
      const alice = await kubectl(['get', 'pods', '-n', 'default', '--as', 'alice']);
      expect(alice.exitCode).toBe(1);
      expect(alice.stderr).toContain('User "alice" cannot list resource "pods"');
      const canI = await kubectl([
        'auth',
        'can-i',
        'create',
        'pods',
        '--as',
        'system:serviceaccount:default:default',
      ]);
      expect(canI.stdout.trim()).toBe('no');
    });

    it('kubectl: namespace, configmap, deployment rolled out to Running pods, get -o json, delete', async () => {
      const ns = 'k3s-daas-e2e';
      expect((await kubectl(['create', 'namespace', ns])).stdout).toBe(`namespace/${ns} created`);
      const cm = await kubectl(['create', 'configmap', 'settings', '-n', ns, '--from-literal=mode=real']);
      expect(cm.stdout).toBe('configmap/settings created');
      const got = JSON.parse(
        (await kubectl(['get', 'configmap', 'settings', '-n', ns, '-o', 'json'])).stdout,
      ) as {
        data: Record<string, string>;
        metadata: { resourceVersion: string; uid: string };
      };
      expect(got.data).toEqual({ mode: 'real' });
      expect(got.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);

      const applied = await kubectl(['apply', '-n', ns, '-f', '-'], DEPLOYMENT);
      expect(applied.stdout, applied.stderr).toBe('deployment.apps/web created');
      const rollout = await kubectl(['rollout', 'status', 'deployment/web', '-n', ns, '--timeout=90s']);
      expect(rollout.exitCode, rollout.stderr).toBe(0);
      expect(rollout.stdout).toContain('successfully rolled out');
      const pods = JSON.parse(
        (await kubectl(['get', 'pods', '-n', ns, '-l', 'app=web', '-o', 'json'])).stdout,
      ) as {
        items: { status: { phase: string }; spec: { nodeName: string } }[];
      };
      expect(pods.items).toHaveLength(2);
      expect(pods.items.map((p) => p.status.phase)).toEqual(['Running', 'Running']);
      expect(new Set(pods.items.map((p) => p.spec.nodeName))).toEqual(new Set(['kwok-node-0']));

      expect((await kubectl(['delete', 'deployment', 'web', '-n', ns])).stdout).toBe(
        'deployment.apps "web" deleted',
      );
      expect((await kubectl(['delete', 'configmap', 'settings', '-n', ns])).stdout).toBe(
        'configmap "settings" deleted',
      );
      const gone = await kubectl(['get', 'configmap', 'settings', '-n', ns]);
      expect(gone.exitCode).toBe(1);
      expect(gone.stderr).toContain('NotFound');
      // The namespace controller empties and removes it.
      const del = await kubectl(['delete', 'namespace', ns, '--wait=true', '--timeout=90s']);
      expect(del.exitCode, del.stderr).toBe(0);
      expect((await kubectl(['get', 'namespace', ns])).stderr).toContain('NotFound');
    });

    it('stops every process and removes its files', async () => {
      const dir = dirname(cluster.kubeconfigPath);
      expect((await processesMentioning(dir)).length).toBeGreaterThanOrEqual(5);
      await cluster.stop();
      expect(await processesMentioning(dir)).toEqual([]);
      await expect(stat(dir)).rejects.toThrow(/ENOENT/);
    });

    it('SIGINT to the process that started it stops etcd and the apiserver and removes the files', async () => {
      const child = spawn(process.execPath, ['--import', 'tsx', SIGINT_CHILD], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (out += d.toString()));
      const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
      const end = Date.now() + 120_000;
      while (!/READY (\S+)/.test(out) && Date.now() < end && child.exitCode === null) {
        await new Promise((r) => setTimeout(r, 200));
      }
      const kubeconfig = /READY (\S+)/.exec(out)?.[1];
      expect(kubeconfig, out).toBeDefined();
      const dir = dirname(kubeconfig!);
      expect((await processesMentioning(dir)).length, out).toBe(2); // etcd, kube-apiserver
      child.kill('SIGINT');
      expect(await exited).toBe(130);
      expect(await processesMentioning(dir)).toEqual([]);
      await expect(stat(dir)).rejects.toThrow(/ENOENT/);
    }, 180_000);

    it('a component that dies during boot fails it with its log tail, and stops the rest', async () => {
      const a = await controlPlaneAvailability();
      if (!a.ok) throw new Error(a.reason);
      const dir = await makeWorkDir('apiserver-broken');
      // `false` exits 1 at once: the boot must notice the exit, not wait for its timeout.
      const binaries = { ...a.binaries, 'kube-apiserver': '/bin/false' };
      const started = Date.now();
      const err = await startControlPlane({ binaries, dir, controllers: false }).catch(
        (e: unknown) => e as Error,
      );
      expect(err).toBeInstanceOf(Error);
      expect((err as Error).message).toMatch(
        /apiserver cluster did not become ready: kube-apiserver \/readyz: kube-apiserver exited with code 1/,
      );
      expect((err as Error).message).toContain('--- etcd ---');
      expect(Date.now() - started).toBeLessThan(30_000);
      expect(await processesMentioning(dir)).toEqual([]);
      await expect(stat(dir)).rejects.toThrow(/ENOENT/);
    }, 60_000);
  },
);
