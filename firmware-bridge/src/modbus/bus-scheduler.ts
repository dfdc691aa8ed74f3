/**
 * One scheduler per bus: a single request in flight, the inter-frame silence (plus an optional
 * gap) between frames, per-request timeouts, bounded retries, and quarantine with back-off for a
 * unit that stops answering. A quarantined unit's requests are refused without touching the bus
 * until its next probe is due; the probe is an ordinary request sent once, and an answer (even an
 * exception) ends the quarantine. Other units' requests are never held up by a dead one beyond the
 * probe's timeout.
 */
import { type Clock, isCitybayError, silentLogger, systemClock } from '@citybay/common';
import { interFrameSilenceMs } from '../core/modbus-timing.js';
import type { DeviceCounters } from '../detectors/bay-detector.js';
import { errors } from '../errors.js';
import { nowPreciseMs, waitUntilPrecise } from '../io/precise-timer.js';
import type { BusScheduler, BusSchedulerOptions, SubmitOptions, UnitHealth } from './bus-scheduler-types.js';
import type { BitKind, ModbusLink, WordKind } from './modbus-link.js';

/** Upper bounds of the latency histogram buckets, in ms. */
export const LATENCY_BOUNDS_MS: readonly number[] = [5, 10, 20, 50, 100, 200, 500, 1000, 2000];

interface Job {
  unitId: number;
  what: string;
  run: (link: ModbusLink, timeoutMs: number) => Promise<unknown>;
  timeoutMs: number;
  isProbe: boolean;
  resolve: (value: never) => void;
  reject: (err: Error) => void;
}

interface UnitRecord {
  failures: number;
  isQuarantined: boolean;
  backoffMs: number;
  nextProbeMs: number | null;
  isProbeQueued: boolean;
  counters: DeviceCounters;
}

export function createBusScheduler(options: BusSchedulerOptions): BusScheduler {
  return new BusSchedulerImpl(options);
}

class BusSchedulerImpl implements BusScheduler {
  readonly link: ModbusLink;
  readonly interFrameDelayMs: number;
  private readonly clock: Clock;
  private readonly high: Job[] = [];
  private readonly normal: Job[] = [];
  private readonly units = new Map<number, UnitRecord>();
  private isPumping = false;
  private isClosed = false;
  private lastFrameEndMs = Number.NEGATIVE_INFINITY;
  private readonly gapMs: number;
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly afterFailures: number;
  private readonly initialBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly logger;

  constructor(options: BusSchedulerOptions) {
    this.link = options.link;
    this.clock = options.clock ?? systemClock;
    this.logger = (options.logger ?? silentLogger).child({ component: 'bus-scheduler', bus: options.link.endpoint });
    const timing = options.link.lineTiming;
    this.interFrameDelayMs =
      options.interFrameDelayMs ??
      (timing === undefined ? 0 : interFrameSilenceMs(timing.baudRate, timing.bitsPerChar));
    this.gapMs = options.gapMs ?? 0;
    this.timeoutMs = options.timeoutMs ?? (options.link.transport === 'rtu' ? 300 : 1000);
    this.retries = options.retries ?? 1;
    this.afterFailures = options.quarantine?.afterFailures ?? 2;
    this.initialBackoffMs = options.quarantine?.initialBackoffMs ?? 1000;
    this.maxBackoffMs = options.quarantine?.maxBackoffMs ?? 30_000;
  }

  get queueLength(): number {
    return this.high.length + this.normal.length;
  }

  readBits(unitId: number, kind: BitKind, address: number, count: number, options?: SubmitOptions): Promise<boolean[]> {
    return this.submit(unitId, `read ${kind} ${address}+${count}`, options, (link, timeoutMs) =>
      kind === 'coil'
        ? link.readCoils(unitId, address, count, { timeoutMs })
        : link.readDiscreteInputs(unitId, address, count, { timeoutMs }),
    );
  }

  readWords(
    unitId: number,
    kind: WordKind,
    address: number,
    count: number,
    options?: SubmitOptions,
  ): Promise<number[]> {
    return this.submit(unitId, `read ${kind} ${address}+${count}`, options, (link, timeoutMs) =>
      kind === 'holding'
        ? link.readHoldingRegisters(unitId, address, count, { timeoutMs })
        : link.readInputRegisters(unitId, address, count, { timeoutMs }),
    );
  }

  writeRegisters(unitId: number, address: number, values: readonly number[], options?: SubmitOptions): Promise<void> {
    return this.submit(unitId, `write registers ${address}+${values.length}`, options, (link, timeoutMs) =>
      values.length === 1
        ? link.writeRegister(unitId, address, values[0]!, { timeoutMs })
        : link.writeRegisters(unitId, address, values, { timeoutMs }),
    );
  }

  writeCoils(unitId: number, address: number, values: readonly boolean[], options?: SubmitOptions): Promise<void> {
    return this.submit(unitId, `write coils ${address}+${values.length}`, options, (link, timeoutMs) =>
      values.length === 1
        ? link.writeCoil(unitId, address, values[0]!, { timeoutMs })
        : link.writeCoils(unitId, address, values, { timeoutMs }),
    );
  }

  unitHealth(unitId: number): UnitHealth {
    const unit = this.unit(unitId);
    return {
      unitId,
      state: unit.isQuarantined ? 'quarantined' : unit.failures > 0 ? 'degraded' : 'ok',
      consecutiveFailures: unit.failures,
      nextProbeMs: unit.nextProbeMs,
      backoffMs: unit.backoffMs,
    };
  }

  counters(unitId: number): DeviceCounters {
    const c = this.unit(unitId).counters;
    return { ...c, latency: { boundsMs: c.latency.boundsMs, counts: [...c.latency.counts] } };
  }

  async close(): Promise<void> {
    this.isClosed = true;
    for (const job of [...this.high.splice(0), ...this.normal.splice(0)]) {
      job.reject(
        errors.CB_BUS_CLOSED(`${this.link.endpoint} unit ${job.unitId} ${job.what}: the scheduler was closed`),
      );
    }
    await this.link.close();
  }

  private submit<T>(
    unitId: number,
    what: string,
    options: SubmitOptions | undefined,
    run: (link: ModbusLink, timeoutMs: number) => Promise<T>,
  ): Promise<T> {
    const label = `${this.link.endpoint} unit ${unitId} ${what}`;
    if (this.isClosed) return Promise.reject(errors.CB_BUS_CLOSED(`${label}: the scheduler was closed`));
    const unit = this.unit(unitId);
    let isProbe = false;
    if (unit.isQuarantined) {
      if (unit.isProbeQueued || this.clock.nowMs() < (unit.nextProbeMs ?? 0)) {
        unit.counters.skippedQuarantined += 1;
        return Promise.reject(this.quarantinedError(label, unit));
      }
      isProbe = true;
      unit.isProbeQueued = true;
    }
    return new Promise<T>((resolve, reject) => {
      const job: Job = {
        unitId,
        what,
        run,
        timeoutMs: options?.timeoutMs ?? this.timeoutMs,
        isProbe,
        resolve: resolve as (value: never) => void,
        reject,
      };
      (options?.priority === 'high' ? this.high : this.normal).push(job);
      void this.pump();
    });
  }

  private async pump(): Promise<void> {
    if (this.isPumping) return;
    this.isPumping = true;
    try {
      for (;;) {
        const job = this.high.shift() ?? this.normal.shift();
        if (job === undefined) break;
        const unit = this.unit(job.unitId);
        if (unit.isQuarantined && !job.isProbe) {
          // The unit went quiet while this request waited: do not spend bus time on it.
          unit.counters.skippedQuarantined += 1;
          job.reject(this.quarantinedError(`${this.link.endpoint} unit ${job.unitId} ${job.what}`, unit));
          continue;
        }
        await this.execute(job, unit);
      }
    } finally {
      this.isPumping = false;
    }
  }

  private async execute(job: Job, unit: UnitRecord): Promise<void> {
    const attempts = job.isProbe ? 1 : 1 + this.retries;
    let lastError: Error | undefined;
    for (let attempt = 0; attempt < attempts; attempt++) {
      if (this.link.state !== 'open') {
        lastError = errors.CB_BUS_CLOSED(
          `${this.link.endpoint} unit ${job.unitId} ${job.what}: the bus is ${this.link.state}`,
        );
        break;
      }
      if (attempt > 0) unit.counters.retries += 1;
      await waitUntilPrecise(this.lastFrameEndMs + this.interFrameDelayMs + this.gapMs);
      const startMs = nowPreciseMs();
      unit.counters.requests += 1;
      try {
        const value = await job.run(this.link, job.timeoutMs);
        this.lastFrameEndMs = nowPreciseMs();
        this.recordLatency(unit, this.lastFrameEndMs - startMs);
        unit.counters.responses += 1;
        this.answered(job.unitId, unit);
        job.resolve(value as never);
        return;
      } catch (err) {
        this.lastFrameEndMs = nowPreciseMs();
        lastError = err as Error;
        const code = isCitybayError(err) ? err.code : '';
        if (code === 'CB_MODBUS_EXCEPTION') {
          unit.counters.exceptions += 1;
          this.recordLatency(unit, this.lastFrameEndMs - startMs);
          this.answered(job.unitId, unit);
          job.reject(lastError);
          return;
        }
        if (code === 'CB_MODBUS_TIMEOUT') unit.counters.timeouts += 1;
        else if (code === 'CB_MODBUS_CRC') unit.counters.crcErrors += 1;
        else if (code === 'CB_MODBUS_BAD_REPLY') unit.counters.badReplies += 1;
        else break;
      }
    }
    if (job.isProbe) unit.isProbeQueued = false;
    if (lastError !== undefined && isCitybayError(lastError, 'CB_BUS_CLOSED')) {
      job.reject(lastError);
      return;
    }
    this.failed(job, unit);
    job.reject(lastError ?? errors.CB_MODBUS_TIMEOUT(`${this.link.endpoint} unit ${job.unitId} ${job.what}: failed`));
  }

  private answered(unitId: number, unit: UnitRecord): void {
    if (unit.isQuarantined) this.logger.info({ unitId }, 'unit answers again, quarantine ended');
    unit.failures = 0;
    unit.isQuarantined = false;
    unit.isProbeQueued = false;
    unit.nextProbeMs = null;
    unit.backoffMs = 0;
  }

  private failed(job: Job, unit: UnitRecord): void {
    unit.failures += 1;
    if (job.isProbe) {
      unit.backoffMs = Math.min(unit.backoffMs * 2, this.maxBackoffMs);
      unit.nextProbeMs = this.clock.nowMs() + unit.backoffMs;
      return;
    }
    if (!unit.isQuarantined && unit.failures >= this.afterFailures) {
      unit.isQuarantined = true;
      unit.counters.quarantines += 1;
      unit.backoffMs = this.initialBackoffMs;
      unit.nextProbeMs = this.clock.nowMs() + unit.backoffMs;
      this.logger.warn({ unitId: job.unitId, backoffMs: unit.backoffMs }, 'unit stopped answering, quarantined');
    }
  }

  private quarantinedError(label: string, unit: UnitRecord) {
    return errors.CB_MODBUS_QUARANTINED(
      `${label}: unit quarantined after ${unit.failures} failures, next probe at ${unit.nextProbeMs}`,
    );
  }

  private recordLatency(unit: UnitRecord, latencyMs: number): void {
    const index = LATENCY_BOUNDS_MS.findIndex((bound) => latencyMs <= bound);
    const counts = unit.counters.latency.counts;
    const slot = index === -1 ? counts.length - 1 : index;
    counts[slot] = (counts[slot] ?? 0) + 1;
  }

  private unit(unitId: number): UnitRecord {
    let unit = this.units.get(unitId);
    if (unit === undefined) {
      unit = {
        failures: 0,
        isQuarantined: false,
        backoffMs: 0,
        nextProbeMs: null,
        isProbeQueued: false,
        counters: {
          requests: 0,
          responses: 0,
          timeouts: 0,
          crcErrors: 0,
          badReplies: 0,
          exceptions: 0,
          retries: 0,
          skippedQuarantined: 0,
          quarantines: 0,
          latency: { boundsMs: LATENCY_BOUNDS_MS, counts: new Array(LATENCY_BOUNDS_MS.length + 1).fill(0) },
        },
      };
      this.units.set(unitId, unit);
    }
    return unit;
  }
}
