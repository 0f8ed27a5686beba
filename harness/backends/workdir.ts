import { mkdtemp, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh directory for generated files (kubeconfigs, configs); under `base` when given. */
export async function makeWorkDir(prefix: string, base?: string): Promise<string> {
  if (base) {
    await mkdir(base, { recursive: true });
    return mkdtemp(join(base, `${prefix}-`));
  }
  return mkdtemp(join(tmpdir(), `k3s-daas-${prefix}-`));
}
