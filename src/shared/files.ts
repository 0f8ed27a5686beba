/** Writing state files so that a crash leaves either the old file or the new one, never half of one. */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Directories this process already created: a mkdir per write is a syscall too many on hot paths. */
const ensuredDirs = new Set<string>();
let tmpCounter = 0;

export async function writeFileAtomic(path: string, data: string, mode = 0o644): Promise<void> {
  const dir = dirname(path);
  if (!ensuredDirs.has(dir)) {
    await mkdir(dir, { recursive: true });
    ensuredDirs.add(dir);
  }
  const tmp = `${path}.${process.pid}.${++tmpCounter}.tmp`;
  try {
    await writeFile(tmp, data, { mode });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    // The directory vanished since we created it: create it again.
    await mkdir(dir, { recursive: true });
    await writeFile(tmp, data, { mode });
  }
  await rename(tmp, path);
}
