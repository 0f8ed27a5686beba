// The shim (move/shim) against the recorded declarations of the real Sui
// framework at the pinned revision (move/shim/real-framework-signatures.json),
// and the parser that produced that list.
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  PINNED_FRAMEWORK_REV,
  RECORDED_SIGNATURES,
  compareShimWithRecorded,
  readFrameworkSources,
  readRecorded,
  recordSignatures,
} from './compare-signatures.ts';
import { SHIM_ROOT } from './paths.ts';
import { formatDifference, parseModule } from './source-signatures.ts';

const scratch = mkdtempSync(path.join(tmpdir(), 'source-signatures-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('parseModule', () => {
  it('does not read words inside string literals (deprecation notes) as `use` declarations', () => {
    // The shape that crashed the old compare-signatures.mjs on the real coin.move.
    const src = [
      'module sui::coin;',
      'use sui::balance::{Self, Balance};',
      '#[',
      '    deprecated(',
      '        note = b"For new coins, use `new_currency_with_otw` and use `make_regulated`. {",',
      '    ),',
      ']',
      'public fun value<T>(b: &Balance<T>): u64 { balance::value(b) }',
      'const EBadWitness: u64 = 0;',
      'const SYMBOL: vector<u8> = b"use fun x as y.z; fun f()";',
    ].join('\n');
    const parsed = parseModule(src);
    expect(parsed?.items).toEqual({
      'fun value': { sig: 'public fun value<$0>(&0x2::balance::Balance<$0>): u64', testOnly: false },
      'const EBadWitness': { sig: 'const EBadWitness: u64 = 0', testOnly: false },
      'const SYMBOL': { sig: 'const SYMBOL: vector<u8> = b"use fun x as y.z; fun f()"', testOnly: false },
    });
  });

  it('canonicalises macros with lambda types, positional structs, enums, use fun and test_only', () => {
    const src = [
      'module std::m;',
      'use std::string::String;',
      'public struct P(u64, String) has copy, drop;',
      'public enum E<phantom T> has store { A, B(u8), C { x: Option<T> } }',
      'public(package) macro fun zip<$T, $U: drop>($v: vector<$T>, $f: |&$T, u8| -> $U, $g: || -> bool): vector<$U> { abort 0 }',
      'public use fun std::string::utf8 as vector.to_string;',
      '#[test_only]',
      'public native fun poke<T: store + drop>(x: &mut T);',
      'fun private_helper(): u64 { 0x10 }',
      'const EX: u64 = 0x1_0000;',
    ].join('\n');
    const items = parseModule(src)?.items ?? {};
    expect(items['struct P']?.sig).toBe('public struct P<> has copy, drop (u64, 0x1::string::String)');
    expect(items['enum E']?.sig).toBe(
      'public enum E<phantom $0> has store { A, B (u8), C { x: 0x1::option::Option<$0> } }',
    );
    expect(items['fun zip']?.sig).toBe(
      'public(package) macro fun zip<$0, $1: drop>(vector<$0>, |&$0, u8| -> $1, || -> bool): vector<$1>',
    );
    expect(items['use fun vector.to_string']?.sig).toBe(
      'public use fun 0x1::string::utf8 as vector.to_string',
    );
    expect(items['fun poke']).toEqual({
      sig: 'public native fun poke<$0: drop+store>(&mut $0): ()',
      testOnly: true,
    });
    expect(items['fun private_helper']?.sig).toBe('private fun private_helper<>(): u64');
    expect(items['const EX']?.sig).toBe('const EX: u64 = 65536');
  });
});

describe('recorded real framework signatures', () => {
  const recorded = readRecorded();

  it('are of the revision the builder pins, and cover both framework packages', () => {
    expect(recorded.rev).toBe(PINNED_FRAMEWORK_REV);
    expect(Object.keys(recorded.modules)).toEqual(
      expect.arrayContaining(['std::vector', 'std::option', 'sui::coin']),
    );
    // Known facts of 73dd2c2, spot-checked by hand against the sources.
    const std = (m: string) => recorded.modules[m] ?? {};
    expect(std('std::option')['fun take']).toBeUndefined();
    expect(std('std::vector')['fun skip_mut']).toBeUndefined();
    expect(std('std::macros')['fun num_max']?.sig).toBe('public(package) macro fun num_max<$0>($0, $0): $0');
    expect(std('sui::test_scenario')['fun most_recent_receiving_ticket']?.sig).toBe(
      'public fun most_recent_receiving_ticket<$0: key>(&0x2::object::ID): 0x2::transfer::Receiving<$0>',
    );
    expect(std('sui::coin')['fun create_regulated_currency']?.sig).toMatch(
      /^public fun create_regulated_currency</,
    );
  });

  it('every shim declaration exists in the real framework with the same signature, visibility and abort code', () => {
    const diffs = compareShimWithRecorded();
    expect(diffs.map(formatDifference).join('\n')).toBe('');
  });

  it('reports a changed signature, visibility, abort code, test_only and a function the real framework lacks', () => {
    const shim = path.join(scratch, 'shim');
    cpSync(SHIM_ROOT, shim, { recursive: true });
    const edit = (rel: string, from: string, to: string) => {
      const file = path.join(shim, rel);
      const text = readFileSync(file, 'utf8');
      expect(text, `${rel} contains ${from}`).toContain(from);
      writeFileSync(file, text.replace(from, to));
    };
    const option = 'move-stdlib/sources/option.move';
    edit(
      option,
      'public fun get_with_default<Element: copy + drop>',
      'public fun get_with_default<Element: copy>',
    );
    edit(option, 'const EOPTION_IS_SET: u64 = 0x40000;', 'const EOPTION_IS_SET: u64 = 0x40002;');
    edit(
      option,
      '\npublic fun borrow_mut<',
      '\npublic fun take<E>(t: &mut Option<E>): Option<E> { abort 0 }\n\npublic fun borrow_mut<',
    );
    edit('move-stdlib/sources/macros.move', 'public(package) macro fun num_max', 'public macro fun num_max');
    edit(
      'sui-framework/sources/coin.move',
      '#[test_only]\npublic fun mint_for_testing',
      'public fun mint_for_testing',
    );
    const found = compareShimWithRecorded(shim).map((d) => `${d.module}::${d.item} ${d.problem}`);
    expect(found.sort()).toEqual(
      [
        'std::macros::fun num_max different',
        'std::option::const EOPTION_IS_SET different',
        'std::option::fun get_with_default different',
        'std::option::fun take not-in-real',
        'sui::coin::fun mint_for_testing test-only-differs',
      ].sort(),
    );
  });

  // Regenerating needs a checkout of the real sources, which is not committed (set
  // SUI_FRAMEWORK_PACKAGES=<sui>/crates/sui-framework/packages at 73dd2c2).
  const real = process.env.SUI_FRAMEWORK_PACKAGES;
  it.skipIf(!real || !existsSync(real))(
    'equal what the tool records from the real sources (needs SUI_FRAMEWORK_PACKAGES)',
    () => {
      const fresh = recordSignatures(real ?? '', PINNED_FRAMEWORK_REV);
      expect(Object.keys(readFrameworkSources(real ?? '')).length).toBeGreaterThan(80);
      expect(`${JSON.stringify(fresh, null, 2)}\n`).toBe(readFileSync(RECORDED_SIGNATURES, 'utf8'));
    },
  );
});
