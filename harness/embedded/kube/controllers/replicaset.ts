// ReplicaSet controller (also for ReplicationControllers) and the pod create/delete every workload controller shares.
import type { KubeObject } from '../store.ts';
import type { ResourceKind } from '../registry.ts';
import { labelSelectorMatcher } from '../selectors.ts';
import { deepClone } from '../patch.ts';
import { ApiError } from '../status.ts';
import { type Obj, ownerRef, ownedBy, podReady, podActive, controllerName } from './helpers.ts';
import type { Controllers } from '../controllers.ts';

export function podsOf(ctl: Controllers, owner: KubeObject): KubeObject[] {
  return ctl.r.store.list('/pods', owner.metadata.namespace).filter((p) => ownedBy(p, owner));
}

export function createPod(
  ctl: Controllers,
  owner: KubeObject,
  template: Obj,
  name: string | undefined,
  extraLabels: Record<string, string> = {},
): void {
  const meta = template.metadata ?? {};
  const pod = {
    metadata: {
      ...(name ? { name } : { generateName: `${owner.metadata.name}-` }),
      namespace: owner.metadata.namespace,
      labels: { ...(meta.labels ?? {}), ...extraLabels },
      ...(meta.annotations ? { annotations: meta.annotations } : {}),
      ownerReferences: [ownerRef(owner)],
    },
    spec: deepClone(template.spec),
  };
  let created: KubeObject;
  try {
    created = ctl.r.create(ctl.k('', 'pods'), owner.metadata.namespace, pod).object;
  } catch (e) {
    // Admission (e.g. Pod Security) refused the pod: the controller reports it, as kube's do.
    if (!(e instanceof ApiError)) throw e;
    ctl.event(owner, 'Warning', 'FailedCreate', `Error creating: ${e.message}`, controllerName(owner));
    return;
  }
  ctl.event(
    owner,
    'Normal',
    'SuccessfulCreate',
    `Created pod: ${created.metadata.name}`,
    `${owner.kind === 'Job' ? 'job' : owner.kind === 'StatefulSet' ? 'statefulset' : owner.kind === 'DaemonSet' ? 'daemonset' : 'replicaset'}-controller`,
  );
}

export function deletePod(ctl: Controllers, owner: KubeObject, pod: KubeObject): void {
  try {
    ctl.r.delete(ctl.k('', 'pods'), pod.metadata.namespace, pod.metadata.name!);
    ctl.event(
      owner,
      'Normal',
      'SuccessfulDelete',
      `Deleted pod: ${pod.metadata.name}`,
      `${(owner.kind ?? 'replicaset').toLowerCase()}-controller`,
    );
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
  }
}

export function syncReplicaSet(ctl: Controllers, ns: string, name: string): void {
  ctl.syncReplicas(ctl.k('apps', 'replicasets'), ns, name);
}

/** The ReplicaSet controller's work for a ReplicationController (its selector is a map). */
export function syncReplicationController(ctl: Controllers, ns: string, name: string): void {
  ctl.syncReplicas(ctl.k('', 'replicationcontrollers'), ns, name);
}

export function syncReplicas(ctl: Controllers, rsKind: ResourceKind, ns: string, name: string): void {
  const rs = ctl.r.tryGet(rsKind, ns, name) as Obj | undefined;
  if (!rs || rs.metadata.deletionTimestamp) return;
  const pods = ctl.podsOf(rs as KubeObject).filter(podActive);
  const want = rs.spec.replicas ?? 1;
  for (let i = pods.length; i < want; i++) ctl.createPod(rs as KubeObject, rs.spec.template, undefined);
  if (pods.length > want) {
    const extra = [...pods]
      .sort((a, b) =>
        String(b.metadata.creationTimestamp).localeCompare(String(a.metadata.creationTimestamp)),
      )
      .slice(0, pods.length - want);
    for (const p of extra) ctl.deletePod(rs as KubeObject, p);
  }
  const current = ctl.podsOf(rs as KubeObject).filter(podActive);
  const ready = current.filter(podReady).length;
  const match = labelSelectorMatcher(
    rsKind.resource === 'replicationcontrollers' ? { matchLabels: rs.spec.selector } : rs.spec.selector,
  );
  ctl.r.writeStatus(rsKind, rs as KubeObject, {
    replicas: current.length,
    fullyLabeledReplicas: current.filter((p) => match(p.metadata.labels)).length,
    readyReplicas: ready,
    availableReplicas: ready,
    observedGeneration: rs.metadata.generation,
  });
}
