/**
 * The poller: every configured device's poll groups at their own intervals, through one bus
 * scheduler, with contiguous reads coalesced; readings decoded by the device's profile.
 */
import { type Clock, isCitybayError, silentLogger, systemClock } from '@citybay/common';
import { DeviceState } from '../core/device-state.js';
import { planReads, type ReadBlock } from '../core/read-plan.js';
import type { BayDetector, DeviceCounters, DeviceHealth, DeviceReading } from '../detectors/bay-detector.js';
import type { BusScheduler } from '../modbus/bus-scheduler-types.js';
import type { Poller, PollerDevice, PollerOptions } from './poller-types.js';

interface DeviceRuntime {
  device: PollerDevice;
  state: DeviceState;
  groups: Map<string, { intervalMs: number; blocks: ReadBlock[]; inFlight: Promise<DeviceReading> | undefined }>;
  detector: BayDetector;
}

export function createPoller(options: PollerOptions): Poller {
  const clock: Clock = options.clock ?? systemClock;
  const logger = (options.logger ?? silentLogger).child({ component: 'poller' });
  const scheduler = options.scheduler;
  const listeners = new Set<(reading: DeviceReading) => void>();
  const timers = new Set<NodeJS.Timeout>();
  const runtimes = new Map<string, DeviceRuntime>();
  let isRunning = false;

  const health = (unitId: number): DeviceHealth => {
    if (scheduler.link.state !== 'open') return 'offline';
    return scheduler.unitHealth(unitId).state;
  };

  for (const device of options.devices) {
    if (runtimes.has(device.id)) throw new RangeError(`duplicate device id "${device.id}"`);
    // RTU: 0 is broadcast (never answered) and 248–255 are reserved; a TCP device may use any id.
    const [minUnitId, maxUnitId] = scheduler.link.transport === 'rtu' ? [1, 247] : [0, 255];
    if (!Number.isInteger(device.unitId) || device.unitId < minUnitId || device.unitId > maxUnitId) {
      throw new RangeError(`device "${device.id}": unitId ${device.unitId} is outside ${minUnitId}..${maxUnitId}`);
    }
    const blocks = planReads(device.profile.points, options.coalesceGap ?? 0);
    const groups: DeviceRuntime['groups'] = new Map();
    const intervals: Record<string, number> = {};
    for (const [name, group] of Object.entries(device.profile.pollGroups)) {
      const intervalMs = device.pollIntervalsMs?.[name] ?? group.intervalMs;
      const groupBlocks = blocks.filter((block) => block.pollGroup === name);
      if (groupBlocks.length === 0) continue;
      intervals[name] = intervalMs;
      groups.set(name, { intervalMs, blocks: groupBlocks, inFlight: undefined });
    }
    const state = new DeviceState({
      deviceId: device.id,
      unitId: device.unitId,
      profile: device.profile,
      pollIntervalsMs: intervals,
      ...(device.staleAfterMs === undefined ? {} : { staleAfterMs: device.staleAfterMs }),
    });
    const runtime: DeviceRuntime = {
      device,
      state,
      groups,
      detector: {
        deviceId: device.id,
        unitId: device.unitId,
        bayCount: device.profile.bayCount,
        current: () => state.reading(clock.nowMs(), health(device.unitId)),
        refresh: async () => {
          await Promise.all([...groups.keys()].map((name) => pollGroup(runtime, name)));
          return state.reading(clock.nowMs(), health(device.unitId));
        },
        counters: (): DeviceCounters => scheduler.counters(device.unitId),
      },
    };
    runtimes.set(device.id, runtime);
  }

  function pollGroup(runtime: DeviceRuntime, name: string): Promise<DeviceReading> {
    const group = runtime.groups.get(name)!;
    if (group.inFlight !== undefined) return group.inFlight;
    const { unitId } = runtime.device;
    group.inFlight = Promise.all(group.blocks.map((block) => readBlock(scheduler, unitId, block)))
      .then((results) => {
        const atMs = clock.nowMs();
        results.forEach((result, i) => {
          const block = group.blocks[i]!;
          for (const { point, offset } of block.points) {
            if (result.ok) runtime.state.recordGood(point, result.data.slice(offset, offset + point.count), atMs);
            else runtime.state.recordFailure(point, result.code);
          }
        });
        const reading = runtime.state.reading(atMs, health(unitId));
        for (const listener of listeners) {
          try {
            listener(reading);
          } catch (err) {
            logger.error({ err, deviceId: runtime.device.id }, 'reading listener threw');
          }
        }
        return reading;
      })
      .finally(() => {
        group.inFlight = undefined;
      });
    return group.inFlight;
  }

  function schedule(runtime: DeviceRuntime, name: string, delayMs: number): void {
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (!isRunning) return;
      const startedMs = clock.nowMs();
      const intervalMs = runtime.groups.get(name)!.intervalMs;
      pollGroup(runtime, name).then(
        () => {
          if (!isRunning) return;
          const nowMs = clock.nowMs();
          // A quarantined unit refuses everything until its probe is due: do not poll it before.
          const probeMs = scheduler.unitHealth(runtime.device.unitId).nextProbeMs;
          schedule(runtime, name, Math.max(0, startedMs + intervalMs - nowMs, probeMs === null ? 0 : probeMs - nowMs));
        },
        (err: unknown) => {
          logger.error({ err, deviceId: runtime.device.id }, 'poll failed');
          if (isRunning) schedule(runtime, name, intervalMs);
        },
      );
    }, delayMs);
    timers.add(timer);
  }

  return {
    start() {
      if (isRunning) return;
      isRunning = true;
      for (const runtime of runtimes.values()) for (const name of runtime.groups.keys()) schedule(runtime, name, 0);
    },
    async stop() {
      isRunning = false;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      const inFlight = [...runtimes.values()].flatMap((r) => [...r.groups.values()].flatMap((g) => g.inFlight ?? []));
      await Promise.allSettled(inFlight);
    },
    async pollAll() {
      return Promise.all([...runtimes.values()].map((runtime) => runtime.detector.refresh()));
    },
    detector(deviceId) {
      const runtime = runtimes.get(deviceId);
      if (runtime === undefined)
        throw new RangeError(`unknown device "${deviceId}" (known: ${[...runtimes.keys()].join(', ')})`);
      return runtime.detector;
    },
    detectors() {
      return [...runtimes.values()].map((runtime) => runtime.detector);
    },
    onReading(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

type BlockResult = { ok: true; data: boolean[] | number[] } | { ok: false; code: string };

async function readBlock(scheduler: BusScheduler, unitId: number, block: ReadBlock): Promise<BlockResult> {
  try {
    const data =
      block.register === 'coil' || block.register === 'discrete'
        ? await scheduler.readBits(unitId, block.register, block.address, block.count)
        : await scheduler.readWords(unitId, block.register, block.address, block.count);
    return { ok: true, data };
  } catch (err) {
    return { ok: false, code: isCitybayError(err) ? err.code : 'CB_MODBUS_BAD_REPLY' };
  }
}
