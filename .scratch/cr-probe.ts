import { startApiserverCluster } from '../harness/backends/cluster/apiserver.ts';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { execa } from 'execa';
import { parse } from 'yaml';
const c = await startApiserverCluster({ onProgress: () => {} });
try {
  const kc = parse(readFileSync(c.kubeconfigPath, 'utf8'));
  const ca = Buffer.from(kc.clusters[0].cluster['certificate-authority-data'], 'base64');
  const cert = Buffer.from(kc.users[0].user['client-certificate-data'], 'base64');
  const key = Buffer.from(kc.users[0].user['client-key-data'], 'base64');
  const crd = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: { name: widgets.x.example }
spec:
  group: x.example
  scope: Namespaced
  names: { plural: widgets, singular: widget, kind: Widget }
  versions: [{ name: v1, served: true, storage: true, schema: { openAPIV3Schema: { type: object, x-kubernetes-preserve-unknown-fields: true } } }]
`;
  await execa('kubectl', ['--kubeconfig', c.kubeconfigPath, 'apply', '-f', '-'], { input: crd });
  await execa('kubectl', ['--kubeconfig', c.kubeconfigPath, 'wait', '--for=condition=Established', 'crd/widgets.x.example']);
  await new Promise((r) => setTimeout(r, 2000));
  await execa('kubectl', ['--kubeconfig', c.kubeconfigPath, 'apply', '-f', '-'], { input: 'apiVersion: x.example/v1\nkind: Widget\nmetadata: {name: w1, namespace: default}\n' });
  const get = (path: string, accept: string, method = 'GET') => new Promise<void>((res, rej) => {
    const u = new URL(c.url + path);
    const r = request({ host: u.hostname, port: u.port, path: u.pathname + u.search, method, ca, cert, key, headers: { accept } }, (resp) => {
      const chunks: Buffer[] = [];
      resp.on('data', (d: Buffer) => chunks.push(d));
      resp.on('end', () => { const b = Buffer.concat(chunks); console.log(method, path, JSON.stringify(accept), resp.statusCode, resp.headers['content-type'], JSON.stringify(b.toString('latin1').replace(/[^\x20-\x7e]/g, '.'))); res(); });
    });
    r.on('error', rej); r.end();
  });
  const W = '/apis/x.example/v1/namespaces/default/widgets';
  for (const a of ['application/vnd.kubernetes.protobuf', 'application/vnd.kubernetes.protobuf, application/json', 'text/html', 'text/html, application/json', 'application/cbor', 'application/vnd.kubernetes.protobuf;as=Table;v=v1;g=meta.k8s.io', 'application/vnd.kubernetes.protobuf;as=Table;v=v1;g=meta.k8s.io, application/json'])
    { await get(W + '/w1', a); }
  await get(W, 'application/vnd.kubernetes.protobuf');
  await get(W + '?watch=1&timeoutSeconds=1', 'application/vnd.kubernetes.protobuf');
  await get('/api/v1/namespaces/default/configmaps/kube-root-ca.crt', 'text/html, application/json');
  await get('/api/v1/namespaces/default/configmaps/kube-root-ca.crt', 'application/cbor');
  await get('/api/v1/namespaces/default/configmaps/kube-root-ca.crt', 'application/vnd.kubernetes.protobuf;as=Table;v=v1;g=meta.k8s.io');
  await get('/api/v1/namespaces/default/configmaps/nope', 'application/vnd.kubernetes.protobuf');
  await get('/api/v1/namespaces/default/configmaps/kube-root-ca.crt', 'application/vnd.kubernetes.protobuf, application/json', 'DELETE');
} finally { await c.stop(); }
