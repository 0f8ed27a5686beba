#!/usr/bin/env node
// k3s-daas CLI entry: runs the TypeScript sources through tsx's ESM loader
// (installed by `npm ci`), so no build step is needed on a fresh clone.
/* global process */
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
await main(process.argv);
