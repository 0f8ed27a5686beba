/**
 * Kubeconfigs with embedded client certificates (no files to keep next to them). The admin
 * one is what the backend hands out; the others identify each component to RBAC by its CN.
 */
import { stringify } from 'yaml';

export interface KubeconfigSpec {
  readonly server: string;
  readonly caPem: string;
  readonly certPem: string;
  readonly keyPem: string;
  /** Context, cluster and user name. */
  readonly name: string;
  readonly user: string;
}

const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');

export function kubeconfigYaml(k: KubeconfigSpec): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: k.name, cluster: { server: k.server, 'certificate-authority-data': b64(k.caPem) } }],
    users: [
      { name: k.user, user: { 'client-certificate-data': b64(k.certPem), 'client-key-data': b64(k.keyPem) } },
    ],
    contexts: [{ name: k.name, context: { cluster: k.name, user: k.user } }],
    'current-context': k.name,
    preferences: {},
  });
}
