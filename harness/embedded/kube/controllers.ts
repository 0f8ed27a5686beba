// The embedded cluster's simulated control plane and node, in the spirit of kwok: this module is
// the controller manager (event dispatch, work queue, timers, events); each controller is a
// module of its own under controllers/ (kubelet, replicaset, deployment, statefulset, daemonset,
// job, cronjob, endpoints, namespace, csr-signer, crd-finalizer, garbage-collector, bootstrap).
// Members are public for those modules; nothing outside controllers/ should use them.
import { randomBytes } from 'node:crypto';
import type { Resources } from './resources.ts';
import type { KubeObject, StoreEvent } from './store.ts';
import type { ResourceKind } from './registry.ts';
import { ApiError } from './status.ts';
import { registerCrd, unregisterCrd } from './crd.ts';
import { now, type Obj } from './controllers/helpers.ts';
import * as bootstrap from './controllers/bootstrap.ts';
import * as crdFinalizer from './controllers/crd-finalizer.ts';
import * as cronjob from './controllers/cronjob.ts';
import * as csrSigner from './controllers/csr-signer.ts';
import * as daemonset from './controllers/daemonset.ts';
import * as deployment from './controllers/deployment.ts';
import * as endpoints from './controllers/endpoints.ts';
import * as garbageCollector from './controllers/garbage-collector.ts';
import * as job from './controllers/job.ts';
import * as kubelet from './controllers/kubelet.ts';
import * as namespace from './controllers/namespace.ts';
import * as replicaset from './controllers/replicaset.ts';
import * as statefulset from './controllers/statefulset.ts';

export { templateHash } from './controllers/helpers.ts';

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

export class Controllers {
  queue = new Map<string, () => void>();

  scheduled = false;

  timers = new Set<NodeJS.Timeout>();

  unsubscribe?: () => void;

  nodeIndex = 0;

  ipCounter = 0;

  stopped = false;

  constructor(
    readonly r: Resources,
    readonly opts: ControllerOptions,
  ) {}

  k(group: string, resource: string): ResourceKind {
    return this.r.kind(group, resource);
  }

  cronTimer?: NodeJS.Timeout;

  start(): void {
    this.unsubscribe = this.r.store.watchAll((ev) => this.onEvent(ev));
    this.cronTimer = setInterval(() => this.run(() => this.tickCronJobs()), this.opts.cronTickMs ?? 1000);
    this.cronTimer.unref();
  }

  stop(): void {
    this.stopped = true;
    this.unsubscribe?.();
    if (this.cronTimer) clearInterval(this.cronTimer);
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.queue.clear();
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

  run(fn: () => void): void {
    try {
      fn();
    } catch (e) {
      // Conflicts and NotFound during reconcile are retried on the next event, as real controllers do.
      if (e instanceof ApiError) return;
      this.errors.push(e instanceof Error ? (e.stack ?? e.message) : String(e));
      if (this.errors.length > 100) this.errors.shift();
    }
  }

  enqueue(key: string, fn: () => void): void {
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

  later(ms: number, fn: () => void): void {
    if (this.stopped) return;
    const t = setTimeout(() => {
      this.timers.delete(t);
      this.run(fn);
    }, ms);
    this.timers.add(t);
  }

  /** owner uid → dependents ("gr|namespace|name"), so garbage collection needs no full scan. */
  dependents = new Map<string, Set<string>>();

  indexOwners(ev: StoreEvent): void {
    const key = `${ev.gr}|${ev.object.metadata.namespace ?? ''}|${ev.object.metadata.name}`;
    for (const ref of ev.previous?.metadata.ownerReferences ?? []) this.dependents.get(ref.uid)?.delete(key);
    if (ev.type === 'DELETED') return;
    for (const ref of ev.object.metadata.ownerReferences ?? []) {
      let set = this.dependents.get(ref.uid);
      if (!set) this.dependents.set(ref.uid, (set = new Set()));
      set.add(key);
    }
  }

  onEvent(ev: StoreEvent): void {
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

  enqueueOwner(kind: string, ns: string, name: string): void {
    const key = `${ns}/${name}`;
    if (kind === 'ReplicaSet') this.enqueue(`rs:${key}`, () => this.syncReplicaSet(ns, name));
    else if (kind === 'ReplicationController')
      this.enqueue(`rc:${key}`, () => this.syncReplicationController(ns, name));
    else if (kind === 'Deployment') this.enqueue(`deploy:${key}`, () => this.syncDeployment(ns, name));
    else if (kind === 'StatefulSet') this.enqueue(`sts:${key}`, () => this.syncStatefulSet(ns, name));
    else if (kind === 'DaemonSet') this.enqueue(`ds:${key}`, () => this.syncDaemonSet(ns, name));
    else if (kind === 'Job') this.enqueue(`job:${key}`, () => this.syncJob(ns, name));
  }

  enqueueEndpointsFor(ns: string): void {
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

  caPem = '';

  /** The cluster CA's signer (HTTPS servers only): kube-controller-manager's csrsigning controller. */
  signer?: (csrPem: string, usages: readonly string[], expirationSeconds?: number) => Promise<string>;

  // ---- the controllers (controllers/*.ts) ----

  tickCronJobs(): void {
    return cronjob.tickCronJobs(this);
  }

  bootstrap(): void {
    return bootstrap.bootstrap(this);
  }

  syncPod(ns: string, name: string): void {
    return kubelet.syncPod(this, ns, name);
  }

  waitingStatus(pod: Obj): Obj {
    return kubelet.waitingStatus(this, pod);
  }

  nodeIp(node: string): string {
    return kubelet.nodeIp(this, node);
  }

  startEphemeralContainers(pod: Obj): boolean {
    return kubelet.startEphemeralContainers(this, pod);
  }

  writePodStatus(pod: Obj, status: Obj): KubeObject | undefined {
    return kubelet.writePodStatus(this, pod, status);
  }

  startPod(ns: string, name: string, uid: string): void {
    return kubelet.startPod(this, ns, name, uid);
  }

  completePod(ns: string, name: string, uid: string): void {
    return kubelet.completePod(this, ns, name, uid);
  }

  podsOf(owner: KubeObject): KubeObject[] {
    return replicaset.podsOf(this, owner);
  }

  createPod(
    owner: KubeObject,
    template: Obj,
    name: string | undefined,
    extraLabels: Record<string, string> = {},
  ): void {
    return replicaset.createPod(this, owner, template, name, extraLabels);
  }

  deletePod(owner: KubeObject, pod: KubeObject): void {
    return replicaset.deletePod(this, owner, pod);
  }

  syncReplicaSet(ns: string, name: string): void {
    return replicaset.syncReplicaSet(this, ns, name);
  }

  syncReplicationController(ns: string, name: string): void {
    return replicaset.syncReplicationController(this, ns, name);
  }

  syncReplicas(rsKind: ResourceKind, ns: string, name: string): void {
    return replicaset.syncReplicas(this, rsKind, ns, name);
  }

  syncDeployment(ns: string, name: string): void {
    return deployment.syncDeployment(this, ns, name);
  }

  syncStatefulSet(ns: string, name: string): void {
    return statefulset.syncStatefulSet(this, ns, name);
  }

  syncDaemonSet(ns: string, name: string): void {
    return daemonset.syncDaemonSet(this, ns, name);
  }

  syncJob(ns: string, name: string): void {
    return job.syncJob(this, ns, name);
  }

  syncEndpoints(ns: string, name: string): void {
    return endpoints.syncEndpoints(this, ns, name);
  }

  syncEndpointSlice(svc: Obj, pods: Obj[]): void {
    return endpoints.syncEndpointSlice(this, svc, pods);
  }

  initNamespace(ns: string): void {
    return namespace.initNamespace(this, ns);
  }

  finalizeNamespace(ns: string): void {
    return namespace.finalizeNamespace(this, ns);
  }

  signCsr(name: string): void {
    return csrSigner.signCsr(this, name);
  }

  finalizeCrd(name: string): void {
    return crdFinalizer.finalizeCrd(this, name);
  }

  collectDependents(uid: string): void {
    return garbageCollector.collectDependents(this, uid);
  }
}
