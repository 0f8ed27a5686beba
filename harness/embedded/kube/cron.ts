// Standard 5-field cron schedules (as CronJob.spec.schedule), evaluated in UTC.
const RANGES: Array<[number, number]> = [
  [0, 59], // minute
  [0, 23], // hour
  [1, 31], // day of month
  [1, 12], // month
  [0, 6], // day of week (7 = Sunday too)
];

const MACROS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

const NAMES: Record<string, number> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  oct: 10,
  nov: 11,
  dec: 12,
  sun: 0,
  mon: 1,
  tue: 2,
  wed: 3,
  thu: 4,
  fri: 5,
  sat: 6,
};

export interface CronSchedule {
  sets: Array<Set<number>>;
  domStar: boolean;
  dowStar: boolean;
}

function num(s: string, field: number): number {
  const n = NAMES[s.toLowerCase()] ?? Number(s);
  const [lo, hi] = RANGES[field]!;
  if (!Number.isInteger(n) || n < lo || n > (field === 4 ? 7 : hi))
    throw new Error(`value "${s}" out of range ${lo}-${hi}`);
  return field === 4 && n === 7 ? 0 : n;
}

/** Parses a schedule; throws with a message naming the bad part. */
export function parseCron(schedule: string): CronSchedule {
  const expr = MACROS[schedule.trim()] ?? schedule.trim().replace(/^TZ=\S+\s+/, '');
  const fields = expr.split(/\s+/);
  if (fields.length !== 5)
    throw new Error(`expected exactly 5 fields, found ${fields.length}: "${schedule}"`);
  const sets = fields.map((f, i) => {
    const out = new Set<number>();
    const [lo, hi] = RANGES[i]!;
    for (const part of f.split(',')) {
      const [range, stepText] = part.split('/') as [string, string | undefined];
      const step = stepText === undefined ? 1 : Number(stepText);
      if (!Number.isInteger(step) || step < 1) throw new Error(`bad step in "${part}"`);
      let a: number;
      let b: number;
      if (range === '*' || range === '?') [a, b] = [lo, hi];
      else if (range.includes('-')) {
        const [x, y] = range.split('-') as [string, string];
        [a, b] = [num(x, i), num(y, i)];
      } else {
        a = num(range, i);
        b = stepText === undefined ? a : hi;
      }
      for (let v = a; v <= b; v += step) out.add(v);
    }
    return out;
  });
  return {
    sets,
    domStar: fields[2] === '*' || fields[2] === '?',
    dowStar: fields[4] === '*' || fields[4] === '?',
  };
}

export function cronMatches(s: CronSchedule, d: Date): boolean {
  const [mi, h, dom, mon, dow] = s.sets as [Set<number>, Set<number>, Set<number>, Set<number>, Set<number>];
  if (!mi.has(d.getUTCMinutes()) || !h.has(d.getUTCHours()) || !mon.has(d.getUTCMonth() + 1)) return false;
  const domOk = dom.has(d.getUTCDate());
  const dowOk = dow.has(d.getUTCDay());
  // Vixie cron: when both day fields are restricted, either may match.
  if (!s.domStar && !s.dowStar) return domOk || dowOk;
  return domOk && dowOk;
}

/** The most recent scheduled minute in (after, now], or undefined. Scans at most 1 day back. */
export function lastScheduleBetween(s: CronSchedule, after: number, now: number): number | undefined {
  let t = Math.floor(now / 60_000) * 60_000;
  const floor = Math.max(after, now - 86_400_000);
  for (; t > floor; t -= 60_000) if (cronMatches(s, new Date(t))) return t;
  return undefined;
}
