/**
 * Regenerates go/go.mod (and go.sum via `go mod tidy`) for the pinned versions:
 *   npx tsx harness/controlplane/gen-gomod.ts
 * Reads k8s.io/kubernetes' go.mod from the module proxy through `go mod download -json`.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GO_MODULE_DIR, kubeGoModPath } from './build.ts';
import { wrapperGoMod } from './gomod.ts';
import { ETCD_VERSION, KUBE_VERSION } from './versions.ts';

const kubeGoMod = readFileSync(kubeGoModPath(KUBE_VERSION), 'utf8');
writeFileSync(
  join(GO_MODULE_DIR, 'go.mod'),
  wrapperGoMod({ kubeVersion: KUBE_VERSION, etcdVersion: ETCD_VERSION, kubeGoMod }),
);
execFileSync('go', ['mod', 'tidy'], { cwd: GO_MODULE_DIR, stdio: 'inherit' });
process.stdout.write(
  `wrote ${join(GO_MODULE_DIR, 'go.mod')} for k8s.io/kubernetes ${KUBE_VERSION}, etcd ${ETCD_VERSION}\n`,
);
