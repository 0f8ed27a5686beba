/** A SealFailure as the Kubernetes Status kubectl prints: the servers and why, as causes too. */
import { failureStatus, type K8sStatus } from '../shared/k8s-status.ts';
import { SealFailure } from './seal-failure.ts';

export function sealStatus(e: unknown, context?: string): K8sStatus {
  const f = e instanceof SealFailure ? e : new SealFailure('unavailable', (e as Error)?.message ?? String(e));
  const message = `${context ? `${context}: ` : ''}${f.message}; nothing was sent in clear`;
  const reason = f.code === 403 ? 'Forbidden' : f.code === 502 ? 'InternalError' : 'ServiceUnavailable';
  return failureStatus(
    f.code,
    message,
    reason,
    f.servers.length > 0
      ? {
          name: 'seal',
          causes: f.servers.map((s) => ({ reason: f.kind, field: s.objectId, message: `${s.url ?? ''} ${s.why}`.trim() })),
        }
      : undefined,
  );
}
