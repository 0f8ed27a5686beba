/**
 * A watch through the contract is a chain of windows: each window is one contract call (checked,
 * recorded, answered by the listener with the events of at most one window), and the gateway
 * streams the windows one after the other into the same HTTP response, each starting where the
 * previous one ended. These helpers hold the parts that do not need the chain.
 */
import { failureStatus } from '../k8s/status.ts';

/** The resourceVersion the next window starts from: that of the last event with one. */
export function lastResourceVersion(events: Buffer): string | undefined {
  const lines = events.toString('utf8').split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    try {
      const e = JSON.parse(line) as { object?: { metadata?: { resourceVersion?: unknown } } };
      const rv = e.object?.metadata?.resourceVersion;
      if (typeof rv === 'string' && rv !== '') return rv;
    } catch {
      // a line that is not JSON carries no resourceVersion; keep looking
    }
  }
  return undefined;
}

/**
 * The query of the next window: the same watch from `resourceVersion`. Parameters that ask for
 * a replay of the current state (sendInitialEvents, resourceVersionMatch) applied to the first
 * window only.
 */
export function nextWindowQuery(query: string, resourceVersion: string): string {
  const q = new URLSearchParams(query);
  q.set('resourceVersion', resourceVersion);
  q.delete('sendInitialEvents');
  q.delete('resourceVersionMatch');
  return q.toString();
}

/** How long the whole watch may run: the client's timeoutSeconds, capped by the gateway. */
export function watchDeadline(query: string, maxMs: number, now = Date.now()): number {
  const t = Number(new URLSearchParams(query).get('timeoutSeconds'));
  return now + (Number.isFinite(t) && t > 0 ? Math.min(t * 1000, maxMs) : maxMs);
}

/**
 * How a failure inside an open watch reaches the client: one ERROR event carrying the Status,
 * as kube-apiserver reports e.g. 410 Gone mid-stream.
 */
export function watchErrorEvent(statusCode: number, body: Buffer): string {
  let status: unknown;
  try {
    status = JSON.parse(body.toString('utf8'));
  } catch {
    status = failureStatus(statusCode, body.toString('utf8').slice(0, 1_000));
  }
  return JSON.stringify({ type: 'ERROR', object: status }) + '\n';
}
