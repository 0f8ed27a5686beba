/**
 * Validation of URL path segments. kube-apiserver refuses "." and ".." and
 * segments containing "/" or "%"; we are stricter and accept only the
 * characters Kubernetes names can actually contain, so a rebuilt URL can
 * never address anything the contract did not check.
 */
import { RequestRefused } from './request.ts';

const NAME = /^[A-Za-z0-9][A-Za-z0-9._:@-]{0,252}$/;
const NAMESPACE = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const GROUP = /^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$/;
const VERSION = /^v[0-9]+((alpha|beta)[0-9]+)?$/;
const RESOURCE = /^[a-z][a-z0-9.-]{0,62}$/;
const SUBRESOURCE = /^[a-z][a-z0-9-]{0,62}$/;

function check(kind: string, value: string, re: RegExp): void {
  if (!re.test(value) || value === '.' || value === '..') {
    throw new RequestRefused(`invalid ${kind} "${truncate(value)}" in the request path`);
  }
}

function truncate(s: string): string {
  return s.length > 64 ? `${s.slice(0, 64)}…` : s;
}

export const validate = {
  name: (v: string) => check('name', v, NAME),
  namespace: (v: string) => check('namespace', v, NAMESPACE),
  group: (v: string) => check('API group', v, GROUP),
  version: (v: string) => check('API version', v, VERSION),
  resource: (v: string) => check('resource', v, RESOURCE),
  subresource: (v: string) => check('subresource', v, SUBRESOURCE),
};

export function isValidName(v: string): boolean {
  return NAME.test(v);
}
