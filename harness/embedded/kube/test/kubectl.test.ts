// End-to-end: the real kubectl binary against the embedded API server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { startEmbeddedKube, type EmbeddedKube } from '../server.ts';
import { hasKubectl, makeKubectl, ok } from './kubectl-helper.ts';

const skipReason = hasKubectl ? '' : ' (skipped: kubectl is not on PATH)';

let kube: EmbeddedKube;
let kubectl: ReturnType<typeof makeKubectl>;

function deployment(image: string, replicas = 2, env = '1'): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web}
spec:
  replicas: ${replicas}
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: nginx
        image: ${image}
        ports: [{containerPort: 80}]
        env: [{name: MODE, value: "${env}"}]
      - name: sidecar
        image: busybox:1.36
`;
}

beforeAll(async () => {
  kube = await startEmbeddedKube();
  kubectl = makeKubectl(kube.kubeconfig);
});

afterAll(async () => {
  await kube?.stop();
});

describe.skipIf(!hasKubectl)(`kubectl against the embedded API server${skipReason}`, () => {
  it('reports version and api-resources from discovery', async () => {
    const v = JSON.parse(ok(await kubectl(['version', '-o', 'json']))) as {
      serverVersion: { minor: string };
    };
    expect(v.serverVersion.minor).toBe('32');
    const res = ok(await kubectl(['api-resources']));
    expect(res).toMatch(/^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment$/m);
    expect(res).toMatch(/^pods\s+po\s+v1\s+true\s+Pod$/m);
  });

  it('lists nodes and namespaces with real columns', async () => {
    const nodes = ok(await kubectl(['get', 'nodes']));
    expect(nodes.split('\n')[0]).toMatch(/^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION$/);
    expect(nodes).toMatch(/embedded-node-1\s+Ready/);
    const ns = ok(await kubectl(['get', 'ns']));
    for (const n of ['default', 'kube-system', 'kube-public'])
      expect(ns).toMatch(new RegExp(`^${n}\\s+Active`, 'm'));
  });

  it('applies a deployment, re-applies a change (configured), and rolls out', async () => {
    expect(ok(await kubectl(['apply', '-f', '-'], { input: deployment('nginx:1.25') }))).toContain(
      'deployment.apps/web created',
    );
    expect(ok(await kubectl(['rollout', 'status', 'deployment/web', '--timeout=30s']))).toContain(
      'successfully rolled out',
    );
    expect(ok(await kubectl(['apply', '-f', '-'], { input: deployment('nginx:1.25') }))).toContain(
      'deployment.apps/web unchanged',
    );
    expect(ok(await kubectl(['apply', '-f', '-'], { input: deployment('nginx:1.26', 2, '2') }))).toContain(
      'deployment.apps/web configured',
    );
    expect(ok(await kubectl(['rollout', 'status', 'deployment/web', '--timeout=30s']))).toContain(
      'successfully rolled out',
    );
    const d = JSON.parse(ok(await kubectl(['get', 'deploy', 'web', '-o', 'json'])));
    expect(d.spec.template.spec.containers.map((c: { image: string }) => c.image)).toEqual([
      'nginx:1.26',
      'busybox:1.36',
    ]);
    expect(d.metadata.annotations['deployment.kubernetes.io/revision']).toBe('2');
    expect(d.metadata.generation).toBe(2);
  });

  it('shows pod columns, -o wide, and jsonpath', async () => {
    const pods = ok(await kubectl(['get', 'pods', '-l', 'app=web']));
    expect(pods.split('\n')[0]).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/);
    expect(pods).toMatch(/web-\w+-\w+\s+2\/2\s+Running\s+0/);
    const wide = ok(await kubectl(['get', 'pods', '-l', 'app=web', '-o', 'wide']));
    expect(wide.split('\n')[0]).toMatch(/IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES/);
    expect(wide).toMatch(/10\.244\.\d+\.\d+\s+embedded-node-1/);
    const names = ok(
      await kubectl(['get', 'deploy', 'web', '-o', 'jsonpath={.metadata.name}:{.status.readyReplicas}']),
    );
    expect(names).toBe('web:2');
    const yaml = ok(await kubectl(['get', 'deploy', 'web', '-o', 'yaml']));
    expect(yaml).toMatch(/^kind: Deployment$/m);
  });

  it('describes a deployment with its events', async () => {
    const out = ok(await kubectl(['describe', 'deployment', 'web']));
    expect(out).toMatch(/Replicas:\s+2 desired \| 2 updated \| 2 total \| 2 available/);
    expect(out).toMatch(/ScalingReplicaSet\s+.*deployment-controller/);
    const pod = ok(
      await kubectl(['get', 'pods', '-l', 'app=web', '-o', 'jsonpath={.items[0].metadata.name}']),
    );
    const pd = ok(await kubectl(['describe', 'pod', pod]));
    expect(pd).toMatch(/Status:\s+Running/);
    expect(pd).toMatch(/Successfully assigned default\//);
  });

  it('patches with strategic merge (merge keys), merge and json patches', async () => {
    ok(
      await kubectl([
        'patch',
        'deployment',
        'web',
        '-p',
        '{"spec":{"template":{"spec":{"containers":[{"name":"nginx","image":"nginx:1.27"}]}}}}',
      ]),
    );
    let d = JSON.parse(ok(await kubectl(['get', 'deploy', 'web', '-o', 'json'])));
    // containers merge by name: the sidecar and the env survive.
    expect(
      d.spec.template.spec.containers.map((c: { name: string; image: string }) => `${c.name}=${c.image}`),
    ).toEqual(['nginx=nginx:1.27', 'sidecar=busybox:1.36']);
    expect(d.spec.template.spec.containers[0].env).toEqual([{ name: 'MODE', value: '2' }]);
    ok(
      await kubectl([
        'patch',
        'deployment',
        'web',
        '--type=merge',
        '-p',
        '{"metadata":{"labels":{"patched":"merge"}}}',
      ]),
    );
    ok(
      await kubectl([
        'patch',
        'deployment',
        'web',
        '--type=json',
        '-p',
        '[{"op":"add","path":"/metadata/labels/jp","value":"yes"}]',
      ]),
    );
    d = JSON.parse(ok(await kubectl(['get', 'deploy', 'web', '-o', 'json'])));
    expect(d.metadata.labels).toMatchObject({ patched: 'merge', jp: 'yes' });
    const bad = await kubectl([
      'patch',
      'deployment',
      'web',
      '--type=json',
      '-p',
      '[{"op":"remove","path":"/metadata/labels/nope"}]',
    ]);
    expect(bad.exitCode).not.toBe(0);
  });

  it('labels, annotates and scales', async () => {
    expect(ok(await kubectl(['label', 'deployment', 'web', 'tier=frontend']))).toContain(
      'deployment.apps/web labeled',
    );
    expect(ok(await kubectl(['annotate', 'deployment', 'web', 'owner=team-a']))).toContain(
      'deployment.apps/web annotated',
    );
    expect(ok(await kubectl(['get', 'deploy', '-l', 'tier=frontend', '-o', 'name']))).toBe(
      'deployment.apps/web',
    );
    expect(ok(await kubectl(['scale', 'deployment', 'web', '--replicas=3']))).toContain(
      'deployment.apps/web scaled',
    );
    ok(await kubectl(['rollout', 'status', 'deployment/web', '--timeout=30s']));
    const pods = ok(
      await kubectl(['get', 'pods', '-l', 'app=web', '--field-selector=status.phase=Running', '-o', 'name']),
    );
    expect(pods.split('\n').filter(Boolean)).toHaveLength(3);
  });

  it('returns deterministic logs (container, tail)', async () => {
    const pod = ok(
      await kubectl(['get', 'pods', '-l', 'app=web', '-o', 'jsonpath={.items[0].metadata.name}']),
    );
    const logs = ok(await kubectl(['logs', pod, '-c', 'nginx']));
    expect(logs).toContain('starting container nginx (image nginx:1.27)');
    expect(ok(await kubectl(['logs', pod, '-c', 'sidecar', '--tail=1']))).toBe('container sidecar ready');
    const prev = await kubectl(['logs', pod, '-c', 'nginx', '--previous']);
    expect(prev.stderr).toContain('previous terminated container "nginx"');
  });

  it('runs a job to completion and shows its output', async () => {
    ok(await kubectl(['create', 'job', 'hello', '--image=busybox', '--', 'echo', 'hello from job']));
    ok(await kubectl(['wait', '--for=condition=complete', 'job/hello', '--timeout=30s']));
    expect(ok(await kubectl(['get', 'job', 'hello']))).toMatch(/hello\s+Complete\s+1\/1/);
    expect(ok(await kubectl(['logs', 'job/hello']))).toBe('hello from job');
  });

  it('create namespace and generators (protobuf bodies), namespace deletion removes content', async () => {
    expect(ok(await kubectl(['create', 'namespace', 'team-b']))).toBe('namespace/team-b created');
    ok(await kubectl(['create', 'configmap', 'cfg', '--from-literal=a=1', '-n', 'team-b']));
    ok(await kubectl(['create', 'secret', 'generic', 'sec', '--from-literal=p=q', '-n', 'team-b']));
    ok(await kubectl(['create', 'deployment', 'api', '--image=nginx:1.25', '--replicas=1', '-n', 'team-b']));
    ok(await kubectl(['create', 'service', 'clusterip', 'api', '--tcp=80:8080', '-n', 'team-b']));
    ok(await kubectl(['rollout', 'status', 'deployment/api', '-n', 'team-b', '--timeout=30s']));
    const secret = JSON.parse(ok(await kubectl(['get', 'secret', 'sec', '-n', 'team-b', '-o', 'json'])));
    expect(Buffer.from(secret.data.p, 'base64').toString()).toBe('q');
    expect(secret.type).toBe('Opaque');
    expect(ok(await kubectl(['get', 'svc', 'api', '-n', 'team-b']))).toMatch(
      /api\s+ClusterIP\s+10\.96\.\d+\.\d+\s+<none>\s+80\/TCP/,
    );
    const dup = await kubectl(['create', 'namespace', 'team-b']);
    expect(dup.stderr).toContain('Error from server (AlreadyExists): namespaces "team-b" already exists');
    expect(ok(await kubectl(['delete', 'namespace', 'team-b', '--timeout=30s']))).toContain(
      'namespace "team-b" deleted',
    );
    const gone = await kubectl(['get', 'ns', 'team-b']);
    expect(gone.stderr).toContain('Error from server (NotFound): namespaces "team-b" not found');
    expect(kube.resources.store.list('/configmaps', 'team-b')).toHaveLength(0);
  });

  it('get -w sees a create', async () => {
    const proc = execa('kubectl', ['get', 'configmaps', '-w', '--request-timeout=20s'], {
      env: kubectl.env(),
      extendEnv: false,
      reject: false,
    });
    let seen = '';
    const saw = new Promise<void>((resolve) => {
      proc.stdout!.on('data', (d: Buffer) => {
        seen += d.toString();
        if (seen.includes('watched-cm')) resolve();
      });
    });
    await new Promise((r) => setTimeout(r, 1500));
    ok(await kubectl(['create', 'configmap', 'watched-cm', '--from-literal=x=y']));
    await Promise.race([saw, new Promise((r) => setTimeout(r, 10_000))]);
    proc.kill();
    await proc;
    expect(seen).toMatch(/^NAME\s+DATA\s+AGE$/m);
    expect(seen).toMatch(/watched-cm\s+1\s+/);
  });

  it('explains built-in kinds from OpenAPI v3', async () => {
    const out = ok(await kubectl(['explain', 'deployment.spec.replicas']));
    expect(out).toContain('KIND:       Deployment');
    expect(out).toContain('FIELD: replicas <integer>');
    expect(out).toContain('Number of desired pods');
    expect(ok(await kubectl(['explain', 'pods.spec.containers']))).toContain('image\t<string>');
  });

  it('server dry-run does not persist', async () => {
    expect(
      ok(
        await kubectl(['create', 'configmap', 'dry', '--from-literal=a=b', '--dry-run=server', '-o', 'name']),
      ),
    ).toBe('configmap/dry');
    expect((await kubectl(['get', 'cm', 'dry'])).stderr).toContain('NotFound');
    const dep = ok(
      await kubectl(['apply', '-f', '-', '--dry-run=server'], { input: deployment('nginx:9.9', 5) }),
    );
    expect(dep).toContain('(server dry run)');
    expect(ok(await kubectl(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}']))).toBe('3');
  });

  it('prints the server reasons: NotFound, AlreadyExists, Conflict, Invalid, BadRequest (strict)', async () => {
    expect((await kubectl(['get', 'pod', 'nope'])).stderr).toContain(
      'Error from server (NotFound): pods "nope" not found',
    );
    ok(await kubectl(['create', 'configmap', 'dup']));
    expect((await kubectl(['create', 'configmap', 'dup'])).stderr).toContain(
      'configmaps "dup" already exists',
    );
    expect(
      (
        await kubectl(['create', '-f', '-'], {
          input: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: dup}\n',
        })
      ).stderr,
    ).toContain(
      'Error from server (AlreadyExists): error when creating "STDIN": configmaps "dup" already exists',
    );
    const cm = JSON.parse(ok(await kubectl(['get', 'cm', 'dup', '-o', 'json'])));
    ok(await kubectl(['label', 'cm', 'dup', 'bump=1']));
    cm.data = { changed: 'yes' };
    const conflict = await kubectl(['replace', '-f', '-'], { input: JSON.stringify(cm) });
    expect(conflict.stderr).toContain(
      'Error from server (Conflict): error when replacing "STDIN": Operation cannot be fulfilled on configmaps "dup": the object has been modified; please apply your changes to the latest version and try again',
    );
    const invalid = await kubectl(['apply', '-f', '-'], {
      input: 'apiVersion: v1\nkind: Pod\nmetadata: {name: bad}\nspec:\n  containers:\n  - name: c\n',
    });
    expect(invalid.stderr).toContain('The Pod "bad" is invalid: spec.containers[0].image: Required value');
    const unknown = await kubectl(['apply', '-f', '-'], {
      input: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: unk}\nbogus: 1\n',
    });
    expect(unknown.stderr).toContain('strict decoding error: unknown field "bogus"');
  });

  it('registers a CRD at runtime and serves its custom resources', async () => {
    const crd = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  scope: Namespaced
  names: {plural: widgets, singular: widget, kind: Widget, shortNames: [wg]}
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            properties:
              size: {type: integer}
              color: {type: string}
    additionalPrinterColumns:
    - {name: Size, type: integer, jsonPath: .spec.size}
`;
    expect(ok(await kubectl(['apply', '-f', '-'], { input: crd }))).toContain(
      'customresourcedefinition.apiextensions.k8s.io/widgets.example.com created',
    );
    ok(await kubectl(['wait', '--for=condition=established', 'crd/widgets.example.com', '--timeout=30s']));
    expect(ok(await kubectl(['api-resources', '--api-group=example.com']))).toMatch(
      /widgets\s+wg\s+example.com\/v1\s+true\s+Widget/,
    );
    const cr =
      'apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w1}\nspec: {size: 3, color: red}\n';
    expect(ok(await kubectl(['apply', '-f', '-'], { input: cr }))).toContain('widget.example.com/w1 created');
    expect(ok(await kubectl(['apply', '-f', '-'], { input: cr.replace('size: 3', 'size: 4') }))).toContain(
      'widget.example.com/w1 configured',
    );
    expect(ok(await kubectl(['get', 'wg']))).toMatch(/^w1\s+4\s+\d+s$/m);
    const bad = await kubectl(['apply', '-f', '-'], {
      input:
        'apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w2}\nspec: {size: 3, shape: round}\n',
    });
    expect(bad.stderr).toContain('unknown field "spec.shape"');
    expect(ok(await kubectl(['explain', 'widget.spec']))).toContain('size\t<integer>');
    ok(await kubectl(['delete', 'crd', 'widgets.example.com']));
    // kubectl's discovery cache may still name the kind; either way the server no longer serves it.
    expect((await kubectl(['get', 'widgets'])).stderr).toMatch(
      /Error from server \(NotFound\)|doesn't have a resource type "widgets"/,
    );
  });

  it('deletes and waits until gone', async () => {
    expect(ok(await kubectl(['delete', 'deployment', 'web']))).toBe('deployment.apps "web" deleted');
    expect((await kubectl(['get', 'deploy', 'web'])).stderr).toContain('NotFound');
    // Garbage collection removes the replica sets and pods the deployment owned.
    await new Promise((r) => setTimeout(r, 300));
    expect(ok(await kubectl(['get', 'rs,pods', '-l', 'app=web', '-o', 'name']))).toBe('');
  });

  it('refuses anonymous requests and enforces RBAC with Forbidden when switched on', async () => {
    const anon = await kubectl(['get', 'pods', '--token=not-a-token']);
    expect(anon.stderr).toContain('error: You must be logged in to the server (Unauthorized)');
    const bobCfg = kube.kubeconfigFor('bob-token', { user: 'bob', groups: ['devs'] });
    kube.setRbac(true);
    try {
      const denied = await kubectl(['get', 'pods', '-n', 'default'], { kubeconfig: bobCfg });
      expect(denied.stderr).toContain(
        'Error from server (Forbidden): pods is forbidden: User "bob" cannot list resource "pods" in API group "" in the namespace "default"',
      );
      ok(await kubectl(['create', 'role', 'pod-reader', '--verb=get,list', '--resource=pods']));
      ok(await kubectl(['create', 'rolebinding', 'bob-reads', '--role=pod-reader', '--user=bob']));
      expect((await kubectl(['get', 'pods', '-n', 'default'], { kubeconfig: bobCfg })).exitCode).toBe(0);
      expect(ok(await kubectl(['auth', 'can-i', 'list', 'pods'], { kubeconfig: bobCfg }))).toBe('yes');
      expect((await kubectl(['auth', 'can-i', 'delete', 'configmaps'], { kubeconfig: bobCfg })).stdout).toBe(
        'no',
      );
      expect(
        ok(
          await kubectl(['auth', 'whoami', '-o', 'jsonpath={.status.userInfo.username}'], {
            kubeconfig: bobCfg,
          }),
        ),
      ).toBe('bob');
      const del = await kubectl(['delete', 'configmap', 'dup'], { kubeconfig: bobCfg });
      expect(del.stderr).toContain(
        'Error from server (Forbidden): configmaps "dup" is forbidden: User "bob" cannot delete resource "configmaps"',
      );
      // Impersonation: the admin acts as bob; the audit log records both.
      const imp = await kubectl(['get', 'configmaps', '--as=bob']);
      expect(imp.stderr).toContain('User "bob" cannot list resource "configmaps"');
      const rec = kube
        .audit()
        .reverse()
        .find((a) => a.user === 'bob' && a.impersonatedBy === 'admin');
      expect(rec?.code).toBe(403);
      // Client certificate authentication (CN=user, O=group).
      const certCfg = await kube.kubeconfigForCert('carol', ['system:masters']);
      expect((await kubectl(['get', 'ns', 'default'], { kubeconfig: certCfg })).exitCode).toBe(0);
    } finally {
      kube.setRbac(false);
    }
  });
});

describe.skipIf(!hasKubectl)(`more kubectl workflows${skipReason}`, () => {
  it('server-side apply, diff, run, expose, rollout undo, logs -f, events, ingress', async () => {
    const cm = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ssa-cm}\ndata: {a: "1", b: "2"}\n';
    expect(ok(await kubectl(['apply', '--server-side', '-f', '-'], { input: cm }))).toBe(
      'configmap/ssa-cm serverside-applied',
    );
    ok(await kubectl(['apply', '--server-side', '-f', '-'], { input: cm.replace(', b: "2"', '') }));
    expect(JSON.parse(ok(await kubectl(['get', 'cm', 'ssa-cm', '-o', 'json']))).data).toEqual({ a: '1' });
    // Field ownership: a field another manager set is a conflict unless forced.
    ok(await kubectl(['create', 'configmap', 'owned', '--from-literal=k=created']));
    const own = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: owned}\ndata: {k: applied}\n';
    const conflict = await kubectl(['apply', '--server-side', '-f', '-'], { input: own });
    expect(conflict.stderr).toContain(
      'Apply failed with 1 conflict: conflict with "kubectl-create": .data.k',
    );
    ok(await kubectl(['apply', '--server-side', '--force-conflicts', '-f', '-'], { input: own }));
    expect(ok(await kubectl(['get', 'cm', 'owned', '-o', 'jsonpath={.data.k}']))).toBe('applied');
    const diff = await kubectl(['diff', '-f', '-'], { input: cm.replace('a: "1"', 'a: "9"') });
    expect(diff.exitCode).toBe(1);
    expect(diff.stdout).toMatch(/^\+\s+a: "9"$/m);
    expect(
      ok(await kubectl(['run', 'once', '--image=busybox', '--restart=Never', '--', 'echo', 'ran once'])),
    ).toBe('pod/once created');
    ok(await kubectl(['wait', '--for=jsonpath={.status.phase}=Succeeded', 'pod/once', '--timeout=30s']));
    expect(ok(await kubectl(['logs', 'once']))).toBe('ran once');
    ok(await kubectl(['create', 'deployment', 'rb', '--image=nginx:1.25']));
    ok(await kubectl(['rollout', 'status', 'deployment/rb', '--timeout=30s']));
    ok(await kubectl(['set', 'image', 'deployment/rb', 'nginx=nginx:1.26']));
    ok(await kubectl(['rollout', 'status', 'deployment/rb', '--timeout=30s']));
    expect(ok(await kubectl(['rollout', 'undo', 'deployment/rb']))).toBe('deployment.apps/rb rolled back');
    ok(await kubectl(['rollout', 'status', 'deployment/rb', '--timeout=30s']));
    expect(
      ok(await kubectl(['get', 'deploy', 'rb', '-o', 'jsonpath={.spec.template.spec.containers[0].image}'])),
    ).toBe('nginx:1.25');
    expect(ok(await kubectl(['expose', 'deployment', 'rb', '--port=80']))).toBe('service/rb exposed');
    await new Promise((r) => setTimeout(r, 200));
    expect(ok(await kubectl(['get', 'endpoints', 'rb']))).toMatch(/rb\s+10\.244\.\d+\.\d+:80/);
    expect(ok(await kubectl(['describe', 'service', 'rb']))).toMatch(/Endpoints:\s+10\.244\.\d+\.\d+:80/);
    const follow = await kubectl(['logs', '-f', 'deployment/rb'], { timeoutMs: 1500 });
    expect(follow.stdout).toContain('container nginx ready');
    expect(ok(await kubectl(['get', 'events', '--field-selector', 'involvedObject.name=rb']))).toMatch(
      /ScalingReplicaSet\s+deployment\/rb/,
    );
    expect(
      ok(await kubectl(['create', 'ingress', 'ing', '--rule=a.example.com/=rb:80', '--class=nginx'])),
    ).toBe('ingress.networking.k8s.io/ing created');
    expect(ok(await kubectl(['get', 'ingress', 'ing']))).toMatch(/ing\s+nginx\s+a\.example\.com\s+80/);
  });
  it('statefulset, daemonset and a failing job', async () => {
    const manifests = `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  serviceName: db
  replicas: 3
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers: [{name: db, image: postgres:16}]
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      containers: [{name: a, image: agent:1}]
---
apiVersion: batch/v1
kind: Job
metadata: {name: failing}
spec:
  backoffLimit: 1
  template:
    spec:
      restartPolicy: Never
      containers: [{name: f, image: will-fail:1}]
`;
    ok(await kubectl(['apply', '-f', '-'], { input: manifests }));
    ok(await kubectl(['rollout', 'status', 'statefulset/db', '--timeout=30s']));
    expect(ok(await kubectl(['rollout', 'status', 'daemonset/agent', '--timeout=30s']))).toContain(
      'successfully rolled out',
    );
    expect(ok(await kubectl(['get', 'pods', '-l', 'app=db', '-o', 'name'])).split('\n')).toEqual([
      'pod/db-0',
      'pod/db-1',
      'pod/db-2',
    ]);
    ok(await kubectl(['wait', '--for=condition=failed', 'job/failing', '--timeout=30s']));
    expect(ok(await kubectl(['get', 'job', 'failing']))).toMatch(/failing\s+Failed\s+0\/1/);
  });
});
