#!/usr/bin/env node
// k3s-daas CLI entry. No build step on a fresh clone: the TypeScript sources are bundled with
// esbuild (tens of milliseconds) into node_modules/.cache and the bundle is run. Starting from
// a bundle takes a fraction of the time of transpiling module by module, which matters
// because the harness starts the gateway and the listeners as separate processes. The bundle is
// split at dynamic imports, so a command loads only its own dependencies (the listener's
// Kubernetes client takes ~1 s to load; the gateway and the other commands never load it).
// If bundling fails for any reason, the sources run through tsx's loader instead.
/* global process */
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const entry = path.join(root, 'src', 'cli', 'main.ts');
const cacheDir = path.join(root, 'node_modules', '.cache', 'k3s-daas');

async function bundle() {
  const { build, stop } = await import('esbuild');
  const staging = '/k3s-daas-bundle';
  const out = await build({
    entryPoints: { main: entry },
    bundle: true,
    splitting: true,
    outdir: staging,
    outExtension: { '.js': '.mjs' },
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: 'inline',
    write: false,
    logLevel: 'silent',
  });
  // esbuild's service process would otherwise live as long as the gateway or listener.
  await stop();
  const hash = createHash('sha256');
  for (const f of out.outputFiles) hash.update(f.path).update(f.contents);
  // Content-addressed, written atomically (a directory renamed into place): concurrent starts
  // never read a half-written bundle.
  const cache = cacheDir;
  const dir = path.join(cache, `cli-${hash.digest('hex').slice(0, 16)}`);
  if (!existsSync(dir)) {
    const tmp = `${dir}.${process.pid}.tmp`;
    for (const f of out.outputFiles) {
      const target = path.join(tmp, path.relative(staging, f.path));
      mkdirSync(path.dirname(target), { recursive: true });
      writeFileSync(target, f.contents);
    }
    try {
      renameSync(tmp, dir);
    } catch (error) {
      // Another process put the same bundle in place first.
      rmSync(tmp, { recursive: true, force: true });
      if (!existsSync(dir)) throw error;
    }
    pruneOldBundles(cache, dir);
  }
  return path.join(dir, 'main.mjs');
}

/**
 * Bundles of earlier sources, untouched for a day: a process still running one loads its chunks
 * lazily, so recent ones stay.
 */
function pruneOldBundles(cache, keep) {
  const dayAgo = Date.now() - 24 * 3600 * 1000;
  for (const name of readdirSync(cache)) {
    const entry = path.join(cache, name);
    if (entry === keep || !name.startsWith('cli-')) continue;
    try {
      if (statSync(entry).mtimeMs < dayAgo) rmSync(entry, { recursive: true, force: true });
    } catch {
      // Removed by a concurrent start: nothing to do.
    }
  }
  const pointers = path.join(cache, 'by-sources');
  if (!existsSync(pointers)) return;
  for (const name of readdirSync(pointers)) {
    try {
      if (statSync(path.join(pointers, name)).mtimeMs < dayAgo)
        rmSync(path.join(pointers, name), { force: true });
    } catch {
      // Same as above.
    }
  }
}

// Where this CLI is, for commands that write a command line running it again (kubeconfig --exec).
process.env.K3S_DAAS_CLI_BIN = fileURLToPath(import.meta.url);

/**
 * The bundle built last time for these exact sources: a key of every file's path, size and mtime
 * under src/ (and this launcher) names it, so a start without changes skips esbuild (~100 ms; it
 * matters for `k3s-daas credential`, which kubectl runs before every command).
 */
function sourcesKey() {
  const hash = createHash('sha256');
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) {
        const st = statSync(p);
        hash.update(`${p}\0${st.size}\0${st.mtimeMs}\n`);
      }
    }
  };
  walk(path.join(root, 'src'));
  const self = statSync(fileURLToPath(import.meta.url));
  hash.update(`launcher\0${self.size}\0${self.mtimeMs}`);
  return hash.digest('hex').slice(0, 32);
}

function cachedBundle(key) {
  try {
    const file = readFileSync(path.join(cacheDir, 'by-sources', key), 'utf8').trim();
    return existsSync(file) ? file : undefined;
  } catch {
    return undefined;
  }
}

function rememberBundle(key, file) {
  try {
    const dir = path.join(cacheDir, 'by-sources');
    mkdirSync(dir, { recursive: true });
    const tmp = path.join(dir, `${key}.${process.pid}.tmp`);
    writeFileSync(tmp, file);
    renameSync(tmp, path.join(dir, key));
  } catch {
    // Only a missed shortcut next time.
  }
}

let main;
try {
  const key = sourcesKey();
  let file = cachedBundle(key);
  if (!file) {
    file = await bundle();
    rememberBundle(key, file);
  }
  process.setSourceMapsEnabled(true);
  ({ main } = await import(pathToFileURL(file).href));
} catch {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import(pathToFileURL(entry).href));
}
await main(process.argv);
