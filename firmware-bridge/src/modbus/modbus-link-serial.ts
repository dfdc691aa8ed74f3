/**
 * Modbus RTU over a serial port (`modbus-serial`'s buffered RTU port over `serialport`). Both are
 * loaded when the first RTU link opens, not when this package is imported.
 */
import { existsSync } from 'node:fs';
import { loadModbusRtu } from '../io/native-modules.js';
import type { Logger } from '@citybay/common';
import type { ModbusLink } from './modbus-link.js';
import { ModbusClientLink, type ReopenOptions } from './modbus-link-client.js';

export interface SerialLinkOptions extends ReopenOptions {
  /** Serial device, e.g. `/dev/ttyUSB0`. */
  path: string;
  /** bit/s. Default 19200. */
  baudRate?: number;
  /** Default `even` (the Modbus serial-line default, 8E1 = 11 bits per character). */
  parity?: 'none' | 'even' | 'odd';
  /** Default 1; use 2 with no parity to keep 11 bits per character. */
  stopBits?: 1 | 2;
  /** Default request timeout, in ms. Default 300. */
  timeoutMs?: number;
  /** How often to check that the device node still exists, in ms. Default 1000. */
  presenceCheckMs?: number;
  logger?: Logger;
}

export function createSerialLink(options: SerialLinkOptions): ModbusLink {
  const baudRate = options.baudRate ?? 19200;
  const parity = options.parity ?? 'even';
  const stopBits = options.stopBits ?? 1;
  const bitsPerChar = 1 + 8 + (parity === 'none' ? 0 : 1) + stopBits;
  return new ModbusClientLink({
    ...options,
    transport: 'rtu',
    endpoint: `${options.path}@${baudRate}`,
    lineTiming: { baudRate, bitsPerChar },
    timeoutMs: options.timeoutMs ?? 300,
    isPresent: () => existsSync(options.path),
    createClient: async () => new (await loadModbusRtu())(),
    connect: (client) => client.connectRTUBuffered(options.path, { baudRate, parity, stopBits, dataBits: 8 }),
  });
}
