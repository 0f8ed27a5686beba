/**
 * The known, documented deviations of the embedded server from kube-apiserver
 * (known-deviations.yaml): each names a corpus case and a difference path (globs with `*`)
 * and says why the difference is accepted. Anything not listed fails the suite.
 */
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import type { Difference } from './diff.ts';

export interface Deviation {
  /** Corpus case name, `*` matches any characters. */
  readonly case: string;
  /** Difference path, `*` matches any characters. */
  readonly path: string;
  readonly reason: string;
}

const glob = (p: string): RegExp =>
  new RegExp(
    `^${p
      .split('*')
      .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );

export async function loadDeviations(file: string): Promise<Deviation[]> {
  const doc = parse(await readFile(file, 'utf8')) as { deviations?: Deviation[] };
  const list = doc.deviations ?? [];
  for (const d of list)
    if (!d.case || !d.path || !d.reason?.trim())
      throw new Error(`${file}: every deviation needs case, path and a reason; fix ${JSON.stringify(d)}`);
  return list;
}

export class DeviationMatcher {
  private readonly compiled: { d: Deviation; c: RegExp; p: RegExp; used: boolean }[];
  constructor(list: readonly Deviation[]) {
    this.compiled = list.map((d) => ({ d, c: glob(d.case), p: glob(d.path), used: false }));
  }
  /** The deviation that accepts this difference, if any. */
  match(caseName: string, diff: Difference): Deviation | undefined {
    const hit = this.compiled.find((x) => x.c.test(caseName) && x.p.test(diff.path));
    if (hit) hit.used = true;
    return hit?.d;
  }
  /** Listed deviations that matched nothing (fixed since, or mistyped). */
  unused(): Deviation[] {
    return this.compiled.filter((x) => !x.used).map((x) => x.d);
  }
}
