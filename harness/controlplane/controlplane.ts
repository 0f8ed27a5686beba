/**
 * Starts a real control plane on loopback from the cached binaries: etcd, kube-apiserver,
 * kube-controller-manager, kube-scheduler and kwok (a fake node that turns bound pods
 * Running), each in its own process group and registered for cleanup. Resolves once
 * /readyz answers, the fake node is Ready and the default ServiceAccount exists (so pods can
 * be created at once), with the time each phase took.
 */
import { execFile } from 'node:child_process';
import { chmod, mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { promisify } from 'node:util';
import { registerCleanup } from '../backends/cleanup.ts';
import { startManagedProcess, type ManagedProcess } from '../backends/process.ts';
import { freePortOnLoopback } from '../backends/ports.ts';
import { waitUntil } from '../backends/readiness.ts';
import { BackendNotReadyError } from '../backends/errors.ts';
import { httpsRequest, expectOk, type TlsClient } from './api.ts';
import type { ControlPlaneBinaries } from './build.ts';
import {
  APISERVER_HOSTS,
  AUDIT_POLICY,
  apiserverArgs,
  controllerManagerArgs,
  etcdArgs,
  FAKE_NODE_NAME,
  fakeNode,
  kwokArgs,
  layout,
  LOOPBACK,
  schedulerArgs,
  type Layout,
  type Ports,
} from './flags.ts';
import { kubeconfigYaml } from './kubeconfig.ts';
import { createCertificateAuthority, createServiceAccountKeys } from './pki.ts';

const execFileP = promisify(execFile);

export interface ControlPlaneOptions {
  readonly binaries: ControlPlaneBinaries;
  /** Directory for certificates, kubeconfigs and etcd data (created; removed on stop unless `keep`). */
  readonly dir: string;
  readonly keep?: boolean;
  /** Start the controller-manager and scheduler (default true). */
  readonly controllers?: boolean;
  /** Start kwok with one fake node (default true; needs `controllers`). */
  readonly kwok?: boolean;
  readonly readyTimeoutMs?: number;
  readonly onProgress?: (line: string) => void;
}

export interface ControlPlane {
  readonly url: string;
  readonly adminKubeconfigPath: string;
  readonly layout: Layout;
  readonly ports: Ports;
  /** Milliseconds per boot phase, and `total`. */
  readonly bootMs: Readonly<Record<string, number>>;
  readonly processes: readonly ManagedProcess[];
  logs(): string;
  stop(): Promise<void>;
}

async function writeSecret(path: string, content: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, content, { mode: 0o600 });
  await chmod(path, 0o600);
}

export async function startControlPlane(opts: ControlPlaneOptions): Promise<ControlPlane> {
  const started = Date.now();
  const bootMs: Record<string, number> = {};
  let mark = started;
  const phase = (name: string): void => {
    const now = Date.now();
    bootMs[name] = now - mark;
    mark = now;
    opts.onProgress?.(`[apiserver] ${name}: ${bootMs[name]} ms`);
  };
  const timeoutMs = opts.readyTimeoutMs ?? 120_000;
  const controllers = opts.controllers ?? true;
  const kwok = controllers && (opts.kwok ?? true);
  const l = layout(opts.dir);
  const ports: Ports = {
    etcdClient: await freePortOnLoopback(),
    etcdPeer: await freePortOnLoopback(),
    apiserver: await freePortOnLoopback(),
  };
  const server = `https://${LOOPBACK}:${ports.apiserver}`;

  // --- PKI and kubeconfigs
  const ca = await createCertificateAuthority();
  const [etcdCert, apiserverCert, etcdClient, admin, cm, sched, kwokUser, sa] = await Promise.all([
    ca.issue({ cn: 'etcd', hosts: ['localhost', LOOPBACK], client: true }),
    ca.issue({ cn: 'kube-apiserver', hosts: [...APISERVER_HOSTS] }),
    ca.issue({ cn: 'kube-apiserver-etcd-client' }),
    ca.issue({ cn: 'kubernetes-admin', groups: ['system:masters'] }),
    ca.issue({ cn: 'system:kube-controller-manager' }),
    ca.issue({ cn: 'system:kube-scheduler' }),
    // kwok acts for every fake node and their pods (leases, status): cluster-admin like kwokctl's.
    ca.issue({ cn: 'kwok-controller', groups: ['system:masters'] }),
    createServiceAccountKeys(),
  ]);
  const kc = (name: string, user: string, c: { certPem: string; keyPem: string }): string =>
    kubeconfigYaml({ server, caPem: ca.ca.certPem, certPem: c.certPem, keyPem: c.keyPem, name, user });
  await Promise.all([
    writeSecret(l.caCert, ca.ca.certPem),
    writeSecret(l.caKey, ca.ca.keyPem),
    writeSecret(l.etcdCert, etcdCert.certPem),
    writeSecret(l.etcdKey, etcdCert.keyPem),
    writeSecret(l.apiserverCert, apiserverCert.certPem),
    writeSecret(l.apiserverKey, apiserverCert.keyPem),
    writeSecret(l.apiserverEtcdClientCert, etcdClient.certPem),
    writeSecret(l.apiserverEtcdClientKey, etcdClient.keyPem),
    writeSecret(l.saKey, sa.privatePem),
    writeSecret(l.saPub, sa.publicPem),
    writeSecret(l.adminKubeconfig, kc('k3s-daas-apiserver', 'kubernetes-admin', admin)),
    writeSecret(
      l.controllerManagerKubeconfig,
      kc('controller-manager', 'system:kube-controller-manager', cm),
    ),
    writeSecret(l.schedulerKubeconfig, kc('scheduler', 'system:kube-scheduler', sched)),
    writeSecret(l.kwokKubeconfig, kc('kwok', 'kwok-controller', kwokUser)),
    mkdir(l.etcdData, { recursive: true, mode: 0o700 }),
    writeFile(l.auditPolicy, AUDIT_POLICY),
  ]);
  if (kwok) await writeFile(l.kwokStages, (await execFileP(opts.binaries['kwok-stages'], [])).stdout);
  phase('pki');

  const processes: ManagedProcess[] = [];
  const adminTls: TlsClient = { caPem: ca.ca.certPem, certPem: admin.certPem, keyPem: admin.keyPem };
  const start = (name: string, command: string, args: string[]): ManagedProcess => {
    const p = startManagedProcess({ name, command, args, cwd: opts.dir });
    processes.push(p);
    return p;
  };
  let unregister = (): void => {};
  let stopping: Promise<void> | undefined;
  // Idempotent: reached from stop(), from a failed boot and from the cleanup registry.
  const stopAll = (): Promise<void> =>
    (stopping ??= (async () => {
      unregister();
      // Reverse start order: clients first, etcd last, so nothing logs a lost backend on the way down.
      for (const p of [...processes].reverse()) await p.stop(10_000);
      if (!opts.keep) await rm(opts.dir, { recursive: true, force: true });
    })());
  const logs = (): string => processes.map((p) => `--- ${p.name} ---\n${p.logs.text(40)}`).join('\n');
  const exited = (): string | undefined => {
    for (const p of processes) {
      const r = p.exitReason();
      if (r !== undefined) return `${p.name} ${r}`;
    }
    return undefined;
  };
  const wait = async <T>(what: string, probe: () => Promise<T>): Promise<T> => {
    try {
      return await waitUntil(what, probe, { timeoutMs, intervalMs: 200, shouldAbort: exited });
    } catch (err) {
      const tail = logs();
      await stopAll();
      throw new BackendNotReadyError('apiserver cluster', (err as Error).message, tail);
    }
  };

  // On SIGINT/SIGTERM the whole plane goes down in order and its files (CA key included) go
  // with it; each process is also registered on its own, as a SIGKILL of last resort at exit.
  unregister = registerCleanup(`apiserver cluster in ${opts.dir}`, stopAll);
  try {
    // --- etcd
    start('etcd', opts.binaries.etcd, etcdArgs(l, ports));
    const etcdTls: TlsClient = {
      caPem: ca.ca.certPem,
      certPem: etcdClient.certPem,
      keyPem: etcdClient.keyPem,
    };
    await wait('etcd /health', async () => {
      const body = await expectOk(`https://${LOOPBACK}:${ports.etcdClient}/health`, etcdTls);
      if (!/"health":\s*"true"/.test(body)) throw new Error(`etcd not healthy: ${body}`);
    });
    phase('etcd');

    // --- kube-apiserver
    start('kube-apiserver', opts.binaries['kube-apiserver'], apiserverArgs(l, ports));
    await wait('kube-apiserver /readyz', () => expectOk(`${server}/readyz`, adminTls));
    phase('apiserver');

    if (controllers) {
      start('kube-controller-manager', opts.binaries['kube-controller-manager'], controllerManagerArgs(l));
      start('kube-scheduler', opts.binaries['kube-scheduler'], schedulerArgs(l));
      if (kwok) {
        start('kwok', opts.binaries.kwok, kwokArgs(l));
        const created = await httpsRequest(`${server}/api/v1/nodes`, adminTls, {
          method: 'POST',
          body: fakeNode(),
        });
        if (created.status !== 201 && created.status !== 409) {
          throw new Error(`creating the fake node answered ${created.status}: ${created.body.slice(0, 300)}`);
        }
        await wait(`node ${FAKE_NODE_NAME} Ready (kwok)`, async () => {
          const node = JSON.parse(await expectOk(`${server}/api/v1/nodes/${FAKE_NODE_NAME}`, adminTls)) as {
            status?: { conditions?: { type: string; status: string }[] };
          };
          const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
          if (ready?.status !== 'True') throw new Error(`Ready is ${ready?.status ?? 'not reported yet'}`);
        });
        phase('kwok-node');
      }
      // The ServiceAccount admission plugin refuses pods until the controller made `default`.
      await wait('default ServiceAccount (controller-manager)', () =>
        expectOk(`${server}/api/v1/namespaces/default/serviceaccounts/default`, adminTls),
      );
      phase('controllers');
    }
  } catch (err) {
    if (err instanceof BackendNotReadyError) throw err;
    const tail = logs();
    await stopAll();
    throw new BackendNotReadyError('apiserver cluster', (err as Error).message, tail);
  }
  bootMs.total = Date.now() - started;
  opts.onProgress?.(`[apiserver] ready at ${server} in ${bootMs.total} ms`);

  return {
    url: server,
    adminKubeconfigPath: l.adminKubeconfig,
    layout: l,
    ports,
    bootMs,
    processes,
    logs,
    stop: stopAll,
  };
}
