/**
 * Rebuilds the Kubernetes API path from the structured fields the contract
 * checked — never from a raw path. A field set is accepted only if it is
 * well-formed AND re-parsing the rebuilt URL yields exactly the same fields
 * (parse ∘ rebuild = identity), so the executed request is the checked one.
 */
import { canonicalQuery, METHOD_FOR_VERB, RequestRefused, type K8sRequestFields } from '../k8s/request.ts';
import { validate } from '../k8s/segments.ts';
import { parseRequest } from '../k8s/request-info.ts';

export interface RebuiltRequest {
  method: string;
  /** path + "?" + query, relative to the API server base URL */
  path: string;
}

/** Verbs the listener executes (a watch as one bounded window, see K8sExecutor.watch). */
const EXECUTABLE_VERBS = new Set([
  'get',
  'list',
  'watch',
  'create',
  'update',
  'patch',
  'delete',
  'deletecollection',
]);

/** Verbs addressed at the collection URL (name, if any, travels in the query or the body). */
const COLLECTION_VERBS = new Set(['list', 'watch', 'deletecollection']);

export function rebuildUrl(fields: K8sRequestFields): RebuiltRequest {
  const { verb, apiGroup, version, resource, subresource, namespace, name } = fields;
  if (!EXECUTABLE_VERBS.has(verb))
    throw new RequestRefused(`verb "${verb}" cannot be executed by the listener`);
  if (apiGroup !== '') validate.group(apiGroup);
  validate.version(version);
  validate.resource(resource);
  if (namespace !== '') validate.namespace(namespace);
  if (name !== '') validate.name(name);
  if (subresource !== '') {
    validate.subresource(subresource);
    if (name === '') throw new RequestRefused('a subresource needs a name');
  }
  // Canonicalise the query again: refuses unknown parameters smuggled in on chain.
  const query = canonicalQuery(fields.query);
  if (query !== fields.query) throw new RequestRefused('query is not in canonical form');

  const segments = [apiGroup === '' ? 'api' : 'apis'];
  if (apiGroup !== '') segments.push(apiGroup);
  segments.push(version);
  // A namespace object's own URL carries its name as the namespace.
  const isNamespaceObject = resource === 'namespaces' && apiGroup === '';
  if (namespace !== '' && !(isNamespaceObject && namespace === name)) segments.push('namespaces', namespace);
  segments.push(resource);
  const nameInPath = name !== '' && !COLLECTION_VERBS.has(verb);
  if (nameInPath) segments.push(name);
  if (subresource !== '') segments.push(subresource);

  const method = METHOD_FOR_VERB[verb]!;
  const path = '/' + segments.join('/') + (query === '' ? '' : `?${query}`);

  // The identity check is what makes this safe: any ambiguity (e.g. a name
  // on a create that would read as a different resource) is refused here.
  const reparsed = parseRequest(method, path);
  if (reparsed.kind !== 'resource') throw new RequestRefused('fields do not describe a resource request');
  const same =
    reparsed.verb === verb &&
    reparsed.apiGroup === apiGroup &&
    reparsed.version === version &&
    reparsed.resource === resource &&
    reparsed.subresource === subresource &&
    reparsed.namespace === namespace &&
    reparsed.name === name &&
    reparsed.query === query;
  if (!same)
    throw new RequestRefused(
      `fields cannot be rebuilt into a URL that kube-apiserver would read the same way`,
    );
  return { method, path };
}
