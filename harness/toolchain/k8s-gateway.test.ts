// The contract compiled and tested through this toolchain, offline, with the shim.
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildMovePackage } from './build.ts';
import { MoveBuildError } from './errors.ts';
import { DEFAULT_PACKAGE_DIR } from './paths.ts';
import { testMovePackage } from './test-runner.ts';

const present = existsSync(path.join(DEFAULT_PACKAGE_DIR, 'Move.toml'));
const scratch = mkdtempSync(path.join(tmpdir(), 'k8s-gateway-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe.skipIf(!present)(
  present ? 'move/k8s_gateway via the offline toolchain' : 'move/k8s_gateway — skipped: package not present',
  () => {
    it('builds with the shim, deterministically, linking only 0x1 and 0x2', async () => {
      const a = await buildMovePackage(DEFAULT_PACKAGE_DIR, { framework: 'shim' });
      const b = await buildMovePackage(DEFAULT_PACKAGE_DIR, { framework: 'shim' });
      console.info(`[timing] k8s_gateway build ${a.buildMs.toFixed(0)} ms / ${b.buildMs.toFixed(0)} ms`);
      expect(a.moduleNames).toContain('k8s_gateway');
      expect(a.dependencies).toEqual([`0x${'0'.repeat(63)}1`, `0x${'0'.repeat(63)}2`]);
      expect(b.digest).toBe(a.digest);
      expect(b.modules).toEqual(a.modules);
    });

    it('runs its Move unit tests: at least 25, all passing', async () => {
      const result = await testMovePackage(DEFAULT_PACKAGE_DIR, { framework: 'shim' });
      console.info(
        `[timing] k8s_gateway compile + ${result.tests.length} tests ${result.testMs.toFixed(0)} ms`,
      );
      const failed = result.tests.filter((t) => t.status !== 'pass');
      expect(failed.map((t) => `${t.name}: ${t.detail ?? ''}`)).toEqual([]);
      expect(result.passedCount).toBeGreaterThanOrEqual(25);
      expect(result.passed).toBe(true);
    });

    it('builds in test mode with every #[test] function listed', async () => {
      const result = await buildMovePackage(DEFAULT_PACKAGE_DIR, { testMode: true });
      expect(result.testBuild?.testFunctions.length).toBeGreaterThanOrEqual(25);
      expect(result.moduleNames?.length).toBeGreaterThan(3);
    });

    it('a broken copy fails with a diagnostic naming the file and line', async () => {
      const dir = path.join(scratch, 'k8s_gateway');
      cpSync(DEFAULT_PACKAGE_DIR, dir, { recursive: true, filter: (src) => path.basename(src) !== 'build' });
      const file = path.join(dir, 'sources', 'k8s_gateway.move');
      const lines = readFileSync(file, 'utf8').split('\n');
      const at = lines.findIndex((l) => /^\s*(public\s+)?fun\s/.test(l));
      expect(at).toBeGreaterThan(0);
      lines.splice(at, 0, 'fun broken_on_purpose(): u64 { true }');
      writeFileSync(file, lines.join('\n'));
      const err = await buildMovePackage(dir).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(MoveBuildError);
      expect((err as Error).message).toContain(`sources/k8s_gateway.move:${at + 1}:`);
    });
  },
);
