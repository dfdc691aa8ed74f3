/**
 * The four data tables of one emulated unit, with the address ranges the device profile defines:
 * a request that touches an undefined address gets exception 2, as from a real device.
 */
import type { RegisterKind } from '../modbus/modbus-link.js';
import type { DeviceProfile } from '../profiles/device-profile.js';

export class RegisterBank {
  readonly bits: Record<'coil' | 'discrete', Uint8Array> = {
    coil: new Uint8Array(0x10000),
    discrete: new Uint8Array(0x10000),
  };
  readonly words: Record<'holding' | 'input', Uint16Array> = {
    holding: new Uint16Array(0x10000),
    input: new Uint16Array(0x10000),
  };
  private readonly defined: Record<RegisterKind, Uint8Array> = {
    coil: new Uint8Array(0x10000),
    discrete: new Uint8Array(0x10000),
    holding: new Uint8Array(0x10000),
    input: new Uint8Array(0x10000),
  };

  constructor(profile: DeviceProfile) {
    for (const point of profile.points) this.define(point.register, point.address, point.count);
    const sign = profile.sign;
    if (sign !== undefined) {
      for (const line of sign.lines) for (const address of Object.values(line)) this.define('holding', address, 1);
      this.define('holding', sign.brightness, 1);
      if (sign.faults !== undefined) this.define('input', sign.faults, 1);
      this.words.holding[sign.brightness] = 0xffff;
    }
  }

  define(kind: RegisterKind, address: number, count: number): void {
    this.defined[kind].fill(1, address, Math.min(0x10000, address + count));
  }

  isDefined(kind: RegisterKind, address: number, count: number): boolean {
    if (address + count > 0x10000) return false;
    for (let a = address; a < address + count; a++) if (this.defined[kind][a] !== 1) return false;
    return true;
  }

  readBits(kind: 'coil' | 'discrete', address: number, count: number): boolean[] {
    return Array.from(this.bits[kind].subarray(address, address + count), (b) => b === 1);
  }

  readWords(kind: 'holding' | 'input', address: number, count: number): number[] {
    return Array.from(this.words[kind].subarray(address, address + count));
  }

  writeBits(kind: 'coil' | 'discrete', address: number, values: readonly boolean[]): void {
    values.forEach((value, i) => {
      this.bits[kind][address + i] = value ? 1 : 0;
    });
  }

  writeWords(kind: 'holding' | 'input', address: number, values: readonly number[]): void {
    values.forEach((value, i) => {
      this.words[kind][address + i] = value & 0xffff;
    });
  }
}
