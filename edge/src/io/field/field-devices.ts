/**
 * Opens the site's field side: one Modbus link, bus scheduler and poller per bus, and the sign
 * drivers. Everything comes from `@citybay/firmware-bridge`; this file only maps the site file onto it.
 */
import type { Clock, Logger } from '@citybay/common';
import {
  type BusScheduler,
  createBusScheduler,
  createModbusRegisterSign,
  createMultiTextSign,
  createPoller,
  createSerialLink,
  createTcpLink,
  createVirtualSign,
  type GuidanceSign,
  type Poller,
} from '@citybay/firmware-bridge';
import type { SiteConfig } from '../../config/site-config.js';
import { textSignConfigFor } from '../../config/text-sign-config.js';

export interface FieldBus {
  busId: string;
  scheduler: BusScheduler;
  poller: Poller;
}

export interface FieldDevices {
  buses: FieldBus[];
  signs: GuidanceSign[];
  close(): Promise<void>;
}

export async function openFieldDevices(config: SiteConfig, clock: Clock, logger: Logger): Promise<FieldDevices> {
  const buses: FieldBus[] = [];
  for (const bus of config.file.buses ?? []) {
    const log = logger.child({ component: 'bus', busId: bus.id });
    const link =
      bus.transport === 'tcp'
        ? createTcpLink({
            host: bus.host,
            port: bus.port,
            logger: log,
            ...(bus.timeoutMs ? { timeoutMs: bus.timeoutMs } : {}),
          })
        : createSerialLink({
            path: bus.path,
            baudRate: bus.baudRate,
            parity: bus.parity ?? 'even',
            stopBits: bus.stopBits ?? 1,
            logger: log,
            ...(bus.timeoutMs ? { timeoutMs: bus.timeoutMs } : {}),
          });
    try {
      await link.open();
    } catch (err) {
      // The link keeps reopening with back-off; its devices read as offline meanwhile.
      log.warn({ err }, 'bus not available yet');
    }
    const scheduler = createBusScheduler({
      link,
      clock,
      logger: log,
      ...(bus.timeoutMs === undefined ? {} : { timeoutMs: bus.timeoutMs }),
      ...(bus.retries === undefined ? {} : { retries: bus.retries }),
      ...(bus.gapMs === undefined ? {} : { gapMs: bus.gapMs }),
    });
    const poller = createPoller({
      scheduler,
      clock,
      logger: log,
      devices: bus.devices.map((d) => ({
        id: d.id,
        unitId: d.unitId,
        profile: config.profiles.get(d.profile)!,
        ...(d.pollIntervalsMs ? { pollIntervalsMs: d.pollIntervalsMs } : {}),
        ...(d.staleAfterMs ? { staleAfterMs: d.staleAfterMs } : {}),
      })),
    });
    buses.push({ busId: bus.id, scheduler, poller });
  }
  const signs: GuidanceSign[] = (config.file.signs ?? []).map((sign) => {
    const driver = sign.driver;
    if (driver.type === 'modbus') {
      return createModbusRegisterSign({
        id: sign.id,
        scheduler: buses.find((b) => b.busId === driver.bus)!.scheduler,
        unitId: driver.unitId,
        profile: config.profiles.get(driver.profile)!,
        clock,
      });
    }
    if (driver.type === 'multi') {
      return createMultiTextSign({
        id: sign.id,
        path: driver.path,
        baudRate: driver.baudRate,
        sign: textSignConfigFor(sign, config.profiles)!,
        clock,
      });
    }
    return createVirtualSign({ id: sign.id, lines: driver.lines ?? sign.lines.length, clock });
  });
  return {
    buses,
    signs,
    async close() {
      await Promise.all(buses.map((b) => b.poller.stop()));
      await Promise.allSettled(signs.map((s) => s.close()));
      await Promise.allSettled(buses.map((b) => b.scheduler.close()));
    },
  };
}

const BAY_DECODES = new Set(['bit-per-bay', 'register-per-bay', 'packed']);

/**
 * How long each device's data is trusted without a good read: `staleAfterMs` of the device, else
 * `intervals.deviceStaleMs` of the site file, else two poll cycles of its fastest bay (or counter) group,
 * so that a silent device's bays turn unknown within two poll cycles. Also names its bay points.
 */
export function deviceFreshness(config: SiteConfig): {
  staleMsById: Map<string, number>;
  bayPointsById: Map<string, string[]>;
} {
  const staleMsById = new Map<string, number>();
  const bayPointsById = new Map<string, string[]>();
  for (const bus of config.file.buses ?? []) {
    for (const device of bus.devices) {
      const profile = config.profiles.get(device.profile)!;
      const bayPoints = profile.points.filter((p) => BAY_DECODES.has(p.decode.type));
      const watched = bayPoints.length > 0 ? bayPoints : profile.points;
      const intervals = watched.map((p) => {
        const group = p.pollGroup ?? 'default';
        return device.pollIntervalsMs?.[group] ?? profile.pollGroups[group]?.intervalMs ?? 1000;
      });
      const fastestMs = intervals.length > 0 ? Math.min(...intervals) : 1000;
      staleMsById.set(device.id, device.staleAfterMs ?? config.file.intervals?.deviceStaleMs ?? 2 * fastestMs);
      bayPointsById.set(
        device.id,
        watched.map((p) => p.name),
      );
    }
  }
  return { staleMsById, bayPointsById };
}
