/**
 * Wiring of the edge runtime: field devices → site state → guidance → signs; site state → summaries →
 * outbox → sync client → central, whose directives come back into guidance. The logic lives in the modules
 * wired here (io/guidance-loop, io/summary-writer, io/gpio-wiring, http/edge-health); this file only connects them
 * and orders start and stop.
 */
import { type Clock, systemClock } from '@citybay/common';
import type { DigitalIO } from '@citybay/firmware-bridge';
import { pino, type DestinationStream, type Logger as PinoLogger } from 'pino';
import type { SiteConfig } from './config/site-config.js';
import { NO_DIRECTIVES } from './core/active-directives.js';
import type { PlannedSign } from './core/sign-planner.js';
import { SiteState } from './core/site-state.js';
import { SummaryBuilder } from './core/summary-builder.js';
import { edgeHealth } from './http/edge-health.js';
import { createEdgeMetrics, siteMetricSources } from './http/edge-metrics.js';
import { type LocalServer, startLocalServer } from './http/local-server.js';
import { deviceFreshness, type FieldDevices, openFieldDevices } from './io/field/field-devices.js';
import { openGpioWiring } from './io/gpio-wiring.js';
import { GuidanceLoop } from './io/guidance-loop.js';
import { SqliteOutbox } from './io/outbox/outbox-sqlite.js';
import { restoreGateLots, SummaryWriter } from './io/summary-writer.js';
import { loadPersistedDirectives, SyncClient } from './io/sync/sync-client.js';
import { SOFTWARE_VERSION } from './software-version.js';

export { SOFTWARE_VERSION } from './software-version.js';

export interface RunEdgeOptions {
  /** Default `systemClock`. */
  clock?: Clock;
  /**
   * The calendar central's reservations follow. Default `clock`. The demo gives its twin's simulated clock, so a day
   * run at 30× starts and expires reservations on simulated time (operators' overrides keep `clock`).
   */
  reservationsClock?: Clock;
  /** GPIO backend. Default: from `gpio.backend` (onoff, or the fake where sysfs GPIO is absent). */
  digitalIO?: DigitalIO;
  /** Where pino writes. Default stdout. */
  logDestination?: DestinationStream;
  /** How long shutdown tries to send what is waiting, in ms. Default 5000. */
  shutdownFlushMs?: number;
}

export interface EdgeRuntime {
  logger: PinoLogger;
  state: SiteState;
  outbox: SqliteOutbox;
  sync: SyncClient;
  field: FieldDevices;
  /** The local HTTP endpoint's port. */
  httpPort: number;
  /** The latest plan (what every sign should show). */
  planned(): PlannedSign[];
  /** Writes one summary now (tests and benches drive the outbox with it). */
  writeSummary(): void;
  /** Graceful stop: last summary, signs to their fail-safe message, outbox flushed, everything closed. */
  stop(): Promise<void>;
}

export async function runEdge(config: SiteConfig, options: RunEdgeOptions = {}): Promise<EdgeRuntime> {
  const clock = options.clock ?? systemClock;
  const nowMs = (): number => clock.nowMs();
  const { layout, intervals } = config;
  const logger = pino(
    { level: config.logLevel, base: { siteId: layout.siteId, edgeId: layout.edgeId } },
    options.logDestination,
  );
  logger.info({ config: config.sourceFile, version: SOFTWARE_VERSION, bays: layout.bays.length }, 'starting');

  const outbox = new SqliteOutbox({ path: config.outbox.path, maxSummaries: config.outbox.maxSummaries });
  const freshness = deviceFreshness(config);
  const state = new SiteState({
    layout,
    debounceMs: intervals.debounceMs,
    deviceStaleMs: intervals.deviceStaleMs,
    deviceStaleMsById: freshness.staleMsById,
    bayPointsByDevice: freshness.bayPointsById,
  });
  const storedGateLots = restoreGateLots(outbox, state);

  const field = await openFieldDevices(config, clock, logger);
  const detectors = field.buses.flatMap((b) => b.poller.detectors());

  const builder = new SummaryBuilder({
    siteId: layout.siteId,
    edgeId: layout.edgeId,
    configVersion: layout.configVersion,
    softwareVersion: SOFTWARE_VERSION,
    bayCount: layout.bays.length,
    snapshotEvery: intervals.snapshotEvery,
    nextSeq: outbox.lastSeq() + 1,
  });

  const sync = new SyncClient({
    outbox,
    siteId: layout.siteId,
    edgeId: layout.edgeId,
    url: config.central.url,
    secret: config.central.secret,
    ...(config.central.caPem ? { caPem: config.central.caPem } : {}),
    syncIntervalMs: config.central.syncIntervalMs,
    batchMax: config.central.batchMax,
    requestTimeoutMs: config.central.requestTimeoutMs,
    backoffInitialMs: config.central.backoffInitialMs,
    backoffMaxMs: config.central.backoffMaxMs,
    logger: logger.child({ component: 'sync' }),
    nowMs,
    onRenumbered: (lastSeq) => builder.continueFrom(lastSeq + 1),
    onDirectives: (d) => {
      if (d.configVersion && d.configVersion !== layout.configVersion) {
        logger.warn(
          { wanted: d.configVersion, running: layout.configVersion },
          'central expects another site configuration',
        );
      }
      loop.setDirectives(d);
    },
  });

  const metrics = createEdgeMetrics(
    siteMetricSources({ state, detectors, outbox: () => outbox.stats(), sync: () => sync.stats, nowMs }),
  );

  const signConfigs = config.file.signs ?? [];
  const loop = new GuidanceLoop({
    state,
    signs: field.signs,
    signConfigs,
    guidance: config.guidance,
    closedByDefault: new Set(layout.lots.filter((l) => l.isClosedByDefault).map((l) => l.lotId)),
    directives: loadPersistedDirectives(outbox) ?? NO_DIRECTIVES,
    planMs: intervals.planMs,
    logger: logger.child({ component: 'signs' }),
    nowMs,
    ...(options.reservationsClock === undefined ? {} : { reservationsNowMs: () => options.reservationsClock!.nowMs() }),
    onSignWrite: (sign, result, durationMs, reason) => {
      metrics.signWrites.inc({ sign, result, reason });
      metrics.signWriteSeconds.observe({ sign }, durationMs / 1000);
    },
    // The relay's writes swallow their errors (the next plan writes again), so nothing is lost.
    onPlanned: (planned) => void gpio.showFallback(planned.some((p) => p.isFallback)),
  });
  for (const bus of field.buses) bus.poller.onReading((reading) => loop.applyReading(reading));

  const gpio = await openGpioWiring({
    gpio: config.file.gpio,
    ...(options.digitalIO ? { digitalIO: options.digitalIO } : {}),
    clock,
    logger,
    onCount: (inputId, risingEdges) => state.applyGpioCount(inputId, risingEdges, clock.nowMs()),
    onEdge: () => loop.schedulePlan(),
  });

  const summaries = new SummaryWriter({
    state,
    outbox,
    builder,
    detectors,
    hasGateLots: layout.gateLots.length > 0,
    storedGateLots,
    signFaces: () => loop.planned().map((p) => p.face),
    metrics,
    logger,
    nowMs,
    onWritten: () => sync.notify(),
    onTick: () => gpio.toggleStatusLed(),
  });

  const server: LocalServer = await startLocalServer({
    host: config.http.host,
    port: config.http.port,
    registry: metrics.registry,
    health: edgeHealth({
      softwareVersion: SOFTWARE_VERSION,
      state,
      outbox: () => outbox.stats(),
      sync: () => sync.stats,
      planned: () => loop.planned(),
      signsFailing: () => loop.signsFailing(),
    }),
    signs: () => loop.signViews(),
    directives: () => loop.heldDirectives(),
    setLotOccupancy: (lotId, occupied) => {
      const isGateLot = state.setLotOccupancy(lotId, occupied, clock.nowMs());
      if (isGateLot) {
        logger.info({ lotId, occupied }, 'operator set the lot count');
        loop.schedulePlan();
      }
      return isGateLot;
    },
  });

  summaries.start(intervals.summaryMs);
  for (const bus of field.buses) bus.poller.start();
  sync.start();
  loop.start();
  logger.info({ httpPort: server.port, nextSeq: builder.nextSeq }, 'running');

  let isStopping = false;
  return {
    logger,
    state,
    outbox,
    sync,
    field,
    httpPort: server.port,
    planned: () => loop.planned(),
    writeSummary: () => summaries.write(),
    async stop() {
      if (isStopping) return;
      isStopping = true;
      loop.stop();
      summaries.stop();
      gpio.stopWatchdog();
      await Promise.all(field.buses.map((b) => b.poller.stop()));
      try {
        summaries.write();
      } catch (err) {
        logger.error({ err }, 'cannot write the last summary');
      }
      await loop.showFailSafe();
      await gpio.showFallback(loop.planned().some((p) => p.isFallback));
      await sync.stop(options.shutdownFlushMs ?? 5000);
      await server.close();
      await field.close();
      await gpio.close();
      outbox.close();
      logger.info({}, 'stopped');
      logger.flush();
    },
  };
}
