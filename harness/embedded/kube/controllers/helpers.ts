// Helpers every embedded controller shares: timestamps, owner references, pod readiness.
import { createHash } from 'node:crypto';
import type { KubeObject } from '../store.ts';

export type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- controllers manipulate loosely-typed object trees

export function now(): string {
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

export function ownerRef(owner: KubeObject): Obj {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name,
    uid: owner.metadata.uid,
    controller: true,
    blockOwnerDeletion: true,
  };
}

export function ownedBy(o: KubeObject, owner: KubeObject): boolean {
  return (o.metadata.ownerReferences ?? []).some((r) => r.uid === owner.metadata.uid && r.controller);
}

export function podReady(p: KubeObject): boolean {
  return ((p as Obj).status?.conditions ?? []).some((c: Obj) => c.type === 'Ready' && c.status === 'True');
}

export function podActive(p: KubeObject): boolean {
  const phase = (p as Obj).status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed' && !p.metadata.deletionTimestamp;
}

/** The component name a workload controller's events carry. */
export function controllerName(owner: KubeObject): string {
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
