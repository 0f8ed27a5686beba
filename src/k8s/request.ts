import type { StructuredRequest } from '../contract/types.ts';

/**
 * The structured form of a Kubernetes API request: exactly the fields the
 * contract checks (`execute_kubectl_command_with_id`) and the listener
 * rebuilds the URL from. Nothing else about the request crosses the chain.
 * `query` is the canonical query string without the leading "?" (see canonicalQuery).
 * One type for the whole product: what an executor runs and answers extends it as
 * `RequestFields`, mapped from events and objects in contract/request-fields.ts.
 */
export type K8sRequestFields = StructuredRequest;

/** What the gateway parsed from method + URL. */
export type ParsedRequest =
  | ({ kind: 'resource' } & K8sRequestFields)
  | {
      kind: 'nonResource';
      /** lowercase HTTP method, as kube-apiserver does for non-resource URLs */
      verb: string;
      path: string;
      /** Discovery (/api, /apis, /apis/g, /apis/g/v, /version, /openapi/...) may be cached. */
      discovery: boolean;
      query: string;
    };

export const WRITE_VERBS: ReadonlySet<string> = new Set([
  'create',
  'update',
  'patch',
  'delete',
  'deletecollection',
]);

/** HTTP method that carries each RBAC verb. */
export const METHOD_FOR_VERB: Readonly<Record<string, string>> = {
  get: 'GET',
  list: 'GET',
  watch: 'GET',
  create: 'POST',
  update: 'PUT',
  patch: 'PATCH',
  delete: 'DELETE',
  deletecollection: 'DELETE',
};

/**
 * Query parameters the product understands. Anything else is refused: the
 * listener only sends requests it can rebuild and the contract has seen.
 */
export const ALLOWED_QUERY_PARAMS: ReadonlySet<string> = new Set([
  'pretty',
  'labelSelector',
  'fieldSelector',
  'limit',
  'continue',
  'resourceVersion',
  'resourceVersionMatch',
  'timeoutSeconds',
  'timeout',
  'hash',
  'watch',
  'allowWatchBookmarks',
  'sendInitialEvents',
  'dryRun',
  'fieldManager',
  'fieldValidation',
  'force',
  'gracePeriodSeconds',
  'propagationPolicy',
  'orphanDependents',
  'container',
  'follow',
  'previous',
  'sinceSeconds',
  'sinceTime',
  'tailLines',
  'timestamps',
  'limitBytes',
  'insecureSkipTLSVerifyBackend',
  'includeUninitialized',
  'export',
  'exact',
  'shouldUpdateResourceVersion',
  // Table output: kubectl --sort-by asks for the whole object in each row.
  'includeObject',
]);

export class RequestRefused extends Error {
  constructor(
    message: string,
    readonly httpStatus: number = 400,
  ) {
    super(message);
    this.name = 'RequestRefused';
  }
}

/**
 * Stable serialisation of a query string: decoded pairs re-encoded in their
 * original order (order can matter for repeated keys), unknown keys refused.
 */
export function canonicalQuery(search: string): string {
  const raw = search.startsWith('?') ? search.slice(1) : search;
  if (raw === '') return '';
  const params = new URLSearchParams(raw);
  const out = new URLSearchParams();
  for (const [key, value] of params) {
    if (!ALLOWED_QUERY_PARAMS.has(key)) {
      throw new RequestRefused(`query parameter "${key}" is not supported by the K3s-DaaS gateway`);
    }
    out.append(key, value);
  }
  return out.toString();
}
