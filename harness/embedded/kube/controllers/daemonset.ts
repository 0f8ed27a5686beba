// DaemonSet controller: one pod per node.
import type { KubeObject } from '../store.ts';
import { deepClone } from '../patch.ts';
import { type Obj, templateHash, podReady, podActive } from './helpers.ts';
import type { Controllers } from '../controllers.ts';

export function syncDaemonSet(ctl: Controllers, ns: string, name: string): void {
  const kind = ctl.k('apps', 'daemonsets');
  const ds = ctl.r.tryGet(kind, ns, name) as Obj | undefined;
  if (!ds || ds.metadata.deletionTimestamp) return;
  const pods = ctl.podsOf(ds as KubeObject).filter(podActive) as Obj[];
  for (const node of ctl.opts.nodes) {
    if (pods.some((p) => p.spec.nodeName === node)) continue;
    const template = deepClone(ds.spec.template);
    template.spec.nodeName = node;
    ctl.createPod(ds as KubeObject, template, undefined, {
      'controller-revision-hash': templateHash(ds.spec.template),
    });
  }
  const current = ctl.podsOf(ds as KubeObject).filter(podActive);
  const ready = current.filter(podReady).length;
  const n = ctl.opts.nodes.length;
  ctl.r.writeStatus(kind, ds as KubeObject, {
    currentNumberScheduled: current.length,
    desiredNumberScheduled: n,
    numberMisscheduled: 0,
    numberReady: ready,
    numberAvailable: ready,
    updatedNumberScheduled: current.length,
    observedGeneration: ds.metadata.generation,
  });
}
