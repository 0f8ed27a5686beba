/**
 * The k8s_gateway package through the real (WASM) Sui compiler with the
 * project's framework shim: it compiles without warnings, builds are
 * reproducible, its Move unit tests pass (every abort reached), and a broken
 * copy fails with a diagnostic that names file and line.
 */
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { buildMovePackage, MoveBuildError, testMovePackage, type MoveBuildResult } from '../../harness/toolchain/index.ts';

const PACKAGE_DIR = path.dirname(fileURLToPath(import.meta.url));
const MAIN_SOURCE = path.join(PACKAGE_DIR, 'sources', 'k8s_gateway.move');

const temps: string[] = [];
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

/** A copy of the package (sources, tests, manifest; never build/) in a temp dir. */
function copyPackage(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'k8s-gateway-'));
  temps.push(dir);
  for (const entry of ['Move.toml', 'sources', 'tests']) cpSync(path.join(PACKAGE_DIR, entry), path.join(dir, entry), { recursive: true });
  return dir;
}

describe('move/k8s_gateway with the shim framework', () => {
  let first: MoveBuildResult;

  it('compiles without warnings', async () => {
    first = await buildMovePackage(PACKAGE_DIR, { framework: 'shim' });
    expect(first.packageName).toBe('k8s_gateway');
    expect(first.moduleNames?.sort()).toEqual(['body', 'confidentiality', 'k8s_gateway', 'rbac']);
    expect(first.dependencies.map((d) => d.replace(/^0x0*/, '0x'))).toEqual(expect.arrayContaining(['0x1', '0x2']));
    expect(first.digest).toMatch(/^[0-9a-f]{64}$/);
    expect(first.warnings).toBeUndefined();
    console.log(`k8s_gateway build: ${first.buildMs.toFixed(0)} ms, digest ${first.digest}`);
  });

  it('two builds give the same digest and bytecode', async () => {
    const second = await buildMovePackage(PACKAGE_DIR, { framework: 'shim' });
    expect(second.digest).toBe(first.digest);
    expect(second.modules).toEqual(first.modules);
  });

  it('its Move unit tests all pass and reach every abort code', async () => {
    const result = await testMovePackage(PACKAGE_DIR, { framework: 'shim' });
    const failures = result.tests.filter((t) => t.status !== 'pass').map((t) => `${t.name}\n${t.detail ?? ''}`);
    expect(failures).toEqual([]);
    expect(result.passed).toBe(true);
    expect(result.passedCount).toBeGreaterThanOrEqual(40);
    console.log(`k8s_gateway Move tests: ${result.passedCount} passed in ${result.testMs.toFixed(0)} ms`);

    // Each abort constant is the expected_failure of at least one passing test.
    const aborts = [...readFileSync(MAIN_SOURCE, 'utf8').matchAll(/^const (E\w+): u64/gm)].map((m) => m[1]);
    const reached = new Set<string>();
    const passing = new Set(result.tests.filter((t) => t.status === 'pass').map((t) => t.name.split('::').pop()));
    const testsDir = path.join(PACKAGE_DIR, 'tests');
    for (const file of readdirSync(testsDir)) {
      const text = readFileSync(path.join(testsDir, file), 'utf8');
      for (const m of text.matchAll(/expected_failure\(abort_code = gw::(E\w+)\)\]\s*fun (\w+)/g)) {
        if (m[1] && passing.has(m[2])) reached.add(m[1]);
      }
    }
    expect(aborts.filter((a) => a && !reached.has(a))).toEqual([]);
  });

  it('the Move tests call every entry function of k8s_gateway', () => {
    const source = readFileSync(MAIN_SOURCE, 'utf8');
    // Entry functions: public, not test-only, returning nothing (plus new_rule, used in PTBs).
    const entries = [...source.matchAll(/(#\[test_only\]\s*)?public fun (\w+)\([^)]*\)\s*(:[^{]+)?\{/g)]
      .filter((m) => !m[1] && (!m[3] || m[2] === 'new_rule'))
      .map((m) => m[2] ?? '');
    expect(entries.length).toBeGreaterThanOrEqual(18);
    const testsDir = path.join(PACKAGE_DIR, 'tests');
    const tests = readdirSync(testsDir)
      .map((f) => readFileSync(path.join(testsDir, f), 'utf8'))
      .join('\n');
    expect(entries.filter((fn) => !tests.includes(`gw::${fn}(`))).toEqual([]);
  });

  it('the recorded answer signatures match the intents the contract builds', async () => {
    const { renderVectors, VECTORS_FILE } = await import('./tools/gen-answer-vectors.ts');
    expect(readFileSync(VECTORS_FILE, 'utf8'), 'stale: run npm run gen:answer-vectors').toBe(await renderVectors());
  }, 300_000);

  it('a broken copy fails with a diagnostic naming the file and line', async () => {
    const dir = copyPackage();
    const file = path.join(dir, 'sources', 'k8s_gateway.move');
    const lines = readFileSync(file, 'utf8').split('\n');
    const index = lines.findIndex((l) => l.includes('assert!(!cluster.paused, EPaused);'));
    expect(index).toBeGreaterThan(0);
    lines[index] = lines[index]!.replace('EPaused', 'EPausedTypo');
    writeFileSync(file, lines.join('\n'));

    const error = await buildMovePackage(dir, { framework: 'shim' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(MoveBuildError);
    const message = (error as MoveBuildError).message;
    expect(message).toContain(`sources/k8s_gateway.move:${index + 1}:`);
    expect(message).toContain('EPausedTypo');
  });

  it('a failing Move test in a copy is reported as failed with its name', async () => {
    const dir = copyPackage();
    const file = path.join(dir, 'tests', 'rbac_tests.move');
    const text = readFileSync(file, 'utf8');
    // Turn one correct expectation into a wrong one.
    const broken = text.replace(
      'assert!(rbac::list_matches(&pods, &s(b"services")));',
      'assert!(!rbac::list_matches(&pods, &s(b"services")));',
    );
    expect(broken).not.toBe(text);
    writeFileSync(file, broken);
    const result = await testMovePackage(dir, { framework: 'shim' });
    expect(result.passed).toBe(false);
    expect(result.tests.filter((t) => t.status !== 'pass').map((t) => t.name)).toEqual([
      'k8s_gateway::rbac_tests::list_matching_with_and_without_wildcard',
    ]);
  });
});
