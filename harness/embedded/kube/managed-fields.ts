// Server-side apply ownership kept in metadata.managedFields (FieldsV1 form), so
// a manager's previously applied fields can be pruned when it stops applying them.
import { displayPath, escapeField, unescapeField } from './patch.ts';
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
export function pathsToFieldsV1(paths: string[], members: ReadonlySet<string> = new Set()): Tree {
  const root: Tree = {};
  for (const p of paths) {
    let cur = root;
    for (const seg of p.match(/\.[^.[]+|\[[^\]]+\]/g) ?? []) {
      let key: string;
      if (seg.startsWith('.')) key = `f:${unescapeField(seg.slice(1))}`;
      else {
        const [k, v] = seg.slice(1, -1).split('=') as [string, string];
        const num = Number(v);
        key = `k:${JSON.stringify({ [k]: k === 'containerPort' || k === 'port' ? (Number.isFinite(num) ? num : v) : v })}`;
      }
      cur = cur[key] ??= {};
    }
  }
  if (members.size) markMembers(root, '', members);
  return root;
}

// Fields whose value is a free-form map, and keyed lists that are optional: kube-apiserver's
// Update field sets (not Apply ones) hold the container itself as a member (".") besides its children. (Its rule is
// schema-driven; this covers the common kinds. See differential/known-deviations.yaml.)
const MEMBER_MAPS = new Set([
  'labels',
  'annotations',
  'data',
  'binaryData',
  'stringData',
  'nodeSelector',
  'limits',
  'requests',
  'hard',
  'capacity',
  'parameters',
  'ports',
  'env',
  'volumeMounts',
  'volumes',
  'tolerations',
  'initContainers',
  'imagePullSecrets',
  'finalizers',
  'ownerReferences',
]);

function markMembers(t: Tree, prefix: string, members: ReadonlySet<string>): void {
  for (const [k, sub] of Object.entries(t)) {
    const p = segmentOf(k, prefix);
    if (p === undefined) continue;
    // "." first, as kube-apiserver serialises it; only containers that still hold children.
    const children = Object.keys(sub).some((c) => c !== '.');
    if (children && members.has(p) && !sub['.']) t[k] = { '.': {}, ...sub };
    markMembers(t[k]!, p, members);
  }
}

/** FieldsV1 tree → leaf paths (inverse of pathsToFieldsV1). */
export function fieldsV1ToPaths(tree: Tree, prefix = ''): string[] {
  const out: string[] = [];
  for (const [k, sub] of Object.entries(tree)) {
    let p: string;
    if (k.startsWith('f:')) p = `${prefix}.${escapeField(k.slice(2))}`;
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
  const entries = [...((obj.metadata.managedFields ?? []) as ManagedFieldsEntry[])];
  const entry: ManagedFieldsEntry = {
    manager,
    operation: 'Apply',
    apiVersion: obj.apiVersion,
    time: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    fieldsType: 'FieldsV1',
    // Like kube-apiserver, apiVersion, kind, name and namespace are nobody's fields.
    fieldsV1: pathsToFieldsV1(ownable(paths)),
  };
  // A manager's entry keeps its place in the list, as kube-apiserver keeps it.
  const at = entries.findIndex((m) => m.manager === manager && m.operation === 'Apply');
  if (at >= 0) entries[at] = entry;
  else entries.push(entry);
  obj.metadata.managedFields = entries;
  return obj;
}

const UNOWNED =
  /^\.(apiVersion|kind|status)(\.|\[|$)|^\.metadata\.(uid|resourceVersion|generation|creationTimestamp|deletionTimestamp|deletionGracePeriodSeconds|managedFields|selfLink|name|namespace)(\.|\[|$)/;

/** Value at a fieldPaths-style path, or undefined. */
export function valueAt(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const seg of path.match(/\.[^.[]+|\[[^\]]+\]/g) ?? []) {
    if (seg.startsWith('.')) {
      if (!cur || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
      cur = (cur as Record<string, unknown>)[unescapeField(seg.slice(1))];
    } else {
      if (!Array.isArray(cur)) return undefined;
      const [k, v] = seg.slice(1, -1).split('=') as [string, string];
      cur = cur.find((x) => x && typeof x === 'object' && String((x as Record<string, unknown>)[k]) === v);
    }
  }
  return cur;
}

function ownable(paths: string[]): string[] {
  return paths.filter((p) => !UNOWNED.test(p));
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Records an Update by `manager`: it takes ownership of every field it changed
 * (all fields on create), which other managers lose, as kube-apiserver does.
 */
export function recordUpdate(
  old: KubeObject | undefined,
  next: KubeObject,
  manager: string,
  paths: (o: unknown) => string[],
): void {
  const changed = ownable(paths(next)).filter((p) => !old || !same(valueAt(old, p), valueAt(next, p)));
  const entries = (
    (next.metadata.managedFields ?? old?.metadata.managedFields ?? []) as ManagedFieldsEntry[]
  ).map((e) => ({ ...e }));
  const taken = new Set(changed);
  // Fields the write removed belong to nobody any more (kube-apiserver prunes them from every set).
  const exists = (p: string): boolean => valueAt(next, p) !== undefined;
  // Containers this write created are members of its set (".") where kube-apiserver says so.
  const created = new Set<string>();
  for (const p of changed)
    for (const a of ancestors(p))
      if (memberEligible(a) && (!old || valueAt(old, a) === undefined)) created.add(a);
  const out: ManagedFieldsEntry[] = [];
  let placed = false;
  for (const e of entries) {
    const owned = fieldsV1ToPaths(e.fieldsV1 ?? {}).filter(exists);
    const members = memberPaths(e.fieldsV1 ?? {});
    if (e.manager === manager && e.operation === 'Update') {
      placed = true;
      const all = [...new Set([...owned, ...changed])];
      out.push(updateEntry(manager, next, all, new Set([...members, ...created])));
      continue;
    }
    const kept = owned.filter((p) => !taken.has(p));
    if (kept.length) out.push({ ...e, fieldsV1: pathsToFieldsV1(kept, new Set(members)) });
  }
  if (!placed && changed.length) out.push(updateEntry(manager, next, changed, created));
  if (out.length) next.metadata.managedFields = out;
  else delete next.metadata.managedFields;
}

function updateEntry(
  manager: string,
  next: KubeObject,
  paths: string[],
  members: ReadonlySet<string>,
): ManagedFieldsEntry {
  return {
    manager,
    operation: 'Update',
    apiVersion: next.apiVersion,
    time: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    fieldsType: 'FieldsV1',
    fieldsV1: pathsToFieldsV1(paths, members),
  };
}

/** ".a.b[k=v].c" → [".a", ".a.b", ".a.b[k=v]"]. */
function ancestors(path: string): string[] {
  const segs = path.match(/\.[^.[]+|\[[^\]]+\]/g) ?? [];
  const out: string[] = [];
  let acc = '';
  for (const seg of segs.slice(0, -1)) out.push((acc += seg));
  return out;
}

function memberEligible(path: string): boolean {
  const last = (path.match(/(\.[^.[]+|\[[^\]]+\])$/) ?? [''])[0];
  return last.startsWith('[') || (last.startsWith('.') && MEMBER_MAPS.has(unescapeField(last.slice(1))));
}

/** Paths of the containers a FieldsV1 tree holds as members ("."). */
function memberPaths(tree: Tree, prefix = ''): string[] {
  const out: string[] = [];
  for (const [k, sub] of Object.entries(tree)) {
    const p = segmentOf(k, prefix);
    if (p === undefined) continue;
    if (sub['.']) out.push(p);
    out.push(...memberPaths(sub, p));
  }
  return out;
}

function segmentOf(k: string, prefix: string): string | undefined {
  if (k.startsWith('f:')) return `${prefix}.${escapeField(k.slice(2))}`;
  if (!k.startsWith('k:')) return undefined;
  try {
    const [[mk, mv]] = Object.entries(JSON.parse(k.slice(2)) as Record<string, unknown>) as [
      [string, unknown],
    ];
    return `${prefix}[${mk}=${String(mv)}]`;
  } catch {
    return undefined;
  }
}

export interface ApplyConflict {
  manager: string;
  apiVersion?: string;
  path: string;
}

/** Fields the applier would change that another manager owns. */
export function applyConflicts(
  live: KubeObject,
  applied: unknown,
  manager: string,
  appliedPaths: string[],
): ApplyConflict[] {
  const out: ApplyConflict[] = [];
  const entries = (live.metadata.managedFields ?? []) as ManagedFieldsEntry[];
  for (const p of ownable(appliedPaths)) {
    const current = valueAt(live, p);
    if (current === undefined || same(current, valueAt(applied, p))) continue;
    for (const e of entries) {
      if (e.manager === manager && e.operation === 'Apply') continue;
      if (fieldsV1ToPaths(e.fieldsV1 ?? {}).includes(p))
        out.push({ manager: e.manager, apiVersion: e.apiVersion, path: p });
    }
  }
  return out;
}

/** Removes the given paths from every other manager (apply with force). */
export function dropOwnership(obj: KubeObject, manager: string, paths: string[]): void {
  const drop = new Set(paths);
  const entries = ((obj.metadata.managedFields ?? []) as ManagedFieldsEntry[]).flatMap((e) => {
    if (e.manager === manager && e.operation === 'Apply') return [e];
    const kept = fieldsV1ToPaths(e.fieldsV1 ?? {}).filter((p) => !drop.has(p));
    return kept.length
      ? [{ ...e, fieldsV1: pathsToFieldsV1(kept, new Set(memberPaths(e.fieldsV1 ?? {}))) }]
      : [];
  });
  obj.metadata.managedFields = entries;
}

export function conflictMessage(conflicts: ApplyConflict[], appliedVersion?: string): string {
  const n = conflicts.length;
  const using = (c: ApplyConflict): string =>
    c.apiVersion && c.apiVersion !== appliedVersion ? ` using ${c.apiVersion}` : '';
  if (n === 1) {
    const c = conflicts[0]!;
    return `Apply failed with 1 conflict: conflict with "${c.manager}"${using(c)}: ${displayPath(c.path)}`;
  }
  const lines = conflicts.map((c) => `conflict with "${c.manager}"${using(c)}: ${displayPath(c.path)}`);
  return `Apply failed with ${n} conflicts: ${lines.join('\n')}`;
}
