// Patch engines: JSON patch (RFC 6902), JSON merge patch (RFC 7386), and
// Kubernetes strategic merge patch with the built-in kinds' merge keys.
import { ApiError } from './status.ts';

/**
 * A JSON patch that does not apply: kube-apiserver names no cause (json-patch's error stays in
 * its log), so neither does this.
 */
const patchRejected = (): ApiError =>
  new ApiError(422, 'Invalid', 'the server rejected our request due to an error in our request', {});

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type JsonObject = { [k: string]: Json };

function isObject(v: unknown): v is JsonObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export function deepClone<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}

// ---------- JSON patch ----------

function unescapePointer(seg: string): string {
  return seg.replace(/~1/g, '/').replace(/~0/g, '~');
}

function parsePointer(path: unknown): string[] {
  if (typeof path !== 'string') throw new ApiError(422, 'Invalid', 'json patch: "path" must be a string');
  if (path === '') return [];
  if (!path.startsWith('/')) throw new ApiError(422, 'Invalid', `json patch: invalid path "${path}"`);
  return path.slice(1).split('/').map(unescapePointer);
}

function resolveParent(
  doc: Json,
  segs: string[],
  _path: string,
): { parent: JsonObject | Json[]; key: string } {
  let cur: Json = doc;
  for (const seg of segs.slice(0, -1)) {
    if (Array.isArray(cur)) cur = cur[Number(seg)] as Json;
    else if (isObject(cur)) cur = cur[seg] as Json;
    else cur = undefined as unknown as Json;
    if (cur === undefined || cur === null || typeof cur !== 'object') throw patchRejected();
  }
  return { parent: cur as JsonObject | Json[], key: segs[segs.length - 1]! };
}

function getAt(doc: Json, path: string): Json {
  let cur: Json = doc;
  for (const seg of parsePointer(path)) {
    if (Array.isArray(cur)) cur = cur[Number(seg)] as Json;
    else if (isObject(cur)) cur = cur[seg] as Json;
    else cur = undefined as unknown as Json;
    if (cur === undefined) throw patchRejected();
  }
  return cur;
}

export function applyJsonPatch(doc: unknown, ops: unknown): unknown {
  if (!Array.isArray(ops))
    throw new ApiError(400, 'BadRequest', 'json patch must be a JSON array of operations');
  let root = deepClone(doc) as Json;
  for (const raw of ops) {
    if (!isObject(raw)) throw new ApiError(400, 'BadRequest', 'json patch: each operation must be an object');
    const op = raw.op;
    const path = raw.path as string;
    const segs = parsePointer(path);
    const value = deepClone(raw.value);
    if ((op === 'add' || op === 'replace' || op === 'test') && !('value' in raw))
      throw new ApiError(400, 'BadRequest', `json patch: operation "${String(op)}" needs a "value"`);
    switch (op) {
      case 'test': {
        if (JSON.stringify(getAt(root, path)) !== JSON.stringify(value)) throw patchRejected();
        break;
      }
      case 'remove':
      case 'replace':
      case 'add': {
        if (segs.length === 0) {
          if (op === 'remove') root = null;
          else root = value as Json;
          break;
        }
        const { parent, key } = resolveParent(root, segs, path);
        if (Array.isArray(parent)) {
          const idx = key === '-' ? parent.length : Number(key);
          if (
            !Number.isInteger(idx) ||
            idx < 0 ||
            idx > parent.length ||
            (op !== 'add' && idx >= parent.length)
          )
            throw patchRejected();
          if (op === 'add') parent.splice(idx, 0, value as Json);
          else if (op === 'replace') parent[idx] = value as Json;
          else parent.splice(idx, 1);
        } else {
          if (op !== 'add' && !(key in parent)) throw patchRejected();
          if (op === 'remove') delete parent[key];
          else parent[key] = value as Json;
        }
        break;
      }
      case 'move':
      case 'copy': {
        const v = deepClone(getAt(root, raw.from as string));
        if (op === 'move') root = applyJsonPatch(root, [{ op: 'remove', path: raw.from }]) as Json;
        root = applyJsonPatch(root, [{ op: 'add', path, value: v }]) as Json;
        break;
      }
      default:
        throw new ApiError(400, 'BadRequest', `json patch: unknown operation "${String(op)}"`);
    }
  }
  return root;
}

// ---------- JSON merge patch ----------

export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return deepClone(patch);
  const out: JsonObject = isObject(target) ? { ...(target as JsonObject) } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = applyMergePatch(out[k], v) as Json;
  }
  return out;
}

// ---------- strategic merge patch ----------

/** Merge keys of list fields in the built-in kinds (patchMergeKey in the Go types). */
const MERGE_KEYS: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  volumes: 'name',
  env: 'name',
  imagePullSecrets: 'name',
  resourceClaims: 'name',
  volumeMounts: 'mountPath',
  volumeDevices: 'devicePath',
  conditions: 'type',
  hostAliases: 'ip',
  ownerReferences: 'uid',
  topologySpreadConstraints: 'topologyKey',
  addresses: 'type',
  // An admission policy's variables (listType map, key name).
  variables: 'name',
};

/** Lists of scalars merged as sets (patchStrategy: merge). */
const MERGED_PRIMITIVE_LISTS = new Set(['finalizers']);

function mergeKeyFor(field: string, items: Json[]): string | undefined {
  if (field === 'ports') {
    // ContainerPort merges by containerPort, ServicePort by port.
    return items.some((i) => isObject(i) && 'containerPort' in i) ? 'containerPort' : 'port';
  }
  return MERGE_KEYS[field];
}

export function applyStrategicMergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) throw new ApiError(400, 'BadRequest', 'strategic merge patch must be a JSON object');
  return smpObject(isObject(target) ? target : {}, patch);
}

function smpObject(target: JsonObject, patch: JsonObject): JsonObject {
  if (patch.$patch === 'replace') {
    const { $patch: _drop, ...rest } = patch;
    return stripDirectives(rest) as JsonObject;
  }
  if (patch.$patch === 'delete') return {};
  const out: JsonObject = { ...target };
  let retain: string[] | undefined;
  for (const [k, v] of Object.entries(patch)) {
    if (k === '$patch') continue;
    if (k === '$retainKeys') {
      if (Array.isArray(v)) retain = v.filter((x): x is string => typeof x === 'string');
      continue;
    }
    if (k.startsWith('$setElementOrder/')) continue;
    if (k.startsWith('$deleteFromPrimitiveList/')) {
      const field = k.slice('$deleteFromPrimitiveList/'.length);
      const cur = out[field];
      if (Array.isArray(cur) && Array.isArray(v))
        out[field] = cur.filter((x) => !v.some((d) => JSON.stringify(d) === JSON.stringify(x)));
      continue;
    }
    if (v === null) {
      delete out[k];
      continue;
    }
    const cur = out[k];
    if (Array.isArray(v)) out[k] = smpList(k, Array.isArray(cur) ? cur : [], v);
    else if (isObject(v)) out[k] = smpObject(isObject(cur) ? cur : {}, v);
    else out[k] = v;
  }
  if (retain) for (const k of Object.keys(out)) if (!retain.includes(k)) delete out[k];
  return out;
}

function smpList(field: string, target: Json[], patch: Json[]): Json[] {
  if (MERGED_PRIMITIVE_LISTS.has(field)) {
    const out = [...target];
    for (const v of patch) if (!out.some((x) => JSON.stringify(x) === JSON.stringify(v))) out.push(v);
    return out;
  }
  const key = mergeKeyFor(field, [...target, ...patch]);
  if (!key || !patch.every(isObject)) return stripDirectives(patch) as Json[];
  if (patch.some((p) => isObject(p) && p.$patch === 'replace')) {
    return stripDirectives(patch.filter((p) => !(isObject(p) && p.$patch === 'replace'))) as Json[];
  }
  const out: Json[] = [...target];
  for (const p of patch as JsonObject[]) {
    const idx = out.findIndex((t) => isObject(t) && t[key] === p[key] && p[key] !== undefined);
    if (p.$patch === 'delete') {
      if (idx >= 0) out.splice(idx, 1);
      continue;
    }
    if (idx >= 0) out[idx] = smpObject(out[idx] as JsonObject, p);
    else out.push(stripDirectives(p) as Json);
  }
  return out;
}

function stripDirectives(v: Json): Json {
  if (Array.isArray(v)) return v.filter((x) => !(isObject(x) && x.$patch === 'delete')).map(stripDirectives);
  if (!isObject(v)) return v;
  const out: JsonObject = {};
  for (const [k, x] of Object.entries(v)) if (!k.startsWith('$')) out[k] = stripDirectives(x);
  return out;
}

// ---------- server-side apply (without conflict detection) ----------

// Field names such as label keys may hold '.', '[' and ']', which separate path segments:
// they travel escaped in paths and are restored wherever a path meets an object.
const ESC: readonly [string, string][] = [
  ['.', '\u2024'],
  ['[', '\u2045'],
  [']', '\u2046'],
];
export const escapeField = (k: string): string => ESC.reduce((s, [a, b]) => s.replaceAll(a, b), k);
export const unescapeField = (k: string): string => ESC.reduce((s, [a, b]) => s.replaceAll(b, a), k);
/** A path for people (conflict messages): the field names as they are. */
export const displayPath = unescapeField;

/** Leaf paths of an applied configuration; keyed list items as [key=value]. */
export function fieldPaths(obj: unknown, prefix = ''): string[] {
  const out: string[] = [];
  if (!isObject(obj)) return [prefix];
  const entries = Object.entries(obj);
  if (!entries.length) return [prefix];
  for (const [k, v] of entries) {
    const p = `${prefix}.${escapeField(k)}`;
    // A workload's or Service's selector is atomic (x-kubernetes-map-type: atomic): one field;
    // so is an RBAC binding's roleRef (x-kubernetes-map-type: atomic).
    // An admission policy's MatchResources is an atomic struct too.
    if (
      p === '.spec.selector' ||
      p === '.roleRef' ||
      p === '.spec.matchConstraints' ||
      p === '.spec.matchResources'
    ) {
      out.push(p);
      continue;
    }
    if (Array.isArray(v)) {
      const key = mergeKeyFor(k, v);
      if (key && v.every((i) => isObject(i) && i[key] !== undefined)) {
        for (const item of v as JsonObject[])
          out.push(...fieldPaths(item, `${p}[${key}=${String(item[key])}]`));
      } else out.push(p);
    } else if (isObject(v)) out.push(...fieldPaths(v, p));
    else out.push(p);
  }
  return out;
}

/** Removes one path produced by fieldPaths from obj (in place). */
export function removeFieldPath(obj: JsonObject, path: string): void {
  const segs = path.match(/\.[^.[]+|\[[^\]]+\]/g) ?? [];
  let cur: Json = obj;
  for (let i = 0; i < segs.length; i++) {
    const seg = segs[i]!;
    const last = i === segs.length - 1;
    if (seg.startsWith('.')) {
      if (!isObject(cur)) return;
      const k = unescapeField(seg.slice(1));
      if (last) {
        delete cur[k];
        return;
      }
      cur = cur[k] as Json;
    } else {
      if (!Array.isArray(cur)) return;
      const [key, value] = seg.slice(1, -1).split('=') as [string, string];
      const idx: number = cur.findIndex((x) => isObject(x) && String(x[key]) === value);
      if (idx < 0) return;
      if (last) {
        cur.splice(idx, 1);
        return;
      }
      cur = cur[idx] as Json;
    }
  }
}

export function applyServerSideApply(
  existing: unknown,
  applied: JsonObject,
  previouslyOwned: string[],
): unknown {
  const merged = applyStrategicMergePatch(existing, applied) as JsonObject;
  const now = new Set(fieldPaths(applied));
  for (const p of previouslyOwned) {
    if (now.has(p) || p.startsWith('.metadata.name') || p.startsWith('.apiVersion') || p.startsWith('.kind'))
      continue;
    removeFieldPath(merged, p);
  }
  return merged;
}
