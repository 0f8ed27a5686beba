import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { FIXTURES_DIR, REPO_ROOT } from './paths.ts';
import { findSuiBinary, runSuiMove, SuiBinaryMissingError } from './sui-cli.ts';

const realSui = findSuiBinary();
const scratch = mkdtempSync(path.join(tmpdir(), 'sui-cli-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const cli = path.join(REPO_ROOT, 'harness', 'toolchain', 'cli.ts');
const tsx = path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx');

describe('--with-sui without a sui binary', () => {
  const emptyPath = path.join(scratch, 'empty-bin');

  it('finds no binary on a PATH without sui', () => {
    expect(findSuiBinary(emptyPath)).toBeUndefined();
  });

  it('runSuiMove refuses with a message saying how to get sui', async () => {
    const err = await runSuiMove('build', FIXTURES_DIR, emptyPath).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SuiBinaryMissingError);
    expect((err as Error).message).toMatch(/needs the `sui` CLI on PATH.*drop --with-sui/s);
  });

  it('the CLI exits 2 with that message', async () => {
    const r = await execa(tsx, [cli, 'build', path.join(FIXTURES_DIR, 'hello'), '--with-sui'], {
      reject: false,
      env: { PATH: `${path.dirname(process.execPath)}` },
    });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/--with-sui needs the `sui` CLI on PATH/);
  });
});

describe('--with-sui with a stand-in sui (command line at the boundary)', () => {
  it('runs `sui move <cmd> --path <dir>` and passes its exit code through', async () => {
    const bin = path.join(scratch, 'fake-bin');
    const log = path.join(scratch, 'args.log');
    await execa('mkdir', ['-p', bin]);
    const fake = path.join(bin, 'sui');
    writeFileSync(fake, `#!/bin/sh\necho "$@" > ${log}\nexit 3\n`);
    chmodSync(fake, 0o755);
    const code = await runSuiMove('test', path.join(FIXTURES_DIR, 'hello'), bin);
    expect(code).toBe(3);
    const { stdout } = await execa('cat', [log]);
    expect(stdout).toBe(`move test --path ${path.join(FIXTURES_DIR, 'hello')}`);
  });
});

describe.skipIf(!realSui)(
  realSui ? 'real sui CLI' : 'real sui CLI — skipped: no `sui` binary on PATH (install Sui to run it)',
  () => {
    it('builds the hello fixture with `sui move build`', async () => {
      expect(await runSuiMove('build', path.join(FIXTURES_DIR, 'hello'))).toBe(0);
    });
  },
);
