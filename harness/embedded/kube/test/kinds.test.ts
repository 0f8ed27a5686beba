// The storage, policy, networking, autoscaling and scheduling kinds that application
// manifests carry, driven with the real kubectl (and the HPA v1<->v2 conversion directly).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { startEmbeddedKube, type EmbeddedKube } from '../server.ts';
import { hpaV1Conversion } from '../autoscaling.ts';
import type { KubeObject } from '../store.ts';
import { hasKubectl, makeKubectl, ok } from './kubectl-helper.ts';

const skipReason = hasKubectl ? '' : ' (skipped: kubectl is not on PATH)';

let kube: EmbeddedKube;
let kubectl: ReturnType<typeof makeKubectl>;

const APP = `apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data}
spec:
  accessModes: [ReadWriteOnce]
  storageClassName: fast
  resources: {requests: {storage: 1Gi}}
---
apiVersion: v1
kind: PersistentVolume
metadata: {name: pv-one}
spec:
  capacity: {storage: 5Gi}
  accessModes: [ReadOnlyMany, ReadWriteOnce]
  hostPath: {path: /tmp/pv-one}
  storageClassName: fast
---
apiVersion: v1
kind: LimitRange
metadata: {name: defaults}
spec:
  limits:
  - type: Container
    default: {cpu: 500m, memory: 256Mi}
---
apiVersion: v1
kind: ResourceQuota
metadata: {name: compute}
spec:
  hard: {pods: "10", requests.cpu: "4"}
---
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: fast
  annotations: {storageclass.kubernetes.io/is-default-class: "true"}
provisioner: example.com/fast
parameters: {type: ssd}
allowVolumeExpansion: true
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: web}
spec:
  minAvailable: 1
  selector: {matchLabels: {app: web}}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web-allow}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress:
  - from: [{podSelector: {matchLabels: {role: frontend}}}]
    ports: [{protocol: TCP, port: 80}]
---
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata: {name: nginx}
spec:
  controller: k8s.io/ingress-nginx
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: api}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: api}
  minReplicas: 2
  maxReplicas: 5
  metrics:
  - type: Resource
    resource: {name: memory, target: {type: Utilization, averageUtilization: 70}}
---
apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata: {name: high}
value: 1000000
description: for the web tier
`;

beforeAll(async () => {
  kube = await startEmbeddedKube();
  kubectl = makeKubectl(kube.kubeconfig);
});

afterAll(async () => {
  await kube?.stop();
});

/** The row of `kubectl get <what>` whose first cell is `name`, split on column gaps. */
async function row(what: string, name: string): Promise<{ header: string[]; cells: string[] }> {
  const lines = ok(await kubectl(['get', what]))
    .trimEnd()
    .split('\n');
  const split = (l: string): string[] => l.trim().split(/\s{2,}/);
  const found = lines.slice(1).find((l) => l.startsWith(`${name} `));
  if (!found) throw new Error(`no row ${name} in:\n${lines.join('\n')}`);
  return { header: split(lines[0]!), cells: split(found) };
}

describe.skipIf(!hasKubectl)(`application kinds through kubectl${skipReason}`, () => {
  it('applies a manifest with one of each kind and prints kubectl columns', async () => {
    const out = ok(await kubectl(['apply', '-f', '-'], { input: APP }));
    expect(out.match(/ created$/gm)).toHaveLength(10);

    const pvc = await row('pvc', 'data');
    expect(pvc.header).toEqual([
      'NAME',
      'STATUS',
      'VOLUME',
      'CAPACITY',
      'ACCESS MODES',
      'STORAGECLASS',
      'VOLUMEATTRIBUTESCLASS',
      'AGE',
    ]);
    // Nothing provisions or binds here: the claim stays Pending with no volume/capacity.
    expect(pvc.cells.slice(0, 4)).toEqual(['data', 'Pending', 'fast', '<unset>']);

    const pv = await row('pv', 'pv-one');
    expect(pv.cells.slice(0, 5)).toEqual(['pv-one', '5Gi', 'RWO,ROX', 'Retain', 'Pending']);

    const sc = await row('sc', 'fast (default)');
    expect(sc.header).toEqual([
      'NAME',
      'PROVISIONER',
      'RECLAIMPOLICY',
      'VOLUMEBINDINGMODE',
      'ALLOWVOLUMEEXPANSION',
      'AGE',
    ]);
    expect(sc.cells.slice(1, 5)).toEqual(['example.com/fast', 'Delete', 'Immediate', 'true']);

    const pdb = await row('pdb', 'web');
    expect(pdb.header).toEqual(['NAME', 'MIN AVAILABLE', 'MAX UNAVAILABLE', 'ALLOWED DISRUPTIONS', 'AGE']);
    expect(pdb.cells.slice(1, 4)).toEqual(['1', 'N/A', '0']);

    expect((await row('netpol', 'web-allow')).cells[1]).toBe('app=web');
    expect((await row('ingressclass', 'nginx')).cells.slice(1, 3)).toEqual([
      'k8s.io/ingress-nginx',
      '<none>',
    ]);
    expect((await row('limits', 'defaults')).header).toEqual(['NAME', 'CREATED AT']);
    expect((await row('quota', 'compute')).header).toEqual(['NAME', 'AGE', 'REQUEST', 'LIMIT']);

    const hpa = await row('hpa', 'api');
    expect(hpa.header).toEqual(['NAME', 'REFERENCE', 'TARGETS', 'MINPODS', 'MAXPODS', 'REPLICAS', 'AGE']);
    expect(hpa.cells.slice(1, 6)).toEqual(['Deployment/api', 'memory: <unknown>/70%', '2', '5', '0']);

    const pc = await row('pc', 'high');
    expect(pc.header).toEqual(['NAME', 'VALUE', 'GLOBAL-DEFAULT', 'AGE', 'PREEMPTIONPOLICY']);
    expect([pc.cells[1], pc.cells[2], pc.cells[4]]).toEqual(['1000000', 'false', 'PreemptLowerPriority']);
    // The classes kube-apiserver creates itself are there too.
    expect((await row('pc', 'system-node-critical')).cells[1]).toBe('2000001000');
    expect((await row('pc', 'system-cluster-critical')).cells[1]).toBe('2000000000');

    // A second apply finds nothing to change (defaults do not fight the last-applied state),
    // except for the PDB: its selector's patch strategy is "replace", so kubectl's computed
    // patch is never empty and a real cluster also reports it as configured.
    const again = ok(await kubectl(['apply', '-f', '-'], { input: APP }));
    expect(again.match(/ unchanged$/gm)).toHaveLength(9);
    expect(again).toMatch(/^poddisruptionbudget.policy\/web configured$/m);
    expect(ok(await kubectl(['get', 'pdb', 'web', '-o', 'jsonpath={.metadata.generation}']))).toBe('1');
  });

  it('round-trips objects through -o yaml with the server defaults', async () => {
    const sc = YAML.parse(ok(await kubectl(['get', 'sc', 'fast', '-o', 'yaml'])));
    expect(sc).toMatchObject({
      reclaimPolicy: 'Delete',
      volumeBindingMode: 'Immediate',
      parameters: { type: 'ssd' },
    });
    const pvc = YAML.parse(ok(await kubectl(['get', 'pvc', 'data', '-o', 'yaml'])));
    expect(pvc.spec).toMatchObject({ volumeMode: 'Filesystem', resources: { requests: { storage: '1Gi' } } });
    expect(pvc.status).toEqual({ phase: 'Pending' });

    const pdb = ok(await kubectl(['get', 'pdb', 'web', '-o', 'yaml']));
    expect(YAML.parse(pdb).status).toEqual({
      currentHealthy: 0,
      desiredHealthy: 0,
      disruptionsAllowed: 0,
      expectedPods: 0,
    });
    const edited = pdb.replace('minAvailable: 1', 'minAvailable: 50%');
    expect(edited).not.toBe(pdb);
    ok(await kubectl(['replace', '-f', '-'], { input: edited }));
    expect(ok(await kubectl(['get', 'pdb', 'web', '-o', 'jsonpath={.spec.minAvailable}']))).toBe('50%');

    const pc = ok(await kubectl(['get', 'pc', 'high', '-o', 'yaml']));
    const bumped = await kubectl(['replace', '-f', '-'], { input: pc.replace('value: 1000000', 'value: 7') });
    expect(bumped.exitCode).not.toBe(0);
    expect(bumped.stderr).toMatch(/value: Forbidden: may not be changed in an update/);
  });

  it('refuses a claim without access modes or size with the Invalid reasons', async () => {
    const r = await kubectl(['apply', '-f', '-'], {
      input: 'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: bad}\nspec: {}\n',
    });
    expect(r.exitCode).not.toBe(0);
    expect(r.stderr).toMatch(/PersistentVolumeClaim "bad" is invalid/);
    expect(r.stderr).toMatch(/spec.accessModes: Required value: at least 1 access mode is required/);
    expect(r.stderr).toMatch(/spec.resources\[storage\]: Required value/);
  });

  it('kubectl autoscale creates an HPA (autoscaling/v1, protobuf) that reads back in both versions', async () => {
    ok(await kubectl(['create', 'deployment', 'web', '--image=nginx:1.27']));
    expect(ok(await kubectl(['autoscale', 'deployment', 'web', '--max=3']))).toMatch(
      /horizontalpodautoscaler.autoscaling\/web autoscaled/,
    );
    const hpa = await row('hpa', 'web');
    // No metrics-server and no HPA controller: targets unknown, replicas never touched.
    expect(hpa.cells.slice(1, 6)).toEqual(['Deployment/web', 'cpu: <unknown>/80%', '1', '3', '0']);
    expect(ok(await kubectl(['get', 'deployment', 'web', '-o', 'jsonpath={.spec.replicas}']))).toBe('1');

    const v1 = JSON.parse(
      ok(
        await kubectl([
          'get',
          '--raw',
          '/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers/web',
        ]),
      ),
    );
    expect(v1.spec).toEqual({
      scaleTargetRef: { kind: 'Deployment', name: 'web', apiVersion: 'apps/v1' },
      minReplicas: 1,
      maxReplicas: 3,
      targetCPUUtilizationPercentage: 80,
    });
    expect(v1.metadata.managedFields[0]).toMatchObject({
      manager: 'kubectl-autoscale',
      apiVersion: 'autoscaling/v1',
    });
    const v2 = YAML.parse(ok(await kubectl(['get', 'hpa', 'web', '-o', 'yaml'])));
    expect(v2.apiVersion).toBe('autoscaling/v2');
    expect(v2.spec.metrics).toEqual([
      {
        type: 'Resource',
        resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } },
      },
    ]);

    const all = ok(await kubectl(['get', 'all']));
    expect(all).toMatch(/^horizontalpodautoscaler.autoscaling\/web\s/m);
    expect(all).not.toMatch(/persistentvolumeclaim/);
  });

  it('a v1 read-modify-write keeps the v2-only metrics', async () => {
    const url = '/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers/api';
    const v1 = JSON.parse(ok(await kubectl(['get', '--raw', url])));
    expect(v1.spec.targetCPUUtilizationPercentage).toBeUndefined();
    expect(JSON.parse(v1.metadata.annotations['autoscaling.alpha.kubernetes.io/metrics'])).toHaveLength(1);
    v1.spec.maxReplicas = 9;
    ok(await kubectl(['replace', '--raw', url, '-f', '-'], { input: JSON.stringify(v1) }));
    const v2 = YAML.parse(ok(await kubectl(['get', 'hpa', 'api', '-o', 'yaml'])));
    expect(v2.spec.maxReplicas).toBe(9);
    expect(v2.spec.metrics[0].resource).toEqual({
      name: 'memory',
      target: { type: 'Utilization', averageUtilization: 70 },
    });
    expect(v2.metadata.annotations?.['autoscaling.alpha.kubernetes.io/metrics']).toBeUndefined();
  });

  it('re-applying an autoscaling/v1 manifest (client- and server-side) does not bump the generation', async () => {
    const manifest = `apiVersion: autoscaling/v1
kind: HorizontalPodAutoscaler
metadata: {name: legacy}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: legacy}
  maxReplicas: 4
  targetCPUUtilizationPercentage: 65
`;
    ok(await kubectl(['apply', '-f', '-'], { input: manifest }));
    expect(ok(await kubectl(['apply', '-f', '-'], { input: manifest }))).toMatch(/legacy unchanged/);
    ok(await kubectl(['apply', '--server-side', '--field-manager=ssa', '-f', '-'], { input: manifest }));
    ok(await kubectl(['apply', '--server-side', '--field-manager=ssa', '-f', '-'], { input: manifest }));
    const generation = ok(await kubectl(['get', 'hpa', 'legacy', '-o', 'jsonpath={.metadata.generation}']));
    expect(generation).toBe('1');
    expect((await row('hpa', 'legacy')).cells[2]).toBe('cpu: <unknown>/65%');
    ok(await kubectl(['delete', 'hpa', 'legacy']));
  });

  it('explains the new kinds from the OpenAPI documents', async () => {
    const out = ok(await kubectl(['explain', 'pvc.spec.accessModes']));
    expect(out).toMatch(/KIND:\s+PersistentVolumeClaim/);
    expect(out).toMatch(/FIELD: accessModes <\[\]string>/);
    expect(ok(await kubectl(['explain', 'hpa.spec.metrics']))).toMatch(/VERSION:\s+v2/);
  });

  it('deletes everything the manifest created', async () => {
    const out = ok(await kubectl(['delete', '-f', '-'], { input: APP }));
    expect(out.match(/ deleted$/gm)).toHaveLength(10);
    const r = await kubectl(['get', 'pvc,pv,limits,quota,sc,pdb,netpol,ingressclass']);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toMatch(/No resources found/);
    expect((await kubectl(['get', 'hpa', 'api'])).stderr).toMatch(/NotFound/);
    expect((await kubectl(['get', 'pc', 'high'])).stderr).toMatch(/NotFound/);
  });
});

describe('HorizontalPodAutoscaler v1 <-> v2 conversion', () => {
  const v2: KubeObject = {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'x', namespace: 'default', annotations: { team: 'a' } },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'x' },
      minReplicas: 2,
      maxReplicas: 4,
      metrics: [
        {
          type: 'Resource',
          resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } },
        },
        {
          type: 'Pods',
          pods: { metric: { name: 'qps' }, target: { type: 'AverageValue', averageValue: '10' } },
        },
      ],
      behavior: { scaleDown: { stabilizationWindowSeconds: 30 } },
    },
    status: {
      currentReplicas: 2,
      desiredReplicas: 3,
      currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 55 } } }],
      conditions: [{ type: 'AbleToScale', status: 'True', reason: 'ReadyForNewScale' }],
    },
  };

  it('maps the CPU target to v1 fields and carries the rest in annotations', () => {
    const v1 = hpaV1Conversion.fromStorage(v2);
    expect(v1.apiVersion).toBe('autoscaling/v1');
    expect(v1.spec).toEqual({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'x' },
      minReplicas: 2,
      maxReplicas: 4,
      targetCPUUtilizationPercentage: 60,
    });
    expect(v1.status).toEqual({
      currentReplicas: 2,
      desiredReplicas: 3,
      currentCPUUtilizationPercentage: 55,
    });
    const ann = v1.metadata.annotations!;
    expect(ann.team).toBe('a');
    expect(Object.keys(ann).sort()).toEqual([
      'autoscaling.alpha.kubernetes.io/behavior',
      'autoscaling.alpha.kubernetes.io/conditions',
      'autoscaling.alpha.kubernetes.io/metrics',
      'team',
    ]);
  });

  it('comes back to the same v2 object', () => {
    expect(hpaV1Conversion.toStorage(hpaV1Conversion.fromStorage(v2))).toEqual(v2);
  });

  it('leaves v2 objects alone on the way to storage', () => {
    expect(hpaV1Conversion.toStorage(v2)).toBe(v2);
  });
});
