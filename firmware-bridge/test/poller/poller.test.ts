import { ManualClock } from '@citybay/common';
import { describe, expect, it, vi } from 'vitest';
import type { DeviceReading } from '../../src/detectors/bay-detector.js';
import { createEmulatorLink } from '../../src/emulators/emulator-link.js';
import { ModbusEmulator } from '../../src/emulators/modbus-emulator.js';
import { createBusScheduler } from '../../src/modbus/bus-scheduler.js';
import { createPoller } from '../../src/poller/poller.js';
import { loadProfile } from '../../src/profiles/load-profile.js';

const bits = await loadProfile('bit-per-bay-64');
const ultrasonic = await loadProfile('register-per-bay-ultrasonic');
const counter = await loadProfile('gate-counter');

describe('poller', () => {
  it('reads bays, status and counters of several device kinds on one bus', async () => {
    const bitsEmu = new ModbusEmulator({ profile: bits, unitIds: [1] });
    const link = createEmulatorLink(bitsEmu);
    await link.open();
    const scheduler = createBusScheduler({ link, timeoutMs: 20 });
    const poller = createPoller({ scheduler, devices: [{ id: 'level-1', unitId: 1, profile: bits }] });
    bitsEmu.setBay(1, 0, 'occupied');
    bitsEmu.setBay(1, 63, true);
    bitsEmu.setStatusFlag(1, 'cabinetDoorOpen', true);
    const [reading] = await poller.pollAll();
    expect(reading!.bays.filter((b) => b.state === 'occupied').map((b) => b.bay)).toEqual([0, 63]);
    expect(reading!.bays.filter((b) => b.state === 'free')).toHaveLength(62);
    expect(reading!.status['status.cabinetDoorOpen']).toEqual({ isSet: true, severity: 'warning' });
    expect(reading!.health).toBe('ok');
    expect(poller.detector('level-1').counters().requests).toBe(2);
  });

  it('coalesces contiguous points into one request', async () => {
    const emu = new ModbusEmulator({ profile: counter, unitIds: [4] });
    const link = createEmulatorLink(emu);
    await link.open();
    const poller = createPoller({
      scheduler: createBusScheduler({ link }),
      devices: [{ id: 'gate', unitId: 4, profile: counter }],
    });
    emu.setValue(4, 'entries', 70_000);
    emu.setValue(4, 'exits', 12);
    const [reading] = await poller.pollAll();
    expect(reading!.counters.entries!.value).toBe(70_000);
    expect(reading!.counters.exits!.value).toBe(12);
    // entries + exits (holding 0..3) in one request, status (holding 10) in another.
    expect(emu.recorded.map((r) => [r.fc, r.address, r.count])).toEqual([
      [3, 0, 4],
      [3, 10, 1],
    ]);
  });

  it('polls each group at its own interval and emits readings', async () => {
    const emu = new ModbusEmulator({ profile: ultrasonic, unitIds: [7] });
    const link = createEmulatorLink(emu);
    await link.open();
    const poller = createPoller({
      scheduler: createBusScheduler({ link }),
      devices: [{ id: 'u', unitId: 7, profile: ultrasonic, pollIntervalsMs: { bays: 20, status: 100_000 } }],
    });
    const readings: DeviceReading[] = [];
    poller.onReading((r) => readings.push(r));
    emu.setBay(7, 10, 'sensor-dirty');
    poller.start();
    await vi.waitFor(
      () => expect(emu.recorded.filter((r) => r.address === 0).length, 'four bay polls').toBeGreaterThanOrEqual(4),
      {
        timeout: 5000,
        interval: 10,
      },
    );
    await poller.stop();
    const statusPolls = emu.recorded.filter((r) => r.address === 100).length;
    expect(statusPolls).toBe(1);
    expect(readings.at(-1)!.bays[10]).toMatchObject({ state: 'unknown', reason: 'sensor-dirty' });
  });

  it('reports a dead unit offline while the other units keep their readings', async () => {
    const emu = new ModbusEmulator({ profile: bits, unitIds: [1, 2] });
    const link = createEmulatorLink(emu, { timeoutMs: 10 });
    await link.open();
    const clock = new ManualClock(0);
    const scheduler = createBusScheduler({ link, clock, timeoutMs: 10, retries: 0, quarantine: { afterFailures: 1 } });
    const poller = createPoller({
      scheduler,
      clock,
      devices: [
        { id: 'a', unitId: 1, profile: bits },
        { id: 'b', unitId: 2, profile: bits },
      ],
    });
    emu.setBay(1, 1, true);
    emu.injectFault(2, { kind: 'offline' });
    await poller.pollAll();
    const [a, b] = await poller.pollAll();
    expect(a!.bays[1]!.state).toBe('occupied');
    expect(b!.health).toBe('quarantined');
    expect(b!.bays[0]).toMatchObject({ state: 'unknown', reason: 'device-offline' });
    expect(b!.points.bays!.lastErrorCode).toBe('CB_MODBUS_QUARANTINED');
    expect(poller.detector('b').current().health).toBe('quarantined');
  });

  it('refuses duplicate device ids, unit ids outside the RTU range and unknown lookups', async () => {
    const emu = new ModbusEmulator({ profile: bits, unitIds: [1] });
    const scheduler = createBusScheduler({ link: createEmulatorLink(emu) });
    const device = { id: 'x', unitId: 1, profile: bits };
    expect(() => createPoller({ scheduler, devices: [device, device] })).toThrow(/duplicate device id "x"/);
    expect(() => createPoller({ scheduler, devices: [device] }).detector('y')).toThrow(/unknown device "y"/);
    expect(() => createPoller({ scheduler, devices: [{ ...device, unitId: 0 }] })).toThrow(
      /unitId 0 is outside 1..247/,
    );
    expect(() => createPoller({ scheduler, devices: [{ ...device, unitId: 248 }] })).toThrow(/outside 1..247/);
  });
});
