/**
 * Wiring of the edge runtime: field devices → site state → guidance → signs; site state → summaries →
 * outbox → sync client → central, whose directives come back into guidance.
 */
import { readFileSync } from 'node:fs';
import { getHeapStatistics } from 'node:v8';
import { type Clock, systemClock } from '@citybay/common';
import {
  createDigitalIO,
  createFakeDigitalIO,
  type DigitalIO,
  type DigitalOutput,
  type GuidanceSign,
} from '@citybay/firmware-bridge';
import type { Directives } from '@citybay/proto';
import { pino, type DestinationStream, type Logger as PinoLogger } from 'pino';
import type { SiteConfig } from './config/site-config.js';
import { activeDirectives, NO_DIRECTIVES } from './core/active-directives.js';
import type { GateLotSnapshot } from './core/gate-lot.js';
import { type GuidanceMemory, type PlannedSign, planFallbackMessages, planSignMessages } from './core/sign-planner.js';
import { SiteState } from './core/site-state.js';
import { SummaryBuilder } from './core/summary-builder.js';
import { createEdgeMetrics } from './http/edge-metrics.js';
import { type LocalServer, startLocalServer } from './http/local-server.js';
import { DeadlineTimer } from './io/deadline-timer.js';
import { deviceFreshness, type FieldDevices, openFieldDevices } from './io/field/field-devices.js';
import { SqliteOutbox } from './io/outbox/outbox-sqlite.js';
import { SignWriter } from './io/signs/sign-writer.js';
import { loadPersistedDirectives, SyncClient } from './io/sync/sync-client.js';

export const SOFTWARE_VERSION: string = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

export interface RunEdgeOptions {
  /** Default `systemClock`. */
  clock?: Clock;
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

const GATE_STATE_KEY = 'gate-lots';

/** How Node was started, for /healthz: the V8 flags the unit's memory figures depend on must show here. */
function runtimeInfo(): { nodeVersion: string; execArgv: string[]; heapSizeLimitBytes: number } {
  return {
    nodeVersion: process.version,
    execArgv: process.execArgv,
    heapSizeLimitBytes: getHeapStatistics().heap_size_limit,
  };
}

export async function runEdge(config: SiteConfig, options: RunEdgeOptions = {}): Promise<EdgeRuntime> {
  const clock = options.clock ?? systemClock;
  const { layout, intervals } = config;
  const logger = pino(
    { level: config.logLevel, base: { siteId: layout.siteId, edgeId: layout.edgeId } },
    options.logDestination,
  );
  logger.info({ config: config.sourceFile, version: SOFTWARE_VERSION, bays: layout.bays.length }, 'starting');

  const outbox = new SqliteOutbox({ path: config.outbox.path, maxSummaries: config.outbox.maxSummaries });
  let directives: Directives = loadPersistedDirectives(outbox) ?? NO_DIRECTIVES;
  const freshness = deviceFreshness(config);
  const state = new SiteState({
    layout,
    debounceMs: intervals.debounceMs,
    deviceStaleMs: intervals.deviceStaleMs,
    deviceStaleMsById: freshness.staleMsById,
    bayPointsByDevice: freshness.bayPointsById,
  });
  const storedGates = outbox.getState(GATE_STATE_KEY);
  if (storedGates !== undefined) state.restoreGateLots(JSON.parse(storedGates) as GateLotSnapshot[]);
  let gateStateKey = storedGates;

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
    nowMs: () => clock.nowMs(),
    onRenumbered: (lastSeq) => builder.continueFrom(lastSeq + 1),
    onDirectives: (d) => {
      directives = d;
      if (d.configVersion && d.configVersion !== layout.configVersion) {
        logger.warn(
          { wanted: d.configVersion, running: layout.configVersion },
          'central expects another site configuration',
        );
      }
      schedulePlan();
    },
  });

  const metrics = createEdgeMetrics({
    devices: () => {
      const health = new Map(state.deviceStatuses().map((d) => [d.deviceId, d.health]));
      return detectors.map((d) => ({
        deviceId: d.deviceId,
        health: health.get(d.deviceId) ?? 'offline',
        counters: d.counters(),
      }));
    },
    outbox: () => outbox.stats(),
    sync: () => sync.stats,
    zones: () =>
      state.zoneCounts().map((z) => ({
        lotId: z.lotId,
        zoneId: z.zoneId,
        free: z.kinds.reduce((n, k) => n + k.free, 0),
        occupied: z.kinds.reduce((n, k) => n + k.occupied, 0),
        unknown: z.kinds.reduce((n, k) => n + k.unknown, 0),
      })),
    nowMs: () => clock.nowMs(),
  });

  const signLog = logger.child({ component: 'signs' });
  const signConfigs = config.file.signs ?? [];
  const refreshMsOf = new Map(signConfigs.map((s) => [s.id, (s.blankOutMs ?? 60_000) / 2]));
  const writers = new Map<string, SignWriter>(
    field.signs.map((sign: GuidanceSign) => [
      sign.id,
      new SignWriter({
        sign,
        refreshMs: refreshMsOf.get(sign.id) ?? 30_000,
        logger: signLog,
        nowMs: () => clock.nowMs(),
        onWrite: (result, durationMs, reason) => {
          metrics.signWrites.inc({ sign: sign.id, result, reason });
          metrics.signWriteSeconds.observe({ sign: sign.id }, durationMs / 1000);
        },
      }),
    ]),
  );

  const memory: GuidanceMemory = new Set();
  const closedByDefault = new Set(layout.lots.filter((l) => l.isClosedByDefault).map((l) => l.lotId));
  let lastPlan: PlannedSign[] = [];
  let plannedVersion = -1;
  let isPlanScheduled = false;
  let isStopping = false;
  // Plans again the moment a silent device's data runs out, not at the next guidance tick.
  const staleTimer = new DeadlineTimer(plan, () => clock.nowMs());

  function plan(): void {
    isPlanScheduled = false;
    if (isStopping) return;
    const nowMs = clock.nowMs();
    state.tick(nowMs);
    staleTimer.arm(state.nextStaleAtMs(nowMs));
    plannedVersion = state.version;
    lastPlan = planSignMessages({
      state,
      directives: activeDirectives(directives, nowMs),
      signs: signConfigs,
      guidance: config.guidance,
      memory,
      closedByDefault,
    });
    for (const planned of lastPlan) writers.get(planned.signId)?.update(planned.message);
    void updateOutputs();
  }

  function schedulePlan(): void {
    if (isPlanScheduled) return;
    isPlanScheduled = true;
    setImmediate(plan);
  }

  for (const bus of field.buses) {
    bus.poller.onReading((reading) => {
      const nowMs = clock.nowMs();
      state.applyReading(reading, nowMs);
      staleTimer.arm(state.nextStaleAtMs(nowMs));
      // Re-plan only when something a sign could show changed: most polls change nothing.
      if (state.version !== plannedVersion) schedulePlan();
    });
  }

  // GPIO: loop detectors count gate entries/exits; a status LED and a fallback relay; the watchdog.
  let gpio: DigitalIO | undefined;
  const outputs: { role: 'status-led' | 'fault-relay'; output: DigitalOutput }[] = [];
  let ledLevel: 0 | 1 = 0;
  if (config.file.gpio) {
    const g = config.file.gpio;
    const gpioLog = logger.child({ component: 'gpio' });
    gpio =
      options.digitalIO ??
      (g.backend === 'fake' ? createFakeDigitalIO({ clock }) : await createDigitalIO({ clock, logger: gpioLog }));
    for (const input of g.inputs ?? []) {
      const opened = await gpio.openInput({
        line: input.line,
        ...(input.debounceMs === undefined ? {} : { debounceMs: input.debounceMs }),
        ...(input.isActiveLow === undefined ? {} : { isActiveLow: input.isActiveLow }),
      });
      state.applyGpioCount(input.id, opened.edgeCounts().rising, clock.nowMs());
      opened.onEdge(() => {
        state.applyGpioCount(input.id, opened.edgeCounts().rising, clock.nowMs());
        schedulePlan();
      });
    }
    for (const output of g.outputs ?? []) {
      outputs.push({
        role: output.role,
        output: await gpio.openOutput({ line: output.line, ...(output.isActiveLow ? { isActiveLow: true } : {}) }),
      });
    }
  }
  async function updateOutputs(): Promise<void> {
    const isFallback = lastPlan.some((p) => p.isFallback);
    for (const { role, output } of outputs) {
      if (role === 'fault-relay') await output.write(isFallback ? 1 : 0).catch(() => {});
    }
  }

  const timers: NodeJS.Timeout[] = [];
  timers.push(setInterval(plan, intervals.planMs));
  let windowStartMs = clock.nowMs();
  function writeSummary(): void {
    const nowMs = clock.nowMs();
    state.tick(nowMs);
    const statuses = new Map(state.deviceStatuses().map((d) => [d.deviceId, d]));
    const summary = builder.build({
      windowStartMs,
      windowEndMs: Math.max(nowMs, windowStartMs),
      bayStates: state.bayStates(),
      zones: state.zoneCounts(),
      gates: state.gateTotals(),
      devices: detectors.map((d) => {
        const c = d.counters();
        const s = statuses.get(d.deviceId);
        return {
          deviceId: d.deviceId,
          health: s?.health ?? 'offline',
          okCount: c.responses,
          timeoutCount: c.timeouts,
          crcErrorCount: c.crcErrors,
          exceptionCount: c.exceptions,
          lastGoodMs: s?.lastGoodMs ?? null,
        };
      }),
      signs: lastPlan.map((p) => p.face),
    });
    windowStartMs = nowMs;
    const compaction = outbox.append(summary);
    metrics.summaries.inc();
    if (compaction) {
      metrics.compactions.inc();
      logger.warn(compaction, 'outbox full: compacted the oldest summaries into coarser ones');
    }
    const gates = JSON.stringify(state.gateLotSnapshots());
    if (layout.gateLots.length > 0 && gates !== gateStateKey) {
      outbox.setState(GATE_STATE_KEY, gates);
      gateStateKey = gates;
    }
    sync.notify();
  }
  timers.push(
    setInterval(() => {
      try {
        writeSummary();
      } catch (err) {
        logger.error({ err }, 'cannot write a summary');
      }
      const led = outputs.find((o) => o.role === 'status-led');
      if (led) {
        ledLevel = ledLevel === 1 ? 0 : 1;
        void led.output.write(ledLevel).catch(() => {});
      }
    }, intervals.summaryMs),
  );
  if (gpio && config.file.gpio?.watchdogKickMs) {
    const io = gpio;
    // Kicked from the event loop: if the loop hangs, the board resets.
    timers.push(
      setInterval(
        () => void io.kickWatchdog().catch((err: unknown) => logger.warn({ err }, 'watchdog kick failed')),
        config.file.gpio.watchdogKickMs,
      ),
    );
  }

  const server: LocalServer = await startLocalServer({
    host: config.http.host,
    port: config.http.port,
    registry: metrics.registry,
    health: () => {
      const devices = state.deviceStatuses();
      const offline = devices
        .filter((d) => d.health === 'offline' || d.health === 'quarantined')
        .map((d) => d.deviceId);
      const stats = outbox.stats();
      const signsFailing = [...writers.values()].filter((w) => w.isWriteFailing).map((w) => w.signId);
      return {
        isHealthy: offline.length === 0 && signsFailing.length === 0 && !lastPlan.some((p) => p.isFallback),
        details: {
          version: SOFTWARE_VERSION,
          devicesOffline: offline,
          signsOnFallback: lastPlan.filter((p) => p.isFallback).map((p) => p.signId),
          signsFailing,
          outboxDepth: stats.depth,
          lastSeq: stats.lastSeq,
          ackedSeq: stats.ackedSeq,
          lastSyncMs: sync.stats.lastSuccessMs,
          syncError: sync.stats.lastErrorCode,
          directivesVersion: sync.stats.directivesVersion,
          runtime: runtimeInfo(),
        },
      };
    },
    signs: () =>
      lastPlan.map((p) => ({
        signId: p.signId,
        isFallback: p.isFallback,
        lines: p.message.lines,
        shown: writers.get(p.signId)?.current ?? null,
      })),
    setLotOccupancy: (lotId, occupied) => {
      const isGateLot = state.setLotOccupancy(lotId, occupied, clock.nowMs());
      if (isGateLot) {
        logger.info({ lotId, occupied }, 'operator set the lot count');
        schedulePlan();
      }
      return isGateLot;
    },
  });

  for (const bus of field.buses) bus.poller.start();
  sync.start();
  plan();
  logger.info({ httpPort: server.port, nextSeq: builder.nextSeq }, 'running');

  return {
    logger,
    state,
    outbox,
    sync,
    field,
    httpPort: server.port,
    planned: () => lastPlan,
    writeSummary,
    async stop() {
      if (isStopping) return;
      isStopping = true;
      for (const timer of timers) clearInterval(timer);
      staleTimer.stop();
      await Promise.all(field.buses.map((b) => b.poller.stop()));
      try {
        writeSummary();
      } catch (err) {
        logger.error({ err }, 'cannot write the last summary');
      }
      // Counts go stale the moment the edge stops: leave every sign on its fail-safe message.
      lastPlan = planFallbackMessages(signConfigs);
      for (const planned of lastPlan) writers.get(planned.signId)?.update(planned.message);
      await Promise.all([...writers.values()].map((w) => w.idle()));
      await updateOutputs();
      await sync.stop(options.shutdownFlushMs ?? 5000);
      await server.close();
      await field.close();
      await gpio?.close();
      outbox.close();
      logger.info({}, 'stopped');
      logger.flush();
    },
  };
}
