import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { KubeConfig, VersionApi } from '@kubernetes/client-node';

/** True when the string is kubeconfig YAML rather than a path to one. */
export function looksLikeKubeconfigYaml(s: string): boolean {
  return /\bapiVersion\s*:/.test(s) || /\bclusters\s*:/.test(s);
}

/** Stores a kubeconfig (YAML or path) as a file in `dir` and returns its path and server URL. */
export async function materializeKubeconfig(
  source: string,
  dir: string,
  context?: string,
): Promise<{ path: string; url: string }> {
  const yaml = looksLikeKubeconfigYaml(source) ? source : await readFile(source, 'utf8');
  const kc = new KubeConfig();
  kc.loadFromString(yaml);
  if (context) {
    if (!kc.getContexts().some((c) => c.name === context)) {
      const known =
        kc
          .getContexts()
          .map((c) => c.name)
          .join(', ') || '(none)';
      throw new Error(`kubeconfig has no context "${context}"; contexts: ${known}`);
    }
    kc.setCurrentContext(context);
  }
  const cluster = kc.getCurrentCluster();
  if (!cluster)
    throw new Error('kubeconfig has no current context/cluster: set `current-context` or pass --context');
  const path = join(dir, 'kubeconfig.yaml');
  await writeFile(path, kc.exportConfig(), { mode: 0o600 });
  return { path, url: cluster.server };
}

/** GET /version on the API server with the kubeconfig's credentials. */
export async function probeApiServer(kubeconfigPath: string): Promise<string> {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  const info = await kc.makeApiClient(VersionApi).getCode();
  return info.gitVersion;
}
