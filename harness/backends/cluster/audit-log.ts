/**
 * What a Kubernetes API server received, as the same records on every cluster the tests run on:
 * the embedded server keeps them in memory; kube-apiserver writes them to its audit log
 * (`--audit-log-path`, JSON lines, one `ResponseComplete` event per request; policy in
 * harness/controlplane/flags.ts), which this module reads incrementally.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { METHOD_FOR_VERB } from '../../../src/k8s/request.ts';
import type { AuditRecord } from '../../embedded/kube/index.ts';

/** What kube-apiserver recorded of one request: the embedded server's record without its timing. */
export type ApiAuditRecord = Omit<AuditRecord, 'durationMs'>;

/** The fields of an audit.k8s.io/v1 Event this reader uses. */
interface AuditEvent {
  stageTimestamp?: string;
  requestReceivedTimestamp?: string;
  verb?: string;
  requestURI?: string;
  user?: { username?: string; groups?: string[] };
  impersonatedUser?: { username?: string; groups?: string[] };
  responseStatus?: { code?: number };
}

export function auditRecordOf(e: AuditEvent): ApiAuditRecord {
  const verb = e.verb ?? '';
  const base = {
    time: e.stageTimestamp ?? e.requestReceivedTimestamp ?? '',
    verb,
    // Non-resource requests carry the HTTP method, lower-cased, as their verb.
    method: METHOD_FOR_VERB[verb] ?? verb.toUpperCase(),
    path: e.requestURI ?? '',
    code: e.responseStatus?.code ?? 0,
  };
  const as = e.impersonatedUser;
  if (as?.username)
    return { ...base, user: as.username, groups: as.groups ?? [], impersonatedBy: e.user?.username ?? '' };
  return { ...base, user: e.user?.username ?? '', groups: e.user?.groups ?? [] };
}

/** Reads an audit log as it grows: each call parses only what was appended since the last. */
export class AuditLogReader {
  private offset = 0;
  private partial = '';
  private readonly records: ApiAuditRecord[] = [];

  constructor(private readonly path: string) {}

  /** Every record so far, oldest first (synchronous, so tests can take `length` before and after). */
  read(): ApiAuditRecord[] {
    let size: number;
    try {
      size = statSync(this.path).size;
    } catch {
      return [...this.records]; // not written yet: no request finished so far
    }
    if (size > this.offset) {
      const buf = Buffer.alloc(size - this.offset);
      const fd = openSync(this.path, 'r');
      try {
        readSync(fd, buf, 0, buf.length, this.offset);
      } finally {
        closeSync(fd);
      }
      this.offset = size;
      const lines = (this.partial + buf.toString('utf8')).split('\n');
      this.partial = lines.pop() ?? '';
      for (const line of lines)
        if (line.trim()) this.records.push(auditRecordOf(JSON.parse(line) as AuditEvent));
    }
    return [...this.records];
  }
}
