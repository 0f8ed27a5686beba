import { access, constants } from 'node:fs/promises';
import { delimiter, join } from 'node:path';

/** Finds an executable on PATH (no dependency, no shell). Returns its absolute path or undefined. */
export async function which(binary: string, pathEnv = process.env.PATH ?? ''): Promise<string | undefined> {
  const exts = process.platform === 'win32' ? (process.env.PATHEXT ?? '.EXE;.CMD').split(';') : [''];
  for (const dir of pathEnv.split(delimiter)) {
    if (!dir) continue;
    for (const ext of exts) {
      const candidate = join(dir, binary + ext);
      try {
        await access(candidate, constants.X_OK);
        return candidate;
      } catch {
        // not here; keep looking
      }
    }
  }
  return undefined;
}
