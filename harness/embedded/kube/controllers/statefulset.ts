// StatefulSet controller: ordinal pods.
import type { KubeObject } from '../store.ts';
import { type Obj, templateHash, podReady, podActive } from './helpers.ts';
import type { Controllers } from '../controllers.ts';

export function syncStatefulSet(ctl: Controllers, ns: string, name: string): void {
  const kind = ctl.k('apps', 'statefulsets');
  const sts = ctl.r.tryGet(kind, ns, name) as Obj | undefined;
  if (!sts || sts.metadata.deletionTimestamp) return;
  const want = sts.spec.replicas ?? 1;
  const hash = templateHash(sts.spec.template);
  const pods = ctl.podsOf(sts as KubeObject).filter(podActive);
  const byName = new Map(pods.map((p) => [p.metadata.name, p]));
  for (let i = 0; i < want; i++) {
    const podName = `${name}-${i}`;
    if (byName.has(podName)) continue;
    // OrderedReady: start pod i only when pods 0..i-1 are ready.
    if (
      sts.spec.podManagementPolicy !== 'Parallel' &&
      i > 0 &&
      !podReady(byName.get(`${name}-${i - 1}`) ?? ({ metadata: {} } as KubeObject))
    )
      break;
    ctl.createPod(sts as KubeObject, sts.spec.template, podName, {
      'statefulset.kubernetes.io/pod-name': podName,
      'controller-revision-hash': `${name}-${hash}`,
      'apps.kubernetes.io/pod-index': String(i),
    });
    if (sts.spec.podManagementPolicy !== 'Parallel') break;
  }
  for (const p of pods) {
    const idx = Number(p.metadata.name!.slice(name.length + 1));
    if (idx >= want) ctl.deletePod(sts as KubeObject, p);
  }
  const current = ctl.podsOf(sts as KubeObject).filter(podActive);
  const ready = current.filter(podReady).length;
  ctl.r.writeStatus(kind, sts as KubeObject, {
    observedGeneration: sts.metadata.generation,
    replicas: current.length,
    readyReplicas: ready,
    currentReplicas: current.length,
    updatedReplicas: current.length,
    availableReplicas: ready,
    currentRevision: `${name}-${hash}`,
    updateRevision: `${name}-${hash}`,
    collisionCount: 0,
  });
}
