import { ManualClock, isCitybayError } from '@citybay/common';
import { describe, expect, it } from 'vitest';
import { createEmulatorLink } from '../../src/emulators/emulator-link.js';
import { ModbusEmulator } from '../../src/emulators/modbus-emulator.js';
import { createBusScheduler } from '../../src/modbus/bus-scheduler.js';
import { loadProfile } from '../../src/profiles/load-profile.js';

const profile = await loadProfile('bit-per-bay-64');

async function setup(options: { retries?: number; afterFailures?: number } = {}) {
  const emulator = new ModbusEmulator({ profile, unitIds: [1, 2, 3] });
  const link = createEmulatorLink(emulator, { timeoutMs: 20 });
  await link.open();
  const clock = new ManualClock(1_000_000);
  const scheduler = createBusScheduler({
    link,
    clock,
    timeoutMs: 20,
    retries: options.retries ?? 1,
    quarantine: { afterFailures: options.afterFailures ?? 2, initialBackoffMs: 1000, maxBackoffMs: 4000 },
  });
  return { emulator, link, clock, scheduler };
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'ok';
  } catch (err) {
    return isCitybayError(err) ? err.code : String(err);
  }
}

describe('bus scheduler', () => {
  it('keeps exactly one request in flight on a serial bus and applies the inter-frame silence', async () => {
    const { emulator, link, scheduler } = await setup();
    emulator.setBay(2, 5, true);
    const results = await Promise.all([1, 2, 3, 1, 2, 3].map((unit) => scheduler.readBits(unit, 'discrete', 0, 64)));
    expect(link.maxInFlight).toBe(1);
    expect(results[1]![5]).toBe(true);
    expect(results[0]![5]).toBe(false);
    expect(scheduler.interFrameDelayMs).toBeCloseTo(2.005, 3);
    expect(emulator.recorded.map((r) => r.unitId)).toEqual([1, 2, 3, 1, 2, 3]);
  });

  it('keeps at least the inter-frame silence plus the gap between the end of a reply and the next request', async () => {
    const emulator = new ModbusEmulator({ profile, unitIds: [1, 2] });
    const inner = createEmulatorLink(emulator, { baudRate: 9600 });
    await inner.open();
    const spans: { startMs: number; endMs: number }[] = [];
    const link = {
      ...inner,
      get state() {
        return inner.state;
      },
      readDiscreteInputs: async (unit: number, address: number, count: number) => {
        const span = { startMs: performance.now(), endMs: 0 };
        spans.push(span);
        const bitsRead = await inner.readDiscreteInputs(unit, address, count);
        span.endMs = performance.now();
        return bitsRead;
      },
    };
    const scheduler = createBusScheduler({ link, gapMs: 3 });
    expect(scheduler.interFrameDelayMs).toBeCloseTo(4.01, 2);
    await Promise.all([1, 2, 1, 2, 1, 2].map((unit) => scheduler.readBits(unit, 'discrete', 0, 64)));
    for (let i = 1; i < spans.length; i++) {
      expect(spans[i]!.startMs - spans[i - 1]!.endMs).toBeGreaterThanOrEqual(4.01 + 3 - 0.01);
    }
  });

  it('retries a timeout once, then counts it', async () => {
    const { emulator, scheduler } = await setup({ afterFailures: 5 });
    emulator.injectFault(1, { kind: 'no-reply', count: 1 });
    expect(await codeOf(scheduler.readBits(1, 'discrete', 0, 8))).toBe('ok');
    expect(scheduler.counters(1)).toMatchObject({ requests: 2, responses: 1, timeouts: 1, retries: 1 });
    emulator.injectFault(1, { kind: 'crc', count: 2 });
    expect(await codeOf(scheduler.readBits(1, 'discrete', 0, 8))).toBe('CB_MODBUS_CRC');
    expect(scheduler.counters(1)).toMatchObject({ crcErrors: 2 });
    expect(scheduler.unitHealth(1)).toMatchObject({ state: 'degraded', consecutiveFailures: 1 });
  });

  it('does not retry an exception reply, and passes its code', async () => {
    const { scheduler } = await setup();
    let error: unknown;
    await scheduler.readWords(1, 'holding', 500, 1).catch((err: unknown) => {
      error = err;
    });
    expect(isCitybayError(error, 'CB_MODBUS_EXCEPTION')).toBe(true);
    expect((error as { modbusCode: number }).modbusCode).toBe(2);
    expect(scheduler.counters(1)).toMatchObject({ requests: 1, exceptions: 1, retries: 0 });
    expect(scheduler.unitHealth(1).state).toBe('ok');
  });

  it('quarantines a dead unit without costing the others bus time, probes with back-off, and recovers', async () => {
    const { emulator, clock, scheduler } = await setup();
    emulator.injectFault(2, { kind: 'offline' });
    expect(await codeOf(scheduler.readBits(2, 'discrete', 0, 64))).toBe('CB_MODBUS_TIMEOUT');
    expect(await codeOf(scheduler.readBits(2, 'discrete', 0, 64))).toBe('CB_MODBUS_TIMEOUT');
    expect(scheduler.unitHealth(2)).toMatchObject({ state: 'quarantined', backoffMs: 1000, nextProbeMs: 1_001_000 });
    const before = emulator.recorded.length;
    const codes = await Promise.all([1, 2, 3, 2].map((unit) => codeOf(scheduler.readBits(unit, 'discrete', 0, 64))));
    expect(codes).toEqual(['ok', 'CB_MODBUS_QUARANTINED', 'ok', 'CB_MODBUS_QUARANTINED']);
    expect(emulator.recorded.slice(before).map((r) => r.unitId)).toEqual([1, 3]);
    expect(scheduler.counters(2)).toMatchObject({ skippedQuarantined: 2, quarantines: 1 });

    clock.advance(1000);
    // The probe is sent once (no retries), fails, and doubles the back-off.
    expect(await codeOf(scheduler.readBits(2, 'discrete', 0, 64))).toBe('CB_MODBUS_TIMEOUT');
    expect(scheduler.unitHealth(2)).toMatchObject({ state: 'quarantined', backoffMs: 2000 });
    clock.advance(2000);
    expect(await codeOf(scheduler.readBits(2, 'discrete', 0, 64))).toBe('CB_MODBUS_TIMEOUT');
    clock.advance(4000);
    expect(await codeOf(scheduler.readBits(2, 'discrete', 0, 64))).toBe('CB_MODBUS_TIMEOUT');
    expect(scheduler.unitHealth(2).backoffMs).toBe(4000);

    emulator.clearFaults(2);
    clock.advance(4000);
    expect(await codeOf(scheduler.readBits(2, 'discrete', 0, 64))).toBe('ok');
    expect(scheduler.unitHealth(2)).toMatchObject({ state: 'ok', consecutiveFailures: 0, nextProbeMs: null });
  });

  it('drops queued requests of a unit that goes into quarantine while they wait', async () => {
    const { emulator, scheduler } = await setup({ retries: 0, afterFailures: 1 });
    emulator.injectFault(2, { kind: 'offline' });
    const codes = await Promise.all([2, 2, 2, 1].map((unit) => codeOf(scheduler.readBits(unit, 'discrete', 0, 8))));
    expect(codes).toEqual(['CB_MODBUS_TIMEOUT', 'CB_MODBUS_QUARANTINED', 'CB_MODBUS_QUARANTINED', 'ok']);
    expect(emulator.recorded.filter((r) => r.unitId === 2)).toHaveLength(1);
  });

  it('sends high-priority requests before queued normal ones', async () => {
    const { emulator, scheduler } = await setup();
    const all = [
      scheduler.readBits(1, 'discrete', 0, 8),
      scheduler.readBits(2, 'discrete', 0, 8),
      scheduler.readBits(3, 'discrete', 0, 8),
      scheduler.readWords(3, 'input', 0, 1, { priority: 'high' }),
    ];
    await Promise.all(all);
    expect(emulator.recorded.map((r) => `${r.unitId}:${r.fc}`)).toEqual(['1:2', '3:4', '2:2', '3:2']);
  });

  it('fails fast with CB_BUS_CLOSED while the bus is down, without blaming the units', async () => {
    const { link, scheduler } = await setup();
    link.setState('reopening');
    expect(await codeOf(scheduler.readBits(1, 'discrete', 0, 8))).toBe('CB_BUS_CLOSED');
    expect(await codeOf(scheduler.readBits(1, 'discrete', 0, 8))).toBe('CB_BUS_CLOSED');
    expect(scheduler.unitHealth(1).state).toBe('ok');
    link.setState('open');
    expect(await codeOf(scheduler.readBits(1, 'discrete', 0, 8))).toBe('ok');
    await scheduler.close();
    expect(await codeOf(scheduler.readBits(1, 'discrete', 0, 8))).toBe('CB_BUS_CLOSED');
  });

  it('keeps a latency histogram per unit', async () => {
    const { scheduler } = await setup();
    await scheduler.readBits(1, 'discrete', 0, 8);
    const { latency } = scheduler.counters(1);
    expect(latency.counts.reduce((a, b) => a + b, 0)).toBe(1);
    expect(latency.counts).toHaveLength(latency.boundsMs.length + 1);
  });
});
