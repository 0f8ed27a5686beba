/** The Kubernetes hop keeps its TLS connections: one handshake serves many requests. */
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createThrowawayTls } from '../shared/tls.ts';
import { K8sExecutor } from './k8s-executor.ts';

let server: Server;
let handshakes = 0;
let kubeconfig = '';

beforeAll(async () => {
  const tls = await createThrowawayTls();
  server = createServer({ cert: tls.cert, key: tls.key }, (req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ kind: 'Status', auth: req.headers.authorization ?? null }));
  });
  server.on('secureConnection', () => handshakes++);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  kubeconfig = `apiVersion: v1
kind: Config
clusters: [{ name: c, cluster: { server: "https://127.0.0.1:${port}", certificate-authority-data: "${Buffer.from(tls.caCert).toString('base64')}" } }]
users: [{ name: u, user: { token: "t0k3n" } }]
contexts: [{ name: ctx, context: { cluster: c, user: u } }]
current-context: ctx
`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

it('reuses one TLS connection for sequential requests and still sends the credentials every time', async () => {
  const k8s = new K8sExecutor({ kubeconfigYaml: kubeconfig });
  try {
    for (let i = 0; i < 5; i++) {
      const r = await k8s.execute({
        method: 'GET',
        path: '/api/v1/pods',
        accept: 'application/json',
        as: 'self',
        idempotent: true,
      });
      expect(r.statusCode).toBe(200);
      expect(JSON.parse(r.body.toString()).auth).toBe('Bearer t0k3n');
    }
    expect(handshakes).toBe(1);
  } finally {
    k8s.close();
  }
});
