#!/usr/bin/env node
// Launcher for the harness CLI (TypeScript, run through tsx's loader).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../harness/scenario/cli.ts');
await main();
