import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { registerCleanup } from '../cleanup.ts';
import { missingTool } from '../errors.ts';
import { requireDocker } from '../docker.ts';
import type { ClusterHandle } from '../types.ts';
import { which } from '../which.ts';
import { makeWorkDir } from '../workdir.ts';
import { materializeKubeconfig } from './kubeconfig-file.ts';

export interface KindOptions {
  name?: string;
  reuse?: boolean;
  kindBinary?: string;
  workDir?: string;
  /** Node image, e.g. kindest/node:v1.32.2 (kind's default when unset). */
  nodeImage?: string;
  readyTimeoutMs?: number;
  /** Docker availability check (replaceable in boundary tests that use a stand-in `kind`). */
  dockerCheck?: () => Promise<void>;
}

export const KIND_DEFAULT_NAME = 'k3s-daas';

/** The generated kind config: one control-plane node, API server on loopback only. */
export function kindConfig(opts: KindOptions = {}): string {
  const lines = [
    'kind: Cluster',
    'apiVersion: kind.x-k8s.io/v1alpha4',
    `name: ${opts.name ?? KIND_DEFAULT_NAME}`,
    'networking:',
    '  apiServerAddress: "127.0.0.1"',
    'nodes:',
    '  - role: control-plane',
  ];
  if (opts.nodeImage) lines.push(`    image: ${opts.nodeImage}`);
  return lines.join('\n') + '\n';
}

/** Exact argument vectors of the kind commands this backend runs. */
export const kindCommands = {
  getClusters: (): string[] => ['get', 'clusters'],
  create: (name: string, configPath: string, kubeconfigPath: string, waitS: number): string[] => [
    'create',
    'cluster',
    '--name',
    name,
    '--config',
    configPath,
    '--kubeconfig',
    kubeconfigPath,
    '--wait',
    `${waitS}s`,
  ],
  exportKubeconfig: (name: string, kubeconfigPath: string): string[] => [
    'export',
    'kubeconfig',
    '--name',
    name,
    '--kubeconfig',
    kubeconfigPath,
  ],
  delete: (name: string): string[] => ['delete', 'cluster', '--name', name],
};

export async function startKindCluster(opts: KindOptions = {}): Promise<ClusterHandle> {
  const kind = opts.kindBinary ?? (await which('kind'));
  if (!kind) throw missingTool('kind');
  await (opts.dockerCheck ?? requireDocker)();
  const name = opts.name ?? KIND_DEFAULT_NAME;
  const dir = await makeWorkDir('kind', opts.workDir);
  const configPath = join(dir, 'kind-config.yaml');
  const rawKubeconfig = join(dir, 'kind-kubeconfig.yaml');
  await writeFile(configPath, kindConfig({ ...opts, name }));

  const existing = (await execa(kind, kindCommands.getClusters())).stdout.split('\n').map((s) => s.trim());
  const created = !(opts.reuse && existing.includes(name));
  if (created) {
    if (existing.includes(name)) {
      throw new Error(
        `a kind cluster named "${name}" already exists: pass --reuse to use it, or \`kind delete cluster --name ${name}\``,
      );
    }
    await execa(
      kind,
      kindCommands.create(
        name,
        configPath,
        rawKubeconfig,
        Math.round((opts.readyTimeoutMs ?? 180_000) / 1000),
      ),
    );
  } else {
    await execa(kind, kindCommands.exportKubeconfig(name, rawKubeconfig));
  }
  const deleteCluster = async (): Promise<void> => {
    await execa(kind, kindCommands.delete(name), { reject: false });
  };
  // --reuse keeps the cluster for the next run; otherwise it goes on exit, SIGINT and SIGTERM.
  const unregister = opts.reuse ? () => {} : registerCleanup(`kind cluster ${name}`, deleteCluster);
  const { path, url } = await materializeKubeconfig(rawKubeconfig, dir, `kind-${name}`);
  return {
    kind: 'kind',
    kubeconfigPath: path,
    url,
    logs: () => '',
    async stop() {
      unregister();
      if (!opts.reuse) await deleteCluster();
    },
  };
}
