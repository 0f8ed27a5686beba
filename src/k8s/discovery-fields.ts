/**
 * The contract only accepts resource-shaped requests (version and resource
 * non-empty, every field a safe path segment). Discovery and OpenAPI
 * documents are carried as a pseudo resource in a reserved API group that no
 * real cluster serves:
 *
 *   group   discovery.k3s-daas.io, version v1, resource "paths", verb "get",
 *   name    the URL path with "/" written as ":"  (e.g. /apis/apps/v1 → "apis:apps:v1")
 *
 * so the contract checks them like any other read (tokens need a rule for
 * this group, see DISCOVERY_RULE) and the listener rebuilds only the paths in
 * the grammar below — never an arbitrary non-resource URL.
 */
import { RequestRefused, type K8sRequestFields } from './request.ts';

export const DISCOVERY_GROUP = 'discovery.k3s-daas.io';
export const DISCOVERY_VERSION = 'v1';
export const DISCOVERY_RESOURCE = 'paths';

/** The RBAC rule every token needs so kubectl can discover the API (cluster-scoped read of the pseudo group). */
export const DISCOVERY_RULE = {
  verbs: ['get'],
  apiGroups: [DISCOVERY_GROUP],
  resources: [DISCOVERY_RESOURCE],
  namespaces: [''],
  resourceNames: [] as string[],
};

const API_DEFINING = new Set([
  'apiextensions.k8s.io/customresourcedefinitions',
  'apiregistration.k8s.io/apiservices',
]);
const WRITE_VERBS = new Set(['create', 'update', 'patch', 'delete', 'deletecollection']);

/**
 * Whether a request can change what discovery reports: a write to CustomResourceDefinitions or
 * APIServices. A cache of discovery documents must be dropped after one succeeds, or a custom
 * resource stays unknown to kubectl until the cache expires.
 */
export function changesDiscovery(fields: Pick<K8sRequestFields, 'verb' | 'apiGroup' | 'resource'>): boolean {
  return WRITE_VERBS.has(fields.verb) && API_DEFINING.has(`${fields.apiGroup}/${fields.resource}`);
}

const SEG_GROUP = '[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?';
const SEG_VERSION = 'v[0-9]+((alpha|beta)[0-9]+)?';
/** Discovery paths the listener will fetch, as ":"-joined segments. */
const DISCOVERY_NAME = new RegExp(
  `^(version|api|api:${SEG_VERSION}|apis|apis:${SEG_GROUP}|apis:${SEG_GROUP}:${SEG_VERSION}|openapi:v2|openapi:v3|openapi:v3:api:${SEG_VERSION}|openapi:v3:apis:${SEG_GROUP}:${SEG_VERSION})$`,
);
/** Only the OpenAPI v3 cache-busting hash may travel with a discovery path. */
const DISCOVERY_QUERY = /^(hash=[A-Za-z0-9]{1,200})?$/;

export function isDiscoveryFields(f: Pick<K8sRequestFields, 'apiGroup'>): boolean {
  return f.apiGroup === DISCOVERY_GROUP;
}

/** Non-resource path (+ query) → contract fields, or undefined when the path is not a discovery document. */
export function discoveryFields(path: string, rawQuery: string): K8sRequestFields | undefined {
  // kubectl adds ?timeout=32s to everything; it only bounds the server's work, so it is not carried.
  const params = new URLSearchParams(rawQuery);
  params.delete('timeout');
  const query = params.toString();
  const name = path
    .split('/')
    .filter((s) => s !== '')
    .join(':');
  if (!DISCOVERY_NAME.test(name) || !DISCOVERY_QUERY.test(query)) return undefined;
  return {
    verb: 'get',
    apiGroup: DISCOVERY_GROUP,
    version: DISCOVERY_VERSION,
    resource: DISCOVERY_RESOURCE,
    subresource: '',
    namespace: '',
    name,
    query,
  };
}

/** Contract fields → the discovery path to GET; refuses anything outside the grammar. */
export function discoveryPath(f: K8sRequestFields): string {
  const ok =
    f.verb === 'get' &&
    f.apiGroup === DISCOVERY_GROUP &&
    f.version === DISCOVERY_VERSION &&
    f.resource === DISCOVERY_RESOURCE &&
    f.subresource === '' &&
    f.namespace === '' &&
    DISCOVERY_NAME.test(f.name) &&
    DISCOVERY_QUERY.test(f.query);
  if (!ok) throw new RequestRefused('discovery request fields are outside the supported discovery paths');
  return '/' + f.name.split(':').join('/') + (f.query ? `?${f.query}` : '');
}
