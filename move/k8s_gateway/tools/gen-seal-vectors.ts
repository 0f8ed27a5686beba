/**
 * Writes tests/seal_vectors.move from src/contract (see
 * src/contract/testing/seal-vectors.ts).
 *
 *   npm run gen:seal-vectors            # write the file
 *   npm run gen:seal-vectors -- --check # exit 1 if the file is stale
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderSealVectors } from '../../../src/contract/testing/seal-vectors.ts';

export const SEAL_VECTORS_FILE = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  'tests',
  'seal_vectors.move',
);

const content = renderSealVectors();
if (process.argv.includes('--check')) {
  const current = readFileSync(SEAL_VECTORS_FILE, 'utf8');
  if (current !== content) {
    console.error('tests/seal_vectors.move is stale: run npm run gen:seal-vectors');
    process.exitCode = 1;
  } else console.log('seal vectors are up to date');
} else {
  writeFileSync(SEAL_VECTORS_FILE, content);
  console.log(`wrote ${path.relative(process.cwd(), SEAL_VECTORS_FILE)}`);
}
