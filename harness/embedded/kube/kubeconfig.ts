// kubeconfig documents for the embedded server (token or client-certificate users).
import YAML from 'yaml';

export interface KubeconfigUser {
  token?: string;
  clientCertPem?: string;
  clientKeyPem?: string;
}

export function kubeconfigYaml(opts: {
  url: string;
  caPem?: string;
  user: KubeconfigUser;
  name?: string;
  namespace?: string;
}): string {
  const name = opts.name ?? 'embedded';
  const cluster: Record<string, unknown> = { server: opts.url };
  if (opts.caPem) cluster['certificate-authority-data'] = Buffer.from(opts.caPem).toString('base64');
  const user: Record<string, unknown> = {};
  if (opts.user.token) user.token = opts.user.token;
  if (opts.user.clientCertPem)
    user['client-certificate-data'] = Buffer.from(opts.user.clientCertPem).toString('base64');
  if (opts.user.clientKeyPem)
    user['client-key-data'] = Buffer.from(opts.user.clientKeyPem).toString('base64');
  return YAML.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name, cluster }],
    users: [{ name, user }],
    contexts: [
      {
        name,
        context: { cluster: name, user: name, ...(opts.namespace ? { namespace: opts.namespace } : {}) },
      },
    ],
    'current-context': name,
    preferences: {},
  });
}
