import { isCitybayError } from '@citybay/common';
import { describe, expect, it } from 'vitest';
import { createEmulatorLink } from '../../src/emulators/emulator-link.js';
import { ModbusEmulator } from '../../src/emulators/modbus-emulator.js';
import { createBusScheduler } from '../../src/modbus/bus-scheduler.js';
import { loadProfile } from '../../src/profiles/load-profile.js';
import type { SignMessage } from '../../src/signs/guidance-sign.js';
import { createModbusRegisterSign } from '../../src/signs/modbus-register-sign.js';

const profile = await loadProfile('modbus-sign');

async function setup() {
  const emulator = new ModbusEmulator({ profile, unitIds: [20] });
  const link = createEmulatorLink(emulator, { timeoutMs: 20 });
  await link.open();
  const scheduler = createBusScheduler({ link, timeoutMs: 20, retries: 0 });
  const sign = createModbusRegisterSign({ id: 'gate-sign', scheduler, unitId: 20, profile, lineLabels: ['P1', 'P2'] });
  return { emulator, sign };
}

describe('Modbus-register guidance sign', () => {
  it('writes count, arrow, colour, mode and brightness, and reads them back', async () => {
    const { emulator, sign } = await setup();
    const message: SignMessage = {
      lines: [
        { label: 'P1', arrow: 'left', value: 23, colour: 'green' },
        { label: 'P2', arrow: 'ahead', value: 'FULL', colour: 'red' },
      ],
      brightnessPct: 80,
    };
    await sign.show(message);
    expect(emulator.bank(20).readWords('holding', 0, 8)).toEqual([23, 1, 1, 0, 0, 3, 2, 1]);
    expect(emulator.bank(20).readWords('holding', 16, 1)).toEqual([80]);
    expect(emulator.shown.at(-1)!.message).toEqual({
      ...message,
      lines: message.lines.map((l) => ({ ...l, label: '' })),
    });
    const readBack = await sign.readBack();
    expect(readBack.message).toEqual(message);
    await sign.blank();
    expect((await sign.readBack()).message).toBeNull();
  });

  it('refuses what the sign cannot show, with the field', async () => {
    const { emulator, sign } = await setup();
    const line = { label: 'P1', arrow: 'left' as const, value: 3, colour: 'green' as const };
    const cases: [SignMessage, string][] = [
      [{ lines: [line, line, line] }, 'too many lines'],
      [{ lines: [{ ...line, value: { text: 'HELLO' } }] }, 'lines[0].value'],
      [{ lines: [{ ...line, colour: 'white' }] }, 'lines[0].colour'],
      [{ lines: [{ ...line, arrow: 'back' }] }, 'lines[0].arrow'],
      [{ lines: [{ ...line, label: 'P9' }] }, 'lines[0].label'],
      [{ lines: [line], brightnessPct: 140 }, 'brightnessPct'],
    ];
    for (const [message, field] of cases) {
      const err = await sign.show(message).catch((e: unknown) => e);
      expect(isCitybayError(err, 'CB_SIGN_REJECTED'), field).toBe(true);
      expect((err as Error).message).toContain(field);
    }
    expect(emulator.recorded).toHaveLength(0);
  });

  it('reports faults and going offline in health', async () => {
    const { emulator, sign } = await setup();
    expect(await sign.health()).toMatchObject({ isOnline: true, faults: [] });
    emulator.setStatusFlag(20, 'pixelFailure', true);
    expect((await sign.health()).faults).toEqual(['pixelFailure']);
    emulator.injectFault(20, { kind: 'offline' });
    expect(await sign.health()).toMatchObject({ isOnline: false, faults: ['CB_MODBUS_TIMEOUT'] });
  });
});
