// Job controller: completions, parallelism, backoff.
import type { KubeObject } from '../store.ts';
import { type Obj, now, podReady, podActive } from './helpers.ts';
import type { Controllers } from '../controllers.ts';

export function syncJob(ctl: Controllers, ns: string, name: string): void {
  const kind = ctl.k('batch', 'jobs');
  const job = ctl.r.tryGet(kind, ns, name) as Obj | undefined;
  if (!job || job.metadata.deletionTimestamp) return;
  const conds: Obj[] = job.status?.conditions ?? [];
  if (conds.some((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True')) return;
  const pods = ctl.podsOf(job as KubeObject) as Obj[];
  const succeeded = pods.filter((p) => p.status?.phase === 'Succeeded').length;
  const failed = pods.filter((p) => p.status?.phase === 'Failed').length;
  const active = pods.filter((p) => podActive(p as KubeObject));
  const completions = job.spec.completions ?? 1;
  const parallelism = job.spec.parallelism ?? 1;
  const t = now();
  const startTime = job.status?.startTime ?? t;
  if (job.spec.suspend) return;
  if (failed > (job.spec.backoffLimit ?? 6)) {
    ctl.r.writeStatus(kind, job as KubeObject, {
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
    ctl.event(
      job as KubeObject,
      'Warning',
      'BackoffLimitExceeded',
      'Job has reached the specified backoff limit',
      'job-controller',
    );
    return;
  }
  if (succeeded >= completions) {
    ctl.r.writeStatus(kind, job as KubeObject, {
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
    ctl.event(job as KubeObject, 'Normal', 'Completed', 'Job completed', 'job-controller');
    return;
  }
  const need = Math.min(parallelism, completions - succeeded) - active.length;
  for (let i = 0; i < need; i++) ctl.createPod(job as KubeObject, job.spec.template, undefined);
  const nowActive = ctl.podsOf(job as KubeObject).filter(podActive);
  ctl.r.writeStatus(kind, job as KubeObject, {
    startTime,
    active: nowActive.length,
    ...(succeeded ? { succeeded } : {}),
    ...(failed ? { failed } : {}),
    ready: nowActive.filter(podReady).length,
    terminating: 0,
    uncountedTerminatedPods: {},
  });
}
