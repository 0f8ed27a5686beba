export { startEmbeddedKube, type EmbeddedKube, type EmbeddedKubeOptions } from './server.ts';
export type { StaticToken, UserInfo } from './auth.ts';
export type { AuditRecord } from './http.ts';
