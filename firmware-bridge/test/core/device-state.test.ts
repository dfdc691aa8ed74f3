import { describe, expect, it } from 'vitest';
import { DeviceState } from '../../src/core/device-state.js';
import { loadProfile } from '../../src/profiles/load-profile.js';

const ultrasonic = await loadProfile('register-per-bay-ultrasonic');
const point = (name: string) => ultrasonic.points.find((p) => p.name === name)!;

describe('DeviceState', () => {
  const make = () =>
    new DeviceState({
      deviceId: 'd1',
      unitId: 3,
      profile: ultrasonic,
      pollIntervalsMs: { bays: 1000, status: 10_000 },
    });

  it('reports not-read-yet before the first read and offline when the unit is quarantined', () => {
    const state = make();
    expect(state.reading(0, 'ok').bays[0]).toEqual({ bay: 0, state: 'unknown', reason: 'not-read-yet' });
    expect(state.reading(0, 'quarantined').bays[0]).toEqual({ bay: 0, state: 'unknown', reason: 'device-offline' });
  });

  it('decodes bays with fault reasons and keeps point quality', () => {
    const state = make();
    const raw = Array.from({ length: 48 }, () => 0);
    raw[1] = 1;
    raw[2] = 2;
    raw[3] = 3;
    raw[4] = 4;
    raw[5] = 77;
    state.recordGood(point('bays'), raw, 1000);
    const reading = state.reading(1500, 'ok');
    expect(reading.bays.slice(0, 6).map((b) => [b.state, b.reason])).toEqual([
      ['free', undefined],
      ['occupied', undefined],
      ['unknown', 'fault'],
      ['unknown', 'sensor-dirty'],
      ['unknown', 'disabled'],
      ['unknown', 'bad-value'],
    ]);
    expect(reading.points.bays).toMatchObject({ value: 1, lastGoodMs: 1000, isStale: false });
    expect(reading.points.status).toMatchObject({ value: null, lastGoodMs: null, isStale: true });
  });

  it('turns bays stale after the stale limit (3 × the slowest interval by default) and keeps the failure code', () => {
    const state = make();
    state.recordGood(point('bays'), new Array(48).fill(1), 0);
    state.recordFailure(point('bays'), 'CB_MODBUS_TIMEOUT');
    expect(state.staleAfterMs).toBe(30_000);
    const reading = state.reading(30_001, 'degraded');
    expect(reading.bays[0]).toMatchObject({ state: 'unknown', reason: 'stale', raw: 1 });
    expect(reading.points.bays).toMatchObject({ isStale: true, lastErrorCode: 'CB_MODBUS_TIMEOUT' });
  });

  it('marks every bay device-fault while a fault status flag is set, and decodes values', () => {
    const state = make();
    state.recordGood(point('bays'), new Array(48).fill(1), 0);
    state.recordGood(point('status'), [0b01], 0);
    state.recordGood(point('temperatureC'), [0xff38], 0);
    const reading = state.reading(10, 'ok');
    expect(reading.bays.every((b) => b.state === 'unknown' && b.reason === 'device-fault')).toBe(true);
    expect(reading.status['status.rs485SensorLoopFault']).toEqual({ isSet: true, severity: 'fault' });
    expect(reading.points.temperatureC!.value).toBeCloseTo(-20);
  });

  it('reports counters of a gate counter', async () => {
    const counter = await loadProfile('gate-counter');
    const state = new DeviceState({ deviceId: 'g', unitId: 1, profile: counter, pollIntervalsMs: { counters: 1000 } });
    state.recordGood(counter.points[0]!, [0x0002, 0x0001], 5);
    const reading = state.reading(6, 'ok');
    expect(reading.counters.entries).toMatchObject({ value: 0x10002, lastGoodMs: 5, isStale: false });
    expect(reading.counters.exits).toMatchObject({ value: null, isStale: true });
    expect(reading.bays).toEqual([]);
  });
});
