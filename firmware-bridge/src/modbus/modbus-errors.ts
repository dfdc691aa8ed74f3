/** Maps `modbus-serial` errors to this package's codes. */
import type { CitybayError } from '@citybay/common';
import { errors } from '../errors.js';
import type { ModbusExceptionError } from './modbus-link.js';

const EXCEPTION_NAMES: Record<number, string> = {
  1: 'illegal function',
  2: 'illegal data address',
  3: 'illegal data value',
  4: 'server device failure',
  5: 'acknowledge',
  6: 'server device busy',
  10: 'gateway path unavailable',
  11: 'gateway target device failed to respond',
};

export function modbusExceptionError(what: string, modbusCode: number, cause?: unknown): ModbusExceptionError {
  const err = errors.CB_MODBUS_EXCEPTION(
    `${what}: exception ${modbusCode} (${EXCEPTION_NAMES[modbusCode] ?? 'unknown'})`,
    cause === undefined ? {} : { cause },
  );
  return Object.assign(err, { modbusCode }) as ModbusExceptionError;
}

/** `what` describes the request, e.g. `unit 3 read holding 0+10 on /dev/ttyUSB0`. */
export function mapModbusError(err: unknown, what: string): CitybayError {
  const e = err as { name?: string; errno?: string; message?: string; modbusCode?: number };
  if (typeof e?.modbusCode === 'number') return modbusExceptionError(what, e.modbusCode, err);
  if (e?.name === 'TransactionTimedOutError' || e?.errno === 'ETIMEDOUT') {
    return errors.CB_MODBUS_TIMEOUT(`${what}: no reply in time`, { cause: err });
  }
  if (e?.message === 'CRC error') return errors.CB_MODBUS_CRC(`${what}: reply failed its CRC check`, { cause: err });
  if (e?.message === 'Port Not Open' || e?.errno === 'ECONNREFUSED') {
    return errors.CB_BUS_CLOSED(`${what}: the bus is not open`, { cause: err });
  }
  return errors.CB_MODBUS_BAD_REPLY(`${what}: ${e?.message ?? String(err)}`, { cause: err });
}
