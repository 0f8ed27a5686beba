// Scheduler and kubelet (kwok-like): binds pods to the simulated nodes, reports them Running, runs containers to completion or into crash loops.
import { randomBytes } from 'node:crypto';
import type { KubeObject } from '../store.ts';
import { deepClone } from '../patch.ts';
import { type Obj, now } from './helpers.ts';
import type { Controllers } from '../controllers.ts';

export function syncPod(ctl: Controllers, ns: string, name: string): void {
  const podKind = ctl.k('', 'pods');
  const pod = ctl.r.tryGet(podKind, ns, name) as Obj | undefined;
  if (!pod || pod.metadata.deletionTimestamp) return;
  if (ctl.startEphemeralContainers(pod)) return;
  if (!pod.spec.nodeName) {
    const node = ctl.opts.nodes[ctl.nodeIndex++ % ctl.opts.nodes.length]!;
    const next = deepClone(pod);
    next.spec.nodeName = node;
    const t = now();
    next.status = {
      ...next.status,
      phase: 'Pending',
      conditions: [{ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: t }],
    };
    const written = ctl.r.writeRaw(podKind, next as KubeObject);
    ctl.event(
      written,
      'Normal',
      'Scheduled',
      `Successfully assigned ${ns}/${name} to ${node}`,
      'default-scheduler',
    );
    return;
  }
  if (pod.status?.phase === 'Pending' && !pod.status?.containerStatuses) {
    ctl.writePodStatus(pod, ctl.waitingStatus(pod));
    ctl.later(ctl.opts.podStartMs, () => ctl.startPod(ns, name, pod.metadata.uid));
  }
}

export function waitingStatus(ctl: Controllers, pod: Obj): Obj {
  return {
    ...pod.status,
    phase: 'Pending',
    hostIP: ctl.nodeIp(pod.spec.nodeName),
    hostIPs: [{ ip: ctl.nodeIp(pod.spec.nodeName) }],
    startTime: now(),
    containerStatuses: (pod.spec.containers as Obj[]).map((c) => ({
      name: c.name,
      image: c.image,
      imageID: '',
      ready: false,
      restartCount: 0,
      started: false,
      state: { waiting: { reason: 'ContainerCreating' } },
      lastState: {},
    })),
  };
}

export function nodeIp(ctl: Controllers, node: string): string {
  const i = Math.max(0, ctl.opts.nodes.indexOf(node));
  return `10.0.0.${i + 2}`;
}

/** kubectl debug's containers, added through pods/ephemeralcontainers, run at once (simulated). */
export function startEphemeralContainers(ctl: Controllers, pod: Obj): boolean {
  const eph = (pod.spec.ephemeralContainers ?? []) as Obj[];
  const have = new Set(((pod.status?.ephemeralContainerStatuses ?? []) as Obj[]).map((s) => s.name));
  const fresh = eph.filter((c) => !have.has(c.name));
  if (pod.status?.phase !== 'Running' || !fresh.length) return false;
  const t = now();
  ctl.writePodStatus(pod, {
    ...pod.status,
    ephemeralContainerStatuses: [
      ...((pod.status.ephemeralContainerStatuses ?? []) as Obj[]),
      ...fresh.map((c) => ({
        name: c.name,
        image: c.image,
        imageID: `docker.io/library/${c.image}@sha256:${'0'.repeat(64)}`,
        containerID: `embedded://${randomBytes(16).toString('hex')}`,
        ready: false,
        restartCount: 0,
        state: { running: { startedAt: t } },
        lastState: {},
      })),
    ],
  });
  return true;
}

export function writePodStatus(ctl: Controllers, pod: Obj, status: Obj): KubeObject | undefined {
  return ctl.r.writeStatus(ctl.k('', 'pods'), pod as KubeObject, status);
}

export function startPod(ctl: Controllers, ns: string, name: string, uid: string): void {
  const pod = ctl.r.tryGet(ctl.k('', 'pods'), ns, name) as Obj | undefined;
  if (!pod || pod.metadata.uid !== uid || pod.metadata.deletionTimestamp) return;
  const t = now();
  const runToCompletion = pod.spec.restartPolicy !== 'Always';
  const crash = (c: Obj): boolean => /crash|fail/i.test(String(c.image ?? ''));
  const containers = pod.spec.containers as Obj[];
  const ip = `10.244.${Math.max(0, ctl.opts.nodes.indexOf(pod.spec.nodeName))}.${(ctl.ipCounter++ % 250) + 2}`;
  for (const c of containers) {
    ctl.event(
      pod as KubeObject,
      'Normal',
      'Pulled',
      `Container image "${c.image}" already present on machine`,
      'kubelet',
      `spec.containers{${c.name}}`,
    );
    ctl.event(
      pod as KubeObject,
      'Normal',
      'Created',
      `Created container: ${c.name}`,
      'kubelet',
      `spec.containers{${c.name}}`,
    );
    ctl.event(
      pod as KubeObject,
      'Normal',
      'Started',
      `Started container ${c.name}`,
      'kubelet',
      `spec.containers{${c.name}}`,
    );
  }
  const statuses = containers.map((c) => {
    if (crash(c) && !runToCompletion)
      return {
        name: c.name,
        image: c.image,
        imageID: `docker.io/library/${c.image}@sha256:${'0'.repeat(64)}`,
        containerID: `embedded://${randomBytes(16).toString('hex')}`,
        ready: false,
        started: false,
        restartCount: 1,
        state: {
          waiting: {
            reason: 'CrashLoopBackOff',
            message: `back-off 10s restarting failed container=${c.name} pod=${name}_${ns}(${uid})`,
          },
        },
        lastState: {
          terminated: {
            exitCode: 1,
            reason: 'Error',
            startedAt: t,
            finishedAt: t,
            containerID: 'embedded://previous',
          },
        },
      };
    return {
      name: c.name,
      image: c.image,
      imageID: `docker.io/library/${c.image}@sha256:${'0'.repeat(64)}`,
      containerID: `embedded://${randomBytes(16).toString('hex')}`,
      ready: true,
      started: true,
      restartCount: 0,
      state: { running: { startedAt: t } },
      lastState: {},
    };
  });
  const allReady = statuses.every((s) => s.ready);
  const cond = (type: string, ok: boolean): Obj => ({
    type,
    status: ok ? 'True' : 'False',
    lastProbeTime: null,
    lastTransitionTime: t,
    ...(ok
      ? {}
      : {
          reason: 'ContainersNotReady',
          message: `containers with unready status: [${statuses
            .filter((s) => !s.ready)
            .map((s) => s.name)
            .join(' ')}]`,
        }),
  });
  const written = ctl.writePodStatus(pod, {
    ...pod.status,
    phase: 'Running',
    conditions: [
      cond('PodReadyToStartContainers', true),
      { type: 'Initialized', status: 'True', lastProbeTime: null, lastTransitionTime: t },
      cond('Ready', allReady),
      cond('ContainersReady', allReady),
      {
        type: 'PodScheduled',
        status: 'True',
        lastProbeTime: null,
        lastTransitionTime: pod.status?.startTime ?? t,
      },
    ],
    podIP: ip,
    podIPs: [{ ip }],
    containerStatuses: statuses,
  });
  if (written && !allReady)
    ctl.event(
      written,
      'Warning',
      'BackOff',
      `Back-off restarting failed container ${statuses.find((s) => !s.ready)!.name} in pod ${name}_${ns}(${uid})`,
      'kubelet',
    );
  if (runToCompletion) ctl.later(ctl.opts.podCompleteMs, () => ctl.completePod(ns, name, uid));
}

export function completePod(ctl: Controllers, ns: string, name: string, uid: string): void {
  const pod = ctl.r.tryGet(ctl.k('', 'pods'), ns, name) as Obj | undefined;
  if (!pod || pod.metadata.uid !== uid || pod.status?.phase !== 'Running') return;
  const t = now();
  const failed = (pod.spec.containers as Obj[]).some((c) => /crash|fail/i.test(String(c.image ?? '')));
  const statuses = (pod.status.containerStatuses as Obj[]).map((s) => ({
    ...s,
    ready: false,
    started: false,
    state: {
      terminated: {
        exitCode: failed ? 1 : 0,
        reason: failed ? 'Error' : 'Completed',
        startedAt: s.state?.running?.startedAt ?? t,
        finishedAt: t,
        containerID: s.containerID,
      },
    },
  }));
  const cond = (type: string): Obj => ({
    type,
    status: 'False',
    lastProbeTime: null,
    lastTransitionTime: t,
    reason: 'PodCompleted',
  });
  ctl.writePodStatus(pod, {
    ...pod.status,
    phase: failed ? 'Failed' : 'Succeeded',
    conditions: [
      { type: 'PodReadyToStartContainers', status: 'False', lastProbeTime: null, lastTransitionTime: t },
      {
        type: 'Initialized',
        status: 'True',
        lastProbeTime: null,
        lastTransitionTime: t,
        reason: 'PodCompleted',
      },
      cond('Ready'),
      cond('ContainersReady'),
      { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: t },
    ],
    containerStatuses: statuses,
  });
}
