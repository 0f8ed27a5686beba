// Scenarios that need what only the embedded cluster simulates say so (`requires:`) and are
// skipped with the reason on real clusters; the shipped scenarios that depend on it declare it.
import { readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenarios, parseScenario } from './loader.ts';
import { planScenarios } from './plan.ts';
import { partitionByCluster, unmetRequirements } from './requirements.ts';

const SCENARIOS = fileURLToPath(new URL('../../scenarios/', import.meta.url));

describe('scenario requirements', () => {
  it('are met on the embedded cluster and name what is missing elsewhere', () => {
    expect(unmetRequirements(['simulated-logs', 'json-responses'], 'embedded')).toBeUndefined();
    expect(unmetRequirements(undefined, 'apiserver')).toBeUndefined();
    const why = unmetRequirements(['simulated-logs'], 'apiserver');
    expect(why).toContain('simulated-logs');
    expect(why).toContain('kubelet');
    expect(why).toContain('--cluster embedded');
  });

  it('the loader accepts `requires` and refuses an unknown requirement', async () => {
    const ok = await parseScenario(
      'name: r\nrequires: [simulated-logs]\nsteps:\n  - sleepMs: 1\n',
      '/v/r.yaml',
      '/nonexistent',
    );
    expect(ok.spec.requires).toEqual(['simulated-logs']);
    await expect(
      parseScenario('name: r\nrequires: [telepathy]\nsteps:\n  - sleepMs: 1\n', '/v/r.yaml', '/nonexistent'),
    ).rejects.toThrow();
  });

  it('06-logs is skipped on the apiserver backend with the reason, run on embedded', async () => {
    const files = (await readdir(SCENARIOS))
      .filter((f) => f.endsWith('.yaml'))
      .map((f) => join(SCENARIOS, f));
    const plans = planScenarios(await loadScenarios(files), 'req123', 1n);
    const real = partitionByCluster(plans, 'apiserver');
    const skipped = [...real.skipped.values()];
    expect(skipped.map((s) => s.file.split('/').pop()).sort()).toEqual(['06-logs.yaml']);
    for (const s of skipped) {
      expect(s.outcome).toBe('skipped');
      expect(s.skipReason).toMatch(/which the apiserver cluster does not provide/);
    }
    expect(real.run).toHaveLength(plans.length - 1);
    expect(partitionByCluster(plans, 'embedded').skipped.size).toBe(0);
  });
});
