// ServiceAccount and root-CA publisher controllers for new namespaces; the namespace controller that empties a deleted one.
import { grKey } from '../resources.ts';
import { deepClone } from '../patch.ts';
import { type Obj } from './helpers.ts';
import type { Controllers } from '../controllers.ts';

export function initNamespace(ctl: Controllers, ns: string): void {
  const nsObj = ctl.r.tryGet(ctl.k('', 'namespaces'), undefined, ns);
  if (!nsObj || nsObj.metadata.deletionTimestamp) return;
  const sa = ctl.k('', 'serviceaccounts');
  if (!ctl.r.tryGet(sa, ns, 'default'))
    ctl.r.create(sa, ns, { metadata: { name: 'default', namespace: ns } });
  const cm = ctl.k('', 'configmaps');
  if (!ctl.r.tryGet(cm, ns, 'kube-root-ca.crt'))
    ctl.r.create(cm, ns, {
      metadata: {
        name: 'kube-root-ca.crt',
        namespace: ns,
        annotations: {
          'kubernetes.io/description':
            'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.',
        },
      },
      data: { 'ca.crt': ctl.caPem },
    });
}

/** Namespace deletion: remove every namespaced object in it, then drop the finalizer. */
export function finalizeNamespace(ctl: Controllers, ns: string): void {
  const nsKind = ctl.k('', 'namespaces');
  for (const rk of ctl.r.registry.all()) {
    if (!rk.namespaced) continue;
    for (const o of ctl.r.store.list(grKey(rk), ns)) {
      if (!o.metadata.finalizers?.length) ctl.r.store.remove(grKey(rk), o);
      else if (!o.metadata.deletionTimestamp) ctl.r.delete(rk, ns, o.metadata.name!);
    }
  }
  const remaining = ctl.r.registry
    .all()
    .some((rk) => rk.namespaced && ctl.r.store.list(grKey(rk), ns).length);
  if (remaining) {
    ctl.later(200, () => ctl.finalizeNamespace(ns));
    return;
  }
  const cur = ctl.r.tryGet(nsKind, undefined, ns) as Obj | undefined;
  if (!cur) return;
  const next = deepClone(cur);
  next.spec = { ...(next.spec ?? {}), finalizers: [] };
  ctl.r.update(nsKind, undefined, ns, next, {}, undefined);
}
