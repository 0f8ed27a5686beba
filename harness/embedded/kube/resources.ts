// Object lifecycle shared by the HTTP layer and the controllers: create, get,
// list, update, patch, apply, delete with resourceVersion checks, defaults,
// validation, finalizers, dry-run and field validation.
import { randomUUID } from 'node:crypto';
import YAML from 'yaml';
import { groupVersion, type KindRegistry, type ResourceKind } from './registry.ts';
import type { UserInfo } from './auth.ts';
import type { ObjectStore, KubeObject } from './store.ts';
import { ApiError, errors } from './status.ts';
import { applyDefaults, tracksGeneration, validate } from './defaults.ts';
import {
  applyJsonPatch,
  applyMergePatch,
  applyServerSideApply,
  applyStrategicMergePatch,
  deepClone,
  displayPath,
  fieldPaths,
} from './patch.ts';
import { checkFields, type FieldProblem } from './field-validation.ts';
import { schemasFor, type Schema } from './openapi-models.ts';
import {
  appliedPaths,
  applyConflicts,
  conflictMessage,
  dropOwnership,
  recordUpdate,
  valueAt,
  withAppliedPaths,
} from './managed-fields.ts';
import { crdComponentSchema, kindDefinition } from './openapi.ts';
import { parseFieldSelector, parseLabelSelector } from './selectors.ts';

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

export interface WriteOptions {
  dryRun?: boolean;
  fieldValidation?: FieldValidation;
  fieldManager?: string;
  force?: boolean;
  /** Set internally while a server-side apply creates the object (ownership is Apply, not Update). */
  applying?: boolean;
  /** The identity making the request (admission checks such as RBAC escalation use it). */
  actor?: UserInfo;
}

/** What validating admission is told besides the object (admission.Attributes). */
export interface AdmissionRequest {
  operation: 'CREATE' | 'UPDATE';
  /** The object's name (after generateName, as kube-apiserver's admission sees it). */
  name: string;
  old?: KubeObject;
  subresource?: string;
}

export interface WriteResult {
  object: KubeObject;
  warnings: string[];
  created?: boolean;
}

export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
}

export interface ListResult {
  items: KubeObject[];
  resourceVersion: string;
  continue?: string;
  remainingItemCount?: number;
}

export interface DeleteOptions {
  dryRun?: boolean;
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  preconditions?: { uid?: string; resourceVersion?: string };
  gracePeriodSeconds?: number;
}

export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

export function grKey(rk: Pick<ResourceKind, 'group' | 'resource'>): string {
  return `${rk.group}/${rk.resource}`;
}

const SYSTEM_FIELDS = [
  'uid',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'generation',
  'resourceVersion',
  'selfLink',
];
const APPLY_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';

function now(): string {
  return new Date().toISOString().replace(/\.\d+Z$/, 'Z');
}

function randomSuffix(): string {
  const chars = 'bcdfghjklmnpqrstvwxz2456789';
  let s = '';
  for (let i = 0; i < 5; i++) s += chars[Math.floor(Math.random() * chars.length)];
  return s;
}

/** JSON with object keys sorted, for order-independent equality. */
function canonicalJson(v: unknown): string {
  return JSON.stringify(v, (_k, val: unknown) =>
    isObj(val)
      ? Object.fromEntries(
          Object.keys(val)
            .sort()
            .map((k) => [k, val[k]]),
        )
      : val,
  );
}

function isObj(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export class Resources {
  /** Called after every stored write (controllers hook CRD registration here). */
  readonly afterWrite: Array<(rk: ResourceKind, obj: KubeObject, old: KubeObject | undefined) => void> = [];
  readonly afterDelete: Array<(rk: ResourceKind, obj: KubeObject) => void> = [];
  /**
   * Validating admission: called with the final object before it is stored (also on dry run);
   * throws an ApiError to refuse, returns warnings to add to the answer's Warning headers.
   */
  readonly admission: Array<
    (rk: ResourceKind, obj: KubeObject, opts: WriteOptions, req: AdmissionRequest) => string[] | void
  > = [];

  constructor(
    readonly registry: KindRegistry,
    readonly store: ObjectStore,
  ) {}

  kind(group: string, resource: string): ResourceKind {
    const rk = this.registry.anyVersion(group, resource);
    if (!rk) throw new Error(`unknown resource ${group}/${resource}`);
    return rk;
  }

  /** Returns the object as seen through rk's version (storage is version-independent). */
  present(rk: ResourceKind, obj: KubeObject): KubeObject {
    const apiVersion = groupVersion(rk);
    if (obj.apiVersion === apiVersion && obj.kind === rk.kind) return obj;
    if (rk.convert) return { ...rk.convert.fromStorage(obj), apiVersion, kind: rk.kind };
    return { ...obj, apiVersion, kind: rk.kind };
  }

  /** The storage form of an object written through rk's version (identity for single-shape kinds). */
  private toStorage(rk: ResourceKind, obj: KubeObject): KubeObject {
    return rk.convert ? rk.convert.toStorage(obj) : obj;
  }

  get(rk: ResourceKind, ns: string | undefined, name: string): KubeObject {
    const o = this.store.get(grKey(rk), rk.namespaced ? ns : undefined, name);
    if (!o) throw errors.notFound(rk, name);
    return this.present(rk, o);
  }

  tryGet(rk: ResourceKind, ns: string | undefined, name: string): KubeObject | undefined {
    const o = this.store.get(grKey(rk), rk.namespaced ? ns : undefined, name);
    return o && this.present(rk, o);
  }

  list(rk: ResourceKind, ns: string | undefined, opts: ListOptions = {}): ListResult {
    const lm = parseLabelSelector(opts.labelSelector);
    const fm = parseFieldSelector(opts.fieldSelector, rk.resource);
    let all = this.store.list(grKey(rk), rk.namespaced ? ns : undefined);
    if (opts.labelSelector || opts.fieldSelector) all = all.filter((o) => lm(o.metadata.labels) && fm(o));
    let start = 0;
    if (opts.continue) {
      let token: { k?: string };
      try {
        token = JSON.parse(Buffer.from(opts.continue, 'base64').toString('utf8')) as { k?: string };
      } catch {
        throw errors.badRequest(
          'invalid continue token: continue key is not valid: illegal base64 data or JSON',
        );
      }
      if (typeof token.k !== 'string')
        throw errors.badRequest('invalid continue token: continue key is not valid: missing key');
      const after = token.k;
      start = all.findIndex((o) => `${o.metadata.namespace ?? ''}/${o.metadata.name}` > after);
      if (start < 0) start = all.length;
    }
    const rv = String(this.store.currentRv());
    const limit = opts.limit && opts.limit > 0 ? opts.limit : undefined;
    const page = limit ? all.slice(start, start + limit) : start ? all.slice(start) : all;
    const result: ListResult = { items: page.map((o) => this.present(rk, o)), resourceVersion: rv };
    if (limit && start + limit < all.length) {
      const last = page[page.length - 1]!;
      result.continue = Buffer.from(
        JSON.stringify({
          v: 'meta.k8s.io/v1',
          rv: Number(rv),
          k: `${last.metadata.namespace ?? ''}/${last.metadata.name}`,
        }),
      ).toString('base64');
      result.remainingItemCount = all.length - start - limit;
    }
    return result;
  }

  private schemaFor(rk: ResourceKind): { schema: Schema; all: Record<string, Schema> } | undefined {
    if (rk.model) {
      const all = schemasFor([rk.model]);
      const schema = all[kindDefinition(rk)];
      return schema ? { schema, all } : undefined;
    }
    if (rk.crdSchema && !rk.preserveUnknown) {
      const all = schemasFor(['V1ObjectMeta']);
      return { schema: crdComponentSchema(rk), all };
    }
    return undefined;
  }

  /** Prunes unknown fields; Strict turns unknown fields into 400, type errors are always 400. */
  private checkFields(rk: ResourceKind, obj: KubeObject, mode: FieldValidation): string[] {
    const s = this.schemaFor(rk);
    if (!s) return [];
    const problems: FieldProblem[] = [];
    checkFields(obj, s.schema, s.all, '', problems);
    const typeErrors = problems.filter((p) => p.kind === 'type');
    const unknown = problems.filter((p) => p.kind === 'unknown');
    const handled = `${rk.kind} in version "${rk.version}" cannot be handled as a ${rk.kind}`;
    if (typeErrors.length) throw errors.badRequest(`${handled}: ${typeErrors[0]!.message}`);
    if (unknown.length && mode === 'Strict')
      throw errors.badRequest(
        `${handled}: strict decoding error: ${unknown.map((u) => u.message).join(', ')}`,
      );
    return mode === 'Warn' ? unknown.map((u) => u.message) : [];
  }

  /** Decodes a request body (JSON, or YAML for apply) into an object. */
  static decode(body: string, contentType: string): unknown {
    if (!body.trim()) throw errors.badRequest('the body of the request is empty');
    try {
      // YAML 1.1 like kube-apiserver's decoder (sigs.k8s.io/yaml): `y`, `no`, `on` are booleans.
      if (contentType.includes('yaml')) return YAML.parse(body, { maxAliasCount: 100, version: '1.1' });
      return JSON.parse(body);
    } catch (e) {
      throw errors.badRequest(
        `the body of the request could not be decoded: ${(e as Error).message.split('\n')[0]}`,
      );
    }
  }

  private checkTypeMeta(rk: ResourceKind, body: unknown, ns: string | undefined): KubeObject {
    if (!isObj(body)) throw errors.badRequest(`the body of the request must be a JSON object for ${rk.kind}`);
    const apiVersion = body.apiVersion ?? groupVersion(rk);
    const kind = body.kind ?? rk.kind;
    if (apiVersion !== groupVersion(rk) || kind !== rk.kind) {
      if (
        !this.registry.get(rk.group, String(apiVersion).split('/').pop() ?? '', rk.resource) ||
        kind !== rk.kind
      )
        throw errors.badRequest(
          `the API version in the data (${String(apiVersion)}) does not match the expected API version (${groupVersion(rk)})`,
        );
    }
    const metadata = isObj(body.metadata) ? body.metadata : {};
    const obj = {
      ...body,
      apiVersion: groupVersion(rk),
      kind: rk.kind,
      metadata: { ...metadata },
    } as KubeObject;
    if (rk.namespaced) {
      if (obj.metadata.namespace && ns && obj.metadata.namespace !== ns)
        throw errors.badRequest(
          'the namespace of the provided object does not match the namespace sent on the request',
        );
      obj.metadata.namespace = ns ?? obj.metadata.namespace;
    } else delete obj.metadata.namespace;
    return obj;
  }

  private checkNamespace(rk: ResourceKind, ns: string | undefined, creating: boolean): void {
    if (!rk.namespaced) return;
    if (!ns)
      throw errors.badRequest('the server could not find the requested resource: a namespace is required');
    const nsKind = this.kind('', 'namespaces');
    const nsObj = this.store.get('/namespaces', undefined, ns);
    if (!nsObj) throw errors.notFound(nsKind, ns);
    if (creating && nsObj.metadata.deletionTimestamp)
      throw new ApiError(
        403,
        'Forbidden',
        `${rk.resource}${rk.group ? `.${rk.group}` : ''} "${''}" is forbidden: unable to create new content in namespace ${ns} because it is being terminated`,
        { kind: rk.resource },
      );
  }

  create(rk: ResourceKind, ns: string | undefined, body: unknown, opts: WriteOptions = {}): WriteResult {
    const typed = this.checkTypeMeta(rk, deepClone(body), ns);
    // What admission and the create strategy add (not the client, not defaulting) is nobody's.
    const assigned = (SERVER_ASSIGNED[rk.kind] ?? []).filter((p) => valueAt(typed, p) === undefined);
    const warnings = this.checkFields(rk, typed, opts.fieldValidation ?? 'Warn');
    const obj = this.toStorage(rk, typed);
    this.checkNamespace(rk, obj.metadata.namespace, true);
    for (const f of SYSTEM_FIELDS) delete obj.metadata[f];
    if (!obj.metadata.name && obj.metadata.generateName)
      obj.metadata.name = `${obj.metadata.generateName}${randomSuffix()}`;
    obj.metadata.uid = randomUUID();
    obj.metadata.creationTimestamp = now();
    // A CSR records who asked, as kube-apiserver's strategy does; clients cannot choose it.
    if (rk.kind === 'CertificateSigningRequest' && !rk.crdName) {
      const spec = (obj.spec ?? {}) as Record<string, unknown>;
      obj.spec = {
        ...spec,
        username: opts.actor?.name ?? '',
        groups: opts.actor?.groups ?? [],
        ...(opts.actor?.uid ? { uid: opts.actor.uid } : {}),
      };
      obj.status = {};
    }
    if (tracksGeneration(rk)) obj.metadata.generation = 1;
    if (rk.subresources.includes('status') && rk.crdName) delete obj.status;
    applyDefaults(rk, obj, true);
    dropEmptyMaps(obj);
    const causes = validate(rk, obj, undefined);
    if (causes.length) throw errors.invalid(rk, obj.metadata.name ?? '', causes);
    if (opts.fieldManager && !opts.applying) {
      // Managed fields describe the object in the version it was written through.
      const view = rk.convert ? this.present(rk, obj) : obj;
      recordUpdate(undefined, view, opts.fieldManager, (o) =>
        fieldPaths(o).filter(
          (p) => !assigned.some((a) => p === a || p.startsWith(`${a}.`) || p.startsWith(`${a}[`)),
        ),
      );
      obj.metadata.managedFields = view.metadata.managedFields;
    }
    const gr = grKey(rk);
    if (this.store.get(gr, obj.metadata.namespace, obj.metadata.name!))
      throw errors.alreadyExists(rk, obj.metadata.name!);
    warnings.push(...this.admit(rk, obj, opts, { operation: 'CREATE', name: obj.metadata.name ?? '' }));
    if (opts.dryRun) return { object: this.present(rk, obj), warnings, created: true };
    obj.metadata.resourceVersion = String(this.store.nextRv());
    this.store.put(gr, obj);
    for (const fn of this.afterWrite) fn(rk, obj, undefined);
    return { object: this.present(rk, obj), warnings, created: true };
  }

  /** Full replacement (PUT). subresource 'status' changes only status; the main resource keeps status. */
  update(
    rk: ResourceKind,
    ns: string | undefined,
    name: string,
    body: unknown,
    opts: WriteOptions = {},
    subresource?: string,
  ): WriteResult {
    const incoming = this.checkTypeMeta(rk, deepClone(body), ns);
    if (incoming.metadata.name && incoming.metadata.name !== name)
      throw errors.badRequest(
        `the name of the object (${incoming.metadata.name}) does not match the name on the URL (${name})`,
      );
    incoming.metadata.name = name;
    const warnings = this.checkFields(rk, incoming, opts.fieldValidation ?? 'Warn');
    const gr = grKey(rk);
    const old = this.store.get(gr, rk.namespaced ? ns : undefined, name);
    if (!old) throw errors.notFound(rk, name);
    const wantRv = incoming.metadata.resourceVersion;
    if (wantRv && wantRv !== old.metadata.resourceVersion) throw errors.conflict(rk, name);
    dropEmptyMaps(incoming);
    if (opts.fieldManager && subresource !== 'status')
      recordUpdate(this.present(rk, old), incoming, opts.fieldManager, fieldPaths);
    return withWarnings(warnings, this.commit(rk, old, incoming, opts, subresource));
  }

  private admit(rk: ResourceKind, obj: KubeObject, opts: WriteOptions, req: AdmissionRequest): string[] {
    const out: string[] = [];
    for (const admit of this.admission) out.push(...(admit(rk, obj, opts, req) ?? []));
    return out;
  }

  /** Writes `next` over `old`, keeping system metadata, bumping generation, handling finalizer removal. */
  private commit(
    rk: ResourceKind,
    old: KubeObject,
    next: KubeObject,
    opts: WriteOptions,
    subresource?: string,
  ): WriteResult {
    // Patches share untouched subtrees with the stored object; copy before defaulting so
    // stored objects stay immutable (snapshots and the JSON cache rely on it).
    const obj = deepClone(this.toStorage(rk, next));
    for (const f of SYSTEM_FIELDS) {
      if (old.metadata[f] !== undefined) obj.metadata[f] = old.metadata[f];
      else delete obj.metadata[f];
    }
    obj.metadata.namespace = old.metadata.namespace;
    if (!rk.namespaced) delete obj.metadata.namespace;
    const hasStatusSub = rk.subresources.includes('status');
    let validateAgainst = old;
    if (subresource === 'ephemeralcontainers') {
      // Only spec.ephemeralContainers changes through it; existing ones are immutable and stay.
      const before = (old.spec as { ephemeralContainers?: { name: string }[] }).ephemeralContainers ?? [];
      const after =
        (obj.spec as { ephemeralContainers?: { name: string }[] } | undefined)?.ephemeralContainers ?? [];
      for (const c of before) {
        const now = after.find((x) => x.name === c.name);
        if (!now || JSON.stringify(now) !== JSON.stringify(c))
          throw errors.invalid(rk, old.metadata.name ?? '', [
            {
              field: 'spec.ephemeralContainers',
              reason: 'FieldValueForbidden',
              message: `Forbidden: existing ephemeral containers "${c.name}" may not be ${now ? 'changed' : 'removed'}`,
            },
          ]);
      }
      const names = new Set([
        ...((old.spec as { containers?: { name: string }[] }).containers ?? []).map((c) => c.name),
      ]);
      for (const c of after)
        if (names.has(c.name))
          throw errors.invalid(rk, old.metadata.name ?? '', [
            {
              field: 'spec.ephemeralContainers[].name',
              reason: 'FieldValueDuplicate',
              message: `Duplicate value: "${c.name}"`,
            },
          ]);
      const eph = after.map((c) => ({
        terminationMessagePath: '/dev/termination-log',
        terminationMessagePolicy: 'File',
        imagePullPolicy: 'IfNotPresent',
        resources: {},
        ...c,
      }));
      const spec = { ...(old.spec as object), ephemeralContainers: eph };
      for (const k of Object.keys(obj))
        if (k !== 'metadata' && k !== 'apiVersion' && k !== 'kind') delete obj[k];
      for (const [k, v] of Object.entries(old)) if (k !== 'metadata') obj[k] = v;
      obj.spec = spec;
      obj.metadata = { ...old.metadata };
      // Pod updates may not change the spec; this one may, in exactly this field.
      validateAgainst = { ...old, spec };
    } else if (subresource === 'status') {
      for (const k of Object.keys(obj))
        if (k !== 'status' && k !== 'metadata' && k !== 'apiVersion' && k !== 'kind') delete obj[k];
      for (const [k, v] of Object.entries(old)) if (k !== 'status' && k !== 'metadata') obj[k] = v;
      obj.metadata = { ...old.metadata };
    } else if (hasStatusSub) {
      if (old.status !== undefined) obj.status = old.status;
      else delete obj.status;
    }
    applyDefaults(rk, obj, false);
    const causes = validate(rk, obj, validateAgainst);
    if (causes.length) throw errors.invalid(rk, obj.metadata.name ?? '', causes);
    // Converted objects come back from another version with their keys in a different order,
    // so for them equality must not depend on key order (others keep the stored order).
    const text = rk.convert ? canonicalJson : (v: unknown): string => JSON.stringify(v);
    if (tracksGeneration(rk)) {
      const specOf = (o: KubeObject): string =>
        text(
          Object.entries(o).filter(
            ([k]) => k !== 'metadata' && k !== 'status' && k !== 'apiVersion' && k !== 'kind',
          ),
        );
      obj.metadata.generation = (old.metadata.generation ?? 1) + (specOf(old) !== specOf(obj) ? 1 : 0);
    }
    const admitted = this.admit(rk, obj, opts, {
      operation: 'UPDATE',
      name: obj.metadata.name ?? '',
      old,
      subresource,
    });
    if (opts.dryRun) return { object: this.present(rk, obj), warnings: admitted };
    const gr = grKey(rk);
    if (
      obj.metadata.deletionTimestamp &&
      !(obj.metadata.finalizers ?? []).length &&
      !(
        rk.resource === 'namespaces' &&
        ((obj.spec as { finalizers?: string[] } | undefined)?.finalizers ?? []).length
      )
    ) {
      const gone = this.store.remove(gr, old);
      if (gone) for (const fn of this.afterDelete) fn(rk, gone);
      return {
        object: this.present(rk, {
          ...obj,
          metadata: { ...obj.metadata, resourceVersion: gone?.metadata.resourceVersion },
        }),
        warnings: admitted,
      };
    }
    if (
      text(obj) === text({ ...old, metadata: { ...old.metadata } }) &&
      obj.metadata.resourceVersion === old.metadata.resourceVersion
    ) {
      return { object: this.present(rk, old), warnings: admitted }; // no-op writes keep the resourceVersion, as etcd3 storage does
    }
    obj.metadata.resourceVersion = String(this.store.nextRv());
    this.store.put(gr, obj);
    for (const fn of this.afterWrite) fn(rk, obj, old);
    return { object: this.present(rk, obj), warnings: admitted };
  }

  patch(
    rk: ResourceKind,
    ns: string | undefined,
    name: string,
    type: PatchType,
    patchBody: unknown,
    opts: WriteOptions = {},
    subresource?: string,
  ): WriteResult {
    const gr = grKey(rk);
    const old = this.store.get(gr, rk.namespaced ? ns : undefined, name);
    if (type === 'apply') {
      if (!opts.fieldManager)
        throw new ApiError(
          422,
          'Invalid',
          'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
          {
            group: 'meta.k8s.io',
            kind: 'PatchOptions',
            causes: [
              {
                reason: 'FieldValueRequired',
                message: 'Required value: is required for apply patch',
                field: 'fieldManager',
              },
            ],
          },
        );
      if (!isObj(patchBody)) throw errors.badRequest('apply configuration must be a YAML or JSON object');
      const applied = this.checkTypeMeta(rk, deepClone(patchBody), ns);
      if (applied.metadata.name && applied.metadata.name !== name)
        throw errors.badRequest(
          `the name of the object (${String(applied.metadata.name)}) does not match the name on the URL (${name})`,
        );
      applied.metadata.name = name;
      const owned = fieldPaths(applied);
      if (!old) {
        const res = this.create(rk, ns, this.withOwned(deepClone(applied), opts.fieldManager, owned), {
          ...opts,
          applying: true,
        });
        return { ...res, created: true };
      }
      const conflicts = applyConflicts(this.present(rk, old), applied, opts.fieldManager, owned);
      if (conflicts.length && !opts.force)
        // kube-apiserver's apply conflict Status carries only the causes; "using <version>"
        // only when the other manager wrote another version than the one applied.
        throw new ApiError(409, 'Conflict', conflictMessage(conflicts, applied.apiVersion), {
          causes: conflicts.map((c) => ({
            reason: 'FieldManagerConflict',
            message: `conflict with "${c.manager}"${c.apiVersion && c.apiVersion !== applied.apiVersion ? ` using ${c.apiVersion}` : ''}`,
            field: displayPath(c.path),
          })),
        });
      const previously = this.ownedBy(old, opts.fieldManager);
      const merged = applyServerSideApply(
        this.present(rk, old),
        applied as unknown as Parameters<typeof applyServerSideApply>[1],
        previously,
      ) as KubeObject;
      const warnings = this.checkFields(rk, merged, opts.fieldValidation ?? 'Strict');
      if (conflicts.length)
        dropOwnership(
          merged,
          opts.fieldManager,
          conflicts.map((c) => c.path),
        );
      return withWarnings(
        warnings,
        this.commit(rk, old, this.withOwned(merged, opts.fieldManager, owned), opts, subresource),
      );
    }
    if (!old) throw errors.notFound(rk, name);
    if (type === 'strategic' && !rk.model)
      throw errors.unsupportedMediaType('application/strategic-merge-patch+json');
    const base = this.present(rk, old);
    let patched: unknown;
    if (type === 'json') patched = applyJsonPatch(base, patchBody);
    else if (type === 'merge') {
      if (!isObj(patchBody)) throw errors.badRequest('merge patch must be a JSON object');
      patched = applyMergePatch(base, patchBody);
    } else patched = applyStrategicMergePatch(base, patchBody);
    if (!isObj(patched)) throw errors.badRequest('the patch produced something that is not an object');
    const next = this.checkTypeMeta(rk, patched, ns);
    if (next.metadata.name !== name)
      throw errors.badRequest(
        `the name of the object (${String(next.metadata.name)}) does not match the name on the URL (${name})`,
      );
    const warnings = this.checkFields(rk, next, opts.fieldValidation ?? 'Warn');
    const wantRv = next.metadata.resourceVersion;
    if (wantRv && wantRv !== old.metadata.resourceVersion) throw errors.conflict(rk, name);
    dropEmptyMaps(next);
    if (opts.fieldManager && subresource !== 'status')
      recordUpdate(this.present(rk, old), next, opts.fieldManager, fieldPaths);
    return withWarnings(warnings, this.commit(rk, old, next, opts, subresource));
  }

  private withOwned(obj: KubeObject, manager: string, owned: string[]): KubeObject {
    return withAppliedPaths(obj, manager, owned);
  }

  private ownedBy(obj: KubeObject, manager: string): string[] {
    return appliedPaths(obj, manager);
  }

  delete(
    rk: ResourceKind,
    ns: string | undefined,
    name: string,
    opts: DeleteOptions = {},
  ): { object?: KubeObject; status?: Record<string, unknown> } {
    const gr = grKey(rk);
    const old = this.store.get(gr, rk.namespaced ? ns : undefined, name);
    if (!old) throw errors.notFound(rk, name);
    const pre = opts.preconditions;
    if (pre?.uid && pre.uid !== old.metadata.uid)
      throw errors.conflict(
        rk,
        name,
        `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${old.metadata.uid}`,
      );
    // The storage layer's wording, on the kind (kube-apiserver's etcd3 precondition check).
    if (pre?.resourceVersion && pre.resourceVersion !== old.metadata.resourceVersion)
      throw new ApiError(
        409,
        'Conflict',
        `Operation cannot be fulfilled on ${rk.kind} "${name}": the ResourceVersion in the precondition (${pre.resourceVersion}) does not match the ResourceVersion in record (${old.metadata.resourceVersion}). The object might have been modified`,
        { name, ...(rk.group ? { group: rk.group } : {}), kind: rk.kind },
      );
    const finalizers = [...(old.metadata.finalizers ?? [])];
    if (opts.propagationPolicy === 'Orphan' && !finalizers.includes('orphan')) {
      // Orphaning: dependents lose their ownerReference instead of being collected.
      if (!opts.dryRun) this.orphanDependents(old.metadata.uid!);
    }
    const isNamespace = rk.group === '' && rk.resource === 'namespaces';
    if (isNamespace && ['default', 'kube-system', 'kube-public'].includes(name))
      throw new ApiError(
        403,
        'Forbidden',
        `namespaces "${name}" is forbidden: this namespace may not be deleted`,
        { name, kind: 'namespaces' },
      );
    const nsFinalizers = isNamespace
      ? ((old.spec as { finalizers?: string[] } | undefined)?.finalizers ?? [])
      : [];
    if (finalizers.length || nsFinalizers.length) {
      if (old.metadata.deletionTimestamp) return { object: this.present(rk, old) };
      const next = deepClone(old);
      next.metadata.deletionTimestamp = now();
      next.metadata.deletionGracePeriodSeconds = 0;
      if (isNamespace)
        (next.status as Record<string, unknown>) = { ...(next.status as object), phase: 'Terminating' };
      if (opts.dryRun) return { object: this.present(rk, next) };
      next.metadata.resourceVersion = String(this.store.nextRv());
      this.store.put(gr, next);
      for (const fn of this.afterWrite) fn(rk, next, old);
      return { object: this.present(rk, next) };
    }
    // A dry run answers exactly what the deletion would (Status, or the pod), and keeps it.
    const gone = opts.dryRun ? old : this.store.remove(gr, old)!;
    if (!opts.dryRun) for (const fn of this.afterDelete) fn(rk, gone);
    if (rk.resource === 'pods' && rk.group === '') return { object: this.present(rk, gone) };
    return {
      status: {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Success',
        details: { name, ...(rk.group ? { group: rk.group } : {}), kind: rk.resource, uid: old.metadata.uid },
      },
    };
  }

  deleteCollection(
    rk: ResourceKind,
    ns: string | undefined,
    list: ListOptions,
    opts: DeleteOptions = {},
  ): KubeObject[] {
    const { items } = this.list(rk, ns, {
      labelSelector: list.labelSelector,
      fieldSelector: list.fieldSelector,
    });
    const out: KubeObject[] = [];
    for (const o of items) {
      try {
        this.delete(rk, o.metadata.namespace, o.metadata.name!, opts);
        out.push(o);
      } catch (e) {
        if (!(e instanceof ApiError && e.code === 404)) throw e;
      }
    }
    return out;
  }

  private orphanDependents(uid: string): void {
    for (const gr of this.store.resources()) {
      for (const o of this.store.list(gr)) {
        const refs = o.metadata.ownerReferences;
        if (!refs?.some((r) => r.uid === uid)) continue;
        const next = {
          ...o,
          metadata: {
            ...o.metadata,
            ownerReferences: refs.filter((r) => r.uid !== uid),
            resourceVersion: String(this.store.nextRv()),
          },
        };
        if (!next.metadata.ownerReferences.length)
          delete (next.metadata as Record<string, unknown>).ownerReferences;
        this.store.put(gr, next);
      }
    }
  }

  /** Write used by controllers: replace the object's status (no validation of spec). */
  writeStatus(rk: ResourceKind, obj: KubeObject, status: unknown): KubeObject | undefined {
    const gr = grKey(rk);
    const cur = this.store.get(gr, obj.metadata.namespace, obj.metadata.name!);
    if (!cur) return undefined;
    if (JSON.stringify(cur.status) === JSON.stringify(status)) return cur;
    const next = {
      ...cur,
      status,
      metadata: { ...cur.metadata, resourceVersion: String(this.store.nextRv()) },
    } as KubeObject;
    this.store.put(gr, next);
    for (const fn of this.afterWrite) fn(rk, next, cur);
    return next;
  }

  /** Write used by controllers: replace an object wholesale (trusted input). */
  writeRaw(rk: ResourceKind, next: KubeObject): KubeObject {
    const gr = grKey(rk);
    const cur = this.store.get(gr, next.metadata.namespace, next.metadata.name!);
    const obj = {
      ...next,
      metadata: { ...next.metadata, resourceVersion: String(this.store.nextRv()) },
    } as KubeObject;
    this.store.put(gr, obj);
    for (const fn of this.afterWrite) fn(rk, obj, cur);
    return obj;
  }

  static lastAppliedAnnotation = APPLY_ANNOTATION;
}

/**
 * Empty labels/annotations (and a ConfigMap's empty data) vanish, as Go's `omitempty` maps do
 * when kube-apiserver stores a typed object (e.g. after a patch removed the last key).
 */
function dropEmptyMaps(obj: KubeObject): void {
  const empty = (v: unknown): boolean =>
    !!v && typeof v === 'object' && !Array.isArray(v) && !Object.keys(v).length;
  const meta = obj.metadata as Record<string, unknown>;
  for (const k of ['labels', 'annotations']) if (empty(meta[k])) delete meta[k];
  const o = obj as Record<string, unknown>;
  if (obj.kind === 'ConfigMap' || obj.kind === 'Secret')
    for (const k of ['data', 'binaryData']) if (empty(o[k])) delete o[k];
}

/**
 * Fields kube-apiserver sets after the field manager has seen the request (the create strategy
 * and admission: namespace finalizers, Service IP allocation, ServiceAccount, Priority and
 * DefaultTolerationSeconds admission): they appear in the object, not in the creator's set.
 */
const SERVER_ASSIGNED: Readonly<Record<string, readonly string[]>> = {
  Namespace: ['.spec.finalizers'],
  Service: ['.spec.clusterIP', '.spec.clusterIPs', '.spec.ipFamilies', '.spec.ipFamilyPolicy'],
  Pod: [
    '.spec.serviceAccount',
    '.spec.serviceAccountName',
    '.spec.priority',
    '.spec.preemptionPolicy',
    '.spec.tolerations',
  ],
};

function withWarnings(first: string[], r: WriteResult): WriteResult {
  return { ...r, warnings: [...first, ...r.warnings] };
}
