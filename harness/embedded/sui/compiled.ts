/**
 * Compiled bytecode for tests and the benchmark: the framework shim (0x1/0x2, via the movevm
 * helper's bundle build) and move/k8s_gateway (via the toolchain), cached in the OS temp dir
 * by source hash so only the first run pays for the WASM compiler.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildMovePackage } from '../../toolchain/index.ts';
import { buildFramework } from '../movevm/testing/framework.ts';
import { readModule } from './move/module-info.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = path.resolve(here, '..', '..', '..');
export const CONTRACT_DIR = path.join(REPO_ROOT, 'move', 'k8s_gateway');

/** Framework modules split by package address, as `startEmbeddedSui({ frameworkModules })` takes them. */
export async function frameworkModules(): Promise<Record<string, string[]>> {
  const { modules } = await buildFramework({ testMode: false });
  const out: Record<string, string[]> = {};
  for (const m of modules) {
    const address = readModule(Uint8Array.from(Buffer.from(m, 'base64'))).address;
    (out[address] ??= []).push(m);
  }
  return out;
}

function hashTree(dir: string, h: ReturnType<typeof createHash>): void {
  for (const name of readdirSync(dir).sort()) {
    if (name === 'build' || name.startsWith('.')) continue;
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) hashTree(p, h);
    else h.update(p).update(readFileSync(p));
  }
}

export interface CompiledPackage {
  modules: string[];
  dependencies: string[];
}

export async function contractModules(): Promise<CompiledPackage> {
  const h = createHash('sha256');
  hashTree(CONTRACT_DIR, h);
  hashTree(path.join(REPO_ROOT, 'move', 'shim'), h);
  const key = h.digest('hex').slice(0, 16);
  const dir = path.join(os.tmpdir(), 'k3s-daas-embedded-sui');
  const file = path.join(dir, `k8s_gateway-${key}.json`);
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as CompiledPackage;
  const built = await buildMovePackage(CONTRACT_DIR, { framework: 'shim' });
  const out = { modules: built.modules, dependencies: built.dependencies };
  mkdirSync(dir, { recursive: true });
  writeFileSync(file, JSON.stringify(out));
  return out;
}
