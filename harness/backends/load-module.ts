import { access } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { BackendUnavailableError } from './errors.ts';

/**
 * Imports a sibling part of this repository by its public entry point. A missing file or a
 * missing export becomes a BackendUnavailableError that names the piece, so tests can skip
 * with that reason instead of faking the component.
 */
export async function loadEntryPoint<T>(
  piece: string,
  fromUrl: string,
  relPath: string,
  exportName: string,
): Promise<T> {
  const url = new URL(relPath, fromUrl);
  try {
    await access(fileURLToPath(url));
  } catch {
    throw new BackendUnavailableError(piece, `${fileURLToPath(url)} does not exist yet`);
  }
  let mod: Record<string, unknown>;
  try {
    mod = (await import(url.href)) as Record<string, unknown>;
  } catch (err) {
    throw new BackendUnavailableError(piece, `loading ${relPath} failed: ${(err as Error).message}`);
  }
  const value = mod[exportName];
  if (value === undefined) {
    throw new BackendUnavailableError(piece, `${relPath} does not export ${exportName}`);
  }
  return value as T;
}

/** Same as loadEntryPoint but answers with the reason instead of throwing. */
export async function probeEntryPoint(
  piece: string,
  fromUrl: string,
  relPath: string,
  exportName: string,
): Promise<string | undefined> {
  try {
    await loadEntryPoint(piece, fromUrl, relPath, exportName);
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}
