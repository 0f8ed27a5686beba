import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { deserialize } from '@mysten/move-bytecode-template';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildMovePackage, writeBuildOutput, type MoveBuildResult } from './build.ts';
import { MoveBuildError } from './errors.ts';
import { FIXTURES_DIR, SHIM_ROOT } from './paths.ts';
import { ensureMoveBuilder, pinnedSuiVersion } from './wasm.ts';

const hello = path.join(FIXTURES_DIR, 'hello');
const scratch = mkdtempSync(path.join(tmpdir(), 'move-build-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function identifiers(base64: string): string[] {
  const bytes = Buffer.from(base64, 'base64');
  bytes.writeUInt32BE(0xa11ceb0b, 0); // test builds carry the unpublishable magic
  return (deserialize(bytes) as { identifiers: string[] }).identifiers;
}

describe('buildMovePackage (shim framework, offline)', () => {
  let first: MoveBuildResult;
  beforeAll(async () => {
    const initMs = await ensureMoveBuilder();
    first = await buildMovePackage(hello, { framework: 'shim' });
    console.info(`[timing] WASM init ${initMs.toFixed(0)} ms; hello build ${first.buildMs.toFixed(0)} ms`);
  });

  it('pins Sui 1.71.1, the version move/shim/README.md documents', async () => {
    const version = await pinnedSuiVersion();
    expect(readFileSync(path.join(SHIM_ROOT, 'README.md'), 'utf8')).toContain(`Sui ${version}`);
  });

  it('returns base64 modules, framework dependency IDs and a hex digest', () => {
    expect(first.moduleNames).toEqual(['greeter']);
    expect(
      Buffer.from(first.modules[0] ?? '', 'base64')
        .subarray(0, 4)
        .toString('hex'),
    ).toBe('a11ceb0b');
    expect(first.dependencies).toEqual([`0x${'0'.repeat(63)}1`, `0x${'0'.repeat(63)}2`]);
    expect(first.digest).toMatch(/^[0-9a-f]{64}$/);
  });

  it('gives the same digest and bytes on a second build', async () => {
    const second = await buildMovePackage(hello, { framework: 'shim' });
    expect(second.digest).toBe(first.digest);
    expect(second.modules).toEqual(first.modules);
  });

  it('drops test-only code normally and keeps it (tests/ included) with testMode', async () => {
    expect(identifiers(first.modules[0] ?? '')).not.toContain('test_only_marker');
    const test = await buildMovePackage(hello, { framework: 'shim', testMode: true });
    // hello depends on Sui, so the builder's verifier forces the custom-mode fallback.
    expect(test.testBuild?.strategy).toBe('custom-mode');
    expect(test.moduleNames).toEqual(['greeter', 'greeter_tests']);
    const greeter = test.modules[0] ?? '';
    expect(Buffer.from(greeter, 'base64').readUInt32BE(0)).toBe(0xdeadc0de); // unpublishable
    expect(identifiers(greeter)).toContain('test_only_marker');
    expect(identifiers(test.modules[1] ?? '')).toEqual(
      expect.arrayContaining(['greets_twice', 'empty_name_aborts']),
    );
    expect(test.testBuild?.testFunctions).toContainEqual({
      module: 'hello::greeter_tests',
      name: 'empty_name_aborts',
      expectedFailure: 'abort_code = greeter::EEmptyName',
      file: 'tests/greeter_tests.move',
      line: 21,
    });
    expect(test.testBuild?.testFunctions).toHaveLength(4);
  });

  it("uses the real modes: ['test'] build for packages without Sui (poison calls included)", async () => {
    const test = await buildMovePackage(path.join(FIXTURES_DIR, 'stdlib'), { testMode: true });
    expect(test.testBuild?.strategy).toBe('mode-test');
    expect(test.moduleNames?.sort()).toEqual(['collections_tests', 'natives_tests', 'types']);
    expect(identifiers(test.modules[test.moduleNames?.indexOf('types') ?? -1] ?? '')).toContain('poison');
    expect(test.testBuild?.testFunctions).toHaveLength(23);
  });

  it('fails a broken package with the diagnostic naming file, line and column', async () => {
    const err = await buildMovePackage(path.join(FIXTURES_DIR, 'broken')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MoveBuildError);
    const message = (err as MoveBuildError).message;
    expect(message).toContain('sources/broken.move:7:5');
    expect(message).toMatch(/incompatible types/);
    expect(message).not.toContain(String.fromCharCode(27));
    expect((err as MoveBuildError).category).toBe('compile');
  });

  it('reports a package whose dependency cannot be served offline', async () => {
    const dir = path.join(scratch, 'needs_remote');
    cpSync(hello, dir, { recursive: true, filter: (src) => !src.includes(`${path.sep}build`) });
    const manifest = readFileSync(path.join(dir, 'Move.toml'), 'utf8');
    writeFileSync(
      path.join(dir, 'Move.toml'),
      manifest.replace(
        '[addresses]',
        '[dependencies]\nLib = { git = "https://github.com/example/lib.git", rev = "main" }\n\n[addresses]',
      ),
    );
    const err = await buildMovePackage(dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MoveBuildError);
    expect((err as Error).message).toMatch(/refusing to fetch https:\/\/github\.com\/example\/lib\.git/);
  });

  it('writes build/bytecode_modules/*.mv and build/package-dump.json', () => {
    const dir = path.join(scratch, 'out');
    cpSync(hello, dir, { recursive: true, filter: (src) => !src.includes(`${path.sep}build`) });
    const written = writeBuildOutput(dir, first);
    const mv = path.join(dir, 'build', 'bytecode_modules', 'greeter.mv');
    expect(written.modulePaths).toEqual([mv]);
    expect(readFileSync(mv).toString('base64')).toBe(first.modules[0]);
    const dump = JSON.parse(readFileSync(written.jsonPath, 'utf8')) as {
      digest: string;
      dependencies: string[];
    };
    expect(dump.digest).toBe(first.digest);
    expect(dump.dependencies).toEqual(first.dependencies);
    expect(existsSync(path.join(dir, 'build', 'package-dump.json'))).toBe(true);
  });

  it('ignores a stale build/ folder inside the package', async () => {
    const dir = path.join(scratch, 'stale');
    cpSync(hello, dir, { recursive: true, filter: (src) => !src.includes(`${path.sep}build`) });
    writeBuildOutput(dir, first);
    writeFileSync(path.join(dir, 'build', 'junk.move'), 'this is not Move');
    const again = await buildMovePackage(dir);
    expect(again.digest).toBe(first.digest);
  });
});
