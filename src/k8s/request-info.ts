/**
 * Method + URL → structured request and RBAC verb, following kube-apiserver's
 * RequestInfoFactory (k8s.io/apiserver/pkg/endpoints/request/requestinfo.go):
 *   /api/{v}/…, /apis/{g}/{v}/…; optional legacy "watch"/"proxy" verb segment;
 *   namespaces/{ns}/{resource}/{name}/{subresource}; GET without a name is
 *   list (or watch with watch=true); DELETE without a name is deletecollection;
 *   fieldSelector metadata.name=X on a list names the object.
 * Everything else (/version, /api, /apis, /apis/{g}, /openapi/…, /healthz) is a
 * non-resource request; the GET discovery ones are marked cacheable.
 */
import { canonicalQuery, RequestRefused, type ParsedRequest } from './request.ts';
import { validate, isValidName } from './segments.ts';

const VERB_FOR_METHOD: Record<string, string> = {
  POST: 'create',
  GET: 'get',
  HEAD: 'get',
  PUT: 'update',
  PATCH: 'patch',
  DELETE: 'delete',
};

/** Subresources of a namespace object itself (/api/v1/namespaces/{ns}/status). */
const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);

function isDiscoveryPath(parts: string[]): boolean {
  const [first] = parts;
  if (parts.length === 0) return true; // "/" lists paths
  if (first === 'version' && parts.length === 1) return true;
  if (first === 'openapi') return true;
  if (first === 'api' && parts.length <= 2) return true;
  if (first === 'apis' && parts.length <= 3) return true;
  return false;
}

/** Parse a boolean the way Go's strconv.ParseBool does (used for watch=). */
function parseBool(value: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(value)) return false;
  return undefined;
}

function nameFromFieldSelector(selector: string | null): string {
  if (!selector) return '';
  // Only a selector that *requires* exactly one name identifies the object.
  const terms = selector.split(',');
  for (const term of terms) {
    const m = /^metadata\.name(==?)(.*)$/.exec(term.trim());
    if (m && m[2] !== undefined && isValidName(m[2])) return m[2];
  }
  return '';
}

/** Subresources that need a streaming (upgraded) connection, which the contract cannot carry. */
export const STREAMING_SUBRESOURCES: ReadonlySet<string> = new Set([
  'exec',
  'attach',
  'portforward',
  'proxy',
]);

export function parseRequest(method: string, rawUrl: string): ParsedRequest {
  const upper = method.toUpperCase();
  const rawPath = rawUrl.split(/[?#]/, 1)[0] ?? '';
  // Checked on the raw path: WHATWG URL parsing would silently resolve "..".
  if (/%2f|%2e|%5c|\\/i.test(rawPath))
    throw new RequestRefused('encoded "/", "." or "\\" in the request path is not accepted');
  if (rawPath.split('/').some((seg) => seg === '.' || seg === '..'))
    throw new RequestRefused('"." and ".." path segments are not accepted');
  let url: URL;
  try {
    url = new URL(rawUrl, 'https://gateway.invalid');
  } catch {
    throw new RequestRefused(`malformed request URL`);
  }
  if (url.origin !== 'https://gateway.invalid')
    throw new RequestRefused('absolute-form request URLs are not accepted');
  const parts = url.pathname.split('/').filter((p) => p !== '');

  const nonResource = (): ParsedRequest => ({
    kind: 'nonResource',
    verb: upper.toLowerCase(),
    path: '/' + parts.join('/'),
    discovery: (upper === 'GET' || upper === 'HEAD') && isDiscoveryPath(parts),
    query: canonicalQuery(url.search),
  });

  if (parts.length < 3) return nonResource();
  const prefix = parts[0];
  if (prefix !== 'api' && prefix !== 'apis') return nonResource();
  let rest = parts.slice(1);
  let apiGroup = '';
  if (prefix === 'apis') {
    if (rest.length < 3) return nonResource();
    apiGroup = rest[0]!;
    rest = rest.slice(1);
    validate.group(apiGroup);
  }
  const version = rest[0]!;
  validate.version(version);
  rest = rest.slice(1);

  let verb: string;
  if (rest[0] === 'watch' || rest[0] === 'proxy') {
    if (rest.length < 2) throw new RequestRefused(`the "${rest[0]}" path needs a resource`);
    verb = rest[0];
    rest = rest.slice(1);
  } else {
    const mapped = VERB_FOR_METHOD[upper];
    if (!mapped) throw new RequestRefused(`HTTP method ${upper} is not a Kubernetes API verb`, 405);
    verb = mapped;
  }

  let namespace = '';
  if (rest[0] === 'namespaces') {
    if (rest.length > 1) {
      namespace = rest[1]!;
      validate.namespace(namespace);
      if (rest.length > 2 && !NAMESPACE_SUBRESOURCES.has(rest[2]!)) rest = rest.slice(2);
    }
  }

  let subresource = '';
  let name = '';
  let resource = '';
  if (rest.length > 3)
    throw new RequestRefused(`path has ${rest.length - 3} segment(s) after the subresource`);
  if (rest.length >= 3 && verb !== 'proxy') subresource = rest[2]!;
  if (rest.length >= 2) name = rest[1]!;
  if (rest.length >= 1) resource = rest[0]!;
  if (resource === '') throw new RequestRefused('the request path names no resource');
  validate.resource(resource);
  if (name !== '') validate.name(name);
  if (subresource !== '') validate.subresource(subresource);

  // A streaming call (exec, attach, port-forward, proxy) is refused for what it is, whatever its
  // parameters (exec's "command", "stdin", ...), so its query is not checked.
  const query = verb === 'proxy' || STREAMING_SUBRESOURCES.has(subresource) ? '' : canonicalQuery(url.search);
  const params = new URLSearchParams(query);
  if (name === '' && verb === 'get') {
    const watch = params.get('watch');
    verb = watch !== null && parseBool(watch) !== false ? 'watch' : 'list';
    name = nameFromFieldSelector(params.get('fieldSelector'));
  }
  if (name === '' && verb === 'delete') verb = 'deletecollection';

  return { kind: 'resource', verb, apiGroup, version, resource, subresource, namespace, name, query };
}
