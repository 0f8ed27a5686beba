import { loadEntryPoint } from '../load-module.ts';
import { EMBEDDED_KUBE_PIECE } from '../pieces.ts';
import type { ClusterHandle } from '../types.ts';
import { makeWorkDir } from '../workdir.ts';
import { materializeKubeconfig } from './kubeconfig-file.ts';

/** The shape this harness relies on from harness/embedded/kube (its public entry point). */
export interface EmbeddedKubeInstance {
  /** kubeconfig YAML or a path to it. */
  kubeconfig: string;
  url: string;
  stop(): Promise<void>;
  snapshot?(): Promise<string> | string;
  revert?(id: string): Promise<void> | void;
}
export type StartEmbeddedKube = (opts?: Record<string, unknown>) => Promise<EmbeddedKubeInstance>;

export { EMBEDDED_KUBE_PIECE };

export function loadEmbeddedKube(): Promise<StartEmbeddedKube> {
  return loadEntryPoint<StartEmbeddedKube>(
    EMBEDDED_KUBE_PIECE,
    import.meta.url,
    '../../embedded/kube/index.ts',
    'startEmbeddedKube',
  );
}

export async function startEmbeddedCluster(
  opts: { workDir?: string } & Record<string, unknown> = {},
): Promise<ClusterHandle> {
  const start = await loadEmbeddedKube();
  const kube = await start(opts);
  const dir = await makeWorkDir('embedded-kube', opts.workDir);
  const { path } = await materializeKubeconfig(kube.kubeconfig, dir);
  return {
    kind: 'embedded',
    kubeconfigPath: path,
    url: kube.url,
    snapshot: kube.snapshot ? async () => String(await kube.snapshot!()) : undefined,
    revert: kube.revert ? async (id: string) => void (await kube.revert!(id)) : undefined,
    logs: () => '',
    stop: () => kube.stop(),
  };
}
