/** The scenario suite with the embedded node serving only what a Sui 1.71 full node serves (events from checkpoints). */
import { describeScenarioSuite } from './scenario-suite.ts';
import { defaultScenarioFiles } from './suite.ts';

await describeScenarioSuite(await defaultScenarioFiles(), '1.71');
