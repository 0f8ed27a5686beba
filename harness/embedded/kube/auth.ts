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
  user?: string;
  groups: string[];
  uid?: string;
  extra: Record<string, string[]>;
}

export function impersonationHeaders(req: IncomingMessage): ImpersonationRequest | undefined {
  const user = headerValues(req, 'impersonate-user')[0];
  const groups = headerValues(req, 'impersonate-group');
  const uid = headerValues(req, 'impersonate-uid')[0];
  const extra: Record<string, string[]> = {};
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const h = req.rawHeaders[i]!.toLowerCase();
    if (h.startsWith('impersonate-extra-'))
      (extra[decodeURIComponent(h.slice(18))] ??= []).push(req.rawHeaders[i + 1]!);
  }
  if (!user && !groups.length && !uid && !Object.keys(extra).length) return undefined;
  if (!user)
    throw errors.badRequest(
      'requested impersonation without Impersonate-User: groups, uid or extra require a user',
    );
  return { user, groups, uid, extra };
}

/** The identity to act as; `canImpersonate` checks the caller's right to each requested attribute. */
export function resolveIdentity(
  caller: UserInfo,
  imp: ImpersonationRequest | undefined,
  canImpersonate: (
    caller: UserInfo,
    resource: 'users' | 'groups' | 'uids' | 'userextras',
    name: string,
  ) => boolean,
): RequestIdentity {
  if (!imp) return { user: caller };
  const deny = (what: string, name: string): ApiError =>
    new ApiError(
      403,
      'Forbidden',
      `${what} "${name}" is forbidden: User "${caller.name}" cannot impersonate resource "${what}" in API group "" at the cluster scope`,
      { name, kind: what },
    );
  if (!canImpersonate(caller, 'users', imp.user!)) throw deny('users', imp.user!);
  for (const g of imp.groups) if (!canImpersonate(caller, 'groups', g)) throw deny('groups', g);
  if (imp.uid && !canImpersonate(caller, 'uids', imp.uid)) throw deny('uids', imp.uid);
  const groups = [...imp.groups];
  if (!groups.includes('system:authenticated') && imp.user !== 'system:anonymous')
    groups.push('system:authenticated');
  return { user: { name: imp.user!, groups, uid: imp.uid, extra: imp.extra }, impersonator: caller };
}
