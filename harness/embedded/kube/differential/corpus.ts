/**
 * The requests sent to both servers, in order (later ones read what earlier ones wrote).
 * `{{ns}}` is the corpus namespace (new per run); `{{name}}` a value saved from an earlier answer of the
 * same server (resourceVersions differ between servers, so each keeps its own). A projection
 * keeps what is comparable of documents that legitimately differ in size (discovery, OpenAPI).
 */
import type { Json, JsonObject } from './normalise.ts';
import { ADMISSION_CORPUS } from './corpus-admission.ts';
import { AUTHZ_CORPUS } from './corpus-authz.ts';
import { configMapPb, pdbPb, priorityClassPb, resourceQuotaPb } from './protobuf-bodies.ts';

export type Read = 'json' | 'yaml' | 'watch' | 'media';

export interface Case {
  readonly name: string;
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly path: string;
  readonly accept?: string;
  readonly contentType?: string;
  readonly body?: Json | Buffer;
  /** How the answer is read: JSON (default), YAML, a watch stream, or only its media type. */
  readonly read?: Read;
  readonly project?: (body: Json) => Json;
  /** Saves values of the answer for later paths/bodies: variable ← dotted path. */
  readonly save?: Readonly<Record<string, string>>;
  /** Response headers compared besides status, media type and body. */
  readonly compareHeaders?: readonly string[];
  /** Request headers besides accept/content-type (`{{var}}` filled), e.g. a bearer token or Impersonate-*. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Before sending, wait this long (e.g. for kube-apiserver's policy informers to catch up). */
  readonly pauseMs?: number;
  /** Before sending, poll this path until it answers 200 (e.g. a controller's object). */
  readonly waitFor?: string;
}

const CM = `/api/v1/namespaces/{{ns}}/configmaps`;
const LABELS = { corpus: 'differential' };
const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io';
const PROTOBUF = 'application/vnd.kubernetes.protobuf';

/** A PKCS#10 request (EC P-256, CN=differential, O=corpus), made once with openssl for the corpus. */
const CSR_B64 =
  'LS0tLS1CRUdJTiBDRVJUSUZJQ0FURSBSRVFVRVNULS0tLS0KTUlIak1JR0tBZ0VBTUNneEZUQVRCZ05WQkFNTURHUnBabVpsY21WdWRHbGhiREVQTUEwR0ExVUVDZ3dHWTI5eQpjSFZ6TUZrd0V3WUhLb1pJemowQ0FRWUlLb1pJemowREFRY0RRZ0FFVy9LbzNWeUg4TzJqZmJ6QTFQZjRyTm5QCitXZzFoMTRqQk9Va0VNbFlNTW8rRml0NjU5VFEvZHFLZ3U5TFM5UFM3YWJtS1AwQTZ0VHpNR2ZHbXQwcHdhQUEKTUFvR0NDcUdTTTQ5QkFNQ0EwZ0FNRVVDSUQySVA0N1VRT0tRUkw5K3cwL24zcjRHWWl0aFdraUhCVEM3VjVPUApzZVFsQWlFQWsxYyt5QlNpRHBIcyt0eS9GMW85bmxzVzFlNHE0VEVRTm1MdEZOVC82NlE9Ci0tLS0tRU5EIENFUlRJRklDQVRFIFJFUVVFU1QtLS0tLQo=';

const isObj = (v: Json | undefined): v is JsonObject => !!v && typeof v === 'object' && !Array.isArray(v);
const arr = (v: Json | undefined): Json[] => (Array.isArray(v) ? v : []);

/** APIResourceList → {resource: {kind, namespaced, verbs, shortNames}} (order-free). */
function resources(body: Json): Json {
  if (!isObj(body)) return body;
  const out: JsonObject = {};
  for (const r of arr(body.resources)) {
    if (!isObj(r) || typeof r.name !== 'string') continue;
    out[r.name] = {
      kind: r.kind ?? null,
      namespaced: r.namespaced ?? null,
      verbs: [...arr(r.verbs)].map(String).sort(),
      shortNames: [...arr(r.shortNames)].map(String).sort(),
      ...(r.group !== undefined ? { group: r.group, version: r.version ?? null } : {}),
    };
  }
  return { kind: body.kind ?? null, groupVersion: body.groupVersion ?? null, resources: out };
}

/** APIGroupList → {group: preferredVersion}. */
function groups(body: Json): Json {
  if (!isObj(body)) return body;
  const out: JsonObject = {};
  for (const g of arr(body.groups))
    if (isObj(g) && typeof g.name === 'string')
      out[g.name] = {
        preferred: isObj(g.preferredVersion) ? (g.preferredVersion.version ?? null) : null,
        versions: arr(g.versions).map((v) => (isObj(v) ? (v.version ?? null) : null)),
      };
  return { kind: body.kind ?? null, groups: out };
}

/** One definition of an OpenAPI document: its property names, required list and GVK. */
function definition(schema: Json | undefined): Json {
  if (!isObj(schema)) return null;
  return {
    type: schema.type ?? null,
    properties: Object.keys(isObj(schema.properties) ? schema.properties : {}).sort(),
    required: [...arr(schema.required)].map(String).sort(),
    gvk: schema['x-kubernetes-group-version-kind'] ?? null,
  };
}

function swagger(body: Json): Json {
  if (!isObj(body)) return body;
  const defs = isObj(body.definitions) ? body.definitions : {};
  const paths = isObj(body.paths) ? body.paths : {};
  const item = paths['/api/v1/namespaces/{namespace}/configmaps/{name}'];
  return {
    swagger: body.swagger ?? null,
    infoTitle: isObj(body.info) ? (body.info.title ?? null) : null,
    ConfigMap: byGvk(defs, 'ConfigMap', ''),
    Deployment: byGvk(defs, 'Deployment', 'apps'),
    configMapPatchParameters: paramNames(isObj(item) ? item.patch : undefined),
  };
}

function v3Index(body: Json): Json {
  if (!isObj(body) || !isObj(body.paths)) return body;
  return { paths: Object.fromEntries(Object.keys(body.paths).map((p) => [p, true])) };
}

/** Parameter names of an operation, `$ref`s resolved by their name prefix (`fieldManager-Qy4HdaTW`). */
function paramNames(op: Json | undefined): Json {
  const names = arr(isObj(op) ? op.parameters : undefined).map((p) => {
    if (!isObj(p)) return '';
    if (typeof p.$ref === 'string') return (p.$ref.split('/').pop() ?? '').replace(/-[^-]+$/, '');
    return typeof p.name === 'string' ? p.name : '';
  });
  return [...new Set(names)].sort();
}

/** The schema whose x-kubernetes-group-version-kind names this kind. */
function byGvk(defs: JsonObject, kind: string, group: string): Json {
  for (const [name, d] of Object.entries(defs)) {
    const gvk = isObj(d) ? arr(d['x-kubernetes-group-version-kind']) : [];
    if (gvk.some((g) => isObj(g) && g.kind === kind && g.group === group))
      return { name, ...(definition(d) as JsonObject) };
  }
  return null;
}

function v3CoreV1(body: Json): Json {
  if (!isObj(body)) return body;
  const schemas = isObj(body.components) && isObj(body.components.schemas) ? body.components.schemas : {};
  const paths = isObj(body.paths) ? body.paths : {};
  const item = paths['/api/v1/namespaces/{namespace}/configmaps/{name}'];
  const patch = isObj(item) && isObj(item.patch) ? item.patch : {};
  const rb =
    isObj(patch.requestBody) && isObj(patch.requestBody.content)
      ? Object.keys(patch.requestBody.content).sort()
      : [];
  return {
    openapi: body.openapi ?? null,
    ConfigMap: byGvk(schemas, 'ConfigMap', ''),
    configMapPatchContentTypes: rb,
    configMapPatchParameters: paramNames(patch),
  };
}

/** A CSR without who asked (each server sees its own admin) and without the asynchronously issued certificate. */
function csrView(body: Json): Json {
  if (!isObj(body) || !isObj(body.spec)) return body;
  const { username: _u, groups: _g, uid: _i, extra: _e, ...spec } = body.spec;
  const status = isObj(body.status) ? body.status : {};
  return {
    kind: body.kind ?? null,
    spec,
    conditions: arr(status.conditions).map((c) =>
      isObj(c) ? { type: c.type ?? null, status: c.status ?? null, reason: c.reason ?? null } : c,
    ),
  };
}

function versionInfo(body: Json): Json {
  return isObj(body)
    ? { major: body.major ?? null, minor: body.minor ?? null, platform: body.platform ?? null }
    : body;
}

const cm = (name: string, data: Record<string, string>, extra: JsonObject = {}): JsonObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, labels: LABELS, ...extra },
  data,
});

const deployment: JsonObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', labels: LABELS },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: { containers: [{ name: 'web', image: 'nginx:1.27', ports: [{ containerPort: 80 }] }] },
    },
  },
};

const pod = (name: string): JsonObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, labels: { ...LABELS, app: 'web' } },
  spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] },
});

export const CORPUS: readonly Case[] = [
  // ── discovery and OpenAPI ──
  { name: 'version', method: 'GET', path: '/version', project: versionInfo },
  {
    name: 'discovery /api',
    method: 'GET',
    path: '/api',
    project: (b) => (isObj(b) ? { kind: b.kind ?? null, versions: b.versions ?? null } : b),
  },
  { name: 'discovery /apis', method: 'GET', path: '/apis', project: groups },
  { name: 'discovery /api/v1', method: 'GET', path: '/api/v1', project: resources },
  { name: 'discovery /apis/apps/v1', method: 'GET', path: '/apis/apps/v1', project: resources },
  { name: 'discovery /apis/batch/v1', method: 'GET', path: '/apis/batch/v1', project: resources },
  { name: 'discovery /apis/policy/v1', method: 'GET', path: '/apis/policy/v1', project: resources },
  {
    name: 'discovery /apis/certificates.k8s.io/v1',
    method: 'GET',
    path: '/apis/certificates.k8s.io/v1',
    project: resources,
  },
  {
    name: 'discovery aggregated v2',
    method: 'GET',
    path: '/apis',
    accept: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json',
    project: (b) => (isObj(b) ? { kind: b.kind ?? null, apiVersion: b.apiVersion ?? null } : b),
  },
  {
    name: 'openapi v2 json',
    method: 'GET',
    path: '/openapi/v2',
    accept: 'application/json',
    project: swagger,
  },
  {
    name: 'openapi v2 protobuf',
    method: 'GET',
    path: '/openapi/v2',
    accept: 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf',
    read: 'media',
  },
  { name: 'openapi v3 index', method: 'GET', path: '/openapi/v3', project: v3Index },
  { name: 'openapi v3 api/v1', method: 'GET', path: '/openapi/v3/api/v1', project: v3CoreV1 },
  { name: 'openapi v3 unknown group', method: 'GET', path: '/openapi/v3/apis/nope.example.com/v1' },

  // ── namespace ──
  {
    name: 'create namespace',
    method: 'POST',
    path: '/api/v1/namespaces',
    body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: '{{ns}}', labels: LABELS } },
  },
  {
    name: 'get namespace yaml',
    method: 'GET',
    path: '/api/v1/namespaces/{{ns}}',
    accept: 'application/yaml',
    read: 'yaml',
  },

  // ── create / get in every content type ──
  {
    name: 'create configmap json',
    method: 'POST',
    path: CM,
    body: cm('cm1', { a: '1' }),
    save: { rv1: 'metadata.resourceVersion' },
  },
  { name: 'get configmap json', method: 'GET', path: `${CM}/cm1` },
  { name: 'get configmap yaml', method: 'GET', path: `${CM}/cm1`, accept: 'application/yaml', read: 'yaml' },
  { name: 'get configmap protobuf', method: 'GET', path: `${CM}/cm1`, accept: PROTOBUF, read: 'media' },
  {
    name: 'get configmap protobuf or json',
    method: 'GET',
    path: `${CM}/cm1`,
    accept: `${PROTOBUF}, application/json`,
    read: 'media',
  },
  {
    name: 'create configmap yaml body',
    method: 'POST',
    path: CM,
    contentType: 'application/yaml',
    body: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-yaml\n  labels: {corpus: differential}\ndata: {y: "2"}\n',
  },
  {
    name: 'create configmap protobuf body',
    method: 'POST',
    path: CM,
    contentType: PROTOBUF,
    body: configMapPb('cm-pb', { p: '3' }, LABELS),
  },
  {
    name: 'create generateName',
    method: 'POST',
    path: CM,
    body: {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { generateName: 'gen-', labels: LABELS },
      data: { g: '4' },
    },
  },
  {
    name: 'create secret stringData',
    method: 'POST',
    path: '/api/v1/namespaces/{{ns}}/secrets',
    body: {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's1', labels: LABELS },
      stringData: { password: 'hunter2' },
    },
  },

  // ── errors and their Status bodies ──
  { name: 'create existing → 409 AlreadyExists', method: 'POST', path: CM, body: cm('cm1', { a: '1' }) },
  { name: 'get missing → 404', method: 'GET', path: `${CM}/missing` },
  { name: 'invalid name → 422', method: 'POST', path: CM, body: cm('Bad_Name', { a: '1' }) },
  {
    name: 'namespace mismatch → 400',
    method: 'POST',
    path: CM,
    body: cm('cm-other', { a: '1' }, { namespace: 'default' }),
  },
  { name: 'unknown resource → 404', method: 'GET', path: '/api/v1/namespaces/{{ns}}/nothings' },
  { name: 'unknown group → 404', method: 'GET', path: '/apis/nope.example.com/v1' },
  { name: 'POST to a name → 405', method: 'POST', path: `${CM}/cm1`, body: cm('cm1', { a: '1' }) },
  {
    name: 'malformed JSON → 400',
    method: 'POST',
    path: CM,
    body: '{"apiVersion": "v1", "kind": "ConfigMap", ',
  },
  {
    name: 'unsupported media type → 415',
    method: 'POST',
    path: CM,
    contentType: 'text/plain',
    body: 'hello',
  },
  {
    name: 'wrong kind in body → 400',
    method: 'POST',
    path: CM,
    body: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x' } },
  },
  { name: 'not acceptable → 406', method: 'GET', path: `${CM}/cm1`, accept: 'text/html' },

  // ── update ──
  { name: 'update configmap', method: 'PUT', path: `${CM}/cm1`, body: cm('cm1', { a: '2' }) },
  {
    name: 'update with stale resourceVersion → 409',
    method: 'PUT',
    path: `${CM}/cm1`,
    body: cm('cm1', { a: '3' }, { resourceVersion: '{{rv1}}' }),
  },
  { name: 'update name mismatch → 400', method: 'PUT', path: `${CM}/cm1`, body: cm('cm2', { a: '3' }) },
  { name: 'update missing → 404', method: 'PUT', path: `${CM}/nope`, body: cm('nope', { a: '3' }) },

  // ── the four patch types ──
  {
    name: 'merge patch',
    method: 'PATCH',
    path: `${CM}/cm1`,
    contentType: 'application/merge-patch+json',
    body: { data: { b: 'merged' }, metadata: { annotations: { note: 'x' } } },
  },
  {
    name: 'json patch',
    method: 'PATCH',
    path: `${CM}/cm1`,
    contentType: 'application/json-patch+json',
    body: [
      { op: 'add', path: '/data/c', value: 'jp' },
      { op: 'remove', path: '/metadata/annotations/note' },
    ],
  },
  {
    name: 'json patch test fails → 422',
    method: 'PATCH',
    path: `${CM}/cm1`,
    contentType: 'application/json-patch+json',
    body: [{ op: 'test', path: '/data/a', value: 'nope' }],
  },
  {
    name: 'json patch bad path → 422',
    method: 'PATCH',
    path: `${CM}/cm1`,
    contentType: 'application/json-patch+json',
    body: [{ op: 'remove', path: '/data/zzz' }],
  },
  {
    name: 'strategic merge patch',
    method: 'PATCH',
    path: `${CM}/cm1`,
    contentType: 'application/strategic-merge-patch+json',
    body: { data: { d: 'smp', b: null } },
  },
  {
    name: 'patch missing → 404',
    method: 'PATCH',
    path: `${CM}/nope`,
    contentType: 'application/merge-patch+json',
    body: { data: { a: 'x' } },
  },
  {
    name: 'patch unsupported type → 415',
    method: 'PATCH',
    path: `${CM}/cm1`,
    contentType: 'application/json',
    body: { data: { a: 'x' } },
  },

  // ── server-side apply ──
  {
    name: 'apply create (manager alice)',
    method: 'PATCH',
    path: `${CM}/ssa?fieldManager=alice`,
    contentType: 'application/apply-patch+yaml',
    body: cm('ssa', { owner: 'alice', shared: 'a' }),
  },
  {
    name: 'apply conflict (manager bob) → 409',
    method: 'PATCH',
    path: `${CM}/ssa?fieldManager=bob`,
    contentType: 'application/apply-patch+yaml',
    body: cm('ssa', { shared: 'b' }),
  },
  {
    name: 'apply force (manager bob)',
    method: 'PATCH',
    path: `${CM}/ssa?fieldManager=bob&force=true`,
    contentType: 'application/apply-patch+yaml',
    body: cm('ssa', { shared: 'b' }),
  },
  {
    name: 'apply without fieldManager → 400',
    method: 'PATCH',
    path: `${CM}/ssa`,
    contentType: 'application/apply-patch+yaml',
    body: cm('ssa', { shared: 'c' }),
  },
  {
    name: 'apply alice drops a field',
    method: 'PATCH',
    path: `${CM}/ssa?fieldManager=alice`,
    contentType: 'application/apply-patch+yaml',
    body: cm('ssa', { owner: 'alice' }),
  },
  {
    name: 'update with manager carol',
    method: 'PUT',
    path: `${CM}/ssa?fieldManager=carol`,
    body: cm('ssa', { owner: 'alice', shared: 'b', carol: 'c' }),
  },

  // ── dry run ──
  { name: 'create dryRun=All', method: 'POST', path: `${CM}?dryRun=All`, body: cm('cm-dry', { a: '1' }) },
  { name: 'get after dry-run create → 404', method: 'GET', path: `${CM}/cm-dry` },
  { name: 'delete dryRun=All', method: 'DELETE', path: `${CM}/cm-yaml?dryRun=All` },
  { name: 'get after dry-run delete', method: 'GET', path: `${CM}/cm-yaml` },
  {
    name: 'patch dryRun=All',
    method: 'PATCH',
    path: `${CM}/cm-yaml?dryRun=All`,
    contentType: 'application/merge-patch+json',
    body: { data: { y: 'dry' } },
  },
  {
    name: 'dryRun invalid value → 400',
    method: 'POST',
    path: `${CM}?dryRun=Some`,
    body: cm('cm-dry2', { a: '1' }),
  },
  {
    name: 'deployment dry-run create (defaults)',
    method: 'POST',
    path: '/apis/apps/v1/namespaces/{{ns}}/deployments?dryRun=All',
    body: deployment,
  },
  {
    name: 'replicationcontroller dry-run create (defaults)',
    method: 'POST',
    path: '/api/v1/namespaces/{{ns}}/replicationcontrollers?dryRun=All',
    body: {
      apiVersion: 'v1',
      kind: 'ReplicationController',
      metadata: { name: 'rc' },
      spec: {
        replicas: 2,
        template: {
          metadata: { labels: { app: 'rc' } },
          spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] },
        },
      },
    },
  },
  {
    name: 'service dry-run create (defaults)',
    method: 'POST',
    path: '/api/v1/namespaces/{{ns}}/services?dryRun=All',
    body: {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'svc', labels: LABELS },
      spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] },
    },
  },
  {
    name: 'pod dry-run create (defaults)',
    method: 'POST',
    path: '/api/v1/namespaces/{{ns}}/pods?dryRun=All',
    body: pod('dry-pod'),
    waitFor: '/api/v1/namespaces/{{ns}}/serviceaccounts/default',
  },

  // ── field validation ──
  {
    name: 'fieldValidation=Strict unknown field → 400',
    method: 'POST',
    path: `${CM}?fieldValidation=Strict`,
    body: { ...cm('cm-strict', { a: '1' }), bogus: true },
  },
  {
    name: 'fieldValidation=Strict duplicate field → 400',
    method: 'POST',
    path: `${CM}?fieldValidation=Strict`,
    body: '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm-dup"},"data":{"a":"1"},"data":{"b":"2"}}',
  },
  {
    name: 'fieldValidation=Warn unknown field',
    method: 'POST',
    path: `${CM}?fieldValidation=Warn&dryRun=All`,
    body: { ...cm('cm-warn', { a: '1' }), bogus: true },
    compareHeaders: ['warning'],
  },
  {
    name: 'fieldValidation=Ignore unknown field',
    method: 'POST',
    path: `${CM}?fieldValidation=Ignore&dryRun=All`,
    body: { ...cm('cm-ignore', { a: '1' }), bogus: true },
    compareHeaders: ['warning'],
  },
  {
    name: 'fieldValidation invalid → 400',
    method: 'POST',
    path: `${CM}?fieldValidation=Loud`,
    body: cm('cm-loud', { a: '1' }),
  },

  // ── list, selectors, paging ──
  { name: 'list by label', method: 'GET', path: `${CM}?labelSelector=corpus%3Ddifferential` },
  {
    name: 'list by set-based label',
    method: 'GET',
    path: `${CM}?labelSelector=corpus+in+(differential,other),!missing`,
  },
  { name: 'list by invalid label selector → 400', method: 'GET', path: `${CM}?labelSelector=a%3D%3D%3Db` },
  { name: 'list by field metadata.name', method: 'GET', path: `${CM}?fieldSelector=metadata.name%3Dcm1` },
  {
    name: 'list by field !=',
    method: 'GET',
    path: `${CM}?fieldSelector=metadata.name!%3Dcm1&labelSelector=corpus%3Ddifferential`,
  },
  { name: 'list by unsupported field → 400', method: 'GET', path: `${CM}?fieldSelector=data.a%3D1` },
  {
    name: 'list limit=2',
    method: 'GET',
    path: `${CM}?labelSelector=corpus%3Ddifferential&limit=2`,
    save: { cont: 'metadata.continue' },
  },
  {
    name: 'list continue',
    method: 'GET',
    path: `${CM}?labelSelector=corpus%3Ddifferential&limit=2&continue={{cont}}`,
  },
  { name: 'list bad continue → 400', method: 'GET', path: `${CM}?limit=2&continue=garbage` },
  {
    name: 'list across namespaces by field',
    method: 'GET',
    path: '/api/v1/configmaps?labelSelector=corpus%3Ddifferential&fieldSelector=metadata.namespace%3D{{ns}}',
  },
  {
    name: 'list metadata only',
    method: 'GET',
    path: `${CM}?labelSelector=corpus%3Ddifferential`,
    accept: 'application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io',
  },

  // ── Table output ──
  { name: 'table list', method: 'GET', path: `${CM}?labelSelector=corpus%3Ddifferential`, accept: TABLE },
  { name: 'table get', method: 'GET', path: `${CM}/cm1`, accept: TABLE },
  {
    name: 'table includeObject=Object',
    method: 'GET',
    path: `${CM}/cm1?includeObject=Object`,
    accept: TABLE,
  },
  {
    name: 'table namespaces',
    method: 'GET',
    path: `/api/v1/namespaces?fieldSelector=metadata.name%3D{{ns}}`,
    accept: TABLE,
  },
  {
    name: 'table secrets',
    method: 'GET',
    path: `/api/v1/namespaces/{{ns}}/secrets?labelSelector=corpus%3Ddifferential`,
    accept: TABLE,
  },

  // ── watch ──
  {
    name: 'watch from a resourceVersion (replay)',
    method: 'GET',
    path: `${CM}?watch=1&resourceVersion={{rv1}}&fieldSelector=metadata.name%3Dcm1&timeoutSeconds=1`,
    read: 'watch',
  },
  {
    name: 'watch with initial events and bookmark',
    method: 'GET',
    path: `${CM}?watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true&labelSelector=corpus%3Ddifferential&timeoutSeconds=1`,
    read: 'watch',
  },
  {
    name: 'watch single object',
    method: 'GET',
    path: `${CM}?watch=1&fieldSelector=metadata.name%3Dcm-pb&resourceVersion=0&timeoutSeconds=1`,
    read: 'watch',
  },
  {
    name: 'watch table events',
    method: 'GET',
    path: `${CM}?watch=1&fieldSelector=metadata.name%3Dcm-pb&resourceVersion=0&timeoutSeconds=1`,
    accept: TABLE,
    read: 'watch',
  },
  {
    name: 'watch sendInitialEvents without match → 422',
    method: 'GET',
    path: `${CM}?watch=1&sendInitialEvents=true&timeoutSeconds=1`,
  },

  // ── content negotiation: protobuf preferred or required (negotiation.ts) ──
  {
    name: 'table in protobuf → 406',
    method: 'GET',
    path: `${CM}?labelSelector=corpus%3Ddifferential`,
    accept: `${PROTOBUF};as=Table;v=v1;g=meta.k8s.io`,
  },
  {
    name: 'create widget crd',
    method: 'POST',
    path: '/apis/apiextensions.k8s.io/v1/customresourcedefinitions',
    body: {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'widgets.{{ns}}.corpus.example' },
      spec: {
        group: '{{ns}}.corpus.example',
        scope: 'Namespaced',
        names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            schema: {
              openAPIV3Schema: {
                type: 'object',
                properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } },
              },
            },
          },
        ],
      },
    },
    read: 'media',
  },
  {
    name: 'create widget',
    method: 'POST',
    path: '/apis/{{ns}}.corpus.example/v1/namespaces/{{ns}}/widgets',
    // Served once the CRD is established (its discovery document answers).
    waitFor: '/apis/{{ns}}.corpus.example/v1',
    body: {
      apiVersion: '{{ns}}.corpus.example/v1',
      kind: 'Widget',
      metadata: { name: 'w1', labels: LABELS },
      spec: { size: 3 },
    },
    read: 'media',
  },
  // A custom resource has no protobuf form: JSON when JSON is also acceptable, 406 otherwise.
  {
    name: 'get widget protobuf or json',
    method: 'GET',
    path: '/apis/{{ns}}.corpus.example/v1/namespaces/{{ns}}/widgets/w1',
    accept: `${PROTOBUF}, application/json`,
    project: (b) => (isObj(b) ? { kind: b.kind ?? null, spec: b.spec ?? null } : b),
  },
  {
    name: 'get widget protobuf only → 406',
    method: 'GET',
    path: '/apis/{{ns}}.corpus.example/v1/namespaces/{{ns}}/widgets/w1',
    accept: PROTOBUF,
  },
  {
    name: 'list widgets protobuf only → 406',
    method: 'GET',
    path: '/apis/{{ns}}.corpus.example/v1/namespaces/{{ns}}/widgets',
    accept: PROTOBUF,
  },
  {
    name: 'watch widgets protobuf only → 406',
    method: 'GET',
    path: '/apis/{{ns}}.corpus.example/v1/namespaces/{{ns}}/widgets?watch=1&timeoutSeconds=1',
    accept: PROTOBUF,
  },
  {
    name: 'get configmap missing, protobuf first → protobuf 404',
    method: 'GET',
    path: `${CM}/missing`,
    accept: `${PROTOBUF}, application/json`,
  },
  {
    name: 'get widget html → 406',
    method: 'GET',
    path: '/apis/{{ns}}.corpus.example/v1/namespaces/{{ns}}/widgets/w1',
    accept: 'text/html',
  },
  {
    name: 'delete widget crd',
    method: 'DELETE',
    path: '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.{{ns}}.corpus.example',
    read: 'media',
  },

  // ── kinds sent as protobuf by typed clients ──
  {
    name: 'resourcequota protobuf create',
    method: 'POST',
    path: '/api/v1/namespaces/{{ns}}/resourcequotas?dryRun=All',
    contentType: PROTOBUF,
    body: resourceQuotaPb('quota'),
  },
  {
    name: 'pdb protobuf create',
    method: 'POST',
    path: '/apis/policy/v1/namespaces/{{ns}}/poddisruptionbudgets?dryRun=All',
    contentType: PROTOBUF,
    body: pdbPb('pdb'),
  },
  {
    name: 'priorityclass protobuf create',
    method: 'POST',
    path: '/apis/scheduling.k8s.io/v1/priorityclasses?dryRun=All',
    contentType: PROTOBUF,
    body: priorityClassPb('differential-high', 1000),
  },

  // ── CertificateSigningRequests (kubectl certificate approve) ──
  {
    name: 'create csr',
    method: 'POST',
    path: '/apis/certificates.k8s.io/v1/certificatesigningrequests',
    body: {
      apiVersion: 'certificates.k8s.io/v1',
      kind: 'CertificateSigningRequest',
      metadata: { name: '{{ns}}-csr' },
      spec: {
        request: CSR_B64,
        signerName: 'kubernetes.io/kube-apiserver-client',
        expirationSeconds: 86400,
        usages: ['client auth'],
      },
    },
    project: csrView,
  },
  {
    name: 'approve csr',
    method: 'PUT',
    path: '/apis/certificates.k8s.io/v1/certificatesigningrequests/{{ns}}-csr/approval',
    body: {
      apiVersion: 'certificates.k8s.io/v1',
      kind: 'CertificateSigningRequest',
      metadata: { name: '{{ns}}-csr' },
      spec: {
        request: CSR_B64,
        signerName: 'kubernetes.io/kube-apiserver-client',
        expirationSeconds: 86400,
        usages: ['client auth'],
      },
      status: {
        conditions: [
          { type: 'Approved', status: 'True', reason: 'Differential', message: 'approved by the corpus' },
        ],
      },
    },
    project: csrView,
  },
  {
    name: 'csr without request → 422',
    method: 'POST',
    path: '/apis/certificates.k8s.io/v1/certificatesigningrequests?dryRun=All',
    body: {
      apiVersion: 'certificates.k8s.io/v1',
      kind: 'CertificateSigningRequest',
      metadata: { name: 'empty' },
      spec: { signerName: 'kubernetes.io/kube-apiserver-client', usages: ['client auth'] },
    },
    project: (b) => (isObj(b) ? { code: b.code ?? null, reason: b.reason ?? null } : b),
  },
  {
    name: 'delete csr',
    method: 'DELETE',
    path: '/apis/certificates.k8s.io/v1/certificatesigningrequests/{{ns}}-csr',
  },

  // ── TokenRequest (kubectl create token) ──
  {
    name: 'create serviceaccount',
    method: 'POST',
    path: '/api/v1/namespaces/{{ns}}/serviceaccounts',
    body: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'robot', labels: LABELS } },
  },
  {
    name: 'token request',
    method: 'POST',
    path: '/api/v1/namespaces/{{ns}}/serviceaccounts/robot/token',
    body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: 3600 } },
  },
  {
    name: 'token request too short → 400',
    method: 'POST',
    path: '/api/v1/namespaces/{{ns}}/serviceaccounts/robot/token',
    body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: 60 } },
  },
  {
    name: 'token request missing serviceaccount → 404',
    method: 'POST',
    path: '/api/v1/namespaces/{{ns}}/serviceaccounts/nobody/token',
    body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: {} },
  },

  // ── eviction with dry run (kubectl drain --dry-run=server) ──
  {
    name: 'create pod',
    method: 'POST',
    path: '/api/v1/namespaces/{{ns}}/pods',
    body: pod('evictee'),
    project: (b) =>
      isObj(b)
        ? { kind: b.kind ?? null, metadata: isObj(b.metadata) ? { name: b.metadata.name ?? null } : null }
        : b,
  },
  {
    name: 'evict with deleteOptions.dryRun',
    method: 'POST',
    path: '/api/v1/namespaces/{{ns}}/pods/evictee/eviction',
    body: {
      apiVersion: 'policy/v1',
      kind: 'Eviction',
      metadata: { name: 'evictee' },
      deleteOptions: { dryRun: ['All'] },
    },
  },
  {
    name: 'pod still there after dry-run eviction',
    method: 'GET',
    path: '/api/v1/namespaces/{{ns}}/pods/evictee',
    project: (b) =>
      isObj(b) && isObj(b.metadata)
        ? { name: b.metadata.name ?? null, deleting: b.metadata.deletionTimestamp !== undefined }
        : b,
  },
  {
    name: 'ephemeral container (kubectl debug)',
    method: 'PATCH',
    path: '/api/v1/namespaces/{{ns}}/pods/evictee/ephemeralcontainers',
    contentType: 'application/strategic-merge-patch+json',
    body: {
      spec: {
        ephemeralContainers: [
          { name: 'dbg', image: 'busybox:1.36', resources: {}, terminationMessagePolicy: 'File' },
        ],
      },
    },
    project: (b) =>
      isObj(b) && isObj(b.spec) ? { ephemeralContainers: b.spec.ephemeralContainers ?? null } : b,
  },
  {
    name: 'ephemeral container changed → 422',
    method: 'PATCH',
    path: '/api/v1/namespaces/{{ns}}/pods/evictee/ephemeralcontainers',
    contentType: 'application/strategic-merge-patch+json',
    body: { spec: { ephemeralContainers: [{ name: 'dbg', image: 'busybox:1.37' }] } },
    project: (b) => (isObj(b) ? { kind: b.kind ?? null, code: b.code ?? null } : b),
  },
  {
    name: 'evict name mismatch → 400',
    method: 'POST',
    path: '/api/v1/namespaces/{{ns}}/pods/evictee/eviction',
    body: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'other' } },
  },

  // ── delete ──
  { name: 'delete configmap', method: 'DELETE', path: `${CM}/cm1` },
  { name: 'delete missing → 404', method: 'DELETE', path: `${CM}/cm1` },
  {
    name: 'delete with stale precondition → 409',
    method: 'DELETE',
    path: `${CM}/cm-pb`,
    body: { kind: 'DeleteOptions', apiVersion: 'v1', preconditions: { resourceVersion: '1' } },
  },
  { name: 'deletecollection by label', method: 'DELETE', path: `${CM}?labelSelector=corpus%3Ddifferential` },
  { name: 'list after deletecollection', method: 'GET', path: `${CM}?labelSelector=corpus%3Ddifferential` },
  ...AUTHZ_CORPUS,
  ...ADMISSION_CORPUS,
];
