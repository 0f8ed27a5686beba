// Reads a Move package from disk into the in-memory snapshot the WASM builder
// takes. Never reads build output, VCS folders or lockfiles.
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import path from 'node:path';
import { MoveBuildError } from './errors.ts';

export type PackageFiles = Record<string, string>;

/** Which parts of a package to read. A dependency only needs its manifest and `sources/`. */
export type PackageRole = 'root' | 'dependency';

const SKIPPED_DIRS = new Set(['build', '.git', 'node_modules']);
const ROOT_SOURCE_DIRS = ['sources', 'tests', 'examples'];
const DEPENDENCY_SOURCE_DIRS = ['sources'];
// Move.lock is deliberately left out: a lock pinned by a real `sui` install must not
// change which framework sources the offline build uses.
const MANIFEST_FILES = ['Move.toml', 'Published.toml'];

export function readPackageFiles(dir: string, role: PackageRole = 'root'): PackageFiles {
  const manifest = path.join(dir, 'Move.toml');
  if (!existsSync(manifest)) {
    throw new MoveBuildError(
      `No Move package at ${dir}: Move.toml is missing. Pass the folder that contains Move.toml.`,
      'input',
    );
  }
  const files: PackageFiles = {};
  for (const name of MANIFEST_FILES) {
    const file = path.join(dir, name);
    if (existsSync(file)) files[name] = readFileSync(file, 'utf8');
  }
  for (const sub of role === 'root' ? ROOT_SOURCE_DIRS : DEPENDENCY_SOURCE_DIRS) {
    collectMoveFiles(dir, sub, files);
  }
  return files;
}

function collectMoveFiles(root: string, rel: string, out: PackageFiles): void {
  const abs = path.join(root, rel);
  if (!existsSync(abs) || !statSync(abs).isDirectory()) return;
  for (const entry of readdirSync(abs, { withFileTypes: true }).sort((a, b) =>
    a.name.localeCompare(b.name),
  )) {
    const childRel = `${rel}/${entry.name}`;
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name)) collectMoveFiles(root, childRel, out);
    } else if (entry.isFile() && entry.name.endsWith('.move')) {
      out[childRel] = readFileSync(path.join(root, childRel), 'utf8');
    }
  }
}

/** The `[package] name` from a manifest, for messages and output paths. */
export function packageName(files: PackageFiles): string {
  const match = /^\s*name\s*=\s*"([^"]+)"/m.exec(files['Move.toml'] ?? '');
  return match?.[1] ?? 'unknown';
}
