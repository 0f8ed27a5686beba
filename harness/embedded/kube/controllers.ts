// Simulated control plane and node in the spirit of kwok: scheduler + kubelet
// for pods, and the deployment, replicaset, statefulset, daemonset, job,
// endpoints, serviceaccount, namespace, garbage-collector and CRD controllers.
import { createHash, randomBytes } from 'node:crypto';
import type { Resources } from './resources.ts';
import { grKey } from './resources.ts';
import type { KubeObject, StoreEvent } from './store.ts';
import type { ResourceKind } from './registry.ts';
import { labelSelectorMatcher } from './selectors.ts';
import { deepClone } from './patch.ts';
import { ApiError } from './status.ts';
import { registerCrd, unregisterCrd } from './crd.ts';
import { lastScheduleBetween, parseCron } from './cron.ts';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- controllers manipulate loosely-typed object trees

export interface ControllerOptions {
  nodes: string[];
  /** Delay before a scheduled pod is reported Running. */
  podStartMs: number;
  /** Delay before a run-to-completion container exits. */
  podCompleteMs: number;
  /** How often CronJob schedules are checked. */
  cronTickMs?: number;
  /** Clock for CronJob scheduling (tests move it). */
  now?: () => number;
}

function now(): string {
  return new Date().toISOString().replace(/\.\d+Z$/, 'Z');
}

/** pod-template-hash as the deployment controller computes it (stable per template). */
export function templateHash(template: unknown): string {
  const h = createHash('sha256').update(JSON.stringify(template)).digest();
  const chars = 'bcdfghjklmnpqrstvwxz2456789';
  let s = '';
  for (let i = 0; i < 10; i++) s += chars[h[i]! % chars.length];
  return s;
}

function ownerRef(owner: KubeObject): Obj {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name,
    uid: owner.metadata.uid,
    controller: true,
    blockOwnerDeletion: true,
  };
}

function ownedBy(o: KubeObject, owner: KubeObject): boolean {
  return (o.metadata.ownerReferences ?? []).some((r) => r.uid === owner.metadata.uid && r.controller);
}

function podReady(p: KubeObject): boolean {
  return ((p as Obj).status?.conditions ?? []).some((c: Obj) => c.type === 'Ready' && c.status === 'True');
}

function podActive(p: KubeObject): boolean {
  const phase = (p as Obj).status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed' && !p.metadata.deletionTimestamp;
}

export class Controllers {
  private queue = new Map<string, () => void>();
  private scheduled = false;
  private timers = new Set<NodeJS.Timeout>();
  private unsubscribe?: () => void;
  private nodeIndex = 0;
  private ipCounter = 0;
  private stopped = false;

  constructor(
    private readonly r: Resources,
    private readonly opts: ControllerOptions,
  ) {}

  private k(group: string, resource: string): ResourceKind {
    return this.r.kind(group, resource);
  }

  private cronTimer?: NodeJS.Timeout;

  start(): void {
    this.unsubscribe = this.r.store.watchAll((ev) => this.onEvent(ev));
    this.cronTimer = setInterval(() => this.run(() => this.tickCronJobs()), this.opts.cronTickMs ?? 1000);
    this.cronTimer.unref();
  }

  /** Creates the Jobs of CronJobs whose schedule came due (one per missed window, like the controller). */
  tickCronJobs(): void {
    const kind = this.k('batch', 'cronjobs');
    const jobKind = this.k('batch', 'jobs');
    const now = (this.opts.now ?? Date.now)();
    for (const cj of this.r.store.list('batch/cronjobs') as Obj[]) {
      if (cj.spec?.suspend || cj.metadata.deletionTimestamp) continue;
      let schedule;
      try {
        schedule = parseCron(String(cj.spec?.schedule ?? ''));
      } catch {
        continue;
      }
      const since = Date.parse(cj.status?.lastScheduleTime ?? cj.metadata.creationTimestamp);
      const due = lastScheduleBetween(schedule, since, now);
      const jobs = this.r.store
        .list('batch/jobs', cj.metadata.namespace)
        .filter((j) => ownedBy(j, cj as KubeObject)) as Obj[];
      const finished = (j: Obj): string | undefined =>
        ((j.status?.conditions ?? []) as Obj[]).find(
          (c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True',
        )?.type;
      let active = jobs.filter((j) => !finished(j));
      if (due !== undefined) {
        const policy = cj.spec.concurrencyPolicy ?? 'Allow';
        if (policy === 'Forbid' && active.length) {
          // Skipped this window; the next one is tried later.
        } else {
          if (policy === 'Replace')
            for (const j of active)
              this.r.delete(jobKind, j.metadata.namespace, j.metadata.name, {
                propagationPolicy: 'Background',
              });
          const tmpl = deepClone(cj.spec.jobTemplate ?? {});
          const name = `${cj.metadata.name}-${Math.floor(due / 60_000)}`;
          if (!this.r.tryGet(jobKind, cj.metadata.namespace, name)) {
            this.r.create(jobKind, cj.metadata.namespace, {
              metadata: {
                ...(tmpl.metadata ?? {}),
                name,
                namespace: cj.metadata.namespace,
                annotations: {
                  ...(tmpl.metadata?.annotations ?? {}),
                  'batch.kubernetes.io/cronjob-scheduled-timestamp': new Date(due)
                    .toISOString()
                    .replace(/\.\d+Z$/, 'Z'),
                },
                ownerReferences: [ownerRef(cj as KubeObject)],
              },
              spec: tmpl.spec ?? {},
            });
            this.event(
              cj as KubeObject,
              'Normal',
              'SuccessfulCreate',
              `Created job ${name}`,
              'cronjob-controller',
            );
          }
        }
      }
      const all = this.r.store
        .list('batch/jobs', cj.metadata.namespace)
        .filter((j) => ownedBy(j, cj as KubeObject)) as Obj[];
      active = all.filter((j) => !finished(j));
      // History limits: oldest finished jobs beyond the limits are deleted.
      for (const [type, limit] of [
        ['Complete', cj.spec.successfulJobsHistoryLimit ?? 3],
        ['Failed', cj.spec.failedJobsHistoryLimit ?? 1],
      ] as const) {
        const done = all
          .filter((j) => finished(j) === type)
          .sort((a, b) =>
            String(a.metadata.creationTimestamp).localeCompare(String(b.metadata.creationTimestamp)),
          );
        for (const j of done.slice(0, Math.max(0, done.length - limit)))
          this.r.delete(jobKind, j.metadata.namespace, j.metadata.name, { propagationPolicy: 'Background' });
      }
      const lastSuccess = all
        .filter((j) => finished(j) === 'Complete')
        .map((j) => j.status?.completionTime)
        .filter(Boolean)
        .sort()
        .pop();
      const status: Obj = {
        ...(active.length
          ? {
              active: active.map((j) => ({
                kind: 'Job',
                namespace: j.metadata.namespace,
                name: j.metadata.name,
                uid: j.metadata.uid,
                apiVersion: 'batch/v1',
                resourceVersion: j.metadata.resourceVersion,
              })),
            }
          : {}),
        ...(due !== undefined
          ? { lastScheduleTime: new Date(due).toISOString().replace(/\.\d+Z$/, 'Z') }
          : cj.status?.lastScheduleTime
            ? { lastScheduleTime: cj.status.lastScheduleTime }
            : {}),
        ...(lastSuccess ? { lastSuccessfulTime: lastSuccess } : {}),
      };
      this.r.writeStatus(kind, cj as KubeObject, status);
    }
  }

  stop(): void {
    this.stopped = true;
    this.unsubscribe?.();
    if (this.cronTimer) clearInterval(this.cronTimer);
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.queue.clear();
  }

  /** Creates the fixed cluster content: namespaces, nodes, default service accounts. */
  bootstrap(): void {
    const ns = this.k('', 'namespaces');
    for (const name of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) {
      if (!this.r.tryGet(ns, undefined, name)) this.r.create(ns, undefined, { metadata: { name } });
    }
    // The two PriorityClasses kube-apiserver creates at start-up (scheduling post-start hook).
    const pcKind = this.k('scheduling.k8s.io', 'priorityclasses');
    for (const [name, value, description] of [
      [
        'system-node-critical',
        2000001000,
        'Used for system critical pods that must not be moved from their current node.',
      ],
      [
        'system-cluster-critical',
        2000000000,
        'Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.',
      ],
    ] as const) {
      if (!this.r.tryGet(pcKind, undefined, name))
        this.r.create(pcKind, undefined, { metadata: { name }, value, description });
    }
    // The default/kubernetes service every cluster has (endpoints: the API server).
    const svcKind = this.k('', 'services');
    if (!this.r.tryGet(svcKind, 'default', 'kubernetes')) {
      this.r.create(svcKind, 'default', {
        metadata: {
          name: 'kubernetes',
          namespace: 'default',
          labels: { component: 'apiserver', provider: 'kubernetes' },
        },
        spec: {
          type: 'ClusterIP',
          clusterIP: '10.96.0.1',
          ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }],
        },
      });
      this.r.create(this.k('', 'endpoints'), 'default', {
        metadata: {
          name: 'kubernetes',
          namespace: 'default',
          labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' },
        },
        subsets: [
          { addresses: [{ ip: '10.0.0.1' }], ports: [{ name: 'https', port: 6443, protocol: 'TCP' }] },
        ],
      });
    }
    const nodeKind = this.k('', 'nodes');
    this.opts.nodes.forEach((name, i) => {
      if (this.r.tryGet(nodeKind, undefined, name)) return;
      const created = this.r.create(nodeKind, undefined, {
        metadata: {
          name,
          labels: {
            'kubernetes.io/hostname': name,
            'kubernetes.io/os': 'linux',
            'kubernetes.io/arch': 'amd64',
            'node-role.kubernetes.io/control-plane': '',
            type: 'kwok',
          },
        },
        spec: { podCIDR: `10.244.${i}.0/24`, podCIDRs: [`10.244.${i}.0/24`] },
      }).object;
      const t = now();
      this.r.writeStatus(nodeKind, created, {
        capacity: { cpu: '32', memory: '256Gi', pods: '110', 'ephemeral-storage': '1Ti' },
        allocatable: { cpu: '32', memory: '256Gi', pods: '110', 'ephemeral-storage': '1Ti' },
        conditions: [
          {
            type: 'MemoryPressure',
            status: 'False',
            reason: 'KubeletHasSufficientMemory',
            message: 'kubelet has sufficient memory available',
            lastHeartbeatTime: t,
            lastTransitionTime: t,
          },
          {
            type: 'DiskPressure',
            status: 'False',
            reason: 'KubeletHasNoDiskPressure',
            message: 'kubelet has no disk pressure',
            lastHeartbeatTime: t,
            lastTransitionTime: t,
          },
          {
            type: 'PIDPressure',
            status: 'False',
            reason: 'KubeletHasSufficientPID',
            message: 'kubelet has sufficient PID available',
            lastHeartbeatTime: t,
            lastTransitionTime: t,
          },
          {
            type: 'Ready',
            status: 'True',
            reason: 'KubeletReady',
            message: 'kubelet is posting ready status',
            lastHeartbeatTime: t,
            lastTransitionTime: t,
          },
        ],
        addresses: [
          { type: 'InternalIP', address: `10.0.0.${i + 2}` },
          { type: 'Hostname', address: name },
        ],
        nodeInfo: {
          architecture: 'amd64',
          operatingSystem: 'linux',
          osImage: 'k3s-daas embedded (kwok-like)',
          kernelVersion: '6.1.0',
          kubeletVersion: 'v1.32.0',
          kubeProxyVersion: 'v1.32.0',
          containerRuntimeVersion: 'embedded://1.0.0',
          machineID: '',
          systemUUID: '',
          bootID: '',
        },
        daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      });
      // The node heartbeat lease kubectl describe node shows.
      this.r.create(this.k('coordination.k8s.io', 'leases'), 'kube-node-lease', {
        metadata: {
          name,
          namespace: 'kube-node-lease',
          ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name, uid: created.metadata.uid }],
        },
        spec: {
          holderIdentity: name,
          leaseDurationSeconds: 40,
          renewTime: new Date().toISOString().replace('Z', '000Z'),
        },
      });
    });
    this.flush();
  }

  /** Runs queued reconciles until the queue is empty (synchronously). */
  flush(): void {
    let guard = 0;
    while (this.queue.size && guard++ < 10_000) {
      const [key, fn] = this.queue.entries().next().value as [string, () => void];
      this.queue.delete(key);
      this.run(fn);
    }
  }

  /** Last unexpected reconcile errors (a controller bug must not take the server down). */
  readonly errors: string[] = [];

  private run(fn: () => void): void {
    try {
      fn();
    } catch (e) {
      // Conflicts and NotFound during reconcile are retried on the next event, as real controllers do.
      if (e instanceof ApiError) return;
      this.errors.push(e instanceof Error ? (e.stack ?? e.message) : String(e));
      if (this.errors.length > 100) this.errors.shift();
    }
  }

  private enqueue(key: string, fn: () => void): void {
    if (this.stopped) return;
    this.queue.set(key, fn);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => {
        this.scheduled = false;
        this.flush();
      });
    }
  }

  private later(ms: number, fn: () => void): void {
    if (this.stopped) return;
    const t = setTimeout(() => {
      this.timers.delete(t);
      this.run(fn);
    }, ms);
    this.timers.add(t);
  }

  /** owner uid → dependents ("gr|namespace|name"), so garbage collection needs no full scan. */
  private dependents = new Map<string, Set<string>>();

  private indexOwners(ev: StoreEvent): void {
    const key = `${ev.gr}|${ev.object.metadata.namespace ?? ''}|${ev.object.metadata.name}`;
    for (const ref of ev.previous?.metadata.ownerReferences ?? []) this.dependents.get(ref.uid)?.delete(key);
    if (ev.type === 'DELETED') return;
    for (const ref of ev.object.metadata.ownerReferences ?? []) {
      let set = this.dependents.get(ref.uid);
      if (!set) this.dependents.set(ref.uid, (set = new Set()));
      set.add(key);
    }
  }

  private onEvent(ev: StoreEvent): void {
    this.indexOwners(ev);
    const o = ev.object;
    const ns = o.metadata.namespace;
    const key = `${ns ?? ''}/${o.metadata.name}`;
    switch (ev.gr) {
      case '/pods':
        if (ev.type !== 'DELETED') this.enqueue(`pod:${key}`, () => this.syncPod(ns!, o.metadata.name!));
        for (const ref of o.metadata.ownerReferences ?? []) this.enqueueOwner(ref.kind, ns!, ref.name);
        this.enqueueEndpointsFor(ns!);
        break;
      case 'apps/deployments':
        if (ev.type !== 'DELETED')
          this.enqueue(`deploy:${key}`, () => this.syncDeployment(ns!, o.metadata.name!));
        break;
      case 'certificates.k8s.io/certificatesigningrequests':
        if (ev.type !== 'DELETED') this.enqueue(`csr:${key}`, () => this.signCsr(o.metadata.name!));
        break;
      case '/replicationcontrollers':
        if (ev.type !== 'DELETED')
          this.enqueue(`rc:${key}`, () => this.syncReplicationController(ns!, o.metadata.name!));
        break;
      case 'apps/replicasets':
        if (ev.type !== 'DELETED')
          this.enqueue(`rs:${key}`, () => this.syncReplicaSet(ns!, o.metadata.name!));
        for (const ref of o.metadata.ownerReferences ?? []) this.enqueueOwner(ref.kind, ns!, ref.name);
        break;
      case 'apps/statefulsets':
        if (ev.type !== 'DELETED')
          this.enqueue(`sts:${key}`, () => this.syncStatefulSet(ns!, o.metadata.name!));
        break;
      case 'apps/daemonsets':
        if (ev.type !== 'DELETED') this.enqueue(`ds:${key}`, () => this.syncDaemonSet(ns!, o.metadata.name!));
        break;
      case 'batch/jobs':
        if (ev.type !== 'DELETED') this.enqueue(`job:${key}`, () => this.syncJob(ns!, o.metadata.name!));
        break;
      case '/services':
        this.enqueue(`ep:${key}`, () => this.syncEndpoints(ns!, o.metadata.name!));
        break;
      case '/namespaces':
        if (ev.type === 'ADDED') this.enqueue(`nsinit:${key}`, () => this.initNamespace(o.metadata.name!));
        if (ev.type !== 'DELETED' && o.metadata.deletionTimestamp)
          this.enqueue(`nsdel:${key}`, () => this.finalizeNamespace(o.metadata.name!));
        break;
      case 'apiextensions.k8s.io/customresourcedefinitions':
        if (ev.type === 'DELETED') unregisterCrd(this.r, o);
        else if (o.metadata.deletionTimestamp)
          this.enqueue(`crddel:${key}`, () => this.finalizeCrd(o.metadata.name!));
        else this.enqueue(`crd:${key}`, () => registerCrd(this.r, o.metadata.name!));
        break;
    }
    if (ev.type === 'DELETED' && o.metadata.uid && this.dependents.get(o.metadata.uid)?.size) {
      const uid = o.metadata.uid;
      this.enqueue(`gc:${uid}`, () => this.collectDependents(uid));
    }
  }

  private enqueueOwner(kind: string, ns: string, name: string): void {
    const key = `${ns}/${name}`;
    if (kind === 'ReplicaSet') this.enqueue(`rs:${key}`, () => this.syncReplicaSet(ns, name));
    else if (kind === 'ReplicationController')
      this.enqueue(`rc:${key}`, () => this.syncReplicationController(ns, name));
    else if (kind === 'Deployment') this.enqueue(`deploy:${key}`, () => this.syncDeployment(ns, name));
    else if (kind === 'StatefulSet') this.enqueue(`sts:${key}`, () => this.syncStatefulSet(ns, name));
    else if (kind === 'DaemonSet') this.enqueue(`ds:${key}`, () => this.syncDaemonSet(ns, name));
    else if (kind === 'Job') this.enqueue(`job:${key}`, () => this.syncJob(ns, name));
  }

  private enqueueEndpointsFor(ns: string): void {
    for (const svc of this.r.store.list('/services', ns)) {
      const name = svc.metadata.name!;
      this.enqueue(`ep:${ns}/${name}`, () => this.syncEndpoints(ns, name));
    }
  }

  /** Records a core/v1 Event about obj. */
  event(
    obj: KubeObject,
    type: 'Normal' | 'Warning',
    reason: string,
    message: string,
    component: string,
    fieldPath?: string,
  ): void {
    const ns = obj.metadata.namespace ?? 'default';
    const t = now();
    try {
      this.r.create(this.k('', 'events'), ns, {
        metadata: { name: `${obj.metadata.name}.${randomBytes(8).toString('hex')}`, namespace: ns },
        involvedObject: {
          kind: obj.kind,
          namespace: obj.metadata.namespace,
          name: obj.metadata.name,
          uid: obj.metadata.uid,
          apiVersion: obj.apiVersion,
          resourceVersion: obj.metadata.resourceVersion,
          ...(fieldPath ? { fieldPath } : {}),
        },
        reason,
        message,
        source: { component, ...(component === 'kubelet' ? { host: (obj as Obj).spec?.nodeName } : {}) },
        firstTimestamp: t,
        lastTimestamp: t,
        count: 1,
        type,
        eventTime: null,
        reportingComponent: component,
        reportingInstance: '',
      });
    } catch (e) {
      if (!(e instanceof ApiError)) throw e; // namespace may be terminating
    }
  }

  // ---------- pods: scheduler + kubelet ----------

  private syncPod(ns: string, name: string): void {
    const podKind = this.k('', 'pods');
    const pod = this.r.tryGet(podKind, ns, name) as Obj | undefined;
    if (!pod || pod.metadata.deletionTimestamp) return;
    if (this.startEphemeralContainers(pod)) return;
    if (!pod.spec.nodeName) {
      const node = this.opts.nodes[this.nodeIndex++ % this.opts.nodes.length]!;
      const next = deepClone(pod);
      next.spec.nodeName = node;
      const t = now();
      next.status = {
        ...next.status,
        phase: 'Pending',
        conditions: [{ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: t }],
      };
      const written = this.r.writeRaw(podKind, next as KubeObject);
      this.event(
        written,
        'Normal',
        'Scheduled',
        `Successfully assigned ${ns}/${name} to ${node}`,
        'default-scheduler',
      );
      return;
    }
    if (pod.status?.phase === 'Pending' && !pod.status?.containerStatuses) {
      this.writePodStatus(pod, this.waitingStatus(pod));
      this.later(this.opts.podStartMs, () => this.startPod(ns, name, pod.metadata.uid));
    }
  }

  private waitingStatus(pod: Obj): Obj {
    return {
      ...pod.status,
      phase: 'Pending',
      hostIP: this.nodeIp(pod.spec.nodeName),
      hostIPs: [{ ip: this.nodeIp(pod.spec.nodeName) }],
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

  private nodeIp(node: string): string {
    const i = Math.max(0, this.opts.nodes.indexOf(node));
    return `10.0.0.${i + 2}`;
  }

  /** kubectl debug's containers, added through pods/ephemeralcontainers, run at once (simulated). */
  private startEphemeralContainers(pod: Obj): boolean {
    const eph = (pod.spec.ephemeralContainers ?? []) as Obj[];
    const have = new Set(((pod.status?.ephemeralContainerStatuses ?? []) as Obj[]).map((s) => s.name));
    const fresh = eph.filter((c) => !have.has(c.name));
    if (pod.status?.phase !== 'Running' || !fresh.length) return false;
    const t = now();
    this.writePodStatus(pod, {
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

  private writePodStatus(pod: Obj, status: Obj): KubeObject | undefined {
    return this.r.writeStatus(this.k('', 'pods'), pod as KubeObject, status);
  }

  private startPod(ns: string, name: string, uid: string): void {
    const pod = this.r.tryGet(this.k('', 'pods'), ns, name) as Obj | undefined;
    if (!pod || pod.metadata.uid !== uid || pod.metadata.deletionTimestamp) return;
    const t = now();
    const runToCompletion = pod.spec.restartPolicy !== 'Always';
    const crash = (c: Obj): boolean => /crash|fail/i.test(String(c.image ?? ''));
    const containers = pod.spec.containers as Obj[];
    const ip = `10.244.${Math.max(0, this.opts.nodes.indexOf(pod.spec.nodeName))}.${(this.ipCounter++ % 250) + 2}`;
    for (const c of containers) {
      this.event(
        pod as KubeObject,
        'Normal',
        'Pulled',
        `Container image "${c.image}" already present on machine`,
        'kubelet',
        `spec.containers{${c.name}}`,
      );
      this.event(
        pod as KubeObject,
        'Normal',
        'Created',
        `Created container: ${c.name}`,
        'kubelet',
        `spec.containers{${c.name}}`,
      );
      this.event(
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
    const written = this.writePodStatus(pod, {
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
      this.event(
        written,
        'Warning',
        'BackOff',
        `Back-off restarting failed container ${statuses.find((s) => !s.ready)!.name} in pod ${name}_${ns}(${uid})`,
        'kubelet',
      );
    if (runToCompletion) this.later(this.opts.podCompleteMs, () => this.completePod(ns, name, uid));
  }

  private completePod(ns: string, name: string, uid: string): void {
    const pod = this.r.tryGet(this.k('', 'pods'), ns, name) as Obj | undefined;
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
    this.writePodStatus(pod, {
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

  // ---------- workloads ----------

  private podsOf(owner: KubeObject): KubeObject[] {
    return this.r.store.list('/pods', owner.metadata.namespace).filter((p) => ownedBy(p, owner));
  }

  private createPod(
    owner: KubeObject,
    template: Obj,
    name: string | undefined,
    extraLabels: Record<string, string> = {},
  ): void {
    const meta = template.metadata ?? {};
    const pod = {
      metadata: {
        ...(name ? { name } : { generateName: `${owner.metadata.name}-` }),
        namespace: owner.metadata.namespace,
        labels: { ...(meta.labels ?? {}), ...extraLabels },
        ...(meta.annotations ? { annotations: meta.annotations } : {}),
        ownerReferences: [ownerRef(owner)],
      },
      spec: deepClone(template.spec),
    };
    let created: KubeObject;
    try {
      created = this.r.create(this.k('', 'pods'), owner.metadata.namespace, pod).object;
    } catch (e) {
      // Admission (e.g. Pod Security) refused the pod: the controller reports it, as kube's do.
      if (!(e instanceof ApiError)) throw e;
      this.event(owner, 'Warning', 'FailedCreate', `Error creating: ${e.message}`, controllerName(owner));
      return;
    }
    this.event(
      owner,
      'Normal',
      'SuccessfulCreate',
      `Created pod: ${created.metadata.name}`,
      `${owner.kind === 'Job' ? 'job' : owner.kind === 'StatefulSet' ? 'statefulset' : owner.kind === 'DaemonSet' ? 'daemonset' : 'replicaset'}-controller`,
    );
  }

  private deletePod(owner: KubeObject, pod: KubeObject): void {
    try {
      this.r.delete(this.k('', 'pods'), pod.metadata.namespace, pod.metadata.name!);
      this.event(
        owner,
        'Normal',
        'SuccessfulDelete',
        `Deleted pod: ${pod.metadata.name}`,
        `${(owner.kind ?? 'replicaset').toLowerCase()}-controller`,
      );
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
    }
  }

  private syncReplicaSet(ns: string, name: string): void {
    this.syncReplicas(this.k('apps', 'replicasets'), ns, name);
  }

  /** The ReplicaSet controller's work for a ReplicationController (its selector is a map). */
  private syncReplicationController(ns: string, name: string): void {
    this.syncReplicas(this.k('', 'replicationcontrollers'), ns, name);
  }

  private syncReplicas(rsKind: ResourceKind, ns: string, name: string): void {
    const rs = this.r.tryGet(rsKind, ns, name) as Obj | undefined;
    if (!rs || rs.metadata.deletionTimestamp) return;
    const pods = this.podsOf(rs as KubeObject).filter(podActive);
    const want = rs.spec.replicas ?? 1;
    for (let i = pods.length; i < want; i++) this.createPod(rs as KubeObject, rs.spec.template, undefined);
    if (pods.length > want) {
      const extra = [...pods]
        .sort((a, b) =>
          String(b.metadata.creationTimestamp).localeCompare(String(a.metadata.creationTimestamp)),
        )
        .slice(0, pods.length - want);
      for (const p of extra) this.deletePod(rs as KubeObject, p);
    }
    const current = this.podsOf(rs as KubeObject).filter(podActive);
    const ready = current.filter(podReady).length;
    const match = labelSelectorMatcher(
      rsKind.resource === 'replicationcontrollers' ? { matchLabels: rs.spec.selector } : rs.spec.selector,
    );
    this.r.writeStatus(rsKind, rs as KubeObject, {
      replicas: current.length,
      fullyLabeledReplicas: current.filter((p) => match(p.metadata.labels)).length,
      readyReplicas: ready,
      availableReplicas: ready,
      observedGeneration: rs.metadata.generation,
    });
  }

  private syncDeployment(ns: string, name: string): void {
    const dKind = this.k('apps', 'deployments');
    const rsKind = this.k('apps', 'replicasets');
    const d = this.r.tryGet(dKind, ns, name) as Obj | undefined;
    if (!d || d.metadata.deletionTimestamp) return;
    const owned = this.r.store
      .list('apps/replicasets', ns)
      .filter((rs) => ownedBy(rs, d as KubeObject)) as Obj[];
    const hash = templateHash(d.spec.template);
    let newRs = owned.find((rs) => rs.metadata.labels?.['pod-template-hash'] === hash);
    const maxRevision = Math.max(
      0,
      ...owned.map((rs) => Number(rs.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? 0)),
    );
    const replicas = d.spec.replicas ?? 1;
    if (!newRs) {
      const template = deepClone(d.spec.template);
      template.metadata = {
        ...(template.metadata ?? {}),
        labels: { ...(template.metadata?.labels ?? {}), 'pod-template-hash': hash },
      };
      const sel = deepClone(d.spec.selector);
      sel.matchLabels = { ...(sel.matchLabels ?? {}), 'pod-template-hash': hash };
      const rsName = `${name}-${hash}`;
      newRs = this.r.create(rsKind, ns, {
        metadata: {
          name: rsName,
          namespace: ns,
          labels: template.metadata.labels,
          annotations: {
            'deployment.kubernetes.io/desired-replicas': String(replicas),
            'deployment.kubernetes.io/max-replicas': String(replicas),
            'deployment.kubernetes.io/revision': String(maxRevision + 1),
          },
          ownerReferences: [ownerRef(d as KubeObject)],
        },
        spec: { replicas: d.spec.paused ? 0 : replicas, selector: sel, template },
      }).object as Obj;
      this.event(
        d as KubeObject,
        'Normal',
        'ScalingReplicaSet',
        `Scaled up replica set ${rsName} from 0 to ${replicas}`,
        'deployment-controller',
      );
    } else if (newRs.spec.replicas !== replicas && !d.spec.paused) {
      const from = newRs.spec.replicas;
      const next = deepClone(newRs);
      next.spec.replicas = replicas;
      next.metadata.annotations = {
        ...(next.metadata.annotations ?? {}),
        'deployment.kubernetes.io/desired-replicas': String(replicas),
      };
      newRs = this.r.writeRaw(rsKind, next as KubeObject) as Obj;
      this.event(
        d as KubeObject,
        'Normal',
        'ScalingReplicaSet',
        `Scaled ${replicas > from ? 'up' : 'down'} replica set ${newRs.metadata.name} from ${from} to ${replicas}`,
        'deployment-controller',
      );
    }
    const revision = newRs.metadata.annotations?.['deployment.kubernetes.io/revision'];
    // Old replica sets are scaled down once the new one is fully available (a quick rolling update).
    const newReady = (newRs.status?.availableReplicas ?? 0) >= replicas;
    for (const rs of owned) {
      if (rs.metadata.uid === newRs.metadata.uid || !rs.spec.replicas || !newReady) continue;
      const next = deepClone(rs);
      const from = next.spec.replicas;
      next.spec.replicas = 0;
      this.r.writeRaw(rsKind, next as KubeObject);
      this.event(
        d as KubeObject,
        'Normal',
        'ScalingReplicaSet',
        `Scaled down replica set ${rs.metadata.name} from ${from} to 0`,
        'deployment-controller',
      );
    }
    const all = this.r.store
      .list('apps/replicasets', ns)
      .filter((rs) => ownedBy(rs, d as KubeObject)) as Obj[];
    const sum = (f: (rs: Obj) => number): number => all.reduce((a, rs) => a + f(rs), 0);
    const total = sum((rs) => rs.status?.replicas ?? 0);
    const updated = newRs.status?.replicas ?? 0;
    const available = sum((rs) => rs.status?.availableReplicas ?? 0);
    const ready = sum((rs) => rs.status?.readyReplicas ?? 0);
    const t = now();
    const prev: Obj[] = d.status?.conditions ?? [];
    const keep = (type: string, status: string, reason: string, message: string): Obj => {
      const old = prev.find((c) => c.type === type);
      const same = old && old.status === status && old.reason === reason;
      return {
        type,
        status,
        lastUpdateTime: same ? old.lastUpdateTime : t,
        lastTransitionTime: old && old.status === status ? old.lastTransitionTime : t,
        reason,
        message,
      };
    };
    const complete = updated === replicas && total === replicas && available >= replicas;
    const conditions = [
      available >= replicas - 0
        ? keep('Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.')
        : keep(
            'Available',
            'False',
            'MinimumReplicasUnavailable',
            'Deployment does not have minimum availability.',
          ),
      complete
        ? keep(
            'Progressing',
            'True',
            'NewReplicaSetAvailable',
            `ReplicaSet "${newRs.metadata.name}" has successfully progressed.`,
          )
        : keep(
            'Progressing',
            'True',
            'ReplicaSetUpdated',
            `ReplicaSet "${newRs.metadata.name}" is progressing.`,
          ),
    ];
    if (d.metadata.annotations?.['deployment.kubernetes.io/revision'] !== revision) {
      const next = deepClone(d);
      next.metadata.annotations = {
        ...(next.metadata.annotations ?? {}),
        'deployment.kubernetes.io/revision': revision,
      };
      this.r.writeRaw(dKind, next as KubeObject);
    }
    const cur = this.r.tryGet(dKind, ns, name);
    if (!cur) return;
    this.r.writeStatus(dKind, cur, {
      observedGeneration: cur.metadata.generation,
      replicas: total,
      updatedReplicas: updated,
      readyReplicas: ready,
      availableReplicas: available,
      ...(total - available > 0 ? { unavailableReplicas: Math.max(0, total - available) } : {}),
      conditions,
    });
  }

  private syncStatefulSet(ns: string, name: string): void {
    const kind = this.k('apps', 'statefulsets');
    const sts = this.r.tryGet(kind, ns, name) as Obj | undefined;
    if (!sts || sts.metadata.deletionTimestamp) return;
    const want = sts.spec.replicas ?? 1;
    const hash = templateHash(sts.spec.template);
    const pods = this.podsOf(sts as KubeObject).filter(podActive);
    const byName = new Map(pods.map((p) => [p.metadata.name, p]));
    for (let i = 0; i < want; i++) {
      const podName = `${name}-${i}`;
      if (byName.has(podName)) continue;
      // OrderedReady: start pod i only when pods 0..i-1 are ready.
      if (
        sts.spec.podManagementPolicy !== 'Parallel' &&
        i > 0 &&
        !podReady(byName.get(`${name}-${i - 1}`) ?? ({ metadata: {} } as KubeObject))
      )
        break;
      this.createPod(sts as KubeObject, sts.spec.template, podName, {
        'statefulset.kubernetes.io/pod-name': podName,
        'controller-revision-hash': `${name}-${hash}`,
        'apps.kubernetes.io/pod-index': String(i),
      });
      if (sts.spec.podManagementPolicy !== 'Parallel') break;
    }
    for (const p of pods) {
      const idx = Number(p.metadata.name!.slice(name.length + 1));
      if (idx >= want) this.deletePod(sts as KubeObject, p);
    }
    const current = this.podsOf(sts as KubeObject).filter(podActive);
    const ready = current.filter(podReady).length;
    this.r.writeStatus(kind, sts as KubeObject, {
      observedGeneration: sts.metadata.generation,
      replicas: current.length,
      readyReplicas: ready,
      currentReplicas: current.length,
      updatedReplicas: current.length,
      availableReplicas: ready,
      currentRevision: `${name}-${hash}`,
      updateRevision: `${name}-${hash}`,
      collisionCount: 0,
    });
  }

  private syncDaemonSet(ns: string, name: string): void {
    const kind = this.k('apps', 'daemonsets');
    const ds = this.r.tryGet(kind, ns, name) as Obj | undefined;
    if (!ds || ds.metadata.deletionTimestamp) return;
    const pods = this.podsOf(ds as KubeObject).filter(podActive) as Obj[];
    for (const node of this.opts.nodes) {
      if (pods.some((p) => p.spec.nodeName === node)) continue;
      const template = deepClone(ds.spec.template);
      template.spec.nodeName = node;
      this.createPod(ds as KubeObject, template, undefined, {
        'controller-revision-hash': templateHash(ds.spec.template),
      });
    }
    const current = this.podsOf(ds as KubeObject).filter(podActive);
    const ready = current.filter(podReady).length;
    const n = this.opts.nodes.length;
    this.r.writeStatus(kind, ds as KubeObject, {
      currentNumberScheduled: current.length,
      desiredNumberScheduled: n,
      numberMisscheduled: 0,
      numberReady: ready,
      numberAvailable: ready,
      updatedNumberScheduled: current.length,
      observedGeneration: ds.metadata.generation,
    });
  }

  private syncJob(ns: string, name: string): void {
    const kind = this.k('batch', 'jobs');
    const job = this.r.tryGet(kind, ns, name) as Obj | undefined;
    if (!job || job.metadata.deletionTimestamp) return;
    const conds: Obj[] = job.status?.conditions ?? [];
    if (conds.some((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True')) return;
    const pods = this.podsOf(job as KubeObject) as Obj[];
    const succeeded = pods.filter((p) => p.status?.phase === 'Succeeded').length;
    const failed = pods.filter((p) => p.status?.phase === 'Failed').length;
    const active = pods.filter((p) => podActive(p as KubeObject));
    const completions = job.spec.completions ?? 1;
    const parallelism = job.spec.parallelism ?? 1;
    const t = now();
    const startTime = job.status?.startTime ?? t;
    if (job.spec.suspend) return;
    if (failed > (job.spec.backoffLimit ?? 6)) {
      this.r.writeStatus(kind, job as KubeObject, {
        ...job.status,
        startTime,
        active: 0,
        failed,
        succeeded,
        ready: 0,
        terminating: 0,
        uncountedTerminatedPods: {},
        conditions: [
          {
            type: 'FailureTarget',
            status: 'True',
            reason: 'BackoffLimitExceeded',
            message: 'Job has reached the specified backoff limit',
            lastProbeTime: t,
            lastTransitionTime: t,
          },
          {
            type: 'Failed',
            status: 'True',
            reason: 'BackoffLimitExceeded',
            message: 'Job has reached the specified backoff limit',
            lastProbeTime: t,
            lastTransitionTime: t,
          },
        ],
      });
      this.event(
        job as KubeObject,
        'Warning',
        'BackoffLimitExceeded',
        'Job has reached the specified backoff limit',
        'job-controller',
      );
      return;
    }
    if (succeeded >= completions) {
      this.r.writeStatus(kind, job as KubeObject, {
        startTime,
        completionTime: t,
        active: 0,
        succeeded,
        ...(failed ? { failed } : {}),
        ready: 0,
        terminating: 0,
        uncountedTerminatedPods: {},
        conditions: [
          {
            type: 'SuccessCriteriaMet',
            status: 'True',
            reason: 'CompletionsReached',
            message: 'Reached expected number of succeeded pods',
            lastProbeTime: t,
            lastTransitionTime: t,
          },
          {
            type: 'Complete',
            status: 'True',
            reason: 'CompletionsReached',
            message: 'Reached expected number of succeeded pods',
            lastProbeTime: t,
            lastTransitionTime: t,
          },
        ],
      });
      this.event(job as KubeObject, 'Normal', 'Completed', 'Job completed', 'job-controller');
      return;
    }
    const need = Math.min(parallelism, completions - succeeded) - active.length;
    for (let i = 0; i < need; i++) this.createPod(job as KubeObject, job.spec.template, undefined);
    const nowActive = this.podsOf(job as KubeObject).filter(podActive);
    this.r.writeStatus(kind, job as KubeObject, {
      startTime,
      active: nowActive.length,
      ...(succeeded ? { succeeded } : {}),
      ...(failed ? { failed } : {}),
      ready: nowActive.filter(podReady).length,
      terminating: 0,
      uncountedTerminatedPods: {},
    });
  }

  private syncEndpoints(ns: string, name: string): void {
    const epKind = this.k('', 'endpoints');
    const svc = this.r.tryGet(this.k('', 'services'), ns, name) as Obj | undefined;
    const existing = this.r.tryGet(epKind, ns, name);
    if (!svc) {
      if (existing) this.r.delete(epKind, ns, name);
      return;
    }
    if (!svc.spec.selector) return;
    const match = labelSelectorMatcher({ matchLabels: svc.spec.selector });
    const pods = this.r.store
      .list('/pods', ns)
      .filter((p) => match(p.metadata.labels) && (p as Obj).status?.podIP && podActive(p)) as Obj[];
    const ready = pods.filter((p) => podReady(p as KubeObject));
    const notReady = pods.filter((p) => !podReady(p as KubeObject));
    const addr = (p: Obj): Obj => ({
      ip: p.status.podIP,
      nodeName: p.spec.nodeName,
      targetRef: { kind: 'Pod', namespace: ns, name: p.metadata.name, uid: p.metadata.uid },
    });
    const ports = ((svc.spec.ports ?? []) as Obj[]).map((p) => ({
      ...(p.name ? { name: p.name } : {}),
      port: typeof p.targetPort === 'number' ? p.targetPort : p.port,
      protocol: p.protocol ?? 'TCP',
    }));
    const subsets = pods.length
      ? [
          {
            ...(ready.length ? { addresses: ready.map(addr) } : {}),
            ...(notReady.length ? { notReadyAddresses: notReady.map(addr) } : {}),
            ports,
          },
        ]
      : undefined;
    const body: Obj = {
      metadata: { name, namespace: ns, labels: svc.metadata.labels ?? {} },
      ...(subsets ? { subsets } : {}),
    };
    this.syncEndpointSlice(svc, pods);
    if (!existing) this.r.create(epKind, ns, body);
    else if (JSON.stringify((existing as Obj).subsets) !== JSON.stringify(body.subsets)) {
      const next = { ...existing, ...(subsets ? { subsets } : {}) } as Obj;
      if (!subsets) delete next.subsets;
      this.r.writeRaw(epKind, next as KubeObject);
    }
  }

  /** One EndpointSlice per service (named after it), as the endpointslice controller keeps. */
  private syncEndpointSlice(svc: Obj, pods: Obj[]): void {
    const kind = this.k('discovery.k8s.io', 'endpointslices');
    const ns = svc.metadata.namespace as string;
    const name = `${svc.metadata.name}-embedded`;
    const endpoints = pods.map((p) => {
      const ready = podReady(p as KubeObject);
      return {
        addresses: [p.status.podIP],
        conditions: { ready, serving: ready, terminating: false },
        nodeName: p.spec.nodeName,
        targetRef: { kind: 'Pod', namespace: ns, name: p.metadata.name, uid: p.metadata.uid },
      };
    });
    const ports = ((svc.spec.ports ?? []) as Obj[]).map((p) => ({
      name: p.name ?? '',
      port: typeof p.targetPort === 'number' ? p.targetPort : p.port,
      protocol: p.protocol ?? 'TCP',
    }));
    const existing = this.r.tryGet(kind, ns, name) as Obj | undefined;
    if (!existing) {
      this.r.create(kind, ns, {
        metadata: {
          name,
          namespace: ns,
          labels: {
            'kubernetes.io/service-name': svc.metadata.name,
            'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io',
          },
          ownerReferences: [{ ...ownerRef(svc as KubeObject), blockOwnerDeletion: true }],
        },
        addressType: 'IPv4',
        endpoints,
        ports,
      });
    } else if (
      JSON.stringify(existing.endpoints ?? []) !== JSON.stringify(endpoints) ||
      JSON.stringify(existing.ports ?? []) !== JSON.stringify(ports)
    ) {
      this.r.writeRaw(kind, { ...existing, endpoints, ports } as unknown as KubeObject);
    }
  }

  private initNamespace(ns: string): void {
    const nsObj = this.r.tryGet(this.k('', 'namespaces'), undefined, ns);
    if (!nsObj || nsObj.metadata.deletionTimestamp) return;
    const sa = this.k('', 'serviceaccounts');
    if (!this.r.tryGet(sa, ns, 'default'))
      this.r.create(sa, ns, { metadata: { name: 'default', namespace: ns } });
    const cm = this.k('', 'configmaps');
    if (!this.r.tryGet(cm, ns, 'kube-root-ca.crt'))
      this.r.create(cm, ns, {
        metadata: {
          name: 'kube-root-ca.crt',
          namespace: ns,
          annotations: {
            'kubernetes.io/description':
              'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.',
          },
        },
        data: { 'ca.crt': this.caPem },
      });
  }

  caPem = '';
  /** The cluster CA's signer (HTTPS servers only): kube-controller-manager's csrsigning controller. */
  signer?: (csrPem: string, usages: readonly string[], expirationSeconds?: number) => Promise<string>;

  private static readonly SIGNERS = new Set([
    'kubernetes.io/kube-apiserver-client',
    'kubernetes.io/kube-apiserver-client-kubelet',
    'kubernetes.io/kubelet-serving',
  ]);

  /** Issues the certificate of an approved, not denied, not yet issued CSR for a built-in signer. */
  private signCsr(name: string): void {
    const kind = this.k('certificates.k8s.io', 'certificatesigningrequests');
    const csr = this.r.tryGet(kind, undefined, name) as Obj | undefined;
    if (!csr || !this.signer || csr.status?.certificate) return;
    const conds = (csr.status?.conditions ?? []) as Obj[];
    const has = (t: string): boolean => conds.some((c) => c.type === t && c.status !== 'False');
    if (
      !has('Approved') ||
      has('Denied') ||
      has('Failed') ||
      !Controllers.SIGNERS.has(String(csr.spec?.signerName))
    )
      return;
    const pemText = Buffer.from(String(csr.spec?.request ?? ''), 'base64').toString('utf8');
    const uid = csr.metadata.uid;
    void this.signer(
      pemText,
      (csr.spec?.usages ?? []) as string[],
      csr.spec?.expirationSeconds as number | undefined,
    ).then(
      (cert) => {
        const cur = this.r.tryGet(kind, undefined, name) as Obj | undefined;
        if (!cur || cur.metadata.uid !== uid || cur.status?.certificate) return;
        this.r.writeStatus(kind, cur as KubeObject, {
          ...cur.status,
          certificate: Buffer.from(cert).toString('base64'),
        });
      },
      (e: unknown) => {
        const cur = this.r.tryGet(kind, undefined, name) as Obj | undefined;
        if (!cur || cur.metadata.uid !== uid) return;
        const t = now();
        this.r.writeStatus(kind, cur as KubeObject, {
          ...cur.status,
          conditions: [
            ...((cur.status?.conditions ?? []) as Obj[]),
            {
              type: 'Failed',
              status: 'True',
              reason: 'SignerValidationFailure',
              message: (e as Error).message,
              lastUpdateTime: t,
              lastTransitionTime: t,
            },
          ],
        });
      },
    );
  }

  /** Namespace deletion: remove every namespaced object in it, then drop the finalizer. */
  private finalizeNamespace(ns: string): void {
    const nsKind = this.k('', 'namespaces');
    for (const rk of this.r.registry.all()) {
      if (!rk.namespaced) continue;
      for (const o of this.r.store.list(grKey(rk), ns)) {
        if (!o.metadata.finalizers?.length) this.r.store.remove(grKey(rk), o);
        else if (!o.metadata.deletionTimestamp) this.r.delete(rk, ns, o.metadata.name!);
      }
    }
    const remaining = this.r.registry
      .all()
      .some((rk) => rk.namespaced && this.r.store.list(grKey(rk), ns).length);
    if (remaining) {
      this.later(200, () => this.finalizeNamespace(ns));
      return;
    }
    const cur = this.r.tryGet(nsKind, undefined, ns) as Obj | undefined;
    if (!cur) return;
    const next = deepClone(cur);
    next.spec = { ...(next.spec ?? {}), finalizers: [] };
    this.r.update(nsKind, undefined, ns, next, {}, undefined);
  }

  private finalizeCrd(name: string): void {
    const crdKind = this.k('apiextensions.k8s.io', 'customresourcedefinitions');
    const crd = this.r.tryGet(crdKind, undefined, name) as Obj | undefined;
    if (!crd) return;
    const gr = `${crd.spec.group}/${crd.spec.names.plural}`;
    for (const o of this.r.store.list(gr)) this.r.store.remove(gr, o);
    const next = deepClone(crd);
    next.metadata.finalizers = (next.metadata.finalizers ?? []).filter(
      (f: string) => f !== 'customresourcecleanup.apiextensions.k8s.io',
    );
    this.r.update(crdKind, undefined, name, next);
  }

  /** Background cascading deletion of objects whose owner is gone. */
  private collectDependents(uid: string): void {
    const keys = [...(this.dependents.get(uid) ?? [])];
    this.dependents.delete(uid);
    for (const key of keys) {
      const [gr, ns, name] = key.split('|') as [string, string, string];
      const rk = this.r.registry.all().find((k) => grKey(k) === gr);
      const o = this.r.store.get(gr, ns || undefined, name);
      if (!rk || !o) continue;
      const refs = o.metadata.ownerReferences;
      if (!refs?.some((ref) => ref.uid === uid)) continue;
      const others = refs.filter((ref) => ref.uid !== uid);
      if (others.length) this.r.writeRaw(rk, { ...o, metadata: { ...o.metadata, ownerReferences: others } });
      else if (!o.metadata.deletionTimestamp) this.r.delete(rk, o.metadata.namespace, o.metadata.name!);
    }
  }
}

/** The component name a workload controller's events carry. */
function controllerName(owner: KubeObject): string {
  switch (owner.kind) {
    case 'Job':
      return 'job-controller';
    case 'StatefulSet':
      return 'statefulset-controller';
    case 'DaemonSet':
      return 'daemonset-controller';
    default:
      return 'replicaset-controller';
  }
}
