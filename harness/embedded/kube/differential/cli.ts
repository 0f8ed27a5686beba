/**
 * Runs the differential corpus by hand against a running real cluster:
 *   npx tsx harness/embedded/kube/differential/cli.ts <real-admin-kubeconfig>
 * boots a fresh embedded server, prints every unlisted difference (and the accepted count).
 */
import { startEmbeddedKube } from '../server.ts';
import { formatDifference, runDifferential } from './suite.ts';

const real = process.argv[2];
if (!real) {
  process.stderr.write(
    'usage: cli.ts <kubeconfig of a real kube-apiserver> (e.g. from `harness/controlplane/cli.ts up`)\n',
  );
  process.exit(2);
}
const kube = await startEmbeddedKube();
try {
  const r = await runDifferential(kube.kubeconfig, real);
  for (const d of r.unlisted) process.stdout.write(formatDifference(d) + '\n');
  for (const s of r.stale) process.stdout.write(`stale deviation: ${s.case} · ${s.path}\n`);
  process.stdout.write(
    `${r.cases} cases, ${r.differences} differences: ${r.accepted.length} accepted, ${r.unlisted.length} unlisted, ${r.stale.length} stale deviations\n`,
  );
} finally {
  await kube.stop();
}
