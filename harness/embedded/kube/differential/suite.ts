/**
 * One differential run: the corpus against the embedded server and a real kube-apiserver
 * (both given as kubeconfigs), differences split into accepted (listed in
 * known-deviations.yaml) and unlisted.
 */
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { clientFromKubeconfig } from './client.ts';
import { compareOutcomes, type CaseDifference } from './compare.ts';
import { CORPUS, type Case } from './corpus.ts';
import { DeviationMatcher, loadDeviations, type Deviation } from './deviations.ts';
import { runCorpus } from './run.ts';

export const KNOWN_DEVIATIONS = fileURLToPath(new URL('./known-deviations.yaml', import.meta.url));
const USER_AGENT = 'k3s-daas-differential/1.0';

export interface DifferentialReport {
  readonly cases: number;
  readonly differences: number;
  readonly accepted: readonly (CaseDifference & { reason: string })[];
  readonly unlisted: readonly CaseDifference[];
  /** Listed deviations that no difference matched any more. */
  readonly stale: readonly Deviation[];
}

export async function runDifferential(
  embeddedKubeconfig: string,
  realKubeconfig: string,
  corpus: readonly Case[] = CORPUS,
  deviationsFile = KNOWN_DEVIATIONS,
): Promise<DifferentialReport> {
  const [embedded, real] = await Promise.all([
    clientFromKubeconfig(embeddedKubeconfig, USER_AGENT),
    clientFromKubeconfig(realKubeconfig, USER_AGENT),
  ]);
  // Both in parallel: each keeps its own saved values, and neither sees the other.
  // A fresh namespace per run, the same on both (names appear in the answers).
  const ns = `differential-${randomBytes(3).toString('hex')}`;
  const [e, r] = await Promise.all([runCorpus(embedded, corpus, ns), runCorpus(real, corpus, ns)]);
  const diffs = compareOutcomes(corpus, e, r);
  const matcher = new DeviationMatcher(await loadDeviations(deviationsFile));
  const accepted: (CaseDifference & { reason: string })[] = [];
  const unlisted: CaseDifference[] = [];
  for (const d of diffs) {
    const dev = matcher.match(d.case, d);
    if (dev) accepted.push({ ...d, reason: dev.reason });
    else unlisted.push(d);
  }
  return { cases: corpus.length, differences: diffs.length, accepted, unlisted, stale: matcher.unused() };
}

export function formatDifference(d: CaseDifference): string {
  return `${d.case} · ${d.path}: embedded ${d.embedded} · real ${d.real}`;
}
