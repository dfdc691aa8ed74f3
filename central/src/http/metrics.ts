import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

/**
 * The Prometheus metrics one central instance exposes on `/metrics`: its own, and Node.js's standard process and
 * runtime metrics under their standard names. Named by Prometheus' conventions (`promtool check metrics` is clean):
 * `_total` only on counters, units in names.
 */
export function createMetrics() {
  const registry = new Registry();
  collectStandardMetrics(registry);
  return {
    registry,
    httpDuration: new Histogram({
      name: 'citybay_central_http_request_duration_seconds',
      help: 'HTTP request duration by route and status',
      labelNames: ['method', 'route', 'status'] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    summariesStored: new Counter({
      name: 'citybay_central_summaries_stored_total',
      help: 'Site summaries stored',
      registers: [registry],
    }),
    summariesDuplicate: new Counter({
      name: 'citybay_central_summaries_duplicate_total',
      help: 'Site summaries received again and ignored (replays)',
      registers: [registry],
    }),
    syncRejected: new Counter({
      name: 'citybay_central_sync_rejected_total',
      help: 'Sync requests rejected, by error code',
      labelNames: ['code'] as const,
      registers: [registry],
    }),
  };
}
export type CentralMetrics = ReturnType<typeof createMetrics>;

/**
 * Node.js's standard process and runtime metrics (prom-client's defaults), unprefixed so stock dashboards find
 * them, except the three gauges prom-client names `_total` (`nodejs_active_{handles,requests,resources}_total`,
 * prometheus/client_js#283): Prometheus keeps `_total` for counters. Their per-type gauges stay
 * (`sum(nodejs_active_handles)` is the same figure).
 */
function collectStandardMetrics(registry: Registry): void {
  collectDefaultMetrics({ register: registry });
  for (const name of ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total']) {
    registry.removeSingleMetric(name);
  }
}
