/** Leaf-by-leaf differences between two JSON values, as `path: embedded … real …` lines. */
import type { Json } from './normalise.ts';

export interface Difference {
  /** Dotted path; array elements as [i], object keys as .key (keys with dots quoted). */
  readonly path: string;
  readonly embedded: string;
  readonly real: string;
}

const show = (v: Json | undefined): string => {
  if (v === undefined) return '(absent)';
  const s = JSON.stringify(v);
  return s.length > 160 ? `${s.slice(0, 157)}...` : s;
};

const seg = (k: string): string => (/^[A-Za-z0-9_$-]+$/.test(k) ? `.${k}` : `["${k}"]`);

export function jsonDiff(embedded: Json | undefined, real: Json | undefined, path = ''): Difference[] {
  if (embedded === real) return [];
  const bothArrays = Array.isArray(embedded) && Array.isArray(real);
  const bothObjects =
    !!embedded &&
    !!real &&
    typeof embedded === 'object' &&
    typeof real === 'object' &&
    !Array.isArray(embedded) &&
    !Array.isArray(real);
  if (bothArrays) {
    const out: Difference[] = [];
    const n = Math.max(embedded.length, real.length);
    for (let i = 0; i < n; i++) out.push(...jsonDiff(embedded[i], real[i], `${path}[${i}]`));
    return out;
  }
  if (bothObjects) {
    const out: Difference[] = [];
    const keys = new Set([...Object.keys(embedded), ...Object.keys(real)]);
    for (const k of [...keys].sort()) out.push(...jsonDiff(embedded[k], real[k], `${path}${seg(k)}`));
    return out;
  }
  return [{ path: path || '(root)', embedded: show(embedded), real: show(real) }];
}
