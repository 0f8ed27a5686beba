import { homedir } from 'node:os';
import { join } from 'node:path';
import { waitUntil } from '../readiness.ts';
import type { ClusterHandle } from '../types.ts';
import { makeWorkDir } from '../workdir.ts';
import { materializeKubeconfig, probeApiServer } from './kubeconfig-file.ts';

/** An existing cluster reached through a kubeconfig context. Never deleted by the harness. */
export async function useKubeconfigCluster(
  opts: { kubeconfigPath?: string; context?: string; workDir?: string; readyTimeoutMs?: number } = {},
): Promise<ClusterHandle> {
  const source =
    opts.kubeconfigPath ?? process.env.KUBECONFIG?.split(':')[0] ?? join(homedir(), '.kube', 'config');
  const dir = await makeWorkDir('kubeconfig', opts.workDir);
  let materialized: { path: string; url: string };
  try {
    materialized = await materializeKubeconfig(source, dir, opts.context);
  } catch (err) {
    throw new Error(
      `cannot use kubeconfig ${source}: ${(err as Error).message}. Pass --kubeconfig PATH [--context NAME]`,
    );
  }
  await waitUntil(`Kubernetes API at ${materialized.url}`, () => probeApiServer(materialized.path), {
    timeoutMs: opts.readyTimeoutMs ?? 10_000,
    intervalMs: 1_000,
  });
  return {
    kind: 'kubeconfig',
    kubeconfigPath: materialized.path,
    url: materialized.url,
    logs: () => '',
    stop: async () => {},
  };
}
