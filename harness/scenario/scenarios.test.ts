/**
 * `npm test` runs every scenario in scenarios/ on the embedded backends, one test case each
 * (scenario-tests.ts); scenarios.apiserver.test.ts runs them on the real control plane,
 * scenarios-rpc-1.71.test.ts with the embedded node serving what a Sui 1.71 full node serves.
 */
import { describe, expect, it } from 'vitest';
import { registerScenarioSuite } from './scenario-tests.ts';
import { defaultScenarioFiles } from './suite.ts';

const files = await defaultScenarioFiles();
await registerScenarioSuite(files, { cluster: 'embedded' });

describe('scenario files', () => {
  it('there is at least one scenario per required behaviour', () => {
    expect(files.length).toBeGreaterThanOrEqual(17);
  });
});
