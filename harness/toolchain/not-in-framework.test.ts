// Code that uses a function the shim used to have but the real Sui framework
// (rev 73dd2c2, Sui 1.71.1) does not must fail to build offline, exactly as it
// would fail against the real framework. Each case is a tiny package; the
// control case (same package, real function) must build.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildMovePackage } from './build.ts';
import { MoveBuildError } from './errors.ts';
import { FIXTURES_DIR } from './paths.ts';

const scratch = mkdtempSync(path.join(tmpdir(), 'not-in-framework-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function pkg(name: string, body: string): string {
  const dir = path.join(scratch, name);
  mkdirSync(path.join(dir, 'sources'), { recursive: true });
  writeFileSync(
    path.join(dir, 'Move.toml'),
    `[package]\nname = "${name}"\nedition = "2024"\n\n[addresses]\n${name} = "0x0"\n`,
  );
  writeFileSync(path.join(dir, 'sources', 'm.move'), `module ${name}::m;\n\n${body}\n`);
  return dir;
}

async function buildError(dir: string, testMode = false): Promise<MoveBuildError> {
  try {
    await buildMovePackage(dir, { framework: 'shim', testMode });
  } catch (e) {
    if (e instanceof MoveBuildError) return e;
    throw e;
  }
  throw new Error(`${dir} built, but it uses a function the real framework lacks`);
}

/** The compiler's "no such function" diagnostics (unbound member, or no method of that name), naming `name`. */
function missing(name: string): RegExp {
  return new RegExp(
    `(E03003\\]: unbound module member|E04023\\]: invalid method call)[\\s\\S]*\\b${name}\\b`,
  );
}

const CASES: { name: string; body: string; testMode?: boolean; message: RegExp }[] = [
  {
    name: 'vector_skip_mut',
    body: 'public fun f(v: &mut vector<u8>): vector<u8> { v.skip_mut(1) }',
    message: missing('skip_mut'),
  },
  {
    name: 'vector_take_mut',
    body: 'public fun f(v: &mut vector<u8>): vector<u8> { vector::take_mut(v, 1) }',
    message: missing('take_mut'),
  },
  {
    name: 'vector_take_mut_while',
    body: 'public fun f(v: &mut vector<u8>): vector<u8> { v.take_mut_while!(|x| *x < 3) }',
    message: missing('take_mut_while'),
  },
  {
    // public(package) in the real std::macros: only the uN modules may call it.
    name: 'macros_from_outside',
    body: 'public fun f(): u64 { std::macros::num_max!(1u64, 2) }',
    message:
      /E04001\]: restricted visibility[\s\S]*'public\(package\)' visible function 'std::macros::num_max'/,
  },
  {
    name: 'macros_old_name',
    body: 'public fun f(): u64 { std::macros::num_divide_and_round_up!(7u64, 2) }',
    message: missing('num_divide_and_round_up'),
  },
  {
    name: 'unit_test_assert_lt',
    body: '#[test]\nfun t() { std::unit_test::assert_lt!(1u64, 2); }',
    testMode: true,
    message: missing('assert_lt'),
  },
  {
    name: 'scenario_old_name',
    body: [
      'use sui::test_scenario;',
      '#[test_only]',
      'public fun f<T: key>(owner: &ID): sui::transfer::Receiving<T> {',
      '    test_scenario::receiving_ticket_for_most_recent_child_object<T>(owner)',
      '}',
    ].join('\n'),
    testMode: true,
    message: missing('receiving_ticket_for_most_recent_child_object'),
  },
];

describe('packages using functions the real framework lacks do not build with the shim', () => {
  it('fixtures/not-in-framework (calls option::take) fails, naming the function', async () => {
    const err = await buildError(path.join(FIXTURES_DIR, 'not-in-framework'));
    expect(err.message).toMatch(missing('take'));
    expect(err.message).toContain('sources/uses_take.move:5');
  });

  it.each(CASES)('$name fails', async ({ name, body, testMode, message }) => {
    const err = await buildError(pkg(name, body), testMode ?? false);
    expect(err.message).toMatch(message);
  });

  it('the same uses written with real framework functions build', async () => {
    const dir = pkg(
      'real_equivalents',
      [
        'public fun drain(o: &mut Option<u64>): Option<u64> {',
        '    if (o.is_some()) option::some(o.extract()) else option::none()',
        '}',
        'public fun tail(v: vector<u8>): vector<u8> { v.skip(1) }',
        'public fun head(v: vector<u8>): vector<u8> { v.take_while!(|x| *x < 3) }',
        'public fun bigger(): u64 { 1u64.max(2) }',
        'public fun ceil(): u64 { 7u64.divide_and_round_up(2) }',
        '#[test_only]',
        'public fun ticket<T: key>(owner: &ID): sui::transfer::Receiving<T> {',
        '    sui::test_scenario::most_recent_receiving_ticket<T>(owner)',
        '}',
      ].join('\n'),
    );
    const built = await buildMovePackage(dir, { framework: 'shim', testMode: true });
    expect(built.moduleNames).toEqual(['m']);
  });
});
