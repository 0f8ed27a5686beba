// Well-known locations of the Move sources, resolved from this file so they do
// not depend on the current working directory.
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SHIM_ROOT = path.join(REPO_ROOT, 'move', 'shim');
export const DEFAULT_PACKAGE_DIR = path.join(REPO_ROOT, 'move', 'k8s_gateway');
export const FIXTURES_DIR = path.join(REPO_ROOT, 'harness', 'toolchain', 'fixtures');
