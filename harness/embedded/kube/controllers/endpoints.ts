// Endpoints and EndpointSlice controllers: ready pods behind each service.
import type { KubeObject } from '../store.ts';
import { labelSelectorMatcher } from '../selectors.ts';
import { type Obj, ownerRef, podReady, podActive } from './helpers.ts';
import type { Controllers } from '../controllers.ts';

export function syncEndpoints(ctl: Controllers, ns: string, name: string): void {
  const epKind = ctl.k('', 'endpoints');
  const svc = ctl.r.tryGet(ctl.k('', 'services'), ns, name) as Obj | undefined;
  const existing = ctl.r.tryGet(epKind, ns, name);
  if (!svc) {
    if (existing) ctl.r.delete(epKind, ns, name);
    return;
  }
  if (!svc.spec.selector) return;
  const match = labelSelectorMatcher({ matchLabels: svc.spec.selector });
  const pods = ctl.r.store
    .list('/pods', ns)
    .filter((p) => match(p.metadata.labels) && (p as Obj).status?.podIP && podActive(p)) as Obj[];
  const ready = pods.filter((p) => podReady(p as KubeObject));
  const notReady = pods.filter((p) => !podReady(p as KubeObject));
  const addr = (p: Obj): Obj => ({
    ip: p.status.podIP,
    nodeName: p.spec.nodeName,
    targetRef: { kind: 'Pod', namespace: ns, name: p.metadata.name, uid: p.metadata.uid },
  });
  const ports = ((svc.spec.ports ?? []) as Obj[]).map((p) => ({
    ...(p.name ? { name: p.name } : {}),
    port: typeof p.targetPort === 'number' ? p.targetPort : p.port,
    protocol: p.protocol ?? 'TCP',
  }));
  const subsets = pods.length
    ? [
        {
          ...(ready.length ? { addresses: ready.map(addr) } : {}),
          ...(notReady.length ? { notReadyAddresses: notReady.map(addr) } : {}),
          ports,
        },
      ]
    : undefined;
  const body: Obj = {
    metadata: { name, namespace: ns, labels: svc.metadata.labels ?? {} },
    ...(subsets ? { subsets } : {}),
  };
  ctl.syncEndpointSlice(svc, pods);
  if (!existing) ctl.r.create(epKind, ns, body);
  else if (JSON.stringify((existing as Obj).subsets) !== JSON.stringify(body.subsets)) {
    const next = { ...existing, ...(subsets ? { subsets } : {}) } as Obj;
    if (!subsets) delete next.subsets;
    ctl.r.writeRaw(epKind, next as KubeObject);
  }
}

/** One EndpointSlice per service (named after it), as the endpointslice controller keeps. */
export function syncEndpointSlice(ctl: Controllers, svc: Obj, pods: Obj[]): void {
  const kind = ctl.k('discovery.k8s.io', 'endpointslices');
  const ns = svc.metadata.namespace as string;
  const name = `${svc.metadata.name}-embedded`;
  const endpoints = pods.map((p) => {
    const ready = podReady(p as KubeObject);
    return {
      addresses: [p.status.podIP],
      conditions: { ready, serving: ready, terminating: false },
      nodeName: p.spec.nodeName,
      targetRef: { kind: 'Pod', namespace: ns, name: p.metadata.name, uid: p.metadata.uid },
    };
  });
  const ports = ((svc.spec.ports ?? []) as Obj[]).map((p) => ({
    name: p.name ?? '',
    port: typeof p.targetPort === 'number' ? p.targetPort : p.port,
    protocol: p.protocol ?? 'TCP',
  }));
  const existing = ctl.r.tryGet(kind, ns, name) as Obj | undefined;
  if (!existing) {
    ctl.r.create(kind, ns, {
      metadata: {
        name,
        namespace: ns,
        labels: {
          'kubernetes.io/service-name': svc.metadata.name,
          'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io',
        },
        ownerReferences: [{ ...ownerRef(svc as KubeObject), blockOwnerDeletion: true }],
      },
      addressType: 'IPv4',
      endpoints,
      ports,
    });
  } else if (
    JSON.stringify(existing.endpoints ?? []) !== JSON.stringify(endpoints) ||
    JSON.stringify(existing.ports ?? []) !== JSON.stringify(ports)
  ) {
    ctl.r.writeRaw(kind, { ...existing, endpoints, ports } as unknown as KubeObject);
  }
}
