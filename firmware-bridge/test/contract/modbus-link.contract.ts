/**
 * The behaviour every ModbusLink must have, run against each implementation (in-memory emulator
 * link, Modbus TCP, Modbus RTU over a pty): all four tables, writes, exception codes, timeouts and
 * the closed state, with the same error codes.
 */
import { isCitybayError } from '@citybay/common';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ModbusEmulator } from '../../src/emulators/modbus-emulator.js';
import type { ModbusLink } from '../../src/modbus/modbus-link.js';
import { parseProfile } from '../../src/profiles/load-profile.js';

export interface LinkUnderTest {
  link: ModbusLink;
  close(): Promise<void>;
}

/** Builds a link to the given emulator; the link is opened by the contract. */
export type LinkFactory = (emulator: ModbusEmulator) => Promise<LinkUnderTest>;

const profile = parseProfile(
  JSON.stringify({
    name: 'contract',
    description: 'one point per table',
    kind: 'bay-controller',
    bayCount: 16,
    pollGroups: { default: { intervalMs: 1000 } },
    points: [
      { name: 'coils', register: 'coil', address: 0, count: 16, decode: { type: 'bit-per-bay' } },
      { name: 'inputs', register: 'discrete', address: 100, count: 16, decode: { type: 'bit-per-bay' } },
      {
        name: 'holding',
        register: 'holding',
        address: 0,
        count: 10,
        decode: { type: 'register-per-bay', values: { '0': 'free' } },
      },
      { name: 'input', register: 'input', address: 30, count: 2, decode: { type: 'value', width: 32 } },
    ],
  }),
  'contract.json',
);

async function code(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'ok';
  } catch (err) {
    return isCitybayError(err) ? err.code : String(err);
  }
}

export function modbusLinkContract(name: string, factory: LinkFactory): void {
  describe(`ModbusLink contract: ${name}`, () => {
    let emulator: ModbusEmulator;
    let subject: LinkUnderTest;

    beforeEach(async () => {
      emulator = new ModbusEmulator({ profile, unitIds: [1, 2] });
      subject = await factory(emulator);
      await subject.link.open();
    });

    afterEach(async () => {
      await subject.close();
      await emulator.close();
    });

    it('is open after open(), with a transport and an endpoint', () => {
      expect(subject.link.state).toBe('open');
      expect(['rtu', 'tcp']).toContain(subject.link.transport);
      expect(subject.link.endpoint).not.toBe('');
    });

    it('reads and writes all four tables at 0-based wire addresses', async () => {
      const { link } = subject;
      emulator.bank(1).writeBits('discrete', 100, [true, false, true]);
      emulator.bank(1).writeWords('input', 30, [0x0001, 0x0002]);
      expect((await link.readDiscreteInputs(1, 100, 16)).slice(0, 3)).toEqual([true, false, true]);
      expect(await link.readInputRegisters(1, 30, 2)).toEqual([1, 2]);
      await link.writeCoils(1, 0, [true, true, false, true]);
      await link.writeCoil(1, 8, true);
      expect((await link.readCoils(1, 0, 16)).map(Number).join('')).toBe('1101000010000000');
      await link.writeRegisters(1, 2, [500, 0xffff]);
      await link.writeRegister(1, 9, 7);
      expect(await link.readHoldingRegisters(1, 0, 10)).toEqual([0, 0, 500, 0xffff, 0, 0, 0, 0, 0, 7]);
      expect(emulator.bank(2).readWords('holding', 2, 1)).toEqual([0]);
    });

    it('rejects an exception reply with CB_MODBUS_EXCEPTION and its code', async () => {
      const err = await subject.link.readHoldingRegisters(1, 50, 1).catch((e: unknown) => e);
      expect(isCitybayError(err, 'CB_MODBUS_EXCEPTION')).toBe(true);
      expect((err as { modbusCode: number }).modbusCode).toBe(2);
      emulator.injectFault(2, { kind: 'exception', code: 6, count: 1 });
      const busy = await subject.link.readCoils(2, 0, 1).catch((e: unknown) => e);
      expect((busy as { modbusCode: number }).modbusCode).toBe(6);
    });

    it('rejects silence with CB_MODBUS_TIMEOUT after the per-request timeout, then works again', async () => {
      emulator.injectFault(1, { kind: 'no-reply', count: 1 });
      expect(await code(subject.link.readCoils(1, 0, 8, { timeoutMs: 100 }))).toBe('CB_MODBUS_TIMEOUT');
      expect(await code(subject.link.readCoils(1, 0, 8, { timeoutMs: 2000 }))).toBe('ok');
    });

    it('rejects with CB_BUS_CLOSED once closed, and reports the state', async () => {
      const states: string[] = [];
      subject.link.onStateChange((state) => states.push(state));
      await subject.link.close();
      expect(subject.link.state).toBe('closed');
      expect(states).toContain('closed');
      expect(await code(subject.link.readCoils(1, 0, 8))).toBe('CB_BUS_CLOSED');
    });
  });
}
