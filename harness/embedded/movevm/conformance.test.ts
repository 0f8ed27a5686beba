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

async function compare(original: string): Promise<{ rows: Row[]; mismatches: Row[] }> {
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
  return { rows, mismatches: rows.filter((r) => r.oracle !== r.vm) };
}

function explain(mismatches: Row[]): string {
  return mismatches
    .map((m) => `${m.name}\n  oracle: ${m.oracle}${m.oracleDetail ? `\n    ${m.oracleDetail.split('\n').join('\n    ')}` : ''}\n  vm:     ${m.vm} — ${m.vmReason}`)
    .join('\n');
}

const report: Record<string, { tests: number; agree: number; oraclePass: number }> = {};

describe('VM verdicts equal the WASM test runner verdicts', () => {
  it('conformance package (≥150 tests)', async () => {
    const { rows, mismatches } = await compare(path.join(here, 'conformance'));
    report.conformance = { tests: rows.length, agree: rows.length - mismatches.length, oraclePass: rows.filter((r) => r.oracle === 'pass').length };
    console.log(`conformance: ${rows.length} tests, ${rows.length - mismatches.length} agree`);
    expect(rows.length).toBeGreaterThanOrEqual(150);
    expect(mismatches, explain(mismatches)).toEqual([]);
  }, 900_000);

  it('move/k8s_gateway tests', async () => {
    const { rows, mismatches } = await compare(path.join(root, 'move', 'k8s_gateway'));
    report.k8s_gateway = { tests: rows.length, agree: rows.length - mismatches.length, oraclePass: rows.filter((r) => r.oracle === 'pass').length };
    console.log(`k8s_gateway: ${rows.length} tests, ${rows.length - mismatches.length} agree`);
    expect(rows.length).toBeGreaterThan(0);
    expect(mismatches, explain(mismatches)).toEqual([]);
    mkdirSync(path.join(root, 'reports'), { recursive: true });
    writeFileSync(path.join(root, 'reports', 'movevm-conformance.json'), JSON.stringify(report, null, 2) + '\n');
  }, 900_000);
});
