import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MoveBuildError } from './errors.ts';
import { FIXTURES_DIR } from './paths.ts';
import { parseTestOutput, testMovePackage } from './test-runner.ts';

describe('testMovePackage (WASM runner, real Sui natives)', () => {
  it('runs the hello fixture: every test passes', async () => {
    const result = await testMovePackage(path.join(FIXTURES_DIR, 'hello'), { framework: 'shim' });
    console.info(`[timing] hello compile + test ${result.testMs.toFixed(0)} ms`);
    expect(result.passed).toBe(true);
    expect(result.tests.map((t) => t.name).sort()).toEqual([
      'hello::greeter_tests::empty_name_aborts',
      'hello::greeter_tests::even_sum_of_mixed_values',
      'hello::greeter_tests::greets_twice',
      'hello::greeter_tests::test_only_code_is_available',
    ]);
    expect(result.tests.every((t) => t.status === 'pass')).toBe(true);
    expect([result.passedCount, result.failedCount]).toEqual([4, 0]);
    expect(result.output).toMatch(/Test result: OK\. Total tests: 4; passed: 4; failed: 0/);
  });

  it('runs the MoveStdlib shim conformance suite against the real natives', async () => {
    const result = await testMovePackage(path.join(FIXTURES_DIR, 'stdlib'));
    const failed = result.tests.filter((t) => t.status !== 'pass');
    expect(failed.map((t) => `${t.name}: ${t.detail ?? ''}`)).toEqual([]);
    expect(result.passedCount).toBe(23);
  });

  it('reports failing tests with the runner detail pointing at file:line', async () => {
    const result = await testMovePackage(path.join(FIXTURES_DIR, 'failing'));
    expect(result.passed).toBe(false);
    expect([result.passedCount, result.failedCount]).toEqual([1, 2]);
    const wrong = result.tests.find((t) => t.name === 'failing::checks::double_is_wrong_on_purpose');
    expect(wrong?.status).toBe('fail');
    expect(wrong?.detail).toMatch(/sources\/checks\.move:14:5/);
    expect(wrong?.detail).toMatch(/aborted with code 7/);
    const never = result.tests.find((t) => t.name === 'failing::checks::expected_abort_that_never_happens');
    expect(never).toMatchObject({ status: 'fail', detail: 'Test did not error as expected' });
    expect(result.tests.find((t) => t.name === 'failing::checks::double_works')?.status).toBe('pass');
  });

  it('throws MoveBuildError with file:line when the package does not compile', async () => {
    const err = await testMovePackage(path.join(FIXTURES_DIR, 'broken')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MoveBuildError);
    expect((err as Error).message).toContain('sources/broken.move:7:5');
  });
});

describe('parseTestOutput', () => {
  it('reads PASS / FAIL / TIMEOUT lines and attaches failure blocks', () => {
    const out = [
      'Running Move unit tests',
      '[ PASS    ] 0x0::m::a',
      '[ TIMEOUT ] 0x0::m::slow',
      '[ FAIL    ] 0x0::m::b',
      '',
      'Test failures:',
      '',
      'Failures in 0x0::m:',
      '',
      '┌── b ──────',
      '│ error[E11001]: test failure',
      '│    ┌─ sources/m.move:3:1',
      '└──────────────────',
      '',
      'Test result: FAILED. Total tests: 3; passed: 1; failed: 2',
    ].join('\n');
    expect(parseTestOutput(out)).toEqual([
      { name: '0x0::m::a', status: 'pass' },
      { name: '0x0::m::slow', status: 'timeout' },
      { name: '0x0::m::b', status: 'fail', detail: 'error[E11001]: test failure\n   ┌─ sources/m.move:3:1' },
    ]);
  });
});
