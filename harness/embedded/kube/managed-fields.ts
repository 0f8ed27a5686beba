// Server-side apply ownership kept in metadata.managedFields (FieldsV1 form), so
// a manager's previously applied fields can be pruned when it stops applying them.
import type { KubeObject } from './store.ts';

type Tree = { [k: string]: Tree };

export interface ManagedFieldsEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion?: string;
  time?: string;
  fieldsType: 'FieldsV1';
  fieldsV1: Tree;
}

/** ".spec.containers[name=x].image" paths → FieldsV1 tree. */
export function pathsToFieldsV1(paths: string[]): Tree {
  const root: Tree = {};
  for (const p of paths) {
    let cur = root;
    for (const seg of p.match(/\.[^.[]+|\[[^\]]+\]/g) ?? []) {
      let key: string;
      if (seg.startsWith('.')) key = `f:${seg.slice(1)}`;
      else {
        const [k, v] = seg.slice(1, -1).split('=') as [string, string];
        const num = Number(v);
        key = `k:${JSON.stringify({ [k]: k === 'containerPort' || k === 'port' ? (Number.isFinite(num) ? num : v) : v })}`;
      }
      cur = cur[key] ??= {};
    }
  }
  return root;
}

/** FieldsV1 tree → leaf paths (inverse of pathsToFieldsV1). */
export function fieldsV1ToPaths(tree: Tree, prefix = ''): string[] {
  const out: string[] = [];
  for (const [k, sub] of Object.entries(tree)) {
    let p: string;
    if (k.startsWith('f:')) p = `${prefix}.${k.slice(2)}`;
    else if (k.startsWith('k:')) {
      try {
        const [[mk, mv]] = Object.entries(JSON.parse(k.slice(2)) as Record<string, unknown>) as [
          [string, unknown],
        ];
        p = `${prefix}[${mk}=${String(mv)}]`;
      } catch {
        continue;
      }
    } else continue;
    const children = Object.keys(sub ?? {}).filter((c) => c.startsWith('f:') || c.startsWith('k:'));
    if (children.length) out.push(...fieldsV1ToPaths(sub, p));
    else out.push(p);
  }
  return out;
}

export function appliedPaths(obj: KubeObject, manager: string): string[] {
  const entries = (obj.metadata.managedFields ?? []) as ManagedFieldsEntry[];
  const e = entries.find((m) => m.manager === manager && m.operation === 'Apply');
  return e ? fieldsV1ToPaths(e.fieldsV1 ?? {}) : [];
}

export function withAppliedPaths(obj: KubeObject, manager: string, paths: string[]): KubeObject {
  const entries = ((obj.metadata.managedFields ?? []) as ManagedFieldsEntry[]).filter(
    (m) => !(m.manager === manager && m.operation === 'Apply'),
  );
  entries.push({
    manager,
    operation: 'Apply',
    apiVersion: obj.apiVersion,
    time: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    fieldsType: 'FieldsV1',
    fieldsV1: pathsToFieldsV1(paths.filter((p) => !p.startsWith('.metadata.managedFields'))),
  });
  obj.metadata.managedFields = entries;
  return obj;
}
