// autoscaling/v1 <-> autoscaling/v2 conversion of HorizontalPodAutoscaler, after
// pkg/apis/autoscaling/v1/conversion.go: v1 only has a CPU utilization target, so
// whatever v2 holds beyond it (other metrics, behavior, conditions, current metrics)
// travels in the same annotations kube-apiserver uses, and a v1 read-modify-write
// keeps it. One difference: the metrics annotations hold the v2 JSON form of the
// metric specs, not the v1 (v2beta1-shaped) MetricSpec kube-apiserver writes there.
import type { KubeObject } from './store.ts';

type Obj = Record<string, unknown>;

const METRICS = 'autoscaling.alpha.kubernetes.io/metrics';
const CURRENT_METRICS = 'autoscaling.alpha.kubernetes.io/current-metrics';
const CONDITIONS = 'autoscaling.alpha.kubernetes.io/conditions';
const BEHAVIOR = 'autoscaling.alpha.kubernetes.io/behavior';

/** A CPU utilization metric (the one v1 can hold), in a spec (`target`) or a status (`current`). */
const cpuUtilization =
  (field: 'target' | 'current') =>
  (m: Obj): boolean => {
    const r = m.resource as Obj | undefined;
    return (
      m.type === 'Resource' &&
      r?.name === 'cpu' &&
      typeof (r[field] as Obj | undefined)?.averageUtilization === 'number'
    );
  };
const isCpuUtilization = cpuUtilization('target');
const isCpuCurrent = cpuUtilization('current');

function parseAnnotation(annotations: Record<string, string>, key: string): unknown {
  const raw = annotations[key];
  delete annotations[key];
  if (raw === undefined) return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    return undefined; // kube-apiserver also ignores an annotation it cannot decode
  }
}

/** v2 (storage) → v1. */
function toV1(o: KubeObject): KubeObject {
  const spec = (o.spec ?? {}) as Obj;
  const status = o.status as Obj | undefined;
  const annotations: Record<string, string> = { ...(o.metadata.annotations ?? {}) };
  const metrics = (Array.isArray(spec.metrics) ? spec.metrics : []) as Obj[];
  const cpu = metrics.find(isCpuUtilization);
  const others = metrics.filter((m) => m !== cpu);
  if (others.length) annotations[METRICS] = JSON.stringify(others);
  if (spec.behavior) annotations[BEHAVIOR] = JSON.stringify(spec.behavior);
  const v1Spec: Obj = {};
  if (spec.scaleTargetRef !== undefined) v1Spec.scaleTargetRef = spec.scaleTargetRef;
  if (spec.minReplicas !== undefined) v1Spec.minReplicas = spec.minReplicas;
  if (spec.maxReplicas !== undefined) v1Spec.maxReplicas = spec.maxReplicas;
  if (cpu) v1Spec.targetCPUUtilizationPercentage = ((cpu.resource as Obj).target as Obj).averageUtilization;
  let v1Status: Obj | undefined;
  if (status) {
    const current = (Array.isArray(status.currentMetrics) ? status.currentMetrics : []) as Obj[];
    const cpuNow = current.find(isCpuCurrent);
    const otherNow = current.filter((m) => m !== cpuNow);
    if (otherNow.length) annotations[CURRENT_METRICS] = JSON.stringify(otherNow);
    if (Array.isArray(status.conditions) && status.conditions.length)
      annotations[CONDITIONS] = JSON.stringify(status.conditions);
    v1Status = {};
    for (const k of ['observedGeneration', 'lastScaleTime', 'currentReplicas', 'desiredReplicas'])
      if (status[k] !== undefined) v1Status[k] = status[k];
    // Unlike v2, v1's replica counts are not omitempty.
    v1Status.currentReplicas ??= 0;
    v1Status.desiredReplicas ??= 0;
    if (cpuNow)
      v1Status.currentCPUUtilizationPercentage = ((cpuNow.resource as Obj).current as Obj).averageUtilization;
  }
  const metadata = { ...o.metadata };
  if (Object.keys(annotations).length) metadata.annotations = annotations;
  else delete metadata.annotations;
  const out: KubeObject = { ...o, apiVersion: 'autoscaling/v1', metadata, spec: v1Spec };
  if (v1Status) out.status = v1Status;
  return out;
}

/** v1 → v2 (storage); objects already in v2 pass through unchanged. */
function toV2(o: KubeObject): KubeObject {
  if (o.apiVersion !== 'autoscaling/v1') return o;
  const spec = (o.spec ?? {}) as Obj;
  const status = o.status as Obj | undefined;
  const annotations: Record<string, string> = { ...(o.metadata.annotations ?? {}) };
  const metrics: Obj[] = [];
  if (typeof spec.targetCPUUtilizationPercentage === 'number')
    metrics.push({
      type: 'Resource',
      resource: {
        name: 'cpu',
        target: { type: 'Utilization', averageUtilization: spec.targetCPUUtilizationPercentage },
      },
    });
  const others = parseAnnotation(annotations, METRICS);
  if (Array.isArray(others)) metrics.push(...(others as Obj[]));
  const behavior = parseAnnotation(annotations, BEHAVIOR);
  const v2Spec: Obj = {};
  if (spec.scaleTargetRef !== undefined) v2Spec.scaleTargetRef = spec.scaleTargetRef;
  if (spec.minReplicas !== undefined) v2Spec.minReplicas = spec.minReplicas;
  if (spec.maxReplicas !== undefined) v2Spec.maxReplicas = spec.maxReplicas;
  if (metrics.length) v2Spec.metrics = metrics;
  if (behavior && typeof behavior === 'object') v2Spec.behavior = behavior;
  const currentOthers = parseAnnotation(annotations, CURRENT_METRICS);
  const conditions = parseAnnotation(annotations, CONDITIONS);
  let v2Status: Obj | undefined;
  if (status) {
    v2Status = {};
    for (const k of ['observedGeneration', 'lastScaleTime', 'currentReplicas', 'desiredReplicas'])
      if (status[k] !== undefined) v2Status[k] = status[k];
    if (v2Status.currentReplicas === 0) delete v2Status.currentReplicas; // omitempty in v2
    const current: Obj[] = [];
    if (typeof status.currentCPUUtilizationPercentage === 'number')
      current.push({
        type: 'Resource',
        resource: { name: 'cpu', current: { averageUtilization: status.currentCPUUtilizationPercentage } },
      });
    if (Array.isArray(currentOthers)) current.push(...(currentOthers as Obj[]));
    if (current.length) v2Status.currentMetrics = current;
    if (Array.isArray(conditions)) v2Status.conditions = conditions;
  }
  const metadata = { ...o.metadata };
  if (Object.keys(annotations).length) metadata.annotations = annotations;
  else delete metadata.annotations;
  const out: KubeObject = { ...o, apiVersion: 'autoscaling/v2', metadata, spec: v2Spec };
  if (v2Status) out.status = v2Status;
  else delete out.status;
  return out;
}

export const hpaV1Conversion = { toStorage: toV2, fromStorage: toV1 };
