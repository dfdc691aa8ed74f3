/**
 * Guidance-sign driver for a Modbus-register sign (a device profile of kind `sign`): writes count,
 * arrow, colour, mode and brightness registers through the bus scheduler (high priority, so sign
 * updates do not wait behind a poll cycle) and reads them back.
 */
import { type Clock, isCitybayError, systemClock } from '@citybay/common';
import {
  checkModbusSignMessage,
  contiguousRuns,
  decodeModbusSign,
  encodeModbusSign,
} from '../core/modbus-sign-codec.js';
import { errors } from '../errors.js';
import type { BusScheduler } from '../modbus/bus-scheduler-types.js';
import type { DeviceProfile, SignSection } from '../profiles/device-profile.js';
import type {
  GuidanceSign,
  SignArrow,
  SignCapabilities,
  SignColour,
  SignHealth,
  SignMessage,
  SignReadBack,
} from './guidance-sign.js';

export interface ModbusRegisterSignOptions {
  id: string;
  scheduler: BusScheduler;
  unitId: number;
  /** A profile of kind `sign`. */
  profile: DeviceProfile;
  /** Lot labels printed on the sign face, per line; a message with other labels is refused. Default: not checked. */
  lineLabels?: readonly string[];
  /** Time source for `health().lastOkMs`. Default `systemClock`. */
  clock?: Clock;
}

export function createModbusRegisterSign(options: ModbusRegisterSignOptions): GuidanceSign {
  const sign: SignSection | undefined = options.profile.sign;
  if (sign === undefined) {
    throw errors.CB_PROFILE_INVALID(`${options.profile.name}: sign: a Modbus sign needs a profile of kind "sign"`, {
      path: 'sign',
    });
  }
  const clock = options.clock ?? systemClock;
  const { scheduler, unitId, id } = options;
  let lastOkMs: number | null = null;
  let lastError: string | undefined;
  const capabilities: SignCapabilities = {
    lines: sign.lines.length,
    charsPerLine: 0,
    colours: Object.keys(sign.colourCodes) as SignColour[],
    arrows: Object.keys(sign.arrowCodes) as SignArrow[],
  };
  const holdingAddresses = [...sign.lines.flatMap((line) => Object.values(line)), sign.brightness].sort(
    (a, b) => a - b,
  );

  const track = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      const value = await work();
      lastOkMs = clock.nowMs();
      lastError = undefined;
      return value;
    } catch (err) {
      lastError = isCitybayError(err) ? err.code : String(err);
      throw err;
    }
  };

  const write = (message: SignMessage | null) =>
    track(async () => {
      for (const run of contiguousRuns(encodeModbusSign(sign, message))) {
        await scheduler.writeRegisters(unitId, run.address, run.values, { priority: 'high' });
      }
    });

  return {
    id,
    capabilities,
    async show(message) {
      const problem =
        checkModbusSignMessage(sign, message) ??
        message.lines
          .map((line, i) =>
            options.lineLabels !== undefined && line.label !== '' && line.label !== options.lineLabels[i]
              ? `lines[${i}].label: this sign's line ${i} is printed "${options.lineLabels[i] ?? ''}", not "${line.label}"`
              : undefined,
          )
          .find((p) => p !== undefined);
      if (problem !== undefined)
        throw errors.CB_SIGN_REJECTED(`sign ${id}: ${problem}`, { path: problem.split(':')[0]! });
      await write(message);
    },
    blank: () => write(null),
    readBack: () =>
      track(async (): Promise<SignReadBack> => {
        const values = new Map<number, number>();
        const runs = contiguousRuns(holdingAddresses.map((address) => ({ address, value: 0 })));
        for (const run of runs) {
          const words = await scheduler.readWords(unitId, 'holding', run.address, run.values.length, {
            priority: 'high',
          });
          for (const [i, word] of words.entries()) values.set(run.address + i, word);
        }
        const holding = (address: number) => values.get(address) ?? 0;
        return {
          message: decodeModbusSign(sign, holding, options.lineLabels),
          raw: holdingAddresses.map((address) => `${address}=${holding(address)}`).join(' '),
        };
      }),
    async health(): Promise<SignHealth> {
      const faults: string[] = [];
      try {
        if (sign.faults !== undefined) {
          const [word = 0] = await track(() =>
            scheduler.readWords(unitId, 'input', sign.faults!, 1, { priority: 'high' }),
          );
          for (const [bit, name] of Object.entries(sign.faultBits ?? {}))
            if ((word >>> Number(bit)) & 1) faults.push(name);
        } else {
          await track(() => scheduler.readWords(unitId, 'holding', sign.brightness, 1, { priority: 'high' }));
        }
      } catch {
        // The failure is reported through isOnline and the error code below.
      }
      const isOnline = lastError === undefined;
      return { isOnline, lastOkMs, faults: isOnline ? faults : [lastError!] };
    },
    async close() {},
  };
}
