/** The scenario suite with the embedded node serving only what a Sui 1.71 full node serves (events from checkpoints). */
import { registerScenarioSuite } from './scenario-tests.ts';
import { defaultScenarioFiles } from './suite.ts';

await registerScenarioSuite(await defaultScenarioFiles(), { cluster: 'embedded', rpcProfile: '1.71' });
