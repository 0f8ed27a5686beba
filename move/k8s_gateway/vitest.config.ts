// Runs this package's vitest file (package.test.ts) until the root vitest
// config includes move/**: npx vitest run --config move/k8s_gateway/vitest.config.ts
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import base from '../../vitest.config.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export default defineConfig({
  ...base,
  root,
  test: { ...base.test, include: ['move/k8s_gateway/**/*.test.ts'] },
});
