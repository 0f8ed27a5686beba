/**
 * kubectl --as / --as-group arrive as Impersonate-User / Impersonate-Group
 * headers. The gateway passes them to the contract, which checks the
 * SealToken's `impersonate` rules on users/<name> and groups/<name> and
 * records them, and the executor acts as that user. Impersonate-Uid and
 * Impersonate-Extra-* have no place in the contract and are refused.
 */
import type { IncomingHttpHeaders } from 'node:http';

export interface Impersonation {
  user: string;
  groups: string[];
}

/** The impersonation a request asks for, none, or why it cannot be carried. */
export function impersonationOf(
  headers: IncomingHttpHeaders,
  distinct: NodeJS.Dict<string[]>,
): { impersonate?: Impersonation; refused?: string } {
  const unsupported = Object.keys(headers).find(
    (h) => h.startsWith('impersonate-') && h !== 'impersonate-user' && h !== 'impersonate-group',
  );
  if (unsupported)
    return {
      refused: `${unsupported} is not carried by the K3s-DaaS contract; impersonate with kubectl --as (and --as-group) only`,
    };
  const users = distinct['impersonate-user'] ?? [];
  const groups = distinct['impersonate-group'] ?? [];
  if (users.length === 0 && groups.length === 0) return {};
  if (users.length !== 1 || !users[0])
    return {
      refused: 'impersonation needs exactly one user (kubectl --as <user>); --as-group alone is not allowed',
    };
  return { impersonate: { user: users[0], groups } };
}
