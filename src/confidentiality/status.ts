/**
 * A SealFailure as the Kubernetes Status kubectl prints: the servers and why, as causes too.
 * `details.kind` is `Seal`, so the gateway can tell these apart (discovery answers them as text).
 */
import { failureStatus, type K8sStatus } from '../k8s/status.ts';
import { SealFailure } from './seal-failure.ts';

export function sealStatus(e: unknown, context?: string): K8sStatus {
  const f = e instanceof SealFailure ? e : new SealFailure('unavailable', (e as Error)?.message ?? String(e));
  const message = `${context ? `${context}: ` : ''}${f.message}; nothing was sent in clear`;
  const reason = f.code === 403 ? 'Forbidden' : f.code === 502 ? 'InternalError' : 'ServiceUnavailable';
  return failureStatus(f.code, message, reason, {
    kind: SEAL_STATUS_KIND,
    ...(f.servers.length > 0
      ? {
          causes: f.servers.map((s) => ({
            reason: f.kind,
            field: s.objectId,
            message: `${s.url ?? ''} ${s.why}`.trim(),
          })),
        }
      : {}),
  });
}

export const SEAL_STATUS_KIND = 'Seal';

export function isSealStatus(s: K8sStatus): boolean {
  return s.details?.kind === SEAL_STATUS_KIND;
}
