// Query and body options of the verbs (dryRun, fieldValidation, fieldManager, patch type, delete options).
import { Resources, type FieldValidation, type PatchType, type WriteOptions } from '../resources.ts';
import { ApiError, errors } from '../status.ts';
import type { IncludeObject } from '../tables.ts';
import type { Target } from './paths.ts';

export function boolParam(q: URLSearchParams, name: string): boolean {
  const v = q.get(name);
  return v === 'true' || v === '1' || (v === '' && q.has(name));
}

export function intParam(q: URLSearchParams, name: string): number | undefined {
  const v = q.get(name);
  if (v === null || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n)) throw errors.badRequest(`invalid value for ${name}: "${v}" is not an integer`);
  return n;
}

/** The default field manager: the User-Agent's product token ("kubectl/v1.32 …" → "kubectl"), as the server derives it. */
export function defaultManager(userAgent: string | undefined): string | undefined {
  const m = (userAgent ?? '').match(/^([^/\s]+)/);
  return m ? m[1]!.slice(0, 128) : undefined;
}

/** kube-apiserver validates query options as an object of its own: 422 on `<Kind>Options.meta.k8s.io`. */
export function invalidOptions(kind: string, field: string, reason: string, message: string): ApiError {
  return new ApiError(422, 'Invalid', `${kind}.meta.k8s.io "" is invalid: ${field}: ${message}`, {
    group: 'meta.k8s.io',
    kind,
    causes: [{ reason, message, field }],
  });
}

function optionsKind(method: string | undefined): string {
  return method === 'PATCH' ? 'PatchOptions' : method === 'PUT' ? 'UpdateOptions' : 'CreateOptions';
}

export function writeOptions(
  q: URLSearchParams,
  patchType?: PatchType,
  userAgent?: string,
  method: string = patchType ? 'PATCH' : 'POST',
): WriteOptions {
  const dry = q.getAll('dryRun');
  const kind = optionsKind(method);
  if (dry.some((d) => d !== 'All'))
    throw invalidOptions(
      kind,
      'dryRun',
      'FieldValueNotSupported',
      `Unsupported value: ${JSON.stringify(dry)}: supported values: "All"`,
    );
  const fv = q.get('fieldValidation');
  let fieldValidation: FieldValidation | undefined;
  if (fv) {
    const canon = fv.charAt(0).toUpperCase() + fv.slice(1).toLowerCase();
    if (canon !== 'Strict' && canon !== 'Warn' && canon !== 'Ignore')
      throw invalidOptions(
        kind,
        'fieldValidation',
        'FieldValueNotSupported',
        `Unsupported value: "${fv}": supported values: "", "Ignore", "Strict", "Warn"`,
      );
    fieldValidation = canon;
  }
  const fieldManager =
    q.get('fieldManager') ?? (patchType === 'apply' ? undefined : defaultManager(userAgent));
  if (fieldManager && fieldManager.length > 128)
    throw errors.badRequest('fieldManager: Too long: may not be more than 128 bytes');
  return {
    dryRun: dry.length > 0,
    fieldValidation: fieldValidation ?? (patchType === 'apply' ? 'Strict' : undefined),
    fieldManager,
    force: boolParam(q, 'force'),
  };
}

export function verbOf(method: string, t: Pick<Target, 'name'>, watch: boolean): string {
  switch (method) {
    case 'GET':
    case 'HEAD':
      return watch ? 'watch' : t.name ? 'get' : 'list';
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return t.name ? 'delete' : 'deletecollection';
    default:
      return method.toLowerCase();
  }
}

export function patchTypeOf(contentType: string | undefined): PatchType {
  const ct = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  switch (ct) {
    case 'application/json-patch+json':
      return 'json';
    case 'application/merge-patch+json':
      return 'merge';
    case 'application/strategic-merge-patch+json':
      return 'strategic';
    case 'application/apply-patch+yaml':
    case 'application/apply-patch+cbor':
      return 'apply';
    default:
      // kube-apiserver's wording for a PATCH of an unknown patch type.
      throw new ApiError(415, 'UnsupportedMediaType', '415: Unsupported Media Type', {});
  }
}

export function includeObject(q: URLSearchParams): IncludeObject {
  const v = q.get('includeObject');
  if (v === 'None' || v === 'Object' || v === 'Metadata') return v;
  if (v) throw errors.badRequest(`includeObject must be one of None, Metadata or Object, got "${v}"`);
  return 'Metadata';
}

export function deleteOptions(raw: string, q: URLSearchParams): Parameters<Resources['delete']>[3] {
  let body: Record<string, unknown> = {};
  if (raw.trim()) {
    const parsed = Resources.decode(raw, 'application/json');
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
      body = parsed as Record<string, unknown>;
  }
  const dry = [...q.getAll('dryRun'), ...((body.dryRun as string[] | undefined) ?? [])];
  if (dry.some((d) => d !== 'All'))
    throw invalidOptions(
      'DeleteOptions',
      'dryRun',
      'FieldValueNotSupported',
      `Unsupported value: ${JSON.stringify(dry)}: supported values: "All"`,
    );
  const pp = (q.get('propagationPolicy') ?? body.propagationPolicy) as string | undefined;
  if (pp && !['Orphan', 'Background', 'Foreground'].includes(pp))
    throw errors.badRequest(
      `propagationPolicy: Unsupported value: "${pp}": supported values: "Foreground", "Background", "Orphan"`,
    );
  const orphan = (q.get('orphanDependents') ?? body.orphanDependents) as string | boolean | undefined;
  return {
    dryRun: dry.length > 0,
    propagationPolicy:
      (pp as 'Orphan' | 'Background' | 'Foreground' | undefined) ??
      (orphan === true || orphan === 'true' ? 'Orphan' : undefined),
    preconditions: body.preconditions as { uid?: string; resourceVersion?: string } | undefined,
  };
}
