/**
 * The listener's health and metrics endpoint: `/healthz` and `/readyz` (503 with the problems
 * that stop it answering; `warnings` for what it runs with but should not, e.g. an admin
 * Kubernetes credential), `/metrics` (Prometheus), `/traces/<request id>` (per-hop marks of one request).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hopDurations, type TraceStore } from '../shared/trace.ts';
import type { ListenerMetrics } from './metrics.ts';

/** What /healthz reports, read at each request. */
export interface HealthView {
  /** reasons the listener cannot answer requests now (empty = healthy) */
  problems(): string[];
  /** what the operator should know but does not stop it (e.g. --allow-admin-credential) */
  warnings?(): string[];
  details(): Record<string, unknown>;
}

export class HealthServer {
  private server?: Server;

  constructor(
    private readonly view: HealthView,
    private readonly metrics: Pick<ListenerMetrics, 'registry'>,
    private readonly traces: TraceStore,
  ) {}

  /** Listens; returns the base URL. */
  async start(h: { host?: string; port: number }): Promise<string> {
    const server = createServer((req, res) => {
      void (async () => {
        if (req.url === '/healthz' || req.url === '/readyz') {
          const problems = this.view.problems();
          const warnings = this.view.warnings?.() ?? [];
          const ok = problems.length === 0;
          res.writeHead(ok ? 200 : 503, { 'Content-Type': 'application/json' });
          res.end(
            JSON.stringify({
              ok,
              problems,
              ...(warnings.length ? { warnings } : {}),
              ...this.view.details(),
            }),
          );
        } else if (req.url === '/metrics') {
          res.writeHead(200, { 'Content-Type': this.metrics.registry.contentType });
          res.end(await this.metrics.registry.metrics());
        } else if (req.url?.startsWith('/traces/')) {
          const t = this.traces.get(decodeURIComponent(req.url.slice(8)));
          res.writeHead(t ? 200 : 404, { 'Content-Type': 'application/json' });
          res.end(JSON.stringify(t ? { ...t, durations: hopDurations(t.marks) } : { error: 'no trace' }));
        } else {
          res.writeHead(404).end();
        }
      })().catch(() => res.writeHead(500).end());
    });
    this.server = server;
    const host = h.host ?? '127.0.0.1';
    await new Promise<void>((r) => server.listen(h.port, host, r));
    const { port } = server.address() as AddressInfo;
    return `http://${host}:${port}`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  }
}
