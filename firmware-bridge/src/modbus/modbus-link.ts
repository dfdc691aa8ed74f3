/**
 * The link to one Modbus bus: an RTU serial line (many unit ids share one RS-485 port) or a TCP
 * connection. Types only: implementations are `modbus-link-serial.ts` and `modbus-link-tcp.ts`.
 *
 * Addresses are 0-based wire addresses (the value in the PDU). The "40001"-style reference of a
 * holding register maps to wire address `reference - 40001`; see `modbus-address.ts` and the README.
 *
 * Every failed request rejects with a `CitybayError` whose `code` is one of {@link ModbusErrorCode}:
 * a timeout (`CB_MODBUS_TIMEOUT`), an exception reply (`CB_MODBUS_EXCEPTION`, see
 * {@link ModbusExceptionError.modbusCode}), a reply with a bad CRC (`CB_MODBUS_CRC`), or a bus
 * that is closed or reopening (`CB_BUS_CLOSED`); a malformed reply is `CB_MODBUS_BAD_REPLY`. The bus
 * scheduler adds `CB_MODBUS_QUARANTINED` for requests it did not send to a quarantined unit.
 */
import type { CitybayError } from '@citybay/common';

/** The four Modbus data tables. */
export type RegisterKind = 'coil' | 'discrete' | 'holding' | 'input';

/** Bit tables (`coil`, `discrete`) are read as booleans; register tables as unsigned 16-bit words. */
export type BitKind = 'coil' | 'discrete';
export type WordKind = 'holding' | 'input';

export type ModbusErrorCode =
  | 'CB_MODBUS_TIMEOUT'
  | 'CB_MODBUS_EXCEPTION'
  | 'CB_MODBUS_CRC'
  | 'CB_BUS_CLOSED'
  | 'CB_MODBUS_BAD_REPLY'
  | 'CB_MODBUS_QUARANTINED';

/** A `CB_MODBUS_EXCEPTION` error carries the exception code the unit answered with. */
export interface ModbusExceptionError extends CitybayError {
  readonly code: 'CB_MODBUS_EXCEPTION';
  /** The Modbus exception code (1 illegal function, 2 illegal data address, …; see `MODBUS_EXCEPTION`). */
  readonly modbusCode: number;
}

/** Options of one request. */
export interface ModbusRequestOptions {
  /** Give up on the reply after this long, in ms. Default: the link's `timeoutMs`. */
  timeoutMs?: number;
}

/** `open` while usable; `reopening` after the port or connection went away (requests fail `CB_BUS_CLOSED`). */
export type ModbusLinkState = 'closed' | 'opening' | 'open' | 'reopening';

/** Serial line timing, known only for RTU links: the scheduler derives the inter-frame silence from it. */
export interface SerialLineTiming {
  /** Line speed in bit/s. */
  baudRate: number;
  /** Bits on the wire per character (start + 8 data + parity or second stop + stop). Default 11. */
  bitsPerChar: number;
}

export interface ModbusLink {
  /** `rtu` for a serial line (one request in flight, inter-frame silence), `tcp` otherwise. */
  readonly transport: 'rtu' | 'tcp';
  /** Human-readable endpoint for logs: `/dev/ttyUSB0@19200` or `10.0.0.5:502`. */
  readonly endpoint: string;
  /** Present for RTU links. */
  readonly lineTiming: SerialLineTiming | undefined;
  readonly state: ModbusLinkState;

  /** Opens the port or connection; later losses are reopened automatically with back-off until `close()`. */
  open(): Promise<void>;
  /** Closes for good: pending and later requests fail with `CB_BUS_CLOSED`. */
  close(): Promise<void>;

  readCoils(unitId: number, address: number, count: number, options?: ModbusRequestOptions): Promise<boolean[]>;
  readDiscreteInputs(
    unitId: number,
    address: number,
    count: number,
    options?: ModbusRequestOptions,
  ): Promise<boolean[]>;
  readHoldingRegisters(
    unitId: number,
    address: number,
    count: number,
    options?: ModbusRequestOptions,
  ): Promise<number[]>;
  readInputRegisters(unitId: number, address: number, count: number, options?: ModbusRequestOptions): Promise<number[]>;
  writeCoil(unitId: number, address: number, value: boolean, options?: ModbusRequestOptions): Promise<void>;
  writeCoils(
    unitId: number,
    address: number,
    values: readonly boolean[],
    options?: ModbusRequestOptions,
  ): Promise<void>;
  writeRegister(unitId: number, address: number, value: number, options?: ModbusRequestOptions): Promise<void>;
  writeRegisters(
    unitId: number,
    address: number,
    values: readonly number[],
    options?: ModbusRequestOptions,
  ): Promise<void>;

  /** Called on every state change (for logs and health); returns an unsubscribe function. */
  onStateChange(listener: (state: ModbusLinkState, cause?: Error) => void): () => void;
}
