// What every request handler shares: the kinds, the objects, the documents, credentials and the audit log.
import type { ServerResponse } from 'node:http';
import type { StaticToken, UserInfo } from '../auth.ts';
import type { OpenApiDocuments } from '../openapi.ts';
import type { RbacAuthorizer } from '../rbac.ts';
import type { KindRegistry } from '../registry.ts';
import type { Resources } from '../resources.ts';

export interface AuditRecord {
  time: string;
  user: string;
  groups: string[];
  impersonatedBy?: string;
  verb: string;
  method: string;
  path: string;
  code: number;
  /** Time from request arrival to the last byte handed to the socket. */
  durationMs: number;
}

export interface HttpContext {
  registry: KindRegistry;
  resources: Resources;
  openapi: OpenApiDocuments;
  tokens: Map<string, StaticToken>;
  rbac: RbacAuthorizer;
  rbacEnabled: () => boolean;
  audit: AuditRecord[];
  auditLimit: number;
  bookmarkIntervalMs: number;
  /** Identity given to plain-HTTP callers without credentials (in-process use). */
  plainHttpUser?: UserInfo;
  serverAddress: string;
  /** Open watch/follow responses, closed on stop(). */
  streams: Set<ServerResponse>;
}
