import { describe, expect, it } from 'vitest';
import { createServer } from 'node:https';
import { request } from 'node:https';
import type { AddressInfo } from 'node:net';
import { X509Certificate } from 'node:crypto';
import { createThrowawayTls } from './tls.ts';

describe('createThrowawayTls', () => {
  it('produces a server certificate signed by the CA that Node verifies for 127.0.0.1 and localhost', async () => {
    const tls = await createThrowawayTls();
    const ca = new X509Certificate(tls.caCert);
    const leaf = new X509Certificate(tls.cert);
    expect(leaf.verify(ca.publicKey)).toBe(true);
    expect(leaf.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(leaf.checkHost('localhost')).toBe('localhost');
    expect(ca.ca).toBe(true);

    const server = createServer({ cert: tls.cert, key: tls.key }, (_req, res) => res.end('ok'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    const body = await new Promise<string>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, ca: tls.caCert, path: '/' }, (res) => {
        let s = '';
        res.on('data', (c: Buffer) => (s += c.toString()));
        res.on('end', () => resolve(s));
      });
      req.on('error', reject);
      req.end();
    });
    server.close();
    expect(body).toBe('ok');
  });
  it('a different CA is rejected by the client', async () => {
    const [a, b] = await Promise.all([createThrowawayTls(), createThrowawayTls()]);
    const server = createServer({ cert: a.cert, key: a.key }, (_req, res) => res.end('ok'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    const err = await new Promise<Error>((resolve) => {
      const req = request({ host: '127.0.0.1', port, ca: b.caCert, path: '/' }, () =>
        resolve(new Error('connected')),
      );
      req.on('error', resolve);
      req.end();
    });
    server.close();
    expect(err.message).toMatch(/certificate/i);
  });
});
