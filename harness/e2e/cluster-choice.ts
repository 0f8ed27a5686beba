/**
 * The cluster this test file's e2e stack boots. A test file runs on the embedded cluster; a thin
 * `<name>.apiserver.e2e.test.ts` sets another (clusters.ts `runOnCluster`) before it imports the
 * file, so one test file serves every cluster without a copy. vitest evaluates each test file in
 * its own module graph (here in its own process), and runOnCluster clears the choice afterwards.
 */
export type E2EClusterKind = 'embedded' | 'apiserver';

const KEY = Symbol.for('k3s-daas.e2e.cluster');
type Holder = { [KEY]?: E2EClusterKind };

export function e2eCluster(): E2EClusterKind {
  return (globalThis as Holder)[KEY] ?? 'embedded';
}

/** Sets (or, with undefined, clears) the cluster the following stacks boot. */
export function chooseE2ECluster(kind: E2EClusterKind | undefined): void {
  if (kind) (globalThis as Holder)[KEY] = kind;
  else delete (globalThis as Holder)[KEY];
}
