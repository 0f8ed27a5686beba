/** Starts a node:http server that answers grpc-web calls and, optionally, plain HTTP routes. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleGrpcWeb, isGrpcWebRequest } from './server.ts';
import type { GrpcRouter, MethodStats } from './router.ts';

export type HttpFallback = (req: IncomingMessage, res: ServerResponse) => Promise<boolean> | boolean;

export interface RunningHttpServer {
  readonly server: Server;
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

export async function startGrpcWebServer(opts: {
  router: GrpcRouter;
  host?: string;
  port?: number;
  /** Plain HTTP routes (e.g. the faucet); return true when handled. */
  fallback?: HttpFallback;
}): Promise<RunningHttpServer> {
  const stop = new AbortController();
  const server = createServer((req, res) => {
    void dispatch(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`internal error: ${(error as Error)?.message ?? String(error)}`);
    });
  });
  async function dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.headers['content-type'] === undefined && req.method === 'OPTIONS') {
      return handleGrpcWeb(opts.router, req, res, stop.signal);
    }
    if (isGrpcWebRequest(req)) return handleGrpcWeb(opts.router, req, res, stop.signal);
    if (req.method === 'GET' && req.url === '/stats') return writeStats(opts.router, res);
    if (opts.fallback && (await opts.fallback(req, res))) return;
    res.writeHead(404, { 'content-type': 'text/plain', 'access-control-allow-origin': '*' });
    res.end(
      `no route for ${req.method} ${req.url}; this server speaks grpc-web (content-type application/grpc-web-text)\n`,
    );
  }
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = opts.host && opts.host !== '0.0.0.0' ? opts.host : '127.0.0.1';
  return {
    server,
    port,
    url: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        stop.abort();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/**
 * `GET /stats`: per-method call counts and time spent, plus the process's CPU time, so a
 * benchmark running the node in another process can tell node time from client and transport.
 * recentHandlerP50Ms / P90Ms cover the latest calls of each method (at most 256).
 */
function writeStats(router: GrpcRouter, res: ServerResponse): void {
  const cpu = process.cpuUsage();
  const methods: Record<string, Omit<MethodStats, 'recentHandlerMs'> & Record<string, number>> = {};
  for (const [path, { recentHandlerMs, ...s }] of router.stats) {
    // Percentiles of the latest calls: robust to the odd call that waited for the CPU.
    const sorted = [...recentHandlerMs].sort((a, b) => a - b);
    const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
    methods[path] = {
      ...s,
      recentCalls: sorted.length,
      recentHandlerP50Ms: at(0.5),
      recentHandlerP90Ms: at(0.9),
    };
  }
  res.writeHead(200, { 'content-type': 'application/json', 'access-control-allow-origin': '*' });
  res.end(
    JSON.stringify({
      uptimeMs: Math.round(process.uptime() * 1000),
      cpuUserMs: cpu.user / 1000,
      cpuSystemMs: cpu.system / 1000,
      methods,
    }),
  );
}
