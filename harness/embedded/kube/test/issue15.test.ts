// Defects found by using the embedded server as a user would (issue 15), each driven through the
// real kubectl: drain --dry-run=server must not evict, kubectl 1.27/1.28 must be able to apply,
// `kubectl create token` must issue a usable token, ReplicationControllers, `kubectl debug` and
// `kubectl certificate approve` work.
import 'reflect-metadata';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { webcrypto } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as x509 from '@peculiar/x509';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { findKubectls, type KubectlBinary } from '../../../controlplane/kubectl-versions.ts';
import { startEmbeddedKube, type EmbeddedKube } from '../server.ts';
import { clientFromKubeconfig } from '../differential/client.ts';
import { hasKubectl, makeKubectl, ok } from './kubectl-helper.ts';

let kube: EmbeddedKube;
let kubectl: ReturnType<typeof makeKubectl>;
const binaries: KubectlBinary[] = hasKubectl ? await findKubectls() : [];
const old = binaries.filter((b) => b.label === '1.27' || b.label === '1.28');

const podYaml = (name: string): string => `apiVersion: v1
kind: Pod
metadata: { name: ${name}, labels: { app: drain } }
spec: { containers: [{ name: c, image: nginx:1.27 }] }
`;

const deployYaml = (image: string): string => `apiVersion: apps/v1
kind: Deployment
metadata: { name: old-web }
spec:
  replicas: 1
  selector: { matchLabels: { app: old-web } }
  template:
    metadata: { labels: { app: old-web } }
    spec: { containers: [{ name: web, image: ${image}, ports: [{ containerPort: 80 }] }] }
`;

beforeAll(async () => {
  kube = await startEmbeddedKube();
  kubectl = makeKubectl(kube.kubeconfig);
});

afterAll(async () => {
  await kube?.stop();
});

describe.skipIf(!hasKubectl)(
  `drain --dry-run=server${hasKubectl ? '' : ' (skipped: kubectl is not on PATH)'}`,
  () => {
    it('evicts nothing: dryRun rides in the Eviction deleteOptions', async () => {
      ok(await kubectl(['apply', '-f', '-'], { input: podYaml('drain-me') }));
      const node = ok(await kubectl(['get', 'pod', 'drain-me', '-o', 'jsonpath={.spec.nodeName}']));
      expect(node).not.toBe('');
      const out = ok(await kubectl(['drain', node, '--dry-run=server', '--force', '--ignore-daemonsets']));
      expect(out).toContain('drained (server dry run)');
      expect(ok(await kubectl(['get', 'pod', 'drain-me', '-o', 'jsonpath={.metadata.name}']))).toBe(
        'drain-me',
      );
      expect(ok(await kubectl(['get', 'node', node, '-o', 'jsonpath={.spec.unschedulable}']))).toBe('');
      // And a real eviction still evicts.
      ok(await kubectl(['drain', node, '--force', '--ignore-daemonsets', '--timeout=20s']));
      const after = await kubectl(['get', 'pod', 'drain-me']);
      expect(after.stderr).toContain('NotFound');
      ok(await kubectl(['uncordon', node]));
    });
  },
);

describe.skipIf(old.length === 0)(
  `kubectl 1.27 / 1.28 apply${old.length ? '' : ' (skipped: no kubectl.1.27 or kubectl.1.28 next to kubectl)'}`,
  () => {
    it.each(old.map((b) => [b.label, b] as const))(
      'kubectl %s applies, re-applies and changes a Deployment',
      async (_l, b) => {
        const run = (args: string[], input?: string) =>
          execa(b.path, args, {
            input,
            reject: false,
            env: kubectl.env(),
            extendEnv: false,
            timeout: 30_000,
          });
        for (const [image, want] of [
          ['nginx:1.25', 'created'],
          ['nginx:1.25', 'unchanged'],
          ['nginx:1.26', 'configured'],
        ] as const) {
          const r = await run(['apply', '-n', 'default', '-f', '-'], deployYaml(image));
          expect(r.stderr, `kubectl ${b.label} apply (${image})`).toBe('');
          expect(r.stdout).toBe(`deployment.apps/old-web ${want}`);
        }
        const image = await run([
          'get',
          'deploy',
          'old-web',
          '-n',
          'default',
          '-o',
          'jsonpath={.spec.template.spec.containers[0].image}',
        ]);
        expect(image.stdout).toBe('nginx:1.26');
        await run(['delete', 'deploy', 'old-web', '-n', 'default']);
      },
    );
  },
);

describe.skipIf(!hasKubectl)(
  `kubectl create token${hasKubectl ? '' : ' (skipped: kubectl is not on PATH)'}`,
  () => {
    it('issues a token that authenticates as the ServiceAccount', async () => {
      ok(await kubectl(['create', 'serviceaccount', 'robot']));
      const token = ok(await kubectl(['create', 'token', 'robot', '--duration=20m'])).trim();
      expect(token.split('.')).toHaveLength(3);
      const who = ok(await kubectl(['auth', 'whoami', `--token=${token}`]));
      expect(who).toContain('system:serviceaccount:default:robot');
      expect(who).toContain('system:serviceaccounts:default');
      const missing = await kubectl(['create', 'token', 'nobody']);
      expect(missing.stderr).toContain('serviceaccounts "nobody" not found');
      const short = await kubectl(['create', 'token', 'robot', '--duration=1m']);
      expect(short.stderr).toContain('may not specify a duration less than 10 minutes');
    });
  },
);

describe.skipIf(!hasKubectl)(
  `ReplicationControllers${hasKubectl ? '' : ' (skipped: kubectl is not on PATH)'}`,
  () => {
    it('run pods, scale, and apply --prune (which lists them) works', async () => {
      const rc = `apiVersion: v1
kind: ReplicationController
metadata: { name: legacy }
spec:
  replicas: 2
  template:
    metadata: { labels: { app: legacy } }
    spec: { containers: [{ name: c, image: nginx:1.27 }] }
`;
      ok(await kubectl(['apply', '-f', '-'], { input: rc }));
      const ready = async (want: string): Promise<void> => {
        for (let i = 0; i < 50; i++) {
          if (ok(await kubectl(['get', 'rc', 'legacy', '-o', 'jsonpath={.status.readyReplicas}'])) === want)
            return;
          await new Promise((r) => setTimeout(r, 200));
        }
        throw new Error(`rc/legacy never had ${want} ready replicas`);
      };
      await ready('2');
      expect(ok(await kubectl(['get', 'pods', '-l', 'app=legacy', '-o', 'name'])).split('\n')).toHaveLength(
        2,
      );
      ok(await kubectl(['scale', 'rc', 'legacy', '--replicas=1']));
      await ready('1');
      const cm = (n: string) =>
        `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: ${n}, labels: { set: prune } }\ndata: { a: b }\n`;
      ok(await kubectl(['apply', '-f', '-'], { input: cm('pruned') }));
      const pruned = await kubectl(['apply', '--prune', '-l', 'set=prune', '-f', '-'], { input: cm('kept') });
      expect(pruned.exitCode, pruned.stderr).toBe(0);
      expect(pruned.stdout).toContain('configmap/pruned pruned');
      ok(await kubectl(['delete', 'rc', 'legacy']));
    });
  },
);

describe.skipIf(!hasKubectl)(`kubectl debug${hasKubectl ? '' : ' (skipped: kubectl is not on PATH)'}`, () => {
  it('adds an ephemeral container that runs; an existing one may not change', async () => {
    ok(await kubectl(['run', 'debuggee', '--image=nginx:1.27']));
    for (let i = 0; i < 50; i++) {
      if (ok(await kubectl(['get', 'pod', 'debuggee', '-o', 'jsonpath={.status.phase}'])) === 'Running')
        break;
      await new Promise((r) => setTimeout(r, 200));
    }
    ok(await kubectl(['debug', 'debuggee', '--image=busybox:1.36', '-c', 'dbg', '--profile=general']));
    let state = '';
    for (let i = 0; i < 50 && !state.includes('running'); i++) {
      state = ok(
        await kubectl([
          'get',
          'pod',
          'debuggee',
          '-o',
          'jsonpath={.status.ephemeralContainerStatuses[0].state}',
        ]),
      );
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(state).toContain('running');
    expect(
      ok(await kubectl(['get', 'pod', 'debuggee', '-o', 'jsonpath={.spec.ephemeralContainers[0].image}'])),
    ).toBe('busybox:1.36');
    const again = await kubectl([
      'debug',
      'debuggee',
      '--image=busybox:1.37',
      '-c',
      'dbg',
      '--profile=general',
    ]);
    expect(again.stderr).toContain('existing ephemeral containers "dbg" may not be changed');
  });
});

describe.skipIf(!hasKubectl)(
  `CertificateSigningRequests${hasKubectl ? '' : ' (skipped: kubectl is not on PATH)'}`,
  () => {
    it('kubectl certificate approve issues a client certificate the server accepts', async () => {
      x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);
      const keys = (await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
        'sign',
        'verify',
      ])) as webcrypto.CryptoKeyPair;
      const req = await x509.Pkcs10CertificateRequestGenerator.create({
        name: 'CN=jane, O=devs',
        keys: keys as unknown as Parameters<typeof x509.Pkcs10CertificateRequestGenerator.create>[0]['keys'],
        signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
      });
      const csr = `apiVersion: certificates.k8s.io/v1
kind: CertificateSigningRequest
metadata: { name: jane }
spec:
  request: ${Buffer.from(req.toString('pem')).toString('base64')}
  signerName: kubernetes.io/kube-apiserver-client
  expirationSeconds: 86400
  usages: [client auth]
`;
      ok(await kubectl(['apply', '-f', '-'], { input: csr }));
      expect(ok(await kubectl(['get', 'csr', 'jane']))).toMatch(
        /jane .*kubernetes.io\/kube-apiserver-client\s+admin\s+24h\s+Pending/,
      );
      ok(await kubectl(['certificate', 'approve', 'jane']));
      let cert = '';
      for (let i = 0; i < 50 && !cert; i++) {
        cert = ok(await kubectl(['get', 'csr', 'jane', '-o', 'jsonpath={.status.certificate}']));
        if (!cert) await new Promise((r) => setTimeout(r, 100));
      }
      expect(ok(await kubectl(['get', 'csr', 'jane']))).toContain('Approved,Issued');
      const keyPem = `-----BEGIN PRIVATE KEY-----\n${Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey)).toString('base64')}\n-----END PRIVATE KEY-----\n`;
      const dir = mkdtempSync(join(tmpdir(), 'csr-'));
      const cfg = join(dir, 'kubeconfig');
      writeFileSync(
        cfg,
        `apiVersion: v1
kind: Config
clusters: [{ name: c, cluster: { server: "${kube.url}", certificate-authority-data: ${Buffer.from(kube.caPem ?? '').toString('base64')} } }]
users: [{ name: jane, user: { client-certificate-data: ${cert}, client-key-data: ${Buffer.from(keyPem).toString('base64')} } }]
contexts: [{ name: c, context: { cluster: c, user: jane } }]
current-context: c
`,
      );
      const who = ok(await kubectl(['auth', 'whoami'], { kubeconfig: cfg }));
      expect(who).toMatch(/Username\s+jane/);
      expect(who).toContain('devs');
    });
  },
);

describe.skipIf(!hasKubectl)(
  `typed-client (protobuf) creates${hasKubectl ? '' : ' (skipped: kubectl is not on PATH)'}`,
  () => {
    it('kubectl create quota / pdb / priorityclass are decoded, not refused as an unknown protobuf body', async () => {
      expect(ok(await kubectl(['create', 'quota', 'q', '--hard=pods=10,cpu=2']))).toBe(
        'resourcequota/q created',
      );
      expect(ok(await kubectl(['get', 'quota', 'q', '-o', 'jsonpath={.spec.hard}']))).toBe(
        '{"cpu":"2","pods":"10"}',
      );
      expect(ok(await kubectl(['create', 'pdb', 'p', '--selector=app=x', '--min-available=1']))).toBe(
        'poddisruptionbudget.policy/p created',
      );
      expect(
        ok(
          await kubectl([
            'get',
            'pdb',
            'p',
            '-o',
            'jsonpath={.spec.minAvailable} {.spec.selector.matchLabels.app}',
          ]),
        ),
      ).toBe('1 x');
      expect(ok(await kubectl(['create', 'priorityclass', 'pc', '--value=1000', '--description=high']))).toBe(
        'priorityclass.scheduling.k8s.io/pc created',
      );
      expect(
        ok(await kubectl(['get', 'pc', 'pc', '-o', 'jsonpath={.value} {.description} {.preemptionPolicy}'])),
      ).toBe('1000 high PreemptLowerPriority');
    });
  },
);

describe('/openapi/v2 in protobuf', () => {
  it('answers the gnostic document kubectl ≤ 1.28 asks for, not 406', async () => {
    const client = await clientFromKubeconfig(kube.kubeconfig, 'issue15-test/1');
    const r = await client.send({
      method: 'GET',
      path: '/openapi/v2',
      headers: { accept: 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf' },
    });
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('application/com.github.proto-openapi.spec.v2.v1.0+protobuf');
    // Document.swagger (field 1) = "2.0", then the definitions with their GVK extensions.
    expect([...r.body.subarray(0, 5)]).toEqual([0x0a, 0x03, 0x32, 0x2e, 0x30]);
    const text = r.body.toString('latin1');
    expect(text).toContain('x-kubernetes-group-version-kind');
    expect(text).toContain('"kind":"Deployment"');
  });
});
