/**
 * A {@link ModbusLink} wired straight to a {@link ModbusEmulator}, without sockets: for unit tests
 * of anything above the link (scheduler, poller, sign drivers, edge) that should not depend on
 * timing. Faults behave as on a wire: `no-reply` waits for the request timeout, `crc` fails with
 * `CB_MODBUS_CRC`.
 */

import { encodeRequest, type PduRequest, unpackBits } from '../core/modbus-pdu.js';
import { errors } from '../errors.js';
import { modbusExceptionError } from '../modbus/modbus-errors.js';
import type { ModbusLink, ModbusLinkState, ModbusRequestOptions } from '../modbus/modbus-link.js';
import type { ModbusEmulator } from './modbus-emulator.js';

export interface EmulatorLink extends ModbusLink {
  /** Requests in flight right now (the scheduler must keep this ≤ 1 on RTU). */
  readonly inFlight: number;
  /** Largest `inFlight` seen. */
  readonly maxInFlight: number;
  /** Simulates the bus going away (`reopening`) and coming back (`open`). */
  setState(state: ModbusLinkState): void;
}

export interface EmulatorLinkOptions {
  /** Which link it pretends to be (the scheduler keeps the serial silence for `rtu`). Default `rtu`. */
  transport?: 'rtu' | 'tcp';
  /** Line speed reported in `lineTiming` for `rtu`, in bit/s. Default 19200. */
  baudRate?: number;
  /** Default request timeout, in ms. Default 50. */
  timeoutMs?: number;
  /** Time each answered request takes, in ms. Default 0 (next macrotask). */
  replyDelayMs?: number;
}

export function createEmulatorLink(emulator: ModbusEmulator, options: EmulatorLinkOptions = {}): EmulatorLink {
  const transport = options.transport ?? 'rtu';
  let state: ModbusLinkState = 'closed';
  let inFlight = 0;
  let maxInFlight = 0;
  const listeners = new Set<(state: ModbusLinkState, cause?: Error) => void>();
  const endpoint = `emulator:${emulator.profile.name}`;

  const call = (unitId: number, request: PduRequest, requestOptions?: ModbusRequestOptions): Promise<Uint8Array> => {
    const what = `${endpoint} unit ${unitId} fc ${request.fc} address ${request.address}`;
    if (state !== 'open') return Promise.reject(errors.CB_BUS_CLOSED(`${what}: the bus is ${state}`));
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    const decision = emulator.handle(unitId, encodeRequest(request), Date.now());
    return new Promise<Uint8Array>((resolve, reject) => {
      const timeoutMs = requestOptions?.timeoutMs ?? options.timeoutMs ?? 50;
      const done = () => {
        inFlight -= 1;
      };
      if (decision.reply === undefined || decision.isTruncated) {
        setTimeout(() => {
          done();
          reject(errors.CB_MODBUS_TIMEOUT(`${what}: no reply in time`));
        }, timeoutMs);
        return;
      }
      const delayMs = (options.replyDelayMs ?? 0) + decision.extraDelayMs;
      if (delayMs > timeoutMs) {
        setTimeout(() => {
          done();
          reject(errors.CB_MODBUS_TIMEOUT(`${what}: no reply in time`));
        }, timeoutMs);
        return;
      }
      setTimeout(() => {
        done();
        const reply = decision.reply!;
        if (decision.corruptCrc) reject(errors.CB_MODBUS_CRC(`${what}: reply failed its CRC check`));
        else if ((reply[0] ?? 0) & 0x80) reject(modbusExceptionError(what, reply[1] ?? 0));
        else resolve(reply);
      }, delayMs);
    });
  };
  const bits = async (unitId: number, request: PduRequest & { count: number }, o?: ModbusRequestOptions) =>
    unpackBits((await call(unitId, request, o)).subarray(2), request.count);
  const words = async (unitId: number, request: PduRequest & { count: number }, o?: ModbusRequestOptions) => {
    const reply = await call(unitId, request, o);
    const view = new DataView(reply.buffer, reply.byteOffset, reply.byteLength);
    return Array.from({ length: request.count }, (_, i) => view.getUint16(2 + 2 * i));
  };

  const link: EmulatorLink = {
    transport,
    endpoint,
    lineTiming: transport === 'rtu' ? { baudRate: options.baudRate ?? 19200, bitsPerChar: 11 } : undefined,
    get state() {
      return state;
    },
    get inFlight() {
      return inFlight;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    setState(next) {
      state = next;
      for (const listener of listeners) listener(next);
    },
    async open() {
      link.setState('open');
    },
    async close() {
      link.setState('closed');
    },
    onStateChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    readCoils: (u, address, count, o) => bits(u, { fc: 1, address, count }, o),
    readDiscreteInputs: (u, address, count, o) => bits(u, { fc: 2, address, count }, o),
    readHoldingRegisters: (u, address, count, o) => words(u, { fc: 3, address, count }, o),
    readInputRegisters: (u, address, count, o) => words(u, { fc: 4, address, count }, o),
    writeCoil: async (u, address, value, o) => {
      await call(u, { fc: 5, address, value }, o);
    },
    writeCoils: async (u, address, values, o) => {
      await call(u, { fc: 15, address, values: [...values] }, o);
    },
    writeRegister: async (u, address, value, o) => {
      await call(u, { fc: 6, address, value }, o);
    },
    writeRegisters: async (u, address, values, o) => {
      await call(u, { fc: 16, address, values: [...values] }, o);
    },
  };
  return link;
}
