/**
 * A {@link ModbusLink} over a {@link ModbusClient}, shared by the RTU and TCP links: open, reopen
 * with back-off when the port or connection goes away, per-request timeouts, error mapping. It
 * never throws outside a request's promise, so a bus fault cannot crash the process.
 */
import { errors } from '../errors.js';
import { type Logger, silentLogger } from '@citybay/common';
import type { ModbusClient } from './modbus-client.js';
import { mapModbusError } from './modbus-errors.js';
import type { ModbusLink, ModbusLinkState, ModbusRequestOptions, SerialLineTiming } from './modbus-link.js';

export interface ReopenOptions {
  /** First wait before reopening, in ms; doubles up to `maxReopenDelayMs`. Default 250. */
  reopenDelayMs?: number;
  /** Default 10000. */
  maxReopenDelayMs?: number;
}

export interface ClientLinkSpec<Client extends ModbusClient> extends ReopenOptions {
  transport: 'rtu' | 'tcp';
  endpoint: string;
  lineTiming: SerialLineTiming | undefined;
  /** Called on every (re)open; may load the transport's package on first use. */
  createClient: () => Promise<Client>;
  connect: (client: Client) => Promise<void>;
  /** Default timeout of a request, in ms. */
  timeoutMs: number;
  /**
   * False when the device is gone (a USB serial adapter unplugged: its device node disappears).
   * Checked after every timeout and every `presenceCheckMs` while open, because a vanished
   * device does not always make the port emit `close`.
   */
  isPresent?: () => boolean;
  /** Default 1000. */
  presenceCheckMs?: number;
  logger?: Logger;
}

export class ModbusClientLink<Client extends ModbusClient> implements ModbusLink {
  readonly transport: 'rtu' | 'tcp';
  readonly endpoint: string;
  readonly lineTiming: SerialLineTiming | undefined;
  private currentState: ModbusLinkState = 'closed';
  private client: Client | undefined;
  private readonly listeners = new Set<(state: ModbusLinkState, cause?: Error) => void>();
  private readonly pending = new Set<(err: Error) => void>();
  private reopenTimer: NodeJS.Timeout | undefined;
  private presenceTimer: NodeJS.Timeout | undefined;
  private reopenDelayMs: number;
  private readonly logger: Logger;

  constructor(private readonly spec: ClientLinkSpec<Client>) {
    this.transport = spec.transport;
    this.endpoint = spec.endpoint;
    this.lineTiming = spec.lineTiming;
    this.reopenDelayMs = spec.reopenDelayMs ?? 250;
    this.logger = spec.logger ?? silentLogger;
  }

  get state(): ModbusLinkState {
    return this.currentState;
  }

  async open(): Promise<void> {
    // Already open, or already reopening in the background with its own back-off.
    if (this.currentState !== 'closed') return;
    this.setState('opening');
    await this.connectOnce();
  }

  async close(): Promise<void> {
    clearTimeout(this.reopenTimer);
    clearInterval(this.presenceTimer);
    this.setState('closed');
    this.failPending(errors.CB_BUS_CLOSED(`${this.endpoint}: the bus was closed`));
    await this.dropClient();
  }

  onStateChange(listener: (state: ModbusLinkState, cause?: Error) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  readCoils(unitId: number, address: number, count: number, options?: ModbusRequestOptions): Promise<boolean[]> {
    return this.request(unitId, `read coils ${address}+${count}`, options, async (c) =>
      checkedBits(await c.readCoils(address, count), count),
    );
  }

  readDiscreteInputs(
    unitId: number,
    address: number,
    count: number,
    options?: ModbusRequestOptions,
  ): Promise<boolean[]> {
    return this.request(unitId, `read discrete inputs ${address}+${count}`, options, async (c) =>
      checkedBits(await c.readDiscreteInputs(address, count), count),
    );
  }

  readHoldingRegisters(
    unitId: number,
    address: number,
    count: number,
    options?: ModbusRequestOptions,
  ): Promise<number[]> {
    return this.request(unitId, `read holding ${address}+${count}`, options, async (c) =>
      checkedRegisters(await c.readHoldingRegisters(address, count), count),
    );
  }

  readInputRegisters(
    unitId: number,
    address: number,
    count: number,
    options?: ModbusRequestOptions,
  ): Promise<number[]> {
    return this.request(unitId, `read input ${address}+${count}`, options, async (c) =>
      checkedRegisters(await c.readInputRegisters(address, count), count),
    );
  }

  writeCoil(unitId: number, address: number, value: boolean, options?: ModbusRequestOptions): Promise<void> {
    return this.request(unitId, `write coil ${address}`, options, async (c) => {
      await c.writeCoil(address, value);
    });
  }

  writeCoils(
    unitId: number,
    address: number,
    values: readonly boolean[],
    options?: ModbusRequestOptions,
  ): Promise<void> {
    return this.request(unitId, `write coils ${address}+${values.length}`, options, async (c) => {
      await c.writeCoils(address, [...values]);
    });
  }

  writeRegister(unitId: number, address: number, value: number, options?: ModbusRequestOptions): Promise<void> {
    return this.request(unitId, `write register ${address}`, options, async (c) => {
      await c.writeRegister(address, value);
    });
  }

  writeRegisters(
    unitId: number,
    address: number,
    values: readonly number[],
    options?: ModbusRequestOptions,
  ): Promise<void> {
    return this.request(unitId, `write registers ${address}+${values.length}`, options, async (c) => {
      await c.writeRegisters(address, [...values]);
    });
  }

  private request<T>(
    unitId: number,
    what: string,
    options: ModbusRequestOptions | undefined,
    run: (client: Client) => Promise<T>,
  ): Promise<T> {
    const label = `${this.endpoint} unit ${unitId} ${what}`;
    const client = this.client;
    if (this.currentState !== 'open' || client === undefined) {
      return Promise.reject(errors.CB_BUS_CLOSED(`${label}: the bus is ${this.currentState}`));
    }
    return new Promise<T>((resolve, reject) => {
      const abort = (err: Error) => reject(err);
      this.pending.add(abort);
      discardStaleInput(client);
      client.setID(unitId);
      client.setTimeout(options?.timeoutMs ?? this.spec.timeoutMs);
      run(client).then(
        (value) => {
          this.pending.delete(abort);
          resolve(value);
        },
        (err: unknown) => {
          this.pending.delete(abort);
          const mapped = mapModbusError(err, label);
          if (mapped.code === 'CB_MODBUS_TIMEOUT' && this.spec.isPresent?.() === false) {
            this.lost(client, new Error('device is gone'));
            reject(errors.CB_BUS_CLOSED(`${label}: the device is gone`, { cause: err }));
            return;
          }
          reject(mapped);
        },
      );
    });
  }

  private async connectOnce(): Promise<void> {
    let client: Client | undefined;
    try {
      client = await this.spec.createClient();
      await this.spec.connect(client);
    } catch (err) {
      if (client !== undefined) await closeQuietly(client);
      if (this.currentState === 'closed') return;
      this.scheduleReopen(err as Error);
      throw errors.CB_BUS_CLOSED(`${this.endpoint}: cannot open: ${(err as Error).message}`, { cause: err });
    }
    if (this.currentState === 'closed') {
      await closeQuietly(client);
      return;
    }
    this.client = client;
    client.on('error', (err: unknown) => this.lost(client, err instanceof Error ? err : new Error(String(err))));
    client.on('close', () => this.lost(client, new Error('port closed')));
    this.reopenDelayMs = this.spec.reopenDelayMs ?? 250;
    const isPresent = this.spec.isPresent;
    if (isPresent !== undefined) {
      clearInterval(this.presenceTimer);
      this.presenceTimer = setInterval(() => {
        if (!isPresent()) this.lost(client, new Error('device is gone'));
      }, this.spec.presenceCheckMs ?? 1000);
      this.presenceTimer.unref();
    }
    this.setState('open');
  }

  private lost(client: Client, cause: Error): void {
    if (client !== this.client || this.currentState === 'closed') return;
    this.logger.warn({ err: cause, endpoint: this.endpoint }, 'bus lost, reopening');
    this.client = undefined;
    clearInterval(this.presenceTimer);
    void closeQuietly(client);
    this.failPending(errors.CB_BUS_CLOSED(`${this.endpoint}: the bus went away: ${cause.message}`, { cause }));
    this.scheduleReopen(cause);
  }

  private scheduleReopen(cause: Error): void {
    if (this.currentState === 'closed') return;
    this.setState('reopening', cause);
    clearTimeout(this.reopenTimer);
    const delayMs = this.reopenDelayMs;
    this.reopenDelayMs = Math.min(delayMs * 2, this.spec.maxReopenDelayMs ?? 10_000);
    this.reopenTimer = setTimeout(() => {
      this.connectOnce().catch((err: unknown) => this.logger.debug({ err }, 'reopen failed'));
    }, delayMs);
  }

  private failPending(err: Error): void {
    for (const abort of this.pending) abort(err);
    this.pending.clear();
  }

  private async dropClient(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client !== undefined) await closeQuietly(client);
  }

  private setState(state: ModbusLinkState, cause?: Error): void {
    if (state === this.currentState) return;
    this.currentState = state;
    for (const listener of this.listeners) listener(state, cause);
  }
}

// `modbus-serial` reads as many data bytes as the reply's byte count field says, past the frame it
// checked the CRC of if need be: a reply whose count does not match the request is malformed, not data.
function checkedBits(reply: { data: boolean[]; buffer?: Uint8Array }, count: number): boolean[] {
  const bytes = Math.ceil(count / 8);
  if (reply.buffer !== undefined && reply.buffer.length !== bytes) {
    throw new Error(`byte count ${reply.buffer.length} does not match the ${bytes} byte(s) of ${count} bits asked for`);
  }
  if (reply.data.length < count) throw new Error(`${reply.data.length} bits in a reply to a read of ${count}`);
  return reply.data.slice(0, count);
}

function checkedRegisters(reply: { data: number[]; buffer?: Uint8Array }, count: number): number[] {
  if ((reply.buffer !== undefined && reply.buffer.length !== 2 * count) || reply.data.length !== count) {
    throw new Error(`${reply.data.length} register(s) in a reply to a read of ${count}`);
  }
  return reply.data;
}

/**
 * Drops bytes left from an incomplete frame (a slave reset or noise mid-reply), as a Modbus master
 * flushes its input before each request. `modbus-serial`'s buffered RTU port keeps them in
 * `_buffer` and would glue them to the front of the next reply, failing a good exchange on CRC.
 */
function discardStaleInput(client: ModbusClient): void {
  const port = (client as unknown as { _port?: { _buffer?: Buffer } })._port;
  if (port !== undefined && Buffer.isBuffer(port._buffer) && port._buffer.length > 0) port._buffer = Buffer.alloc(0);
}

function closeQuietly(client: ModbusClient): Promise<void> {
  return new Promise((resolve) => {
    try {
      const emitter = client as unknown as NodeJS.EventEmitter;
      emitter.removeAllListeners();
      emitter.on('error', () => {});
      if (!client.isOpen) {
        resolve();
        return;
      }
      client.close(() => resolve());
    } catch {
      resolve();
    }
  });
}
