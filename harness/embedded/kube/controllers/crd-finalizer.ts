// The CRD finalizer: removes the custom resources of a deleted CRD.
import { deepClone } from '../patch.ts';
import { type Obj } from './helpers.ts';
import type { Controllers } from '../controllers.ts';

export function finalizeCrd(ctl: Controllers, name: string): void {
  const crdKind = ctl.k('apiextensions.k8s.io', 'customresourcedefinitions');
  const crd = ctl.r.tryGet(crdKind, undefined, name) as Obj | undefined;
  if (!crd) return;
  const gr = `${crd.spec.group}/${crd.spec.names.plural}`;
  for (const o of ctl.r.store.list(gr)) ctl.r.store.remove(gr, o);
  const next = deepClone(crd);
  next.metadata.finalizers = (next.metadata.finalizers ?? []).filter(
    (f: string) => f !== 'customresourcecleanup.apiextensions.k8s.io',
  );
  ctl.r.update(crdKind, undefined, name, next);
}
