import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { OfflineFetchError } from './errors.ts';
import { readPackageFiles } from './package-files.ts';
import { ShimFetcher, SUI_REPO_URL } from './shim-fetcher.ts';
import { FIXTURES_DIR, SHIM_ROOT } from './paths.ts';

const STD = 'crates/sui-framework/packages/move-stdlib';
const rev = '73dd2c2ba6f9fdb21d7ffde2b50a3f2f0ac39bc1';
const scratch = mkdtempSync(path.join(tmpdir(), 'shim-fetcher-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function fetcher(rootDir = path.join(FIXTURES_DIR, 'hello')) {
  return new ShimFetcher({ rootDir });
}

describe('ShimFetcher', () => {
  it('serves MoveStdlib from move/shim for the Sui repository, with or without .git', async () => {
    for (const url of [
      SUI_REPO_URL,
      'https://github.com/MystenLabs/sui',
      'https://github.com/mystenlabs/sui.git/',
    ]) {
      const f = fetcher();
      const files = await f.fetch(url, rev, STD);
      expect(files['Move.toml']).toMatch(/name = "MoveStdlib"/);
      expect(Object.keys(files)).toContain('sources/vector.move');
      expect(f.requests[0]?.servedFrom).toBe(path.join(SHIM_ROOT, 'move-stdlib'));
    }
  });

  it('refuses an unknown repository with a message naming it and what to do', async () => {
    const err = await fetcher()
      .fetch('https://github.com/someone/lib.git', 'main', 'pkg')
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OfflineFetchError);
    expect((err as Error).message).toMatch(
      /refusing to fetch https:\/\/github\.com\/someone\/lib\.git \(subdir pkg\) at main/,
    );
    expect((err as Error).message).toMatch(/local|--framework github/);
  });

  it('refuses Sui packages that are not shimmed (SuiSystem, Bridge)', async () => {
    for (const sub of ['crates/sui-framework/packages/sui-system', 'crates/sui-framework/packages/bridge']) {
      await expect(fetcher().fetch(SUI_REPO_URL, rev, sub)).rejects.toThrow(
        /Only MoveStdlib and Sui are shimmed/,
      );
    }
  });

  it('fetchFile reads shim files, returns null for absent ones and refuses other repos', async () => {
    const f = fetcher();
    expect(await f.fetchFile(SUI_REPO_URL, rev, `${STD}/Move.toml`)).toMatch(/std = "0x1"/);
    expect(await f.fetchFile(SUI_REPO_URL, rev, `${STD}/Move.lock`)).toBeNull();
    await expect(f.fetchFile('https://example.com/x.git', rev, 'Move.toml')).rejects.toThrow(
      OfflineFetchError,
    );
  });

  it('serves local dependencies relative to the root package, never from build/', async () => {
    const f = fetcher(path.join(FIXTURES_DIR, 'stdlib'));
    const ctx = {
      dependencyName: 'MoveStdlib',
      parentPackageName: 'stdlib_conformance',
      network: 'mainnet' as const,
    };
    const files = await f.fetchLocal('../../../../move/shim/move-stdlib', ctx);
    expect(files['sources/option.move']).toMatch(/module std::option/);
    await expect(f.fetchLocal('./build/MoveStdlib', ctx)).rejects.toThrow(/build\/ folder/);
    await expect(f.fetchLocal('../nowhere', ctx)).rejects.toThrow(/no Move.toml in .*nowhere/);
  });
});

describe('readPackageFiles', () => {
  it('reads manifest and sources but skips build/, Move.lock and non-Move files', () => {
    const dir = path.join(scratch, 'pkg');
    mkdirSync(path.join(dir, 'sources', 'nested'), { recursive: true });
    mkdirSync(path.join(dir, 'build', 'pkg', 'sources'), { recursive: true });
    mkdirSync(path.join(dir, 'sources', 'build'), { recursive: true });
    writeFileSync(path.join(dir, 'Move.toml'), '[package]\nname = "pkg"\n');
    writeFileSync(path.join(dir, 'Move.lock'), '# lock');
    writeFileSync(path.join(dir, 'sources', 'a.move'), 'module pkg::a;');
    writeFileSync(path.join(dir, 'sources', 'nested', 'b.move'), 'module pkg::b;');
    writeFileSync(path.join(dir, 'sources', 'notes.md'), 'x');
    writeFileSync(path.join(dir, 'sources', 'build', 'c.move'), 'module pkg::c;');
    writeFileSync(path.join(dir, 'build', 'pkg', 'sources', 'd.move'), 'module pkg::d;');
    expect(Object.keys(readPackageFiles(dir)).sort()).toEqual([
      'Move.toml',
      'sources/a.move',
      'sources/nested/b.move',
    ]);
  });

  it('names the folder when Move.toml is missing', () => {
    expect(() => readPackageFiles(path.join(scratch, 'absent'))).toThrow(
      /No Move package at .*absent: Move.toml is missing/,
    );
  });
});
