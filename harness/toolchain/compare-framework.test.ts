import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compareFramework } from './compare-framework.ts';
import { SHIM_ROOT } from './paths.ts';

const scratch = mkdtempSync(path.join(tmpdir(), 'compare-framework-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function edit(file: string, from: string | RegExp, to: string) {
  const text = readFileSync(file, 'utf8');
  const next = text.replace(from, to);
  expect(next, `edit of ${file}`).not.toBe(text);
  writeFileSync(file, next);
}

describe('compareFramework (signature diff procedure)', () => {
  it('finds no difference between the MoveStdlib shim and itself', async () => {
    const result = await compareFramework(SHIM_ROOT, SHIM_ROOT, ['move-stdlib']);
    expect(result).toEqual({ api: [], aborts: [] });
  });

  it('reports changed signatures, abilities, extra and missing items and abort codes', async () => {
    // Stand-in for "the real framework": a copy of the shim with known deviations.
    const real = path.join(scratch, 'real');
    cpSync(path.join(SHIM_ROOT, 'move-stdlib'), path.join(real, 'move-stdlib'), { recursive: true });
    const src = (m: string) => path.join(real, 'move-stdlib', 'sources', `${m}.move`);
    edit(
      src('option'),
      'public fun get_with_default<Element: copy + drop>',
      'public fun get_with_default<Element: copy + drop + store>',
    );
    edit(
      src('vector'),
      /\/\/\/ Concatenate the inner vectors in order\.\npublic fun flatten[\s\S]*?\n}\n/,
      '',
    );
    edit(src('address'), /\n$/, '\npublic fun only_in_real(): u64 { 1 }\n');
    edit(src('ascii'), 'const EInvalidIndex: u64 = 0x10001;', 'const EInvalidIndex: u64 = 0x10002;');
    edit(
      src('type_name'),
      'public struct TypeName has copy, drop, store',
      'public struct TypeName has copy, drop',
    );

    const { api, aborts } = await compareFramework(real, SHIM_ROOT, ['move-stdlib']);
    const byItem = Object.fromEntries(api.map((d) => [d.item, d]));
    expect(byItem['0x1::option::fun get_with_default']).toMatchObject({
      kind: 'different',
      shim: 'public fun get_with_default<T0: copy + drop>(&0x1::option::Option<T0>, T0): (T0)',
      real: 'public fun get_with_default<T0: copy + drop + store>(&0x1::option::Option<T0>, T0): (T0)',
    });
    expect(byItem['0x1::vector::fun flatten']?.kind).toBe('extra-in-shim');
    expect(byItem['0x1::address::fun only_in_real']?.kind).toBe('missing-in-shim');
    expect(byItem['0x1::type_name::struct TypeName']).toMatchObject({
      kind: 'different',
      shim: 'struct TypeName has {copy + drop + store} { name: 0x1::ascii::String }',
    });
    expect(api).toHaveLength(4);
    expect(aborts).toEqual([{ module: 'std::ascii', name: 'EInvalidIndex', shim: '65537', real: '65538' }]);
  });
});
