/**
 * Conformance: every #[test] of the conformance package and of
 * move/k8s_gateway gets the same verdict from the WASM unit-test runner
 * (oracle, real Sui natives) and from this VM. Expected failures carry the
 * abort code + module / arithmetic / vector sub-status, so a "pass" in both
 * means the VM failed exactly where the oracle did.
 */
import { cpSync, mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { testMovePackage } from '../../toolchain/index.ts';
import { runPackageTestsInVm } from './testing/run-tests.ts';
import type { Outcome } from './testing/expected-failure.ts';
import { OP_NAMES } from './src/prepare.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..', '..');

interface Row {
  name: string;
  oracle: string;
  vm: string;
  vmReason: string;
  oracleDetail?: string;
}

/** Both runners see the same files even if someone edits the package meanwhile. */
function snapshot(dir: string): string {
  const to = mkdtempSync(path.join(os.tmpdir(), 'movevm-conf-'));
  cpSync(dir, to, { recursive: true, filter: (src) => !/[/\\](build|node_modules|\.git)$/.test(src) });
  return to;
}

async function compare(
  original: string,
): Promise<{ rows: Row[]; mismatches: Row[]; coverage: Float64Array }> {
  const dir = snapshot(original);
  const [oracle, vm] = [await testMovePackage(dir), await runPackageTestsInVm(dir)];
  const vmByName = new Map(vm.results.map((r) => [r.name, r]));
  const names = new Set([...oracle.tests.map((t) => t.name), ...vmByName.keys()]);
  const oracleByName = new Map(oracle.tests.map((t) => [t.name, t]));
  const rows: Row[] = [...names].sort().map((name) => {
    const o = oracleByName.get(name);
    const v = vmByName.get(name);
    return {
      name,
      oracle: o?.status ?? 'missing',
      vm: v ? (v.pass ? 'pass' : 'fail') : 'missing',
      vmReason: v?.reason ?? '',
      ...(o?.detail ? { oracleDetail: o.detail } : {}),
    };
  });
  return { rows, mismatches: rows.filter((r) => r.oracle !== r.vm), coverage: vm.coverage };
}

function explain(mismatches: Row[]): string {
  return mismatches
    .map(
      (m) =>
        `${m.name}\n  oracle: ${m.oracle}${m.oracleDetail ? `\n    ${m.oracleDetail.split('\n').join('\n    ')}` : ''}\n  vm:     ${m.vm} — ${m.vmReason}`,
    )
    .join('\n');
}

const report: Record<string, { tests: number; agree: number; oraclePass: number }> = {};

/** The failure as the WASM runner words it, normalized: `abort 7 @module`, `arithmetic @module`, `vector 1 @module`, `ok`. */
function oracleFailure(detail: string | undefined): string {
  const text = (detail ?? '').replace(/\s*│\s*/g, ' ').replace(/\s+/g, ' ');
  const m =
    /(?:but it|instead it) (aborted with code (\d+)|gave an arithmetic error|gave a vector operation error with sub-status (\d+)) originating in the module (\S+)/.exec(
      text,
    );
  if (!m) return /did not error as expected/.test(text) ? 'ok' : `unparsed: ${text.slice(0, 200)}`;
  const mod = m[4]!.split('::').pop();
  if (m[2]) return `abort ${m[2]} @${mod}`;
  if (m[3]) return `vector ${m[3]} @${mod}`;
  return `arithmetic @${mod}`;
}

function vmFailure(o: Outcome): string {
  switch (o.kind) {
    case 'ok':
      return 'ok';
    case 'abort':
      return `abort ${o.code} @${o.module.split('::').pop()}`;
    case 'error': {
      const mod = o.module?.split('::').pop();
      if (o.error === 'ARITHMETIC_ERROR') return `arithmetic @${mod}`;
      if (o.error === 'VECTOR_OPERATION_ERROR') return `vector ${o.subStatus} @${mod}`;
      return `${o.error} @${mod}`;
    }
    case 'crash':
      return `crash: ${o.message}`;
  }
}

describe('VM verdicts equal the WASM test runner verdicts', () => {
  it('conformance package (≥150 tests)', async () => {
    const { rows, mismatches, coverage } = await compare(path.join(here, 'conformance'));
    const unexecuted = OP_NAMES.filter((_, i) => coverage[i] === 0);
    console.log(
      `executed interpreter ops: ${OP_NAMES.length - unexecuted.length}/${OP_NAMES.length}; never: ${unexecuted.join(', ')}`,
    );
    // Ops the compiler never emits (see natives.test.ts) are the only ones allowed to stay unexecuted.
    expect(unexecuted.filter((o) => !['BrTrue', 'Or', 'And', 'Nop'].includes(o))).toEqual([]);
    report.conformance = {
      tests: rows.length,
      agree: rows.length - mismatches.length,
      oraclePass: rows.filter((r) => r.oracle === 'pass').length,
    };
    console.log(`conformance: ${rows.length} tests, ${rows.length - mismatches.length} agree`);
    expect(rows.length).toBeGreaterThanOrEqual(150);
    expect(mismatches, explain(mismatches)).toEqual([]);
  }, 900_000);

  it('deliberately failing tests fail the same way (code + module, arithmetic, vector sub-status)', async () => {
    const dir = snapshot(path.join(here, 'conformance-failing'));
    const [oracle, vm] = [await testMovePackage(dir), await runPackageTestsInVm(dir)];
    const vmByName = new Map(vm.results.map((r) => [r.name, r]));
    const rows = oracle.tests.map((t) => {
      const v = vmByName.get(t.name);
      return {
        name: t.name,
        oracle: `${t.status} ${oracleFailure(t.detail)}`,
        vm: v ? `${v.pass ? 'pass' : 'fail'} ${vmFailure(v.outcome)}` : 'missing',
      };
    });
    const mismatches = rows.filter((r) => r.oracle !== r.vm);
    report.failing = { tests: rows.length, agree: rows.length - mismatches.length, oraclePass: 0 };
    console.log(
      `failing on purpose: ${rows.length} tests, ${rows.length - mismatches.length} fail identically`,
    );
    expect(rows.length).toBe(vm.results.length);
    expect(rows.length).toBeGreaterThanOrEqual(25);
    expect(rows.every((r) => r.oracle.startsWith('fail'))).toBe(true);
    expect(mismatches).toEqual([]);
  }, 900_000);

  it('move/k8s_gateway tests', async () => {
    const { rows, mismatches } = await compare(path.join(root, 'move', 'k8s_gateway'));
    report.k8s_gateway = {
      tests: rows.length,
      agree: rows.length - mismatches.length,
      oraclePass: rows.filter((r) => r.oracle === 'pass').length,
    };
    console.log(`k8s_gateway: ${rows.length} tests, ${rows.length - mismatches.length} agree`);
    expect(rows.length).toBeGreaterThan(0);
    expect(mismatches, explain(mismatches)).toEqual([]);
    mkdirSync(path.join(root, 'reports'), { recursive: true });
    writeFileSync(
      path.join(root, 'reports', 'movevm-conformance.json'),
      JSON.stringify(report, null, 2) + '\n',
    );
  }, 900_000);
});
