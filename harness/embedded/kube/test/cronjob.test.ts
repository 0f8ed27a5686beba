// CronJob scheduling with a test-controlled clock, and the cron expression parser.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedKube, type EmbeddedKube } from '../server.ts';
import { cronMatches, lastScheduleBetween, parseCron } from '../cron.ts';

let kube: EmbeddedKube;
// The clock starts at real time (creationTimestamp comes from it) and is moved past the next 5-minute mark.
let clock = Date.now();
const nextMark = Math.floor(clock / 300_000) * 300_000 + 300_000;
const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

beforeAll(async () => {
  kube = await startEmbeddedKube({ protocol: 'http', cronTickMs: 25, now: () => clock });
});

afterAll(async () => {
  await kube?.stop();
});

async function until<T>(fn: () => T | undefined, ms = 5000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('cron expressions', () => {
  it('parses fields, steps, ranges, names and macros', () => {
    const at = (iso: string): Date => new Date(iso);
    expect(cronMatches(parseCron('*/15 * * * *'), at('2026-01-01T00:45:00Z'))).toBe(true);
    expect(cronMatches(parseCron('*/15 * * * *'), at('2026-01-01T00:46:00Z'))).toBe(false);
    expect(cronMatches(parseCron('0 9-17 * * mon-fri'), at('2026-03-02T12:00:00Z'))).toBe(true); // a Monday
    expect(cronMatches(parseCron('0 9-17 * * mon-fri'), at('2026-03-01T12:00:00Z'))).toBe(false); // a Sunday
    expect(cronMatches(parseCron('@daily'), at('2026-03-01T00:00:00Z'))).toBe(true);
    expect(cronMatches(parseCron('0 0 1 * 0'), at('2026-03-01T00:00:00Z'))).toBe(true); // day-of-month OR day-of-week
    expect(() => parseCron('61 * * * *')).toThrow(/out of range/);
    expect(() => parseCron('* * *')).toThrow(/5 fields/);
    expect(
      lastScheduleBetween(
        parseCron('*/5 * * * *'),
        Date.parse('2026-01-01T00:01:00Z'),
        Date.parse('2026-01-01T00:12:30Z'),
      ),
    ).toBe(Date.parse('2026-01-01T00:10:00Z'));
  });
});

describe('CronJob controller', () => {
  it('creates a Job when the schedule comes due, records lastScheduleTime, and the Job completes', async () => {
    const r = await fetch(`${kube.url}/apis/batch/v1/namespaces/default/cronjobs`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${kube.adminToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        metadata: { name: 'tick' },
        spec: {
          schedule: '*/5 * * * *',
          jobTemplate: {
            spec: {
              template: {
                spec: {
                  restartPolicy: 'Never',
                  containers: [{ name: 'c', image: 'busybox', command: ['echo', 'tock'] }],
                },
              },
            },
          },
        },
      }),
    });
    expect(r.status).toBe(201);
    await new Promise((res) => setTimeout(res, 150));
    expect(kube.resources.store.list('batch/jobs', 'default')).toHaveLength(0); // not due before the next 5-minute mark
    clock = nextMark + 10_000;
    const job = await until(() => kube.resources.store.list('batch/jobs', 'default')[0]);
    expect(job.metadata.name).toBe(`tick-${nextMark / 60_000}`);
    await until(
      () =>
        kube.resources.store.get('batch/cronjobs', 'default', 'tick')?.status &&
        (
          kube.resources.store.get('batch/cronjobs', 'default', 'tick')!.status as {
            lastScheduleTime?: string;
          }
        ).lastScheduleTime === iso(nextMark),
    );
    await until(
      () =>
        ((
          kube.resources.store.get('batch/jobs', 'default', job.metadata.name!)?.status as
            { succeeded?: number } | undefined
        )?.succeeded ?? 0) === 1,
    );
    const bad = await fetch(`${kube.url}/apis/batch/v1/namespaces/default/cronjobs`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${kube.adminToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        metadata: { name: 'bad' },
        spec: {
          schedule: 'every minute',
          jobTemplate: {
            spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'x' }] } } },
          },
        },
      }),
    });
    expect(bad.status).toBe(422);
  });
});
