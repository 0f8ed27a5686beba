/**
 * The scenario suite on the real control plane (`--cluster apiserver`: harness/controlplane),
 * same assertions as on the embedded cluster; scenarios whose `requires:` it lacks are skipped
 * with the reason, and the whole suite skips, naming why, where the binaries are not built.
 */
import { registerScenarioSuite } from './scenario-tests.ts';
import { defaultScenarioFiles } from './suite.ts';

await registerScenarioSuite(await defaultScenarioFiles(), { cluster: 'apiserver' });
