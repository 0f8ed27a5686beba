import { createServer } from 'node:net';

/** An unused TCP port on 127.0.0.1 (the OS picks; the tiny reuse race is acceptable for tests). */
export function freePortOnLoopback(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}
