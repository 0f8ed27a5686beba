// The embedded server's own URL parser (kept apart from the product's parser, so one bug cannot hide the other).
import type { KindRegistry, ResourceKind } from '../registry.ts';
import { errors } from '../status.ts';

export interface Target {
  rk: ResourceKind;
  namespace?: string;
  name?: string;
  subresource?: string;
  watchPrefix: boolean;
}

/** Maps a URL path onto a resource kind, namespace, name and subresource. */
export function parseResourcePath(reg: KindRegistry, path: string): Target | undefined {
  let segs: string[];
  try {
    segs = path
      .split('/')
      .filter(Boolean)
      .map((s) => decodeURIComponent(s));
  } catch {
    throw errors.badRequest(`malformed percent-encoding in path "${path}"`);
  }
  let group: string;
  let version: string;
  let rest: string[];
  if (segs[0] === 'api' && segs.length >= 2) {
    group = '';
    version = segs[1]!;
    rest = segs.slice(2);
  } else if (segs[0] === 'apis' && segs.length >= 3) {
    group = segs[1]!;
    version = segs[2]!;
    rest = segs.slice(3);
  } else return undefined;
  let watchPrefix = false;
  if (rest[0] === 'watch') {
    watchPrefix = true;
    rest = rest.slice(1);
  }
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3 && reg.get(group, version, rest[2]!)?.namespaced) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const [resource, name, subresource, ...extra] = rest;
  if (!resource || extra.length) return undefined;
  const rk = reg.get(group, version, resource);
  if (!rk) return undefined;
  if (subresource && !rk.subresources.includes(subresource)) return undefined;
  if (rk.namespaced && !namespace && name) return undefined;
  return { rk, namespace, name, subresource, watchPrefix };
}
