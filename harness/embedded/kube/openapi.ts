// OpenAPI v3 (per group-version) and v2 documents for the served kinds, built
// from the client-node-derived schemas and from CRD openAPIV3Schemas.
import { createHash } from 'node:crypto';
import { groupVersion, type KindRegistry, type ResourceKind } from './registry.ts';
import { definitionName, schemasFor, type Schema } from './openapi-models.ts';
import { KUBE_VERSION } from './discovery.ts';
import { encodeOpenApiV2 } from './openapi-v2-proto.ts';

const META_CLASSES = ['V1Status', 'V1DeleteOptions', 'V1ObjectMeta', 'V1ListMeta'];
const OBJECT_META_REF = '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';

function gvk(rk: ResourceKind, kind = rk.kind): Record<string, string> {
  return { group: rk.group, version: rk.version, kind };
}

/** Definition name of a kind's schema. */
export function kindDefinition(rk: ResourceKind): string {
  if (rk.model) return definitionName(rk.model);
  return `${rk.group.split('.').reverse().join('.')}.${rk.version}.${rk.kind}`;
}

/** A CRD's openAPIV3Schema as a component schema (metadata typed as ObjectMeta). */
export function crdComponentSchema(rk: ResourceKind): Schema {
  const base = (rk.crdSchema ?? { type: 'object', 'x-kubernetes-preserve-unknown-fields': true }) as Schema;
  const props = { ...((base.properties as Record<string, Schema>) ?? {}) };
  props.apiVersion = {
    type: 'string',
    description: 'APIVersion defines the versioned schema of this representation of an object.',
  };
  props.kind = {
    type: 'string',
    description: 'Kind is a string value representing the REST resource this object represents.',
  };
  props.metadata = {
    allOf: [{ $ref: OBJECT_META_REF }],
    description:
      "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
  };
  return { ...base, type: 'object', properties: props, 'x-kubernetes-group-version-kind': [gvk(rk)] };
}

function listSchema(rk: ResourceKind, itemRef: string): Schema {
  return {
    type: 'object',
    description: `${rk.listKind} is a list of ${rk.kind}`,
    required: ['items'],
    properties: {
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      items: { type: 'array', items: { $ref: itemRef } },
      metadata: { allOf: [{ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta' }] },
    },
    'x-kubernetes-group-version-kind': [gvk(rk, rk.listKind)],
  };
}

function param(name: string, description: string, inPlace = 'query', required = false): Schema {
  return {
    name,
    in: inPlace,
    description,
    ...(required ? { required } : {}),
    schema: {
      type:
        name === 'limit' || name === 'timeoutSeconds'
          ? 'integer'
          : name === 'watch' || name === 'allowWatchBookmarks' || name === 'force'
            ? 'boolean'
            : 'string',
      uniqueItems: true,
    },
  };
}

const P = {
  dryRun: param(
    'dryRun',
    'When present, indicates that modifications should not be persisted. Valid values are: - All: all dry run stages will be processed',
  ),
  fieldManager: param(
    'fieldManager',
    'fieldManager is a name associated with the actor or entity that is making these changes.',
  ),
  fieldValidation: param(
    'fieldValidation',
    'fieldValidation instructs the server on how to handle objects in the request containing unknown or duplicate fields. Valid values are: - Ignore - Warn - Strict',
  ),
  force: param(
    'force',
    'Force is going to "force" Apply requests. It means user will re-acquire conflicting fields owned by other people.',
  ),
  labelSelector: param(
    'labelSelector',
    'A selector to restrict the list of returned objects by their labels. Defaults to everything.',
  ),
  fieldSelector: param(
    'fieldSelector',
    'A selector to restrict the list of returned objects by their fields. Defaults to everything.',
  ),
  limit: param('limit', 'limit is a maximum number of responses to return for a list call.'),
  cont: param('continue', 'The continue option should be set when retrieving more results from the server.'),
  resourceVersion: param(
    'resourceVersion',
    'resourceVersion sets a constraint on what resource versions a request may be served from.',
  ),
  watch: param(
    'watch',
    'Watch for changes to the described resources and return them as a stream of add, update, and remove notifications.',
  ),
  allowWatchBookmarks: param(
    'allowWatchBookmarks',
    'allowWatchBookmarks requests watch events with type "BOOKMARK".',
  ),
  timeoutSeconds: param('timeoutSeconds', 'Timeout for the list/watch call.'),
  pretty: param('pretty', "If 'true', then the output is pretty printed."),
};

function jsonBody(ref: string): Schema {
  return { content: { '*/*': { schema: { $ref: ref } } }, required: true };
}

function ok(ref: string): Schema {
  return {
    '200': {
      description: 'OK',
      content: {
        'application/json': { schema: { $ref: ref } },
        'application/yaml': { schema: { $ref: ref } },
      },
    },
    '401': { description: 'Unauthorized' },
  };
}

function pathsFor(rk: ResourceKind, ref: string, listRef: string): Record<string, Schema> {
  const prefix = rk.group ? `/apis/${rk.group}/${rk.version}` : `/api/${rk.version}`;
  const coll = rk.namespaced ? `${prefix}/namespaces/{namespace}/${rk.resource}` : `${prefix}/${rk.resource}`;
  const nsParam = rk.namespaced
    ? [param('namespace', 'object name and auth scope, such as for teams and projects', 'path', true)]
    : [];
  const nameParam = param('name', `name of the ${rk.kind}`, 'path', true);
  const ext = (action: string): Schema => ({
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': gvk(rk),
  });
  const tag = rk.group ? `${rk.group.split('.')[0]}_${rk.version}` : `core_${rk.version}`;
  const opId = (verb: string, suffix = ''): string =>
    `${verb}${rk.namespaced ? 'Namespaced' : ''}${rk.kind}${suffix}`;
  const listParams = [
    P.allowWatchBookmarks,
    P.cont,
    P.fieldSelector,
    P.labelSelector,
    P.limit,
    P.resourceVersion,
    P.timeoutSeconds,
    P.watch,
  ];
  // Every operation: group-version tag, optional description, id, then its fields and the
  // x-kubernetes action/GVK extensions (key order as kube-apiserver publishes it).
  const op = (
    description: string | undefined,
    operationId: string,
    action: string,
    fields: Schema,
  ): Schema => ({
    tags: [tag],
    ...(description === undefined ? {} : { description }),
    operationId,
    ...fields,
    ...ext(action),
  });
  const writeParams = [P.dryRun, P.fieldManager, P.fieldValidation];
  const statusRef = '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.Status';
  const paths: Record<string, Schema> = {
    [coll]: {
      parameters: [...nsParam, P.pretty],
      get: op(`list or watch objects of kind ${rk.kind}`, opId('list'), 'list', {
        parameters: listParams,
        responses: ok(listRef),
      }),
      post: op(`create a ${rk.kind}`, opId('create'), 'post', {
        parameters: writeParams,
        requestBody: jsonBody(ref),
        responses: ok(ref),
      }),
      delete: op(`delete collection of ${rk.kind}`, opId('delete', 'Collection'), 'deletecollection', {
        parameters: [P.dryRun, ...listParams],
        responses: ok(statusRef),
      }),
    },
    [`${coll}/{name}`]: {
      parameters: [nameParam, ...nsParam, P.pretty],
      get: op(`read the specified ${rk.kind}`, opId('read'), 'get', { responses: ok(ref) }),
      put: op(`replace the specified ${rk.kind}`, opId('replace'), 'put', {
        parameters: writeParams,
        requestBody: jsonBody(ref),
        responses: ok(ref),
      }),
      patch: op(`partially update the specified ${rk.kind}`, opId('patch'), 'patch', {
        parameters: [...writeParams, P.force],
        requestBody: {
          content: Object.fromEntries(
            // Strategic merge patch is deliberately not listed: kubectl then builds it from its
            // compiled-in patch metadata (built-ins) or sends a JSON merge patch (CRDs).
            [
              'application/apply-patch+yaml',
              'application/json-patch+json',
              'application/merge-patch+json',
            ].map((t) => [t, { schema: { type: 'object' } }]),
          ),
          required: true,
        },
        responses: ok(ref),
      }),
      delete: op(`delete a ${rk.kind}`, opId('delete'), 'delete', {
        parameters: [P.dryRun],
        responses: ok(statusRef),
      }),
    },
  };
  if (rk.namespaced) {
    paths[`${prefix}/${rk.resource}`] = {
      parameters: [P.pretty],
      get: op(`list or watch objects of kind ${rk.kind}`, `list${rk.kind}ForAllNamespaces`, 'list', {
        parameters: listParams,
        responses: ok(listRef),
      }),
    };
  }
  if (rk.subresources.includes('status')) {
    paths[`${coll}/{name}/status`] = {
      parameters: [nameParam, ...nsParam, P.pretty],
      get: op(undefined, opId('read', 'Status'), 'get', { responses: ok(ref) }),
      put: op(undefined, opId('replace', 'Status'), 'put', {
        parameters: writeParams,
        requestBody: jsonBody(ref),
        responses: ok(ref),
      }),
      patch: op(undefined, opId('patch', 'Status'), 'patch', {
        parameters: [...writeParams, P.force],
        responses: ok(ref),
      }),
    };
  }
  return paths;
}

/** Builds and caches documents; the cache resets when CRDs change the registry. */
export class OpenApiDocuments {
  private v3 = new Map<string, { doc: Schema; hash: string; body: string }>();
  private v2?: string;
  private v2pb?: { json: string; body: Buffer };
  private generation = -1;

  constructor(private readonly reg: KindRegistry) {}

  private fresh(): void {
    if (this.generation !== this.reg.generation) {
      this.v3.clear();
      this.v2 = undefined;
      this.generation = this.reg.generation;
    }
  }

  private buildGroupVersion(rks: ResourceKind[]): Schema {
    const models = rks.map((rk) => rk.model).filter((m): m is string => Boolean(m));
    const schemas: Record<string, Schema> = { ...schemasFor([...models, ...META_CLASSES]) };
    let paths: Record<string, Schema> = {};
    for (const rk of rks) {
      const name = kindDefinition(rk);
      if (rk.model) {
        const base = schemas[name];
        if (base) schemas[name] = { ...base, 'x-kubernetes-group-version-kind': [gvk(rk)] };
      } else {
        schemas[name] = crdComponentSchema(rk);
      }
      const ref = `#/components/schemas/${name}`;
      const listName = `${name}List`;
      schemas[listName] = listSchema(rk, ref);
      paths = { ...paths, ...pathsFor(rk, ref, `#/components/schemas/${listName}`) };
    }
    return {
      openapi: '3.0.0',
      info: { title: 'Kubernetes', version: KUBE_VERSION.gitVersion },
      paths,
      components: { schemas },
    };
  }

  /** The /openapi/v3 index: one entry per group-version. */
  index(): Schema {
    this.fresh();
    const paths: Record<string, Schema> = {};
    for (const gv of this.reg.groupVersions().keys()) {
      const key = gv.includes('/') ? `apis/${gv}` : `api/${gv}`;
      const entry = this.groupVersion(key);
      if (entry) paths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${entry.hash}` };
    }
    return { paths };
  }

  /** key like "api/v1" or "apis/apps/v1"; returns the serialized document. */
  groupVersion(key: string): { doc: Schema; body: string; hash: string } | undefined {
    this.fresh();
    const hit = this.v3.get(key);
    if (hit) return hit;
    const gv = key.replace(/^apis?\//, '');
    const rks = this.reg.groupVersions().get(gv);
    if (!rks || !(key.startsWith('apis/') ? gv.includes('/') : !gv.includes('/'))) return undefined;
    const doc = this.buildGroupVersion(rks);
    const body = JSON.stringify(doc);
    const hash = createHash('sha512').update(body).digest('hex').slice(0, 128).toUpperCase();
    const entry = { doc, body, hash };
    this.v3.set(key, entry);
    return entry;
  }

  /** Swagger 2.0 document of every served kind. */
  swagger(): string {
    this.fresh();
    if (this.v2) return this.v2;
    const definitions: Record<string, Schema> = {};
    const paths: Record<string, Schema> = {};
    for (const gv of this.reg.groupVersions().keys()) {
      const entry = this.groupVersion(gv.includes('/') ? `apis/${gv}` : `api/${gv}`);
      if (!entry) continue;
      const doc = entry.doc as {
        paths: Record<string, Schema>;
        components: { schemas: Record<string, Schema> };
      };
      Object.assign(definitions, doc.components.schemas);
      for (const [p, item] of Object.entries(doc.paths)) paths[p] = toV2PathItem(item);
    }
    const doc = {
      swagger: '2.0',
      info: { title: 'Kubernetes', version: KUBE_VERSION.gitVersion },
      paths,
      definitions,
    };
    this.v2 = JSON.stringify(doc, (_k, v: unknown) =>
      v && typeof v === 'object' && !Array.isArray(v) ? toV2Schema(v as Schema) : v,
    ).replaceAll('#/components/schemas/', '#/definitions/');
    return this.v2;
  }

  /** The same document in gnostic protobuf (kubectl ≤ 1.28 asks for it). */
  swaggerProtobuf(): Buffer {
    const json = this.swagger();
    if (this.v2pb?.json === json) return this.v2pb.body;
    const body = encodeOpenApiV2(JSON.parse(json) as Parameters<typeof encodeOpenApiV2>[0]);
    this.v2pb = { json, body };
    return body;
  }
}

function toV2Schema(s: Schema): Schema {
  if (s['x-kubernetes-int-or-string'] && s.anyOf) {
    const { anyOf: _drop, ...rest } = s;
    return { ...rest, type: 'string', format: 'int-or-string' };
  }
  if (Array.isArray(s.allOf) && s.allOf.length === 1) {
    const { allOf, ...rest } = s;
    return { ...rest, ...(allOf[0] as Schema) };
  }
  return s;
}

function toV2PathItem(item: Schema): Schema {
  const out: Schema = {};
  for (const [k, v] of Object.entries(item)) {
    if (k === 'parameters') out[k] = (v as Schema[]).map(toV2Param);
    else if (v && typeof v === 'object' && !Array.isArray(v)) {
      const op = { ...(v as Schema) };
      if (op.parameters) op.parameters = (op.parameters as Schema[]).map(toV2Param);
      if (op.requestBody) {
        const body = op.requestBody as { content: Record<string, { schema: Schema }> };
        const first = Object.values(body.content)[0];
        op.parameters = [
          ...((op.parameters as Schema[]) ?? []),
          { name: 'body', in: 'body', required: true, schema: first?.schema ?? { type: 'object' } },
        ];
        delete op.requestBody;
      }
      if (op.responses) {
        const res: Record<string, Schema> = {};
        for (const [code, r] of Object.entries(op.responses as Record<string, Schema>)) {
          const content = (r.content as Record<string, { schema: Schema }> | undefined)?.['application/json'];
          res[code] = { description: r.description, ...(content ? { schema: content.schema } : {}) };
        }
        op.responses = res;
      }
      out[k] = op;
    } else out[k] = v;
  }
  return out;
}

function toV2Param(p: Schema): Schema {
  const { schema, ...rest } = p as { schema?: Schema };
  return { ...rest, ...(schema ? { type: schema.type, uniqueItems: true } : {}) };
}

export { groupVersion };
