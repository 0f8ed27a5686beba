/** Natives of sui::test_scenario (test-only). Filled in below when needed. */
import type { NativeTable } from './registry.ts';

export const testScenarioNatives: NativeTable = {};
