/** Prometheus metrics of the Nautilus listener (prom-client, own registry). */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

export class ListenerMetrics {
  readonly registry = new Registry();
  readonly events = new Counter({
    name: 'k3s_daas_listener_events_total',
    help: 'K8sAPIRequest events seen, by source',
    labelNames: ['source'] as const,
    registers: [this.registry],
  });
  readonly executed = new Counter({
    name: 'k3s_daas_listener_requests_total',
    help: 'Requests answered on chain, by verb and Kubernetes status code',
    labelNames: ['verb', 'code'] as const,
    registers: [this.registry],
  });
  readonly failures = new Counter({
    name: 'k3s_daas_listener_failures_total',
    help: 'Failures by stage (claim, execute, store, stream)',
    labelNames: ['stage'] as const,
    registers: [this.registry],
  });
  readonly skipped = new Counter({
    name: 'k3s_daas_listener_skipped_total',
    help: 'Requests left to others (answered, lease held)',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  readonly reconnects = new Counter({
    name: 'k3s_daas_listener_stream_reconnects_total',
    help: 'Event stream reconnects (errors and stalls)',
    labelNames: ['cause'] as const,
    registers: [this.registry],
  });
  readonly inFlight = new Gauge({
    name: 'k3s_daas_listener_in_flight',
    help: 'Requests being processed',
    registers: [this.registry],
  });
  readonly eventScans = new Counter({
    name: 'k3s_daas_listener_event_scans_total',
    help: "Open requests whose K8sAPIRequest had to be found by scanning the package's events (origin transaction unknown)",
    registers: [this.registry],
  });
  readonly gasBalance = new Gauge({
    name: 'k3s_daas_listener_gas_balance_mist',
    help: "The executor address's SUI balance (checked every reconcile period); below the gas budget nothing can be claimed or stored",
    registers: [this.registry],
  });
  readonly coinsMerged = new Counter({
    name: 'k3s_daas_listener_fee_coins_merged_total',
    help: 'Fee coins merged into the gas coin (one coin arrives per answered request with a fee)',
    registers: [this.registry],
  });
  readonly open = new Gauge({
    name: 'k3s_daas_listener_open_requests',
    help: 'Requests seen but not yet answered',
    registers: [this.registry],
  });
  readonly hop = new Histogram({
    name: 'k3s_daas_hop_seconds',
    help: 'Per-hop latency seen by the listener (listener_saw_event: chain timestamp → event seen; k8s_answered: claim+execute; response_stored: store tx)',
    labelNames: ['hop'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5],
    registers: [this.registry],
  });
}
