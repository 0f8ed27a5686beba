/**
 * The real control plane by hand:
 *   npx tsx harness/controlplane/cli.ts build   build (or find in the cache) the binaries; sizes and time
 *   npx tsx harness/controlplane/cli.ts path    print the cache directory
 *   npx tsx harness/controlplane/cli.ts up      boot a cluster, print its kubeconfig path; Ctrl-C stops it
 */
import { runCleanups } from '../backends/cleanup.ts';
import { startApiserverCluster } from '../backends/cluster/apiserver.ts';
import { cacheRoot, ensureControlPlaneBinaries } from './build.ts';

const cmd = process.argv[2] ?? 'build';
if (cmd === 'path') {
  process.stdout.write(cacheRoot() + '\n');
} else if (cmd === 'build') {
  const r = await ensureControlPlaneBinaries();
  process.stdout.write(JSON.stringify(r, null, 2) + '\n');
} else if (cmd === 'up') {
  const progress = (line: string): void => void process.stderr.write(line + '\n');
  const cluster = await startApiserverCluster({ onProgress: progress });
  process.stdout.write(`export KUBECONFIG=${cluster.kubeconfigPath}\n`);
  progress('[apiserver] running; Ctrl-C stops it and removes its files');
  // The cleanup registry stops the processes on SIGINT/SIGTERM; keep the event loop alive until then.
  setInterval(() => {}, 1 << 30);
  process.once('beforeExit', () => void runCleanups());
} else {
  process.stderr.write(`unknown command "${cmd}": use build, path or up\n`);
  process.exit(2);
}
