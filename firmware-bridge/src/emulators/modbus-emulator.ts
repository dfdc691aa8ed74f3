/**
 * A Modbus slave emulating one or more units of a device profile, with scriptable bay states and
 * fault injection. Transports (`emulator-tcp.ts`, `emulator-rtu.ts`) feed it request PDUs; this
 * class decides the reply. Mirrors serialport's binding-mock: `setBay`, `injectFault`, `recorded`,
 * `close`.
 */

import {
  decodeRequest,
  encodeBitsReply,
  encodeExceptionReply,
  encodeRegistersReply,
  encodeWriteReply,
  isDecodeError,
  type PduRequest,
} from '../core/modbus-pdu.js';
import { decodeModbusSign } from '../core/modbus-sign-codec.js';
import { encodeNumber } from '../core/point-decoder.js';
import type { BayMeaning, DeviceProfile } from '../profiles/device-profile.js';
import type { SignMessage } from '../signs/guidance-sign.js';
import { RegisterBank } from './register-bank.js';

/**
 * - `no-reply`: the unit stays silent (the master times out);
 * - `offline`: same, and meant to last until `clearFaults` (the unit is unplugged);
 * - `crc`: the reply's CRC is corrupted (RTU; on TCP the reply is dropped);
 * - `truncated`: only the first half of the reply is sent (a slave reset or noise mid-frame; RTU;
 *   on TCP the reply is dropped);
 * - `exception`: the unit answers with this exception code;
 * - `slow`: the reply is delayed by `delayMs` more.
 */
export type EmulatorFault =
  | { kind: 'no-reply' | 'offline' | 'crc' | 'truncated'; count?: number }
  | { kind: 'exception'; code: number; count?: number }
  | { kind: 'slow'; delayMs: number; count?: number };

export interface RecordedRequest {
  atMs: number;
  unitId: number;
  fc: number;
  address: number;
  /** Items read, or values written. */
  count: number;
  values?: readonly number[] | readonly boolean[];
  outcome: 'reply' | 'exception' | 'no-reply' | 'corrupted' | 'broadcast';
  exceptionCode?: number;
}

/** The emulator's answer to one request. `reply` is undefined when nothing is sent. */
export interface EmulatorDecision {
  reply: Uint8Array | undefined;
  corruptCrc: boolean;
  /** Send only the first half of the framed reply. */
  isTruncated: boolean;
  extraDelayMs: number;
}

export interface ModbusEmulatorOptions {
  profile: DeviceProfile;
  /** Unit ids this emulator answers for. */
  unitIds: readonly number[];
  /** Most recent requests kept in `recorded`. Default 10000. */
  recordLimit?: number;
}

export type BayStateInput = BayMeaning | boolean;

export class ModbusEmulator {
  readonly profile: DeviceProfile;
  readonly recorded: RecordedRequest[] = [];
  /** For sign profiles: every message the sign was told to show (after each write), oldest first. */
  readonly shown: { unitId: number; atMs: number; message: SignMessage | null }[] = [];
  private readonly banks = new Map<number, RegisterBank>();
  private readonly faults = new Map<number, (EmulatorFault & { remaining: number })[]>();
  private readonly recordLimit: number;
  private readonly closeHooks: (() => Promise<void>)[] = [];

  constructor(options: ModbusEmulatorOptions) {
    this.profile = options.profile;
    this.recordLimit = options.recordLimit ?? 10_000;
    for (const unitId of options.unitIds) this.banks.set(unitId, new RegisterBank(options.profile));
  }

  get unitIds(): number[] {
    return [...this.banks.keys()];
  }

  bank(unitId: number): RegisterBank {
    const bank = this.banks.get(unitId);
    if (bank === undefined) throw new RangeError(`unit ${unitId} is not emulated (units: ${this.unitIds.join(', ')})`);
    return bank;
  }

  /** Sets a bay to a state (`true`/`false` mean occupied/free) in whichever point holds it. */
  setBay(unitId: number, bay: number, state: BayStateInput): void {
    const meaning: BayMeaning = state === true ? 'occupied' : state === false ? 'free' : state;
    const bank = this.bank(unitId);
    for (const point of this.profile.points) {
      const d = point.decode;
      if (d.type !== 'bit-per-bay' && d.type !== 'register-per-bay' && d.type !== 'packed') continue;
      const index = bay - (d.firstBay ?? 0);
      const bays = d.type === 'packed' ? d.bays : point.count;
      if (index < 0 || index >= bays) continue;
      if (d.type === 'bit-per-bay') {
        if (meaning !== 'free' && meaning !== 'occupied')
          throw new RangeError(`${this.profile.name} has no "${meaning}" state`);
        const bit = (meaning === 'occupied') === ((d.occupiedWhen ?? 1) === 1);
        bank.writeBits(point.register as 'coil' | 'discrete', point.address + index, [bit]);
        return;
      }
      const code = Object.entries(d.values).find(([, m]) => m === meaning)?.[0];
      if (code === undefined) throw new RangeError(`${this.profile.name} has no value for "${meaning}"`);
      const kind = point.register as 'holding' | 'input';
      if (d.type === 'register-per-bay') {
        bank.writeWords(kind, point.address + index, [Number(code) << (d.shift ?? 0)]);
      } else {
        const perWord = 16 / d.bitsPerBay;
        const address = point.address + Math.floor(index / perWord);
        const shift = (index % perWord) * d.bitsPerBay;
        const mask = ((1 << d.bitsPerBay) - 1) << shift;
        const [word = 0] = bank.readWords(kind, address, 1);
        bank.writeWords(kind, address, [(word & ~mask) | ((Number(code) << shift) & mask)]);
      }
      return;
    }
    throw new RangeError(`bay ${bay} is not in profile ${this.profile.name}`);
  }

  /** Sets a counter or value point (decoded units; encoded with the point's format). */
  setValue(unitId: number, pointName: string, value: number): void {
    const point = this.profile.points.find((p) => p.name === pointName);
    if (point === undefined || (point.decode.type !== 'counter' && point.decode.type !== 'value')) {
      throw new RangeError(`${this.profile.name} has no counter or value point "${pointName}"`);
    }
    this.bank(unitId).writeWords(
      point.register as 'holding' | 'input',
      point.address,
      encodeNumber(point.decode, value),
    );
  }

  /** Sets or clears a status flag, named `<point>.<flag>` or just `<flag>`. */
  setStatusFlag(unitId: number, name: string, isSet: boolean): void {
    for (const point of this.profile.points) {
      if (point.decode.type !== 'status') continue;
      const flag = point.decode.flags.find((f) => f.name === name || `${point.name}.${f.name}` === name);
      if (flag === undefined) continue;
      const kind = point.register as 'holding' | 'input';
      const bank = this.bank(unitId);
      const [word = 0] = bank.readWords(kind, point.address, 1);
      const bitValue = isSet === ((flag.activeWhen ?? 1) === 1);
      bank.writeWords(kind, point.address, [bitValue ? word | (1 << flag.bit) : word & ~(1 << flag.bit)]);
      return;
    }
    throw new RangeError(`${this.profile.name} has no status flag "${name}"`);
  }

  injectFault(unitId: number, fault: EmulatorFault): void {
    this.bank(unitId);
    const list = this.faults.get(unitId) ?? [];
    list.push({ ...fault, remaining: fault.count ?? Number.POSITIVE_INFINITY });
    this.faults.set(unitId, list);
  }

  clearFaults(unitId?: number): void {
    if (unitId === undefined) this.faults.clear();
    else this.faults.delete(unitId);
  }

  /** For sign profiles: what the sign at `unitId` shows now (labels are not in the registers). */
  signMessage(unitId: number, labels: readonly string[] = []): SignMessage | null {
    const sign = this.profile.sign;
    if (sign === undefined) throw new RangeError(`${this.profile.name} is not a sign profile`);
    const bank = this.bank(unitId);
    return decodeModbusSign(sign, (address) => bank.words.holding[address] ?? 0, labels);
  }

  /** Decides the reply to one request PDU addressed to `unitId`. Transports call this. */
  handle(unitId: number, pdu: Uint8Array, nowMs: number): EmulatorDecision {
    const silent: EmulatorDecision = { reply: undefined, corruptCrc: false, isTruncated: false, extraDelayMs: 0 };
    const request = decodeRequest(pdu);
    const base = isDecodeError(request)
      ? { atMs: nowMs, unitId, fc: request.fc, address: 0, count: 0 }
      : describe(request, unitId, nowMs);
    if (unitId === 0) {
      // Broadcast: writes apply to every unit, nobody answers.
      if (!isDecodeError(request) && request.fc >= 5)
        for (const id of this.banks.keys()) this.execute(id, request, nowMs);
      this.record({ ...base, outcome: 'broadcast' });
      return silent;
    }
    if (!this.banks.has(unitId)) {
      this.record({ ...base, outcome: 'no-reply' });
      return silent;
    }
    const fault = this.takeFault(unitId);
    if (fault?.kind === 'no-reply' || fault?.kind === 'offline') {
      this.record({ ...base, outcome: 'no-reply' });
      return silent;
    }
    if (fault?.kind === 'exception') {
      this.record({ ...base, outcome: 'exception', exceptionCode: fault.code });
      return { ...silent, reply: encodeExceptionReply(base.fc, fault.code) };
    }
    let reply: Uint8Array;
    let exceptionCode: number | undefined;
    if (isDecodeError(request)) exceptionCode = request.exceptionCode;
    else {
      const result = this.execute(unitId, request, nowMs);
      if (typeof result === 'number') exceptionCode = result;
      else reply = result;
    }
    if (exceptionCode !== undefined) reply = encodeExceptionReply(base.fc, exceptionCode);
    const corruptCrc = fault?.kind === 'crc';
    const isTruncated = fault?.kind === 'truncated';
    this.record({
      ...base,
      outcome: corruptCrc || isTruncated ? 'corrupted' : exceptionCode === undefined ? 'reply' : 'exception',
      ...(exceptionCode === undefined ? {} : { exceptionCode }),
    });
    return { reply: reply!, corruptCrc, isTruncated, extraDelayMs: fault?.kind === 'slow' ? fault.delayMs : 0 };
  }

  /** Registers a cleanup run by `close()` (transports add theirs). */
  onClose(hook: () => Promise<void>): void {
    this.closeHooks.push(hook);
  }

  async close(): Promise<void> {
    const hooks = this.closeHooks.splice(0);
    await Promise.all(hooks.map((hook) => hook()));
  }

  private execute(unitId: number, request: PduRequest, nowMs: number): Uint8Array | number {
    const bank = this.bank(unitId);
    const kind = (['coil', 'discrete', 'holding', 'input'] as const)[
      request.fc <= 4 ? request.fc - 1 : request.fc === 5 || request.fc === 15 ? 0 : 2
    ]!;
    const count = 'count' in request ? request.count : 'values' in request ? request.values.length : 1;
    if (!bank.isDefined(kind, request.address, count)) return 2;
    switch (request.fc) {
      case 1:
      case 2:
        return encodeBitsReply(request.fc, bank.readBits(kind as 'coil' | 'discrete', request.address, count));
      case 3:
      case 4:
        return encodeRegistersReply(request.fc, bank.readWords(kind as 'holding' | 'input', request.address, count));
      case 5:
        bank.writeBits('coil', request.address, [request.value]);
        break;
      case 15:
        bank.writeBits('coil', request.address, request.values);
        break;
      case 6:
        bank.writeWords('holding', request.address, [request.value]);
        break;
      case 16:
        bank.writeWords('holding', request.address, request.values);
        break;
    }
    if (this.profile.sign !== undefined) this.shown.push({ unitId, atMs: nowMs, message: this.signMessage(unitId) });
    return encodeWriteReply(request);
  }

  private takeFault(unitId: number): EmulatorFault | undefined {
    const list = this.faults.get(unitId);
    const fault = list?.[0];
    if (list === undefined || fault === undefined) return undefined;
    fault.remaining -= 1;
    if (fault.remaining <= 0) list.shift();
    return fault;
  }

  private record(entry: RecordedRequest): void {
    this.recorded.push(entry);
    if (this.recorded.length > this.recordLimit) this.recorded.splice(0, this.recorded.length - this.recordLimit);
  }
}

function describe(request: PduRequest, unitId: number, atMs: number): Omit<RecordedRequest, 'outcome'> {
  if ('count' in request) return { atMs, unitId, fc: request.fc, address: request.address, count: request.count };
  if ('values' in request) {
    return {
      atMs,
      unitId,
      fc: request.fc,
      address: request.address,
      count: request.values.length,
      values: request.values,
    };
  }
  return {
    atMs,
    unitId,
    fc: request.fc,
    address: request.address,
    count: 1,
    values: [request.value] as number[] | boolean[],
  };
}
