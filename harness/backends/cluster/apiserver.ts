/**
 * `--cluster apiserver`: the real Kubernetes control plane (etcd, kube-apiserver,
 * kube-controller-manager, kube-scheduler, kwok) built from Go modules by
 * harness/controlplane and run on loopback. Builds the binaries on first use (minutes, with
 * progress); needs Go only then.
 */
import { ensureControlPlaneBinaries } from '../../controlplane/build.ts';
import { startControlPlane } from '../../controlplane/controlplane.ts';
import type { ClusterHandle } from '../types.ts';
import { makeWorkDir } from '../workdir.ts';

export interface ApiserverClusterOptions {
  workDir?: string;
  readyTimeoutMs?: number;
  /** Keep certificates, kubeconfigs and etcd data after stop (for debugging). */
  keep?: boolean;
  /** Start only etcd + kube-apiserver (no controllers, no kwok): faster, pods stay Pending. */
  apiserverOnly?: boolean;
  onProgress?: (line: string) => void;
}

/** Boot phases of the last apiserver cluster started in this process (for reports and benches). */
export let lastApiserverBootMs: Readonly<Record<string, number>> | undefined;

export async function startApiserverCluster(opts: ApiserverClusterOptions = {}): Promise<ClusterHandle> {
  const progress = opts.onProgress ?? ((line: string) => process.stderr.write(line + '\n'));
  const { binaries } = await ensureControlPlaneBinaries({ onProgress: progress });
  const dir = await makeWorkDir('apiserver', opts.workDir);
  const cp = await startControlPlane({
    binaries,
    dir,
    keep: opts.keep,
    controllers: !opts.apiserverOnly,
    readyTimeoutMs: opts.readyTimeoutMs,
    onProgress: opts.onProgress,
  });
  lastApiserverBootMs = cp.bootMs;
  return {
    kind: 'apiserver',
    kubeconfigPath: cp.adminKubeconfigPath,
    url: cp.url,
    auditLogPath: cp.layout.auditLog,
    logs: () => cp.logs(),
    stop: () => cp.stop(),
  };
}
