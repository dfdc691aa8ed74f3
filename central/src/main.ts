import { type Clock, followClockFile, systemClock } from '@citybay/common';
import type { FastifyInstance } from 'fastify';
import pino, { type Logger } from 'pino';
import type { CentralConfig } from './config.js';
import { buildCentralApp, type CentralAppOptions } from './http/app.js';
import { loadApiKeys } from './io/api-keys.js';
import { loadAllocationOptions } from './io/allocation-options-file.js';
import { createDayPlanner } from './io/day-planner.js';
import { reoptimiseToday } from './io/reoptimise-job.js';
import { openStore } from './store/open-store.js';
import type { CentralStore } from './store/store.js';

/** How often retention runs (ms). */
const PRUNE_INTERVAL_MS = 10 * 60_000;
const FORGET_DAYS_AFTER_MS = 2 * 24 * 3600_000;
/** Drivers' links are kept for days that began less than this long ago (ms); older ones answer 404. */
export const DRIVER_LINKS_KEPT_MS = 30 * 24 * 3600_000;

export interface RunningCentral {
  app: FastifyInstance;
  store: CentralStore;
  /** `http(s)://host:port` actually bound. */
  url: string;
  /** Stops taking requests, lets those in flight finish (up to `shutdownGraceMs`), closes the store. */
  close(): Promise<void>;
}

export interface StartCentralOptions {
  config: CentralConfig;
  logger?: Logger;
  clock?: Clock;
  /** The calendar appointments are planned and reservations held on. Default: `config.calendarClockFile`'s, else `clock`. */
  calendarClock?: Clock;
  store?: CentralStore;
  plugins?: CentralAppOptions['plugins'];
}

/** Wires config → store (migrated) → app → listening server, plus retention and re-optimisation. */
export async function startCentral(options: StartCentralOptions): Promise<RunningCentral> {
  const { config } = options;
  const logger = options.logger ?? pino({ level: config.logLevel, name: 'citybay-central' });
  const clock = options.clock ?? systemClock;
  const calendarFile = config.calendarClockFile === undefined ? undefined : followClockFile(config.calendarClockFile);
  const calendarClock = options.calendarClock ?? calendarFile ?? clock;
  const store = options.store ?? openStore(config, logger);
  const applied = await store.migrate();
  if (applied.length > 0) logger.info({ applied, store: store.kind }, 'database migrated');
  // Shared by the appointment routes and the re-optimisation timer, so the two queue behind each other.
  const planner = createDayPlanner({
    store,
    clock: calendarClock,
    daysKept: config.allocatorDaysKept,
    allocationOptions: loadAllocationOptions(config.allocationOptionsPath),
  });
  const app = await buildCentralApp({
    store,
    config,
    logger,
    clock,
    calendarClock,
    planner,
    keyring: loadApiKeys(config.apiKeysPath),
    ...(options.plugins ? { plugins: options.plugins } : {}),
  });
  const url = await app.listen({ host: config.host, port: config.port });
  const prune = async () => {
    const nowMs = clock.nowMs();
    try {
      const removed = await store.prune(nowMs - config.rawRetentionMs, nowMs - config.historyRetentionMs);
      if (removed.rawBatches + removed.historyPoints > 0) logger.info(removed, 'retention: old data removed');
      const driverLinks = await store.pruneDriverLinks(nowMs - DRIVER_LINKS_KEPT_MS);
      if (driverLinks > 0) logger.info({ driverLinks }, "retention: old days' driver links removed");
      // The allocator thread keeps every site-day it planned; days that ended two days ago are not changed any
      // more (a late change re-plans from the stored day), so their state only took memory.
      const forgotten = await planner.forgetDaysBefore(nowMs - FORGET_DAYS_AFTER_MS);
      if (forgotten > 0) logger.debug({ forgotten }, 'allocator: ended days forgotten');
    } catch (err) {
      logger.error({ err }, 'retention failed');
    }
  };
  // prune() catches and logs its own failures, so each run is fire-and-forget.
  const pruneTimer = setInterval(() => void prune(), PRUNE_INTERVAL_MS);
  pruneTimer.unref();
  void prune();
  let isClosing = false;
  let reoptimising: Promise<unknown> | undefined;
  const reoptimiseLog = logger.child({ component: 'reoptimise' });
  const reoptimise = () => {
    // A run still going (many sites, a slow database) is not doubled up.
    reoptimising ??= reoptimiseToday({
      store,
      planner,
      clock: calendarClock,
      logger: reoptimiseLog,
      isStopped: () => isClosing,
    })
      .catch((err: unknown) => reoptimiseLog.error({ err }, 're-optimisation failed'))
      .finally(() => {
        reoptimising = undefined;
      });
  };
  const reoptimiseTimer =
    config.reoptimiseIntervalMs > 0 ? setInterval(reoptimise, config.reoptimiseIntervalMs) : undefined;
  reoptimiseTimer?.unref();
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      isClosing = true;
      clearInterval(pruneTimer);
      clearInterval(reoptimiseTimer);
      const grace = setTimeout(() => {
        logger.warn('shutdown grace period over: closing remaining connections');
        app.server.closeAllConnections();
      }, config.shutdownGraceMs);
      grace.unref();
      await app.close();
      clearTimeout(grace);
      await reoptimising;
      await planner.close();
      await store.close();
      calendarFile?.close();
    })();
    return closing;
  };
  logger.info({ url, store: store.kind, tls: Boolean(config.tlsCertPath) }, 'central listening');
  return { app, store, url, close };
}

/** Runs until SIGINT/SIGTERM, then shuts down gracefully. */
export async function runCentral(config: CentralConfig): Promise<void> {
  const logger = pino({ level: config.logLevel, name: 'citybay-central' });
  const central = await startCentral({ config, logger });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      logger.info({ signal }, 'shutting down');
      central.close().then(
        () => process.exit(0),
        (err: unknown) => {
          logger.error({ err }, 'shutdown failed');
          process.exit(1);
        },
      );
    });
  }
}
