// Garbage collector: background cascading deletion of dependents whose owner is gone.
import { grKey } from '../resources.ts';
import type { Controllers } from '../controllers.ts';

/** Background cascading deletion of objects whose owner is gone. */
export function collectDependents(ctl: Controllers, uid: string): void {
  const keys = [...(ctl.dependents.get(uid) ?? [])];
  ctl.dependents.delete(uid);
  for (const key of keys) {
    const [gr, ns, name] = key.split('|') as [string, string, string];
    const rk = ctl.r.registry.all().find((k) => grKey(k) === gr);
    const o = ctl.r.store.get(gr, ns || undefined, name);
    if (!rk || !o) continue;
    const refs = o.metadata.ownerReferences;
    if (!refs?.some((ref) => ref.uid === uid)) continue;
    const others = refs.filter((ref) => ref.uid !== uid);
    if (others.length) ctl.r.writeRaw(rk, { ...o, metadata: { ...o.metadata, ownerReferences: others } });
    else if (!o.metadata.deletionTimestamp) ctl.r.delete(rk, o.metadata.namespace, o.metadata.name!);
  }
}
