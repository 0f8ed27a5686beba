/**
 * Bytecode of the Move packages the embedded key servers need (move/seal_key_server, and the
 * test policy), built with the project's WASM compiler and cached in the OS temp dir by source
 * hash, like harness/embedded/sui/compiled.ts does for k8s_gateway.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildMovePackage } from '../../toolchain/index.ts';
import type { CompiledPackage } from '../sui/compiled.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = path.resolve(here, '..', '..', '..');
export const KEY_SERVER_PACKAGE_DIR = path.join(REPO_ROOT, 'move', 'seal_key_server');
export const TEST_POLICY_PACKAGE_DIR = path.join(here, 'test', 'fixtures', 'seal_policy');

function hashTree(dir: string, h: ReturnType<typeof createHash>): void {
  for (const name of readdirSync(dir).sort()) {
    if (name === 'build' || name.startsWith('.')) continue;
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) hashTree(p, h);
    else h.update(path.relative(REPO_ROOT, p)).update(readFileSync(p));
  }
}

export async function compiledPackage(dir: string): Promise<CompiledPackage> {
  const h = createHash('sha256');
  hashTree(dir, h);
  hashTree(path.join(REPO_ROOT, 'move', 'shim'), h);
  const cacheDir = path.join(os.tmpdir(), 'k3s-daas-embedded-seal');
  const file = path.join(cacheDir, `${path.basename(dir)}-${h.digest('hex').slice(0, 16)}.json`);
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as CompiledPackage;
  const built = await buildMovePackage(dir, { framework: 'shim' });
  const out: CompiledPackage = { modules: built.modules, dependencies: built.dependencies };
  mkdirSync(cacheDir, { recursive: true });
  writeFileSync(file, JSON.stringify(out));
  return out;
}

export const keyServerPackage = (): Promise<CompiledPackage> => compiledPackage(KEY_SERVER_PACKAGE_DIR);
