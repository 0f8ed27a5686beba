import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { FIXTURES_DIR, REPO_ROOT } from './paths.ts';

const cli = path.join(REPO_ROOT, 'harness', 'toolchain', 'cli.ts');
const tsx = path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx');
const run = (...args: string[]) => execa(tsx, [cli, ...args], { reject: false, cwd: REPO_ROOT });

describe('cli.ts (npm run move:build / move:test)', () => {
  it('build prints a summary with the digest and writes build/', async () => {
    const r = await run('build', path.join(FIXTURES_DIR, 'hello'));
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^Built Move package hello/);
    expect(r.stdout).toMatch(/digest: [0-9a-f]{64}/);
    expect(r.stdout).toMatch(/dependencies: 0x1, 0x2/);
    expect(r.stdout.split('\n').length).toBeLessThan(25);
    expect(r.stderr).toMatch(/compiling/);
  });

  it('test prints the runner output and ends with "N passed, N failed"; exit 1 on failure', async () => {
    const ok = await run('test', path.join(FIXTURES_DIR, 'hello'));
    expect(ok.exitCode).toBe(0);
    expect(ok.stdout.trimEnd().split('\n').pop()).toBe('4 passed, 0 failed');
    const bad = await run('test', path.join(FIXTURES_DIR, 'failing'));
    expect(bad.exitCode).toBe(1);
    expect(bad.stdout).toMatch(/\[ FAIL {4}\] failing::checks::double_is_wrong_on_purpose/);
    expect(bad.stdout.trimEnd().split('\n').pop()).toBe('1 passed, 2 failed');
  });

  it('build of a broken package exits 1 with the file:line diagnostic', async () => {
    const r = await run('build', path.join(FIXTURES_DIR, 'broken'));
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('sources/broken.move:7:5');
  });

  it('names a folder without Move.toml', async () => {
    const r = await run('build', path.join(FIXTURES_DIR, 'nope'));
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/No Move package at .*nope: Move.toml is missing/);
  });
});
