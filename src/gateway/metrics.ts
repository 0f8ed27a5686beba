/** Prometheus metrics of the gateway (prom-client, own registry). */
import { Counter, Histogram, Registry } from 'prom-client';
import { HOPS, type TraceRecord, hopDurations } from '../shared/trace.ts';

export class GatewayMetrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: 'k3s_daas_gateway_requests_total',
    help: 'Requests answered by the gateway, by verb and HTTP code',
    labelNames: ['verb', 'code'] as const,
    registers: [this.registry],
  });
  readonly latency = new Histogram({
    name: 'k3s_daas_gateway_request_seconds',
    help: 'Request in → response out at the gateway',
    labelNames: ['verb'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });
  readonly hop = new Histogram({
    name: 'k3s_daas_hop_seconds',
    help: `Per-hop latency seen by the gateway (hop = time to reach it from the previous hop; hops: ${HOPS.join(', ')})`,
    labelNames: ['hop'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5],
    registers: [this.registry],
  });
  readonly discoveryCacheHits = new Counter({
    name: 'k3s_daas_gateway_discovery_cache_hits_total',
    help: 'Discovery/OpenAPI answers served from the TTL cache',
    registers: [this.registry],
  });

  observeTrace(record: TraceRecord): void {
    for (const [hop, ms] of Object.entries(hopDurations(record.marks)))
      this.hop.labels(hop).observe(ms / 1000);
  }
}
