import { mkdtempSync, writeFileSync } from 'node:fs';
import type { RequestOptions } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { loadKubeAuth } from './kube-auth.ts';

const b64 = (s: string) => Buffer.from(s).toString('base64');
const config = (cluster: string, user: string) => `apiVersion: v1
kind: Config
clusters: [{ name: c, cluster: { server: "https://k8s.test:6443", ${cluster} } }]
users: [{ name: u, user: { ${user} } }]
contexts: [{ name: ctx, context: { cluster: c, user: u } }, { name: other, context: { cluster: c, user: u } }]
current-context: ctx
`;

/** What client-node's KubeConfig puts into the request options, as the reference. */
async function viaClientNode(yaml: string): Promise<RequestOptions> {
  const kc = new KubeConfig();
  kc.loadFromString(yaml);
  const o: RequestOptions = { headers: {} };
  await kc.applyToHTTPSOptions(o);
  return o;
}

async function viaDirect(yaml: string): Promise<RequestOptions> {
  const auth = loadKubeAuth({ kubeconfigYaml: yaml });
  expect(auth.via).toBe('direct');
  const o: RequestOptions = { headers: {} };
  await auth.apply(o);
  return o;
}

const pick = (o: RequestOptions) => ({
  ca: o.ca?.toString(),
  cert: o.cert?.toString(),
  key: o.key?.toString(),
  authorization: (o.headers as Record<string, string>).Authorization,
  rejectUnauthorized: o.rejectUnauthorized === false ? false : undefined,
});

describe('kubeconfig auth without client-node', () => {
  it('client certificate + CA data: the same TLS material as client-node', async () => {
    const yaml = config(
      `certificate-authority-data: ${b64('CA PEM')}`,
      `client-certificate-data: ${b64('CERT PEM')}, client-key-data: ${b64('KEY PEM')}`,
    );
    expect(pick(await viaDirect(yaml))).toEqual(pick(await viaClientNode(yaml)));
  });

  it('a bearer token, a token file (read per call) and files relative to the kubeconfig', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kube-auth-'));
    writeFileSync(join(dir, 'ca.crt'), 'CA FILE');
    writeFileSync(join(dir, 'token'), 'tok-1\n');
    const token = config('insecure-skip-tls-verify: true', 'token: secret');
    expect(pick(await viaDirect(token))).toEqual(pick(await viaClientNode(token)));
    writeFileSync(join(dir, 'config'), config('certificate-authority: ca.crt', 'tokenFile: token'));
    const auth = loadKubeAuth({ kubeconfigPath: join(dir, 'config') });
    const o: RequestOptions = { headers: {} };
    await auth.apply(o);
    expect(o.ca?.toString()).toBe('CA FILE');
    expect((o.headers as Record<string, string>).Authorization).toBe('Bearer tok-1');
    writeFileSync(join(dir, 'token'), 'tok-2');
    await auth.apply(o);
    expect((o.headers as Record<string, string>).Authorization).toBe('Bearer tok-2');
  });

  it('exec plugins and other auth go to client-node; an unknown --context is named', () => {
    const exec = config('', 'exec: { apiVersion: client.authentication.k8s.io/v1, command: /bin/true }');
    expect(loadKubeAuth({ kubeconfigYaml: exec }).via).toBe('client-node');
    expect(loadKubeAuth({ kubeconfigYaml: exec }).server.toString()).toBe('https://k8s.test:6443/');
    expect(() => loadKubeAuth({ kubeconfigYaml: exec, context: 'nope' })).toThrow(/no context "nope"/);
    expect(loadKubeAuth({ kubeconfigYaml: exec, context: 'other' }).via).toBe('client-node');
  });
});
