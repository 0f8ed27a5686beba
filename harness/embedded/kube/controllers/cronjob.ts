// CronJob controller: creates the Jobs of CronJobs whose schedule came due.
import type { KubeObject } from '../store.ts';
import { deepClone } from '../patch.ts';
import { lastScheduleBetween, parseCron } from '../cron.ts';
import { type Obj, ownerRef, ownedBy } from './helpers.ts';
import type { Controllers } from '../controllers.ts';

/** Creates the Jobs of CronJobs whose schedule came due (one per missed window, like the controller). */
export function tickCronJobs(ctl: Controllers): void {
  const kind = ctl.k('batch', 'cronjobs');
  const jobKind = ctl.k('batch', 'jobs');
  const now = (ctl.opts.now ?? Date.now)();
  for (const cj of ctl.r.store.list('batch/cronjobs') as Obj[]) {
    if (cj.spec?.suspend || cj.metadata.deletionTimestamp) continue;
    let schedule;
    try {
      schedule = parseCron(String(cj.spec?.schedule ?? ''));
    } catch {
      continue;
    }
    const since = Date.parse(cj.status?.lastScheduleTime ?? cj.metadata.creationTimestamp);
    const due = lastScheduleBetween(schedule, since, now);
    const jobs = ctl.r.store
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
            ctl.r.delete(jobKind, j.metadata.namespace, j.metadata.name, {
              propagationPolicy: 'Background',
            });
        const tmpl = deepClone(cj.spec.jobTemplate ?? {});
        const name = `${cj.metadata.name}-${Math.floor(due / 60_000)}`;
        if (!ctl.r.tryGet(jobKind, cj.metadata.namespace, name)) {
          ctl.r.create(jobKind, cj.metadata.namespace, {
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
          ctl.event(
            cj as KubeObject,
            'Normal',
            'SuccessfulCreate',
            `Created job ${name}`,
            'cronjob-controller',
          );
        }
      }
    }
    const all = ctl.r.store
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
        ctl.r.delete(jobKind, j.metadata.namespace, j.metadata.name, { propagationPolicy: 'Background' });
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
    ctl.r.writeStatus(kind, cj as KubeObject, status);
  }
}
