#!/usr/bin/env node
// k3s-daas CLI entry. No build step on a fresh clone: the TypeScript sources are bundled with
// esbuild (tens of milliseconds) into node_modules/.cache and the bundle is run. Starting from
// one bundle takes a fraction of the time of transpiling module by module, which matters
// because the harness starts the gateway and the listeners as separate processes.
// If bundling fails for any reason, the sources run through tsx's loader instead.
/* global process */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const entry = path.join(root, 'src', 'cli', 'main.ts');

async function bundle() {
  const { build } = await import('esbuild');
  const out = await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: 'inline',
    write: false,
    logLevel: 'silent',
  });
  const code = out.outputFiles[0].contents;
  // Content-addressed, written atomically: concurrent starts never read a half-written file.
  const dir = path.join(root, 'node_modules', '.cache', 'k3s-daas');
  const file = path.join(dir, `cli-${createHash('sha256').update(code).digest('hex').slice(0, 16)}.mjs`);
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, code);
    renameSync(tmp, file);
  }
  return file;
}

let main;
try {
  const file = await bundle();
  process.setSourceMapsEnabled(true);
  ({ main } = await import(pathToFileURL(file).href));
} catch {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import(pathToFileURL(entry).href));
}
await main(process.argv);
