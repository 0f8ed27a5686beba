/**
 * One build at a time per cache: two test files (or a test and `cli.ts build`) starting on a
 * cold cache would otherwise both compile for minutes on the same two cores and swap the
 * directory under each other. A lock directory (mkdir is atomic) holds the owner's pid; a lock
 * whose owner is gone is taken over.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function withBuildLock<T>(
  root: string,
  fn: () => Promise<T>,
  onWait: (ownerPid: number) => void = () => {},
  pollMs = 2_000,
): Promise<T> {
  await mkdir(root, { recursive: true });
  const lock = join(root, '.build.lock');
  let told = false;
  for (;;) {
    try {
      await mkdir(lock);
      await writeFile(join(lock, 'pid'), String(process.pid));
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = Number((await readFile(join(lock, 'pid'), 'utf8').catch(() => '')) || NaN);
      if (Number.isFinite(owner) && !alive(owner)) {
        await rm(lock, { recursive: true, force: true });
        continue;
      }
      if (!told && Number.isFinite(owner)) {
        onWait(owner);
        told = true;
      }
      await new Promise((r) => setTimeout(r, pollMs));
    }
  }
  try {
    return await fn();
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}
