import { registerCleanup } from '../cleanup.ts';
import { requireDocker } from '../docker.ts';
import type { ClusterHandle } from '../types.ts';
import { makeWorkDir } from '../workdir.ts';
import { materializeKubeconfig } from './kubeconfig-file.ts';

export const K3S_IMAGE = 'rancher/k3s:v1.32.2-k3s1';

/** k3s in a container via @testcontainers/k3s. */
export async function startK3sCluster(
  opts: { image?: string; workDir?: string } = {},
): Promise<ClusterHandle> {
  await requireDocker();
  const { K3sContainer } = await import('@testcontainers/k3s');
  const container = await new K3sContainer(opts.image ?? K3S_IMAGE).start();
  const unregister = registerCleanup('k3s container', async () => {
    await container.stop({ timeout: 5_000 });
  });
  const dir = await makeWorkDir('k3s', opts.workDir);
  const { path, url } = await materializeKubeconfig(container.getKubeConfig(), dir);
  return {
    kind: 'k3s',
    kubeconfigPath: path,
    url,
    logs: () => '',
    async stop() {
      unregister();
      await container.stop({ timeout: 5_000 });
    },
  };
}
