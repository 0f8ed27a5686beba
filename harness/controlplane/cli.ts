/**
 * `npx tsx harness/controlplane/cli.ts build` — builds (or finds in the cache) the real
 * control-plane binaries and prints where they are, their sizes and the time taken.
 * `… cli.ts path` prints the cache directory without building.
 */
import { cacheRoot, ensureControlPlaneBinaries } from './build.ts';

const cmd = process.argv[2] ?? 'build';
if (cmd === 'path') {
  process.stdout.write(cacheRoot() + '\n');
} else if (cmd === 'build') {
  const r = await ensureControlPlaneBinaries();
  process.stdout.write(JSON.stringify(r, null, 2) + '\n');
} else {
  process.stderr.write(`unknown command "${cmd}": use build or path\n`);
  process.exit(2);
}
