/**
 * `npm test` runs every scenario in scenarios/ on the embedded backends (harness/scenario/scenario-suite.ts),
 * on the current RPC profile; scenarios-rpc-1.71.test.ts runs them on the Sui 1.71 one.
 */
import { describe, expect, it } from 'vitest';
import { describeScenarioSuite } from './scenario-suite.ts';
import { defaultScenarioFiles } from './suite.ts';

const files = await defaultScenarioFiles();
await describeScenarioSuite(files);

describe('scenario files', () => {
  it('there is at least one scenario per required behaviour', () => {
    expect(files.length).toBeGreaterThanOrEqual(17);
  });
});
