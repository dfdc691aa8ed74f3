import { describe, expect, it } from 'vitest';
import { encodeRequest } from '../../src/core/modbus-pdu.js';
import { ModbusEmulator } from '../../src/emulators/modbus-emulator.js';
import { parseUnits } from '../../src/emulators/unit-list.js';
import { loadProfile, parseProfile } from '../../src/profiles/load-profile.js';

const hex = (bytes: Uint8Array | undefined) => (bytes === undefined ? undefined : Buffer.from(bytes).toString('hex'));

describe('ModbusEmulator', () => {
  it('sets bays in bit, register and packed profiles', async () => {
    const bits = new ModbusEmulator({ profile: await loadProfile('bit-per-bay-64'), unitIds: [1] });
    bits.setBay(1, 9, true);
    expect(bits.bank(1).readBits('discrete', 8, 3)).toEqual([false, true, false]);
    expect(() => bits.setBay(1, 1, 'fault')).toThrow(/no "fault" state/);
    expect(() => bits.setBay(1, 64, true)).toThrow(/bay 64 is not in profile/);

    const ultra = new ModbusEmulator({ profile: await loadProfile('register-per-bay-ultrasonic'), unitIds: [2] });
    ultra.setBay(2, 3, 'sensor-dirty');
    expect(ultra.bank(2).readWords('input', 3, 1)).toEqual([3]);

    const packed = new ModbusEmulator({
      profile: parseProfile(
        JSON.stringify({
          name: 'packed',
          description: 'd',
          kind: 'bay-controller',
          bayCount: 6,
          pollGroups: { default: { intervalMs: 100 } },
          points: [
            {
              name: 'bays',
              register: 'holding',
              address: 0,
              count: 2,
              decode: {
                type: 'packed',
                bitsPerBay: 4,
                bays: 6,
                values: { '0': 'free', '1': 'occupied', '2': 'fault' },
              },
            },
          ],
        }),
        'packed.json',
      ),
      unitIds: [3],
    });
    packed.setBay(3, 1, 'occupied');
    packed.setBay(3, 5, 'fault');
    packed.setBay(3, 1, 'free');
    packed.setBay(3, 0, true);
    expect(packed.bank(3).readWords('holding', 0, 2)).toEqual([0x0001, 0x0020]);
  });

  it('answers requests, refuses undefined addresses, and stays silent for unknown units and broadcasts', async () => {
    const emulator = new ModbusEmulator({ profile: await loadProfile('gate-counter'), unitIds: [1, 2] });
    emulator.setValue(1, 'entries', 0x10002);
    expect(hex(emulator.handle(1, encodeRequest({ fc: 3, address: 0, count: 2 }), 0).reply)).toBe('030400020001');
    expect(hex(emulator.handle(1, encodeRequest({ fc: 3, address: 4, count: 1 }), 0).reply)).toBe('8302');
    expect(hex(emulator.handle(1, Uint8Array.of(8, 0, 0, 0, 0), 0).reply)).toBe('8801');
    expect(emulator.handle(9, encodeRequest({ fc: 3, address: 0, count: 1 }), 0).reply).toBeUndefined();
    expect(emulator.handle(0, encodeRequest({ fc: 6, address: 10, value: 4 }), 0).reply).toBeUndefined();
    expect(emulator.bank(2).readWords('holding', 10, 1)).toEqual([4]);
    expect(emulator.recorded.map((r) => r.outcome)).toEqual([
      'reply',
      'exception',
      'exception',
      'no-reply',
      'broadcast',
    ]);
  });

  it('injects faults for a number of requests, then behaves again', async () => {
    const emulator = new ModbusEmulator({ profile: await loadProfile('bit-per-bay-64'), unitIds: [1] });
    const read = () => emulator.handle(1, encodeRequest({ fc: 2, address: 0, count: 8 }), 0);
    emulator.injectFault(1, { kind: 'exception', code: 6, count: 1 });
    emulator.injectFault(1, { kind: 'crc', count: 1 });
    emulator.injectFault(1, { kind: 'slow', delayMs: 40, count: 1 });
    emulator.injectFault(1, { kind: 'no-reply', count: 2 });
    expect(hex(read().reply)).toBe('8206');
    expect(read().corruptCrc).toBe(true);
    expect(read().extraDelayMs).toBe(40);
    expect(read().reply).toBeUndefined();
    expect(read().reply).toBeUndefined();
    expect(read()).toMatchObject({ corruptCrc: false, extraDelayMs: 0 });
    expect(hex(read().reply)).toBe('020100');
    emulator.injectFault(1, { kind: 'offline' });
    expect(read().reply).toBeUndefined();
    emulator.clearFaults(1);
    expect(read().reply).toBeDefined();
  });

  it('parses unit lists', () => {
    expect(parseUnits('1-3,7')).toEqual([1, 2, 3, 7]);
    expect(() => parseUnits('0-3')).toThrow(/outside 1..247/);
    expect(() => parseUnits('a')).toThrow(/cannot read "a"/);
  });
});
