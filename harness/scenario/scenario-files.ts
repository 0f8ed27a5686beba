/** Where the scenarios live (kept apart from suite.ts so listing them loads no stack code). */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SCENARIOS_DIR = fileURLToPath(new URL('../../scenarios/', import.meta.url));

/** Every *.yaml directly in scenarios/, sorted. */
export async function defaultScenarioFiles(dir = SCENARIOS_DIR): Promise<string[]> {
  return (await readdir(dir))
    .filter((f) => f.endsWith('.yaml') || f.endsWith('.yml'))
    .sort()
    .map((f) => join(dir, f));
}
