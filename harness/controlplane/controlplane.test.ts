/**
 * The pure parts of the real control plane: the staging replace list derived from
 * k8s.io/kubernetes' go.mod, the build command, the cache layout, the command lines (the
 * secure configuration), the PKI (checked with node:crypto, not with the library that made
 * it) and the kubeconfigs. Booting it is apiserver.test.ts in harness/backends/cluster.
 */
import { X509Certificate, createPrivateKey, createPublicKey } from 'node:crypto';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { MissingToolError } from '../backends/errors.ts';
import { which } from '../backends/which.ts';
import {
  BUILD_UNITS,
  GO_MODULE_DIR,
  KUBE_UNIT,
  binaryPaths,
  cacheRoot,
  ensureControlPlaneBinaries,
  goBuildArgs,
  goBuildEnv,
  kubeGoModPath,
  kubeLdflags,
} from './build.ts';
import { withBuildLock } from './build-lock.ts';
import {
  apiserverArgs,
  AUDIT_POLICY,
  controllerManagerArgs,
  etcdArgs,
  fakeNode,
  kwokArgs,
  layout,
  schedulerArgs,
} from './flags.ts';
import {
  goDirective,
  requiredModules,
  stagingModules,
  stagingReplaces,
  stagingVersion,
  wrapperGoMod,
} from './gomod.ts';
import { kubeconfigYaml } from './kubeconfig.ts';
import { coreCommandSet, runCoreCommandSet, versionedKubectls } from './kubectl-versions.ts';
import { createCertificateAuthority, createServiceAccountKeys, subjectDn } from './pki.ts';
import { ETCD_VERSION, KUBE_VERSION } from './versions.ts';

const KUBE_GO_MOD_EXCERPT = `module k8s.io/kubernetes

go 1.26.0

require (
\tgithub.com/spf13/pflag v1.0.9
\tk8s.io/api v0.0.0
\tk8s.io/client-go v0.0.0 // pinned by staging
)

require k8s.io/kms v0.0.0 // indirect

replace (
\tk8s.io/api => ./staging/src/k8s.io/api
\tk8s.io/client-go => ./staging/src/k8s.io/client-go
\tk8s.io/kms => ./staging/src/k8s.io/kms
\tk8s.io/sample-controller => ./staging/src/k8s.io/sample-controller
\tgithub.com/foo/bar => github.com/foo/baz v1.0.0
)
`;

describe('staging replace list', () => {
  it('maps a release to its staging tag', () => {
    expect(stagingVersion('v1.36.3')).toBe('v0.36.3');
    expect(() => stagingVersion('1.36.3')).toThrow(/v1.MINOR.PATCH/);
    expect(() => stagingVersion('v0.36.3')).toThrow(/not a Kubernetes release/);
  });

  it('reads require lines (block and single-line, comments ignored) and the staging replaces', () => {
    const req = requiredModules(KUBE_GO_MOD_EXCERPT);
    expect(req.get('k8s.io/client-go')).toBe('v0.0.0');
    expect(req.get('k8s.io/kms')).toBe('v0.0.0');
    expect(req.get('github.com/spf13/pflag')).toBe('v1.0.9');
    expect(stagingModules(KUBE_GO_MOD_EXCERPT)).toEqual([
      'k8s.io/api',
      'k8s.io/client-go',
      'k8s.io/kms',
      'k8s.io/sample-controller',
    ]);
    expect(goDirective(KUBE_GO_MOD_EXCERPT)).toBe('1.26.0');
  });

  it('replaces each required staging module with the published one, and only those', () => {
    // sample-controller is replaced but never required (and not published at every release).
    expect(stagingReplaces(KUBE_GO_MOD_EXCERPT, 'v1.36.3')).toEqual([
      { module: 'k8s.io/api', version: 'v0.36.3' },
      { module: 'k8s.io/client-go', version: 'v0.36.3' },
      { module: 'k8s.io/kms', version: 'v0.36.3' },
    ]);
    expect(() => stagingReplaces('module x\n', 'v1.36.3')).toThrow(/no "=> .\/staging\/src/);
  });

  it('writes a wrapper go.mod with the pins, the tools and the replace block', () => {
    const text = wrapperGoMod({
      kubeVersion: 'v1.36.3',
      etcdVersion: 'v3.6.8',
      kubeGoMod: KUBE_GO_MOD_EXCERPT,
    });
    expect(text).toContain('\tk8s.io/kubernetes v1.36.3\n');
    expect(text).toContain('\tgo.etcd.io/etcd/server/v3 v3.6.8\n');
    expect(text).toContain('\tk8s.io/kubernetes/cmd/kube-apiserver\n');
    expect(text).toContain('\tk8s.io/client-go => k8s.io/client-go v0.36.3\n');
    expect(text).not.toContain('sample-controller');
    expect(text).toMatch(/^go 1\.26\.0$/m);
  });

  it('the committed go/go.mod pins the versions of versions.ts', async () => {
    const committed = await readFile(join(GO_MODULE_DIR, 'go.mod'), 'utf8');
    const req = requiredModules(committed);
    expect(req.get('k8s.io/kubernetes')).toBe(KUBE_VERSION);
    expect(req.get('go.etcd.io/etcd/server/v3')).toBe(ETCD_VERSION);
    const replaced = [...committed.matchAll(/^\t(k8s\.io\/\S+)\s+=>\s+(\S+) (\S+)$/gm)];
    expect(replaced.length).toBeGreaterThan(25);
    for (const [, from, to, version] of replaced) {
      expect(to).toBe(from);
      expect(version).toBe(stagingVersion(KUBE_VERSION));
    }
  });

  it("the committed replace block is exactly the one generated from k8s.io/kubernetes' own go.mod", async (ctx) => {
    if (!(await which('go')))
      ctx.skip('go is not on PATH: cannot read k8s.io/kubernetes go.mod from the module proxy');
    const kubeGoMod = await readFile(kubeGoModPath(KUBE_VERSION), 'utf8');
    const expected = stagingReplaces(kubeGoMod, KUBE_VERSION).map((r) => `${r.module} ${r.version}`);
    const committed = await readFile(join(GO_MODULE_DIR, 'go.mod'), 'utf8');
    const actual = [...committed.matchAll(/^\t(k8s\.io\/\S+)\s+=>\s+\S+ (\S+)$/gm)].map(
      (m) => `${m[1]} ${m[2]}`,
    );
    expect(actual).toEqual(expected);
  });
});

describe('build', () => {
  it('stamps the release into /version like Kubernetes’ own build', () => {
    const f = kubeLdflags('v1.36.3');
    expect(f).toContain('-X k8s.io/component-base/version.gitVersion=v1.36.3');
    expect(f).toContain('-X k8s.io/component-base/version.gitMinor=36');
    expect(f).toContain('-X k8s.io/client-go/pkg/version.gitVersion=v1.36.3');
    expect(f.startsWith('-s -w ')).toBe(true);
  });

  it('builds all binaries of a unit in one go build, static and with the committed go.sum', () => {
    expect(goBuildArgs(KUBE_UNIT, '/c/x')).toEqual([
      'build',
      '-v',
      '-trimpath',
      '-ldflags',
      kubeLdflags(KUBE_VERSION),
      '-o',
      '/c/x/',
      './cmd/etcd',
      'k8s.io/kubernetes/cmd/kube-apiserver',
      'k8s.io/kubernetes/cmd/kube-controller-manager',
      'k8s.io/kubernetes/cmd/kube-scheduler',
    ]);
    const env = goBuildEnv({ PATH: '/bin', GOFLAGS: '-buildvcs=false' });
    expect(env.CGO_ENABLED).toBe('0');
    expect(env.GOFLAGS).toBe('-buildvcs=false -mod=readonly');
  });

  it('caches outside the repository, by version', () => {
    expect(cacheRoot({ HOME: '/h' } as NodeJS.ProcessEnv)).toMatch(/\.cache\/k3s-daas\/kube$/);
    expect(cacheRoot({ XDG_CACHE_HOME: '/xdg' })).toBe('/xdg/k3s-daas/kube');
    expect(cacheRoot({ K3S_DAAS_KUBE_CACHE: '/k', XDG_CACHE_HOME: '/xdg' })).toBe('/k');
    const paths = binaryPaths({ K3S_DAAS_KUBE_CACHE: '/k' });
    expect(paths['kube-apiserver']).toBe(`/k/${KUBE_VERSION}-etcd-${ETCD_VERSION}/kube-apiserver`);
    expect(paths.kwok).toMatch(/^\/k\/kwok-v\d+\.\d+\.\d+\/kwok$/);
    expect(BUILD_UNITS.map((u) => u.cacheName)).toHaveLength(2);
  });

  it('without Go and without a cache, says to install Go and names the fallback', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'k3s-daas-nocache-'));
    const err = await ensureControlPlaneBinaries({
      env: { PATH: '', K3S_DAAS_KUBE_CACHE: empty },
      onProgress: () => {},
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MissingToolError);
    expect((err as Error).message).toMatch(/^go is not available\. Install it: Go ≥ 1\.26/);
    expect((err as Error).message).toContain('--cluster embedded');
  });
});

describe('command lines (secure configuration)', () => {
  const l = layout('/cp');
  const ports = { etcdClient: 2379, etcdPeer: 2380, apiserver: 6443 };

  it('etcd: loopback only, TLS with client certificates for clients and peers', () => {
    const a = etcdArgs(l, ports);
    expect(a).toContain('--listen-client-urls=https://127.0.0.1:2379');
    expect(a).toContain('--listen-peer-urls=https://127.0.0.1:2380');
    expect(a).toContain('--client-cert-auth=true');
    expect(a).toContain('--peer-client-cert-auth=true');
    expect(a).toContain('--trusted-ca-file=/cp/pki/ca.crt');
    expect(a.filter((x) => x.includes('http://'))).toEqual([]);
  });

  it('kube-apiserver: loopback, Node+RBAC, no anonymous access, certificates and SA keys', () => {
    const a = apiserverArgs(l, ports);
    expect(a).toEqual(
      expect.arrayContaining([
        '--bind-address=127.0.0.1',
        '--secure-port=6443',
        '--authorization-mode=Node,RBAC',
        '--anonymous-auth=false',
        '--client-ca-file=/cp/pki/ca.crt',
        '--tls-cert-file=/cp/pki/apiserver.crt',
        '--etcd-servers=https://127.0.0.1:2379',
        '--etcd-certfile=/cp/pki/apiserver-etcd-client.crt',
        '--service-account-key-file=/cp/pki/sa.pub',
        '--service-account-signing-key-file=/cp/pki/sa.key',
        '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      ]),
    );
    expect(a.some((x) => x.startsWith('--insecure'))).toBe(false);
  });

  it("kube-apiserver: an audit log of the admin user's finished requests only", () => {
    const a = apiserverArgs(l, ports);
    expect(a).toContain('--audit-policy-file=/cp/audit-policy.yaml');
    expect(a).toContain('--audit-log-path=/cp/audit.log');
    expect(a).toContain('--audit-log-format=json');
    expect(AUDIT_POLICY).toMatch(/omitStages: \[RequestReceived, ResponseStarted\]/);
    expect(AUDIT_POLICY).toMatch(/- level: Metadata\n {4}users: \[kubernetes-admin\]\n {2}- level: None\n$/);
  });

  it('controller-manager and scheduler: own identities, no serving port, signing with the CA', () => {
    const cm = controllerManagerArgs(l);
    expect(cm).toContain('--kubeconfig=/cp/controller-manager.kubeconfig');
    expect(cm).toContain('--use-service-account-credentials=true');
    expect(cm).toContain('--service-account-private-key-file=/cp/pki/sa.key');
    expect(cm).toContain('--cluster-signing-key-file=/cp/pki/ca.key');
    expect(cm).toContain('--secure-port=0');
    const s = schedulerArgs(l);
    expect(s).toContain('--kubeconfig=/cp/scheduler.kubeconfig');
    expect(s).toContain('--secure-port=0');
  });

  it('kwok manages only the annotated fake node, which is schedulable and has capacity', () => {
    expect(kwokArgs(l)).toEqual(
      expect.arrayContaining([
        '--manage-all-nodes=false',
        '--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake',
      ]),
    );
    const n = fakeNode() as {
      metadata: { annotations: Record<string, string> };
      spec: Record<string, unknown>;
      status: { allocatable: Record<string, string> };
    };
    expect(n.metadata.annotations['kwok.x-k8s.io/node']).toBe('fake');
    expect(n.spec).toEqual({});
    expect(n.status.allocatable.pods).toBe('110');
  });
});

describe('PKI and kubeconfig', () => {
  it('issues certificates the CA verifies, with the Kubernetes user and groups in the subject', async () => {
    const ca = await createCertificateAuthority('test CA');
    const caX = new X509Certificate(ca.ca.certPem);
    expect(caX.ca).toBe(true);
    const admin = await ca.issue({ cn: 'kubernetes-admin', groups: ['system:masters'] });
    const adminX = new X509Certificate(admin.certPem);
    expect(adminX.verify(caX.publicKey)).toBe(true);
    expect(adminX.subject.split('\n').sort()).toEqual(['CN=kubernetes-admin', 'O=system:masters']);
    expect(adminX.keyUsage).toEqual(['1.3.6.1.5.5.7.3.2']); // clientAuth only
    expect(adminX.checkPrivateKey(createPrivate(admin.keyPem))).toBe(true);

    const server = await ca.issue({ cn: 'kube-apiserver', hosts: ['127.0.0.1', 'kubernetes.default.svc'] });
    const serverX = new X509Certificate(server.certPem);
    expect(serverX.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(serverX.checkHost('kubernetes.default.svc')).toBe('kubernetes.default.svc');
    expect(serverX.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']); // serverAuth only
    const peer = new X509Certificate(
      (await ca.issue({ cn: 'etcd', hosts: ['127.0.0.1'], client: true })).certPem,
    );
    expect(peer.keyUsage?.sort()).toEqual(['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2']);
    expect(subjectDn('a,b', ['x=y'])).toBe('CN=a\\,b, O=x\\=y');
  });

  it('makes an ES256 service-account key pair whose halves match', async () => {
    const sa = await createServiceAccountKeys();
    expect(sa.privatePem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    const pub = createPublicKey(sa.publicPem);
    expect(pub.asymmetricKeyType).toBe('ec');
    expect(createPublicKey(createPrivate(sa.privatePem)).export({ format: 'der', type: 'spki' })).toEqual(
      pub.export({ format: 'der', type: 'spki' }),
    );
  });

  it('writes a kubeconfig the Kubernetes client reads, with the certificates embedded', async () => {
    const ca = await createCertificateAuthority();
    const c = await ca.issue({ cn: 'kubernetes-admin', groups: ['system:masters'] });
    const kc = new KubeConfig();
    kc.loadFromString(
      kubeconfigYaml({
        server: 'https://127.0.0.1:6443',
        caPem: ca.ca.certPem,
        certPem: c.certPem,
        keyPem: c.keyPem,
        name: 'cp',
        user: 'admin',
      }),
    );
    expect(kc.getCurrentContext()).toBe('cp');
    expect(kc.getCurrentCluster()?.server).toBe('https://127.0.0.1:6443');
    expect(Buffer.from(kc.getCurrentCluster()!.caData!, 'base64').toString()).toBe(ca.ca.certPem);
    expect(Buffer.from(kc.getCurrentUser()!.certData!, 'base64').toString()).toBe(c.certPem);
  });
});

const createPrivate = (pem: string): ReturnType<typeof createPrivateKey> => createPrivateKey(pem);

describe('kubectl versions', () => {
  it('finds kubectl.X.Y binaries and orders them by version', () => {
    expect(
      versionedKubectls(
        ['kubectl', 'kubectl.1.30', 'kubectl.1.9', 'kubectl.1.27', 'kubectl.1.27.bak', 'kpt'],
        '/sdk/bin',
      ),
    ).toEqual([
      { label: '1.9', path: '/sdk/bin/kubectl.1.9' },
      { label: '1.27', path: '/sdk/bin/kubectl.1.27' },
      { label: '1.30', path: '/sdk/bin/kubectl.1.30' },
    ]);
  });

  it('the core command set cleans up after itself and waits for pods only where they run', () => {
    const withPods = coreCommandSet('ns1', { podsRun: true }).map((s) => s.name);
    const without = coreCommandSet('ns1', { podsRun: false }).map((s) => s.name);
    expect(withPods).toContain('rollout status');
    expect(without).not.toContain('rollout status');
    expect(withPods.at(-1)).toBe('delete namespace');
  });

  it('reports a failing command and a failing check, and keeps going', async (ctx) => {
    const kubectl = await which('kubectl');
    if (!kubectl) ctx.skip('kubectl is not on PATH');
    const failures = await runCoreCommandSet(kubectl!, '/nonexistent/kubeconfig', [
      {
        name: 'client version',
        args: ['version', '--client', '-o', 'json'],
        check: () => {
          throw new Error('check ran');
        },
      },
      { name: 'needs a server', args: ['get', 'pods'] },
    ]);
    expect(failures.map((f) => [f.step, f.detail.slice(0, 6)])).toEqual([
      ['client version', 'check '],
      ['needs a server', 'exit 1'],
    ]);
  });
});

describe('build lock', () => {
  it('serialises builds and takes over a lock whose owner is gone', async () => {
    const root = await mkdtemp(join(tmpdir(), 'k3s-daas-lock-'));
    const order: string[] = [];
    const slow = withBuildLock(root, async () => {
      order.push('a start');
      await new Promise((r) => setTimeout(r, 150));
      order.push('a end');
    });
    await new Promise((r) => setTimeout(r, 20));
    let waitedFor: number | undefined;
    await withBuildLock(
      root,
      async () => void order.push('b'),
      (pid) => (waitedFor = pid),
      20,
    );
    await slow;
    expect(order).toEqual(['a start', 'a end', 'b']);
    expect(waitedFor).toBe(process.pid);

    // A crashed builder's lock (pid that does not exist) does not block forever.
    await mkdir(join(root, '.build.lock'));
    await writeFile(join(root, '.build.lock', 'pid'), '999999999');
    expect(
      await withBuildLock(
        root,
        async () => 'took over',
        () => {},
        20,
      ),
    ).toBe('took over');
  });
});
