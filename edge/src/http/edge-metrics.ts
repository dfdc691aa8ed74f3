/**
 * Prometheus metrics of one edge runtime (its own registry, so several runtimes can share a process
 * in tests): poll statistics per device, outbox depth, sync lag, sign writes, and Node.js's standard process
 * metrics under their standard names. Named by Prometheus' conventions (`promtool check metrics` is clean):
 * `_total` only on counters, units in names.
 */
import type { BayDetector, DeviceCounters } from '@citybay/firmware-bridge';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { SiteState } from '../core/site-state.js';
import type { OutboxStats } from '../io/outbox/outbox.js';
import type { SyncStats } from '../io/sync/sync-client.js';

export interface MetricSources {
  devices: () => { deviceId: string; health: string; counters: DeviceCounters }[];
  outbox: () => OutboxStats;
  sync: () => SyncStats;
  zones: () => { lotId: string; zoneId: string; free: number; occupied: number; unknown: number }[];
  nowMs: () => number;
}

export interface EdgeMetrics {
  registry: Registry;
  signWrites: Counter<'sign' | 'result' | 'reason'>;
  signWriteSeconds: Histogram<'sign'>;
  summaries: Counter;
  compactions: Counter;
}

/** The sources of a running site: devices by their detectors' counters and the state's health, zones summed. */
export function siteMetricSources(site: {
  state: SiteState;
  detectors: readonly BayDetector[];
  outbox: () => OutboxStats;
  sync: () => SyncStats;
  nowMs: () => number;
}): MetricSources {
  const { state } = site;
  return {
    devices: () => {
      const health = new Map(state.deviceStatuses().map((d) => [d.deviceId, d.health]));
      return site.detectors.map((d) => ({
        deviceId: d.deviceId,
        health: health.get(d.deviceId) ?? 'offline',
        counters: d.counters(),
      }));
    },
    outbox: site.outbox,
    sync: site.sync,
    zones: () =>
      state.zoneCounts().map((z) => ({
        lotId: z.lotId,
        zoneId: z.zoneId,
        free: z.kinds.reduce((n, k) => n + k.free, 0),
        occupied: z.kinds.reduce((n, k) => n + k.occupied, 0),
        unknown: z.kinds.reduce((n, k) => n + k.unknown, 0),
      })),
    nowMs: site.nowMs,
  };
}

export function createEdgeMetrics(sources: MetricSources): EdgeMetrics {
  const registry = new Registry();
  collectStandardMetrics(registry);
  // The bus scheduler counts; a scrape copies its totals into counters (they only grow while the process runs).
  const perDevice = (name: string, help: string, pick: (c: DeviceCounters) => number) =>
    new Counter({
      name,
      help,
      labelNames: ['device'],
      registers: [registry],
      collect() {
        this.reset();
        for (const d of sources.devices()) this.inc({ device: d.deviceId }, pick(d.counters));
      },
    });
  perDevice('citybay_edge_poll_requests_total', 'Modbus requests sent per device', (c) => c.requests);
  perDevice('citybay_edge_poll_responses_total', 'Modbus replies received per device', (c) => c.responses);
  perDevice('citybay_edge_poll_timeouts_total', 'Modbus requests that timed out per device', (c) => c.timeouts);
  perDevice('citybay_edge_poll_crc_errors_total', 'Modbus replies with a bad CRC per device', (c) => c.crcErrors);
  perDevice('citybay_edge_poll_exceptions_total', 'Modbus exception replies per device', (c) => c.exceptions);
  perDevice('citybay_edge_poll_quarantines_total', 'times a device was quarantined', (c) => c.quarantines);
  new Gauge({
    name: 'citybay_edge_device_up',
    help: '1 when the device answers (ok or degraded), 0 when offline or quarantined',
    labelNames: ['device'],
    registers: [registry],
    collect() {
      this.reset();
      for (const d of sources.devices())
        this.set({ device: d.deviceId }, d.health === 'ok' || d.health === 'degraded' ? 1 : 0);
    },
  });
  new Gauge({
    name: 'citybay_edge_bays',
    help: 'bays by lot, zone and state (unknown: fault, stale or device offline)',
    labelNames: ['lot', 'zone', 'state'],
    registers: [registry],
    collect() {
      this.reset();
      for (const z of sources.zones()) {
        for (const state of ['free', 'occupied', 'unknown'] as const)
          this.set({ lot: z.lotId, zone: z.zoneId, state }, z[state]);
      }
    },
  });
  const outboxGauge = (name: string, help: string, pick: (s: OutboxStats) => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.set(pick(sources.outbox()));
      },
    });
  outboxGauge('citybay_edge_outbox_summaries', 'summaries waiting for central', (s) => s.depth);
  outboxGauge('citybay_edge_outbox_bytes', 'bytes of summaries waiting for central', (s) => s.bytes);
  outboxGauge('citybay_edge_outbox_last_seq', 'highest seq written', (s) => s.lastSeq);
  outboxGauge('citybay_edge_outbox_acked_seq', 'highest seq central acknowledged', (s) => s.ackedSeq);
  new Gauge({
    name: 'citybay_edge_sync_lag_seconds',
    help: 'age of the oldest summary central has not acknowledged (0 when none waits)',
    registers: [registry],
    collect() {
      const oldest = sources.outbox().oldestWindowEndMs;
      this.set(oldest === null ? 0 : Math.max(0, (sources.nowMs() - oldest) / 1000));
    },
  });
  const syncGauge = (name: string, help: string, pick: (s: SyncStats) => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.set(pick(sources.sync()));
      },
    });
  const syncCounter = (name: string, help: string, pick: (s: SyncStats) => number) =>
    new Counter({
      name,
      help,
      registers: [registry],
      collect() {
        this.reset();
        this.inc(pick(sources.sync()));
      },
    });
  syncCounter('citybay_edge_sync_requests_total', 'successful sync exchanges', (s) => s.requests);
  syncCounter('citybay_edge_sync_failures_total', 'failed sync attempts', (s) => s.failures);
  syncGauge(
    'citybay_edge_sync_consecutive_failures',
    'failed sync attempts since the last success',
    (s) => s.consecutiveFailures,
  );
  syncGauge(
    'citybay_edge_sync_last_success_timestamp_seconds',
    'time of the last successful sync',
    (s) => (s.lastSuccessMs ?? 0) / 1000,
  );
  syncGauge('citybay_edge_directives_version', 'version of the directives applied', (s) => s.directivesVersion);
  return {
    registry,
    signWrites: new Counter({
      name: 'citybay_edge_sign_writes_total',
      help: 'sign writes by sign, result and reason (change or refresh)',
      labelNames: ['sign', 'result', 'reason'],
      registers: [registry],
    }),
    signWriteSeconds: new Histogram({
      name: 'citybay_edge_sign_write_duration_seconds',
      help: 'duration of sign writes',
      labelNames: ['sign'],
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    summaries: new Counter({
      name: 'citybay_edge_summaries_total',
      help: 'summaries written to the outbox',
      registers: [registry],
    }),
    compactions: new Counter({
      name: 'citybay_edge_outbox_compactions_total',
      help: 'times the full outbox merged old summaries into coarser ones',
      registers: [registry],
    }),
  };
}

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
