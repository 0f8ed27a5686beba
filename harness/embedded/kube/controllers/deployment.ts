// Deployment controller: ReplicaSets per template, rollout, revision annotations, scaling.
import type { KubeObject } from '../store.ts';
import { deepClone } from '../patch.ts';
import { type Obj, now, templateHash, ownerRef, ownedBy } from './helpers.ts';
import type { Controllers } from '../controllers.ts';

export function syncDeployment(ctl: Controllers, ns: string, name: string): void {
  const dKind = ctl.k('apps', 'deployments');
  const rsKind = ctl.k('apps', 'replicasets');
  const d = ctl.r.tryGet(dKind, ns, name) as Obj | undefined;
  if (!d || d.metadata.deletionTimestamp) return;
  const owned = ctl.r.store
    .list('apps/replicasets', ns)
    .filter((rs) => ownedBy(rs, d as KubeObject)) as Obj[];
  const hash = templateHash(d.spec.template);
  let newRs = owned.find((rs) => rs.metadata.labels?.['pod-template-hash'] === hash);
  const maxRevision = Math.max(
    0,
    ...owned.map((rs) => Number(rs.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? 0)),
  );
  const replicas = d.spec.replicas ?? 1;
  if (!newRs) {
    const template = deepClone(d.spec.template);
    template.metadata = {
      ...(template.metadata ?? {}),
      labels: { ...(template.metadata?.labels ?? {}), 'pod-template-hash': hash },
    };
    const sel = deepClone(d.spec.selector);
    sel.matchLabels = { ...(sel.matchLabels ?? {}), 'pod-template-hash': hash };
    const rsName = `${name}-${hash}`;
    newRs = ctl.r.create(rsKind, ns, {
      metadata: {
        name: rsName,
        namespace: ns,
        labels: template.metadata.labels,
        annotations: {
          'deployment.kubernetes.io/desired-replicas': String(replicas),
          'deployment.kubernetes.io/max-replicas': String(replicas),
          'deployment.kubernetes.io/revision': String(maxRevision + 1),
        },
        ownerReferences: [ownerRef(d as KubeObject)],
      },
      spec: { replicas: d.spec.paused ? 0 : replicas, selector: sel, template },
    }).object as Obj;
    ctl.event(
      d as KubeObject,
      'Normal',
      'ScalingReplicaSet',
      `Scaled up replica set ${rsName} from 0 to ${replicas}`,
      'deployment-controller',
    );
  } else if (newRs.spec.replicas !== replicas && !d.spec.paused) {
    const from = newRs.spec.replicas;
    const next = deepClone(newRs);
    next.spec.replicas = replicas;
    next.metadata.annotations = {
      ...(next.metadata.annotations ?? {}),
      'deployment.kubernetes.io/desired-replicas': String(replicas),
    };
    newRs = ctl.r.writeRaw(rsKind, next as KubeObject) as Obj;
    ctl.event(
      d as KubeObject,
      'Normal',
      'ScalingReplicaSet',
      `Scaled ${replicas > from ? 'up' : 'down'} replica set ${newRs.metadata.name} from ${from} to ${replicas}`,
      'deployment-controller',
    );
  }
  const revision = newRs.metadata.annotations?.['deployment.kubernetes.io/revision'];
  // Old replica sets are scaled down once the new one is fully available (a quick rolling update).
  const newReady = (newRs.status?.availableReplicas ?? 0) >= replicas;
  for (const rs of owned) {
    if (rs.metadata.uid === newRs.metadata.uid || !rs.spec.replicas || !newReady) continue;
    const next = deepClone(rs);
    const from = next.spec.replicas;
    next.spec.replicas = 0;
    ctl.r.writeRaw(rsKind, next as KubeObject);
    ctl.event(
      d as KubeObject,
      'Normal',
      'ScalingReplicaSet',
      `Scaled down replica set ${rs.metadata.name} from ${from} to 0`,
      'deployment-controller',
    );
  }
  const all = ctl.r.store.list('apps/replicasets', ns).filter((rs) => ownedBy(rs, d as KubeObject)) as Obj[];
  const sum = (f: (rs: Obj) => number): number => all.reduce((a, rs) => a + f(rs), 0);
  const total = sum((rs) => rs.status?.replicas ?? 0);
  const updated = newRs.status?.replicas ?? 0;
  const available = sum((rs) => rs.status?.availableReplicas ?? 0);
  const ready = sum((rs) => rs.status?.readyReplicas ?? 0);
  const t = now();
  const prev: Obj[] = d.status?.conditions ?? [];
  const keep = (type: string, status: string, reason: string, message: string): Obj => {
    const old = prev.find((c) => c.type === type);
    const same = old && old.status === status && old.reason === reason;
    return {
      type,
      status,
      lastUpdateTime: same ? old.lastUpdateTime : t,
      lastTransitionTime: old && old.status === status ? old.lastTransitionTime : t,
      reason,
      message,
    };
  };
  const complete = updated === replicas && total === replicas && available >= replicas;
  const conditions = [
    available >= replicas - 0
      ? keep('Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.')
      : keep(
          'Available',
          'False',
          'MinimumReplicasUnavailable',
          'Deployment does not have minimum availability.',
        ),
    complete
      ? keep(
          'Progressing',
          'True',
          'NewReplicaSetAvailable',
          `ReplicaSet "${newRs.metadata.name}" has successfully progressed.`,
        )
      : keep(
          'Progressing',
          'True',
          'ReplicaSetUpdated',
          `ReplicaSet "${newRs.metadata.name}" is progressing.`,
        ),
  ];
  if (d.metadata.annotations?.['deployment.kubernetes.io/revision'] !== revision) {
    const next = deepClone(d);
    next.metadata.annotations = {
      ...(next.metadata.annotations ?? {}),
      'deployment.kubernetes.io/revision': revision,
    };
    ctl.r.writeRaw(dKind, next as KubeObject);
  }
  const cur = ctl.r.tryGet(dKind, ns, name);
  if (!cur) return;
  ctl.r.writeStatus(dKind, cur, {
    observedGeneration: cur.metadata.generation,
    replicas: total,
    updatedReplicas: updated,
    readyReplicas: ready,
    availableReplicas: available,
    ...(total - available > 0 ? { unavailableReplicas: Math.max(0, total - available) } : {}),
    conditions,
  });
}
