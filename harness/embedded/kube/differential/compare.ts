/** Compares the two servers' outcomes case by case: status, media type, chosen headers, body. */
import type { Case } from './corpus.ts';
import { jsonDiff, type Difference } from './diff.ts';
import type { Outcome } from './run.ts';

export interface CaseDifference extends Difference {
  readonly case: string;
}

export function compareOutcomes(
  corpus: readonly Case[],
  embedded: ReadonlyMap<string, Outcome>,
  real: ReadonlyMap<string, Outcome>,
): CaseDifference[] {
  const out: CaseDifference[] = [];
  for (const c of corpus) {
    const e = embedded.get(c.name);
    const r = real.get(c.name);
    if (!e || !r) throw new Error(`case "${c.name}" was not run on both servers`);
    const diffs = [
      ...jsonDiff(e.status, r.status, 'status'),
      ...jsonDiff(e.media, r.media, 'media'),
      ...jsonDiff(e.headers, r.headers, 'headers'),
      ...jsonDiff(e.body, r.body, 'body'),
    ];
    for (const d of diffs) out.push({ case: c.name, ...d });
  }
  return out;
}
