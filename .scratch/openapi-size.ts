import { startApiserverCluster } from '../harness/backends/cluster/apiserver.ts';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { gzipSync } from 'node:zlib';
import { parse } from 'yaml';
const c = await startApiserverCluster({ onProgress: () => {} });
try {
  const kc = parse(readFileSync(c.kubeconfigPath, 'utf8'));
  const ca = Buffer.from(kc.clusters[0].cluster['certificate-authority-data'], 'base64');
  const cert = Buffer.from(kc.users[0].user['client-certificate-data'], 'base64');
  const key = Buffer.from(kc.users[0].user['client-key-data'], 'base64');
  for (const [path, accept] of [['/openapi/v2', 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf'], ['/openapi/v2', 'application/json'], ['/api/v1/namespaces/default/configmaps/kube-root-ca.crt', 'application/vnd.kubernetes.protobuf'], ['/api/v1/namespaces/default/configmaps/kube-root-ca.crt', 'application/vnd.kubernetes.protobuf, application/json'], ['/api/v1/namespaces/default/configmaps', 'application/vnd.kubernetes.protobuf;as=Table;v=v1;g=meta.k8s.io'], ['/api/v1/namespaces/default/configmaps/kube-root-ca.crt', 'text/html'], ['/apis/apiextensions.k8s.io/v1/customresourcedefinitions', 'application/vnd.kubernetes.protobuf']]) {
    const body: Buffer = await new Promise((res, rej) => {
      const u = new URL(c.url + path);
      const r = request({ host: u.hostname, port: u.port, path: u.pathname, ca, cert, key, headers: { accept } }, (resp) => {
        const chunks: Buffer[] = [];
        resp.on('data', (d: Buffer) => chunks.push(d));
        resp.on('end', () => { console.log(path, accept, resp.statusCode, resp.headers['content-type']); res(Buffer.concat(chunks)); });
      });
      r.on('error', rej); r.end();
    });
    console.log('  size', body.length, 'gz', gzipSync(body).length, body.length < 600 ? body.toString() : '');
  }
} finally { await c.stop(); }
