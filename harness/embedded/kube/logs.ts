// Deterministic container logs for the simulated kubelet. A container's lines
// come from the pod annotation `logs.embedded.k3s-daas.io/<container>` (lines
// separated by \n) if set, else from the text its command/args `echo`, else a
// fixed start-up banner.
import { ApiError, errors } from './status.ts';
import type { KubeObject } from './store.ts';

export const LOGS_ANNOTATION_PREFIX = 'logs.embedded.k3s-daas.io/';

interface Container {
  name: string;
  image?: string;
  command?: string[];
  args?: string[];
}

function echoed(c: Container): string[] | undefined {
  const words = [...(c.command ?? []), ...(c.args ?? [])];
  const joined = words.join(' ');
  const m = joined.match(/\becho\s+(?:-n\s+)?(.*?)(?:\s*(?:&&|;|\|\||$))/);
  if (!m) return undefined;
  return [m[1]!.replace(/^(['"])(.*)\1$/, '$2')];
}

export function containerLogLines(pod: KubeObject, c: Container, previous: boolean): string[] {
  const ann = pod.metadata.annotations?.[`${LOGS_ANNOTATION_PREFIX}${c.name}`];
  const ns = pod.metadata.namespace ?? 'default';
  const node = (pod.spec as { nodeName?: string } | undefined)?.nodeName ?? '<none>';
  if (previous) return [`previous run of ${c.name} in ${ns}/${pod.metadata.name} exited`];
  if (ann !== undefined) return ann.split('\n');
  return (
    echoed(c) ?? [
      `starting container ${c.name} (image ${c.image ?? '<none>'})`,
      `pod ${ns}/${pod.metadata.name} running on node ${node}`,
      `container ${c.name} ready`,
    ]
  );
}

export interface LogRequest {
  container?: string;
  previous?: boolean;
  tailLines?: number;
  timestamps?: boolean;
  limitBytes?: number;
}

/** Checks the request against the pod and returns the lines to send (without the follow tail). */
export function podLogs(pod: KubeObject, req: LogRequest): { container: string; lines: string[] } {
  const spec = (pod.spec ?? {}) as { containers?: Container[]; initContainers?: Container[] };
  const containers = [...(spec.containers ?? []), ...(spec.initContainers ?? [])];
  const name = pod.metadata.name!;
  let c: Container | undefined;
  if (req.container) {
    c = containers.find((x) => x.name === req.container);
    if (!c) throw errors.badRequest(`container ${req.container} is not valid for pod ${name}`);
  } else if ((spec.containers ?? []).length === 1) c = spec.containers![0];
  else
    throw errors.badRequest(
      `a container name must be specified for pod ${name}, choose one of: [${(spec.containers ?? []).map((x) => x.name).join(' ')}]`,
    );
  const status = (pod.status ?? {}) as {
    containerStatuses?: Array<{
      name: string;
      restartCount?: number;
      state?: { waiting?: { reason?: string } };
    }>;
  };
  const cs = status.containerStatuses?.find((s) => s.name === c!.name);
  if (!cs || cs.state?.waiting) {
    throw new ApiError(
      400,
      'BadRequest',
      `container "${c!.name}" in pod "${name}" is waiting to start: ${cs?.state?.waiting?.reason ?? 'ContainerCreating'}`,
    );
  }
  if (req.previous && !(cs.restartCount ?? 0)) {
    throw new ApiError(
      400,
      'BadRequest',
      `previous terminated container "${c!.name}" in pod "${name}" not found`,
    );
  }
  let lines = containerLogLines(pod, c!, Boolean(req.previous));
  if (req.tailLines !== undefined && req.tailLines >= 0)
    lines = req.tailLines === 0 ? [] : lines.slice(-req.tailLines);
  const started = (
    (pod.status as { startTime?: string } | undefined)?.startTime ??
    pod.metadata.creationTimestamp ??
    new Date(0).toISOString()
  ).replace('Z', '.000000000Z');
  if (req.timestamps) lines = lines.map((l) => `${started} ${l}`);
  return { container: c!.name, lines };
}
