// --with-sui: delegate to a real `sui move build|test` when the binary exists.
import { execa } from 'execa';
import { accessSync, constants } from 'node:fs';
import path from 'node:path';

/** Absolute path of `sui` on PATH, or undefined. */
export function findSuiBinary(envPath: string | undefined = process.env.PATH): string | undefined {
  for (const dir of (envPath ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, process.platform === 'win32' ? 'sui.exe' : 'sui');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here; keep looking
    }
  }
  return undefined;
}

export class SuiBinaryMissingError extends Error {
  override readonly name = 'SuiBinaryMissingError';
  constructor() {
    super(
      '--with-sui needs the `sui` CLI on PATH, and none was found. Install it ' +
        '(https://docs.sui.io/guides/developer/getting-started/sui-install) or drop --with-sui ' +
        'to use the bundled WASM compiler.',
    );
  }
}

/** Run `sui move <build|test> --path <dir>`, streaming its output; resolves to its exit code. */
export async function runSuiMove(
  command: 'build' | 'test',
  dir: string,
  envPath: string | undefined = process.env.PATH,
): Promise<number> {
  const sui = findSuiBinary(envPath);
  if (!sui) throw new SuiBinaryMissingError();
  const result = await execa(sui, ['move', command, '--path', path.resolve(dir)], {
    stdio: 'inherit',
    reject: false,
  });
  return result.exitCode ?? 1;
}
