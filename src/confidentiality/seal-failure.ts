/**
 * Turns what the key servers answered during a failed Seal operation into one error that
 * names each server and why: 403 when a server refused (policy denied, session rejected),
 * 503 when too few answered (down, timed out, 5xx). Kubernetes callers get it as a Status.
 */
import type { OutcomeLog, ServerOutcome } from './key-server-fetch.ts';

export interface KeyServerInfo {
  objectId: string;
  name?: string;
  url?: string;
}

export type SealFailureKind = 'unavailable' | 'denied' | 'stale-session' | 'undecryptable' | 'config';

/** HTTP code per kind: what kubectl shows. */
const CODE: Record<SealFailureKind, number> = {
  unavailable: 503,
  denied: 403,
  'stale-session': 403,
  undecryptable: 502,
  config: 503,
};

export class SealFailure extends Error {
  override name = 'SealFailure';
  readonly code: number;
  constructor(
    readonly kind: SealFailureKind,
    message: string,
    /** The servers that failed, each with why. */
    readonly servers: Array<KeyServerInfo & { why: string }> = [],
  ) {
    super(message);
    this.code = CODE[kind];
  }
}

/** Seal's error names that mean "the server refused to give this caller the key". */
const DENIED = new Set([
  'NoAccess',
  'InvalidPTB',
  'InvalidPackage',
  'InvalidParameter',
  'UnsupportedPackageId',
]);
/** …and those that mean the session key / certificate was not accepted. */
const SESSION = new Set([
  'ExpiredSessionKey',
  'InvalidSessionSignature',
  'InvalidSessionKeySignature',
  'InvalidUserSignature',
  'InvalidCertificate',
]);

function why(o: ServerOutcome): string {
  if (o.status === undefined) return `unreachable (${o.error ?? 'no answer'})`;
  const detail = [o.error, o.message].filter(Boolean).join(': ');
  return `HTTP ${o.status}${detail ? ` ${detail}` : ''}`;
}

function label(s: KeyServerInfo): string {
  const name = s.name && s.name !== s.objectId ? ` "${s.name}"` : '';
  return `${s.objectId}${name}${s.url ? ` at ${s.url}` : ''}`;
}

export interface ExplainInput {
  /** what was being done, e.g. "decrypting the response to request r-1" */
  operation: string;
  error: unknown;
  log: OutcomeLog;
  servers: KeyServerInfo[];
  threshold: number;
}

export function explainSealFailure(i: ExplainInput): SealFailure {
  if (i.error instanceof SealFailure) return i.error;
  const byUrl = new Map(i.servers.filter((s) => s.url).map((s) => [s.url!.replace(/\/+$/, ''), s]));
  const info = (o: ServerOutcome): KeyServerInfo =>
    (o.objectId ? i.servers.find((s) => s.objectId === o.objectId) : undefined) ??
    byUrl.get(o.url) ?? { objectId: o.objectId ?? '(unknown key server)', url: o.url };
  const failed = i.log.outcomes.filter(
    (o) => !(o.status !== undefined && o.status < 400) && o.error !== 'aborted',
  );
  const answered = new Set(
    i.log.outcomes.filter((o) => o.status !== undefined && o.status < 400).map((o) => info(o).objectId),
  );
  const reports = failed.map((o) => ({ ...info(o), why: why(o), outcome: o }));
  const denied = reports.filter((r) => r.outcome.error && DENIED.has(r.outcome.error));
  const session = reports.filter((r) => r.outcome.error && SESSION.has(r.outcome.error));
  const strip = (rs: typeof reports) => rs.map(({ outcome: _o, ...r }) => r);
  const list = (rs: typeof reports) => rs.map((r) => `${label(r)}: ${r.why}`).join('; ');
  const sdk = (i.error as Error)?.message ?? String(i.error);
  if (denied.length > 0)
    return new SealFailure(
      'denied',
      `Seal key server(s) refused the key for ${i.operation} (the contract's seal_approve policy denied this caller): ${list(denied)}`,
      strip(denied),
    );
  if (session.length > 0)
    return new SealFailure(
      'stale-session',
      `Seal key server(s) rejected the session key for ${i.operation} (stale or expired session; a new one is made on the next request): ${list(session)}`,
      strip(session),
    );
  if (reports.length > 0)
    return new SealFailure(
      'unavailable',
      `too few Seal key servers answered for ${i.operation}: ${answered.size} of ${i.servers.length} answered, ${i.threshold} needed; ${list(reports)}`,
      strip(reports),
    );
  const name = (i.error as Error)?.name ?? '';
  if (/Decryption|InvalidCiphertext/.test(name) || /decrypt/i.test(sdk))
    return new SealFailure(
      'undecryptable',
      `${i.operation} failed: the ciphertext does not decrypt (${name}: ${sdk})`,
    );
  return new SealFailure('unavailable', `${i.operation} failed: ${name ? `${name}: ` : ''}${sdk}`);
}
