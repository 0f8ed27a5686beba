// Authentication (static bearer tokens, client certificates) and impersonation.
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { ApiError, errors } from './status.ts';

export interface UserInfo {
  name: string;
  groups: string[];
  uid?: string;
  extra?: Record<string, string[]>;
}

export interface RequestIdentity {
  /** The identity requests are authorized as (impersonated if asked). */
  user: UserInfo;
  /** The authenticated caller when impersonating. */
  impersonator?: UserInfo;
}

export interface StaticToken {
  user: string;
  groups?: string[];
  uid?: string;
}

/** Who the caller is, from bearer token or client certificate; undefined when anonymous. */
export function authenticate(
  req: IncomingMessage,
  tokens: Map<string, StaticToken>,
  trustPlainHttp: UserInfo | undefined,
): UserInfo | undefined {
  const authz = req.headers.authorization;
  if (authz) {
    const m = authz.match(/^Bearer\s+(\S+)\s*$/i);
    if (!m) return undefined;
    const t = tokens.get(m[1]!);
    if (!t) return undefined;
    return withAuthenticated({ name: t.user, groups: t.groups ?? [], uid: t.uid });
  }
  const socket = req.socket as TLSSocket;
  if (typeof socket.getPeerCertificate === 'function' && socket.authorized) {
    const cert = socket.getPeerCertificate();
    const subject = cert?.subject as unknown as Record<string, string | string[]> | undefined;
    const cn = subject?.CN;
    if (typeof cn === 'string' && cn) {
      const o = subject?.O;
      const groups = o === undefined ? [] : Array.isArray(o) ? o : [o];
      return withAuthenticated({ name: cn, groups });
    }
  }
  if (trustPlainHttp && typeof socket.getPeerCertificate !== 'function')
    return withAuthenticated({ ...trustPlainHttp });
  return undefined;
}

function withAuthenticated(u: UserInfo): UserInfo {
  return u.groups.includes('system:authenticated')
    ? u
    : { ...u, groups: [...u.groups, 'system:authenticated'] };
}

function headerValues(req: IncomingMessage, name: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < req.rawHeaders.length; i += 2)
    if (req.rawHeaders[i]!.toLowerCase() === name) out.push(req.rawHeaders[i + 1]!);
  return out;
}

export interface ImpersonationRequest {
  user: string;
  groups: string[];
  uid?: string;
  extra: Record<string, string[]>;
}

const goStrings = (xs: string[] | undefined): string =>
  xs === undefined ? '[]string(nil)' : `[]string{${xs.map((x) => JSON.stringify(x)).join(', ')}}`;

/** The wanted user as Go's %#v prints a user.DefaultInfo (kube-apiserver's 400 quotes it). */
function goUserInfo(name: string, uid: string, groups: string[], extra: Record<string, string[]>): string {
  const keys = Object.keys(extra).sort();
  const ex = keys.length
    ? `map[string][]string{${keys.map((k) => `${JSON.stringify(k)}:${goStrings(extra[k])}`).join(', ')}}`
    : 'map[string][]string(nil)';
  return `&user.DefaultInfo{Name:${JSON.stringify(name)}, UID:${JSON.stringify(uid)}, Groups:${goStrings(groups.length ? groups : undefined)}, Extra:${ex}}`;
}

/** The Impersonate-* headers (processImpersonationHeaders); undefined when none is sent. */
export function impersonationHeaders(req: IncomingMessage): ImpersonationRequest | undefined {
  const user = headerValues(req, 'impersonate-user')[0] ?? '';
  const groups = headerValues(req, 'impersonate-group');
  const uid = headerValues(req, 'impersonate-uid')[0] ?? '';
  const extra: Record<string, string[]> = {};
  let hasExtra = false;
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const h = req.rawHeaders[i]!.toLowerCase();
    if (!h.startsWith('impersonate-extra-')) continue;
    hasExtra = true;
    let key = h.slice(18);
    try {
      key = decodeURIComponent(key);
    } catch {
      // Go's unescapeExtraKey keeps a key it cannot unescape as it is.
    }
    (extra[key] ??= []).push(req.rawHeaders[i + 1]!);
  }
  if (!user && (uid || groups.length || hasExtra))
    throw errors.badRequest(
      `requested ${goUserInfo('', uid, groups, extra)} without impersonating a user name`,
    );
  if (!user) return undefined;
  return { user, groups, ...(uid ? { uid } : {}), extra };
}

/** What an impersonation check is asked: the caller and kube-apiserver's authorizer attributes. */
export interface ImpersonationAttributes {
  verb: string;
  group: string;
  resource: string;
  subresource?: string;
  namespace?: string;
  name?: string;
  path?: string;
}

/** The authorizer: allowed, or the reason that goes after the Forbidden message. */
export type Authorize = (
  caller: UserInfo,
  a: ImpersonationAttributes,
) => { allowed: boolean; reason: string };

const SA_PREFIX = 'system:serviceaccount:';

function serviceAccountOf(name: string): { namespace: string; name: string } | undefined {
  if (!name.startsWith(SA_PREFIX)) return undefined;
  const parts = name.slice(SA_PREFIX.length).split(':');
  if (parts.length !== 2 || !parts[0] || !parts[1]) return undefined;
  return { namespace: parts[0], name: parts[1] };
}

function nodeOf(name: string): string | undefined {
  if (!name.startsWith('system:node:')) return undefined;
  const n = name.slice('system:node:'.length);
  return /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(n) && n.length <= 253
    ? n
    : undefined;
}

/** responsewriters.ForbiddenStatusError: kube-apiserver's Forbidden Status for attributes and a reason. */
export function forbiddenError(userName: string, a: ImpersonationAttributes, reason = ''): ApiError {
  let msg: string;
  if (a.path !== undefined) msg = `User "${userName}" cannot ${a.verb} path "${a.path}"`;
  else {
    const res = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
    const scope = a.namespace ? `in the namespace "${a.namespace}"` : 'at the cluster scope';
    msg = `User "${userName}" cannot ${a.verb} resource "${res}" in API group "${a.group}" ${scope}`;
  }
  if (reason) msg += `: ${reason}`;
  const gr = a.path !== undefined ? '' : a.group ? `${a.resource}.${a.group}` : a.resource;
  const message = !gr
    ? `forbidden: ${msg}`
    : a.name
      ? `${gr} "${a.name}" is forbidden: ${msg}`
      : `${gr} is forbidden: ${msg}`;
  const details: Record<string, string> = {};
  if (a.name) details.name = a.name;
  if (a.path === undefined && a.group) details.group = a.group;
  if (a.path === undefined && a.resource) details.kind = a.resource;
  return new ApiError(403, 'Forbidden', message, details);
}

/**
 * One impersonation mode's checks (impersonationModeState.check): the user (or service account, or
 * node), the uid, each group, each extra value; then the implicit groups.
 */
function checkMode(
  caller: UserInfo,
  imp: ImpersonationRequest,
  verb: string,
  constrained: boolean,
  authorize: Authorize,
): UserInfo {
  const AUTHN = 'authentication.k8s.io';
  const gv = constrained ? AUTHN : '';
  const check = (a: ImpersonationAttributes): void => {
    const d = authorize(caller, a);
    if (!d.allowed) throw forbiddenError(caller.name, a, d.reason);
  };
  let groups = [...imp.groups];
  const userAttrs: ImpersonationAttributes = { verb, group: gv, resource: 'users', name: imp.user };
  const node = constrained ? nodeOf(imp.user) : undefined;
  if (node !== undefined) {
    userAttrs.resource = 'nodes';
    userAttrs.name = node;
    if (imp.groups.length)
      throw forbiddenError(
        caller.name,
        userAttrs,
        `when impersonating a node, cannot impersonate groups [${imp.groups.map((g) => JSON.stringify(g)).join(' ')}]`,
      );
    groups = ['system:nodes'];
  }
  const sa = serviceAccountOf(imp.user);
  if (sa) {
    userAttrs.resource = 'serviceaccounts';
    userAttrs.namespace = sa.namespace;
    userAttrs.name = sa.name;
    if (constrained && imp.groups.length)
      throw forbiddenError(
        caller.name,
        userAttrs,
        `when impersonating a service account, cannot impersonate groups [${imp.groups.map((g) => JSON.stringify(g)).join(' ')}]`,
      );
    if (!imp.groups.length) groups = ['system:serviceaccounts', `system:serviceaccounts:${sa.namespace}`];
  }
  check(userAttrs);
  if (imp.uid) check({ verb, group: AUTHN, resource: 'uids', name: imp.uid });
  if (imp.groups.length) {
    const g: ImpersonationAttributes = { verb, group: gv, resource: 'groups', name: '' };
    if (constrained && imp.groups.includes(''))
      throw forbiddenError(caller.name, g, 'impersonating the empty string group is not allowed');
    if (constrained && imp.groups.includes('system:masters'))
      throw forbiddenError(
        caller.name,
        { ...g, name: 'system:masters' },
        'impersonating the system:masters group is not allowed',
      );
    const many = constrained && imp.groups.length >= 4 && authorize(caller, { ...g, name: '*' }).allowed;
    if (!many) for (const name of imp.groups) check({ ...g, name });
  }
  const keys = Object.keys(imp.extra);
  if (keys.length) {
    const count = keys.reduce((n, k) => n + imp.extra[k]!.length, 0);
    const e: ImpersonationAttributes = { verb, group: AUTHN, resource: 'userextras' };
    const many =
      constrained &&
      (keys.length >= 4 || count >= 4) &&
      authorize(caller, { ...e, subresource: '*', name: '*' }).allowed;
    if (!many) for (const k of keys) for (const v of imp.extra[k]!) check({ ...e, subresource: k, name: v });
  }
  if (imp.user === 'system:anonymous') {
    if (!groups.includes('system:unauthenticated')) groups.push('system:unauthenticated');
  } else if (!groups.includes('system:unauthenticated') && !groups.includes('system:authenticated'))
    groups.push('system:authenticated');
  return {
    name: imp.user,
    groups,
    ...(imp.uid ? { uid: imp.uid } : {}),
    ...(keys.length ? { extra: imp.extra } : {}),
  };
}

/**
 * The identity to act as, by kube-apiserver 1.36's constrained impersonation: the modes
 * arbitrary-node, serviceaccount and user-info (each needs `impersonate-on:<mode>:<verb>` on what
 * the request does, then `impersonate:<mode>` on the identity, in group authentication.k8s.io),
 * then the legacy mode (`impersonate` on users/groups/serviceaccounts in group "", uids and
 * userextras in authentication.k8s.io). The first mode's refusal is the answer when all fail.
 */
export function resolveIdentity(
  caller: UserInfo,
  imp: ImpersonationRequest | undefined,
  request: ImpersonationAttributes,
  authorize: Authorize,
  modeCache?: Map<string, string>,
): RequestIdentity {
  if (!imp) return { user: caller };
  const onlyName = !imp.uid && !imp.groups.length && !Object.keys(imp.extra).length;
  const isNode = nodeOf(imp.user) !== undefined;
  const isSa = serviceAccountOf(imp.user) !== undefined;
  const modes: { mode: string; applies: boolean }[] = [
    { mode: 'arbitrary-node', applies: onlyName && isNode },
    { mode: 'serviceaccount', applies: onlyName && isSa },
    { mode: 'user-info', applies: !isNode && !isSa },
    { mode: 'legacy', applies: true },
  ];
  const attempt = (mode: string): UserInfo => {
    if (mode === 'legacy') return checkMode(caller, imp, 'impersonate', false, authorize);
    const on = { ...request, verb: `impersonate-on:${mode}:${request.verb}` };
    const d = authorize(caller, on);
    if (!d.allowed) throw forbiddenError(caller.name, on, d.reason);
    return checkMode(caller, imp, `impersonate:${mode}`, true, authorize);
  };
  // kube-apiserver remembers, per requestor name, the mode that last worked and tries it first:
  // when every mode fails, the refusal of the first one tried is the answer.
  const cached = modeCache?.get(caller.name);
  const order = cached
    ? [cached, ...modes.map((m) => m.mode).filter((m) => m !== cached)]
    : modes.map((m) => m.mode);
  let first: ApiError | undefined;
  for (const mode of order) {
    if (!modes.find((m) => m.mode === mode)!.applies) continue;
    try {
      const user = attempt(mode);
      if (modeCache) {
        if (modeCache.size >= 10_000) modeCache.delete(modeCache.keys().next().value!);
        modeCache.set(caller.name, mode);
      }
      return { user, impersonator: caller };
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      first ??= e;
    }
  }
  throw first!;
}
