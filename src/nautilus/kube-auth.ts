/**
 * The listener's kubeconfig auth without loading @kubernetes/client-node on start (issue #16:
 * loading it alone takes ~1.1 s, most of a restart). The common kubeconfigs — CA (file or data),
 * client certificate and key (file or data), a bearer token or token file, insecure-skip-tls-verify,
 * tls-server-name — are read here with `yaml` (~80 ms). Anything else (exec plugins,
 * auth-provider, basic auth, proxy-url, several KUBECONFIG files, in-cluster config) is handed to
 * client-node's KubeConfig, imported on the first call only, with the behaviour it always had.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { RequestOptions } from 'node:https';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { parse } from 'yaml';

export interface KubeAuthSource {
  kubeconfigPath?: string;
  kubeconfigYaml?: string;
  context?: string;
}

export interface KubeAuth {
  readonly server: URL;
  /** `direct`: read here; `client-node`: handed to @kubernetes/client-node. */
  readonly via: 'direct' | 'client-node';
  /** Adds the TLS material and the Authorization header the kubeconfig names. */
  apply(options: RequestOptions): Promise<void>;
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : {});
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

const USER_KEYS = new Set([
  'client-certificate',
  'client-certificate-data',
  'client-key',
  'client-key-data',
  'token',
  'tokenFile',
]);
const CLUSTER_KEYS = new Set([
  'server',
  'certificate-authority',
  'certificate-authority-data',
  'insecure-skip-tls-verify',
  'tls-server-name',
]);

function named(list: unknown, name: string | undefined, key: string): Obj | undefined {
  if (!Array.isArray(list) || !name) return undefined;
  const e = list.map(obj).find((x) => x.name === name);
  return e ? obj(e[key]) : undefined;
}

/** The kubeconfig text and the directory relative paths resolve against, or undefined (use client-node). */
function sourceText(s: KubeAuthSource): { text: string; dir: string } | undefined {
  if (s.kubeconfigYaml !== undefined) return { text: s.kubeconfigYaml, dir: process.cwd() };
  let file = s.kubeconfigPath;
  if (!file) {
    const env = process.env.KUBECONFIG;
    if (env && env.includes(':')) return undefined; // merged files: client-node's merge rules
    file = env || join(homedir(), '.kube', 'config');
    if (!existsSync(file)) return undefined; // in-cluster config
  }
  return { text: readFileSync(file, 'utf8'), dir: dirname(file) };
}

/** Reads the kubeconfig; anything beyond the common fields goes to client-node (lazily). */
export function loadKubeAuth(s: KubeAuthSource): KubeAuth {
  const src = sourceText(s);
  if (src) {
    const doc = obj(parse(src.text));
    const contextName = s.context ?? str(doc['current-context']);
    const context = named(doc.contexts, contextName, 'context');
    if (s.context && !context)
      throw new Error(`the kubeconfig has no context "${s.context}"; check --context`);
    const cluster = named(doc.clusters, str(context?.cluster), 'cluster');
    const user = named(doc.users, str(context?.user), 'user') ?? {};
    const server = str(cluster?.server);
    if (!cluster || !server)
      throw new Error('the kubeconfig has no current cluster; pass --kubeconfig and --context');
    const simple =
      Object.keys(user).every((k) => USER_KEYS.has(k)) &&
      Object.keys(cluster).every((k) => CLUSTER_KEYS.has(k));
    if (simple) return directAuth(new URL(server), cluster, user, src.dir);
    return clientNodeAuth(s, new URL(server));
  }
  return clientNodeAuth(s, undefined);
}

function directAuth(server: URL, cluster: Obj, user: Obj, dir: string): KubeAuth {
  const file = (p: string) => readFileSync(isAbsolute(p) ? p : join(dir, p));
  const material = (dataKey: string, fileKey: string): Buffer | undefined => {
    const data = str(cluster[dataKey] ?? user[dataKey]);
    if (data) return Buffer.from(data, 'base64');
    const path = str(cluster[fileKey] ?? user[fileKey]);
    return path ? file(path) : undefined;
  };
  const ca = material('certificate-authority-data', 'certificate-authority');
  const cert = material('client-certificate-data', 'client-certificate');
  const key = material('client-key-data', 'client-key');
  const insecure = cluster['insecure-skip-tls-verify'] === true;
  const servername = str(cluster['tls-server-name']);
  const token = str(user.token);
  const tokenFile = str(user.tokenFile);
  return {
    server,
    via: 'direct',
    async apply(o) {
      if (ca) o.ca = ca;
      if (cert) o.cert = cert;
      if (key) o.key = key;
      if (insecure) o.rejectUnauthorized = false;
      if (servername) o.servername = servername;
      // A token file is read per call: projected service-account tokens rotate.
      const bearer = token ?? (tokenFile ? file(tokenFile).toString('utf8').trim() : undefined);
      if (bearer)
        o.headers = { ...(o.headers as Obj), Authorization: `Bearer ${bearer}` } as RequestOptions['headers'];
    },
  };
}

function clientNodeAuth(s: KubeAuthSource, server: URL | undefined): KubeAuth {
  type Kc = KubeConfig;
  let kc: Promise<Kc> | undefined;
  const load = (): Promise<Kc> =>
    (kc ??= import('@kubernetes/client-node').then((m) => {
      const k = new m.KubeConfig();
      if (s.kubeconfigYaml !== undefined) k.loadFromString(s.kubeconfigYaml);
      else if (s.kubeconfigPath) k.loadFromFile(s.kubeconfigPath);
      else k.loadFromDefault();
      if (s.context) k.setCurrentContext(s.context);
      return k;
    }));
  // In-cluster config names the server in the environment, as client-node reads it.
  const host = process.env.KUBERNETES_SERVICE_HOST;
  const inCluster = host
    ? new URL(
        `https://${host.includes(':') ? `[${host}]` : host}:${process.env.KUBERNETES_SERVICE_PORT ?? '443'}`,
      )
    : undefined;
  const url = server ?? inCluster;
  if (!url)
    throw new Error(
      'no kubeconfig found ($KUBECONFIG, ~/.kube/config) and not in a cluster; pass --kubeconfig',
    );
  return {
    server: url,
    via: 'client-node',
    async apply(o) {
      await (await load()).applyToHTTPSOptions(o);
    },
  };
}
