/**
 * npm run bench — the umbrella: runs every `bench:*` script in package.json one after the
 * other (never in parallel: the machine has two cores) and summarises where each wrote.
 */
import { readFile } from 'node:fs/promises';
import { execa } from 'execa';

const ROOT = new URL('../../', import.meta.url).pathname;
const pkg = JSON.parse(await readFile(`${ROOT}package.json`, 'utf8')) as { scripts?: Record<string, string> };
const names = Object.keys(pkg.scripts ?? {})
  .filter((n) => n.startsWith('bench:'))
  .sort();
if (!names.length) {
  process.stdout.write('no bench:* scripts in package.json\n');
  process.exit(0);
}
const summary: Array<{ name: string; exitCode: number; s: number }> = [];
for (const name of names) {
  process.stdout.write(`\n=== npm run ${name} ===\n`);
  const t = performance.now();
  const r = await execa('npm', ['run', '--silent', name], { cwd: ROOT, stdio: 'inherit', reject: false });
  summary.push({ name, exitCode: r.exitCode ?? 1, s: (performance.now() - t) / 1000 });
}
process.stdout.write('\n');
for (const s of summary)
  process.stdout.write(`${s.exitCode === 0 ? 'ok  ' : 'FAIL'}  ${s.name.padEnd(24)} ${s.s.toFixed(1)} s\n`);
process.exitCode = summary.some((s) => s.exitCode !== 0) ? 1 : 0;
