/**
 * `DigitalIO` over `onoff` (sysfs GPIO). Line numbers in config are chip offsets (BCM numbers on a
 * Raspberry Pi); the sysfs number is the chip base read from `/sys/class/gpio` plus the offset.
 * `createDigitalIO` falls back to the fake where `Gpio.accessible` is false (containers, CI).
 * `onoff` (and its `epoll` binding) is loaded by the first call, not by importing this package.
 */
import { type FileHandle, open } from 'node:fs/promises';
import { type Clock, type Logger, silentLogger, systemClock } from '@citybay/common';
import type { Gpio } from 'onoff';
import { errors } from '../errors.js';
import { loadGpio } from '../io/native-modules.js';
import { createDebouncedInput } from './debounced-input.js';
import type { DigitalInput, DigitalIO, DigitalOutput } from './digital-io.js';
import { createFakeDigitalIO } from './digital-io-fake.js';
import { findGpioChip } from './gpio-chip.js';

export interface OnoffDigitalIOOptions {
  /** Label of the GPIO chip to use. Default: the Raspberry Pi header controller, else the lowest base. */
  chipLabel?: string;
  /** Default `/sys/class/gpio`. */
  sysfsRoot?: string;
  /** Hardware watchdog device. Default `/dev/watchdog`. */
  watchdogPath?: string;
  clock?: Clock;
  logger?: Logger;
}

/** `onoff` when GPIO is accessible, else the fake (with a warning in the log). */
export async function createDigitalIO(options: OnoffDigitalIOOptions = {}): Promise<DigitalIO> {
  if (!(await loadOnoffGpio()).accessible) {
    (options.logger ?? silentLogger).warn({}, 'GPIO not accessible, using the fake DigitalIO');
    return createFakeDigitalIO(options.clock === undefined ? {} : { clock: options.clock });
  }
  return createOnoffDigitalIO(options);
}

export async function createOnoffDigitalIO(options: OnoffDigitalIOOptions = {}): Promise<DigitalIO> {
  const clock = options.clock ?? systemClock;
  const GpioLine = await loadOnoffGpio();
  const chip = await findGpioChip({
    ...(options.sysfsRoot === undefined ? {} : { sysfsRoot: options.sysfsRoot }),
    ...(options.chipLabel === undefined ? {} : { label: options.chipLabel }),
  });
  if (chip === undefined) throw errors.CB_GPIO_UNAVAILABLE('no GPIO chip found under /sys/class/gpio');
  const opened = new Set<Gpio>();
  const openInputs = new Set<DigitalInput>();
  let watchdog: FileHandle | undefined;
  const toGlobal = (line: number) => {
    if (line < 0 || line >= chip.ngpio) {
      throw errors.CB_GPIO_UNAVAILABLE(`line ${line}: ${chip.label} has lines 0..${chip.ngpio - 1}`, { path: 'line' });
    }
    return chip.base + line;
  };
  return {
    backend: 'onoff',
    async openInput({ line, debounceMs = 20, isActiveLow = false }): Promise<DigitalInput> {
      const gpio = new GpioLine(toGlobal(line), 'in', 'both', { activeLow: isActiveLow });
      opened.add(gpio);
      const { input, onRawLevel } = createDebouncedInput({
        line,
        initialLevel: gpio.readSync() as 0 | 1,
        debounceMs,
        clock,
        readLevel: () => gpio.readSync() as 0 | 1,
        release: () => {
          gpio.unwatchAll();
          gpio.unexport();
          opened.delete(gpio);
          openInputs.delete(input);
        },
      });
      openInputs.add(input);
      gpio.watch((err, value) => {
        if (!err) onRawLevel(value as 0 | 1);
      });
      return input;
    },
    async openOutput({ line, initial = 0, isActiveLow = false }): Promise<DigitalOutput> {
      const gpio = new GpioLine(toGlobal(line), initial === 1 ? 'high' : 'low', 'none', { activeLow: isActiveLow });
      opened.add(gpio);
      return {
        line,
        write: (value) => gpio.write(value),
        read: async () => (await gpio.read()) as 0 | 1,
        close: async () => {
          gpio.unexport();
          opened.delete(gpio);
        },
      };
    },
    async kickWatchdog() {
      try {
        watchdog ??= await open(options.watchdogPath ?? '/dev/watchdog', 'w');
        await watchdog.write('k');
      } catch (cause) {
        throw errors.CB_GPIO_UNAVAILABLE(
          `watchdog ${options.watchdogPath ?? '/dev/watchdog'}: ${(cause as Error).message}`,
          {
            cause,
          },
        );
      }
    },
    async close() {
      // Inputs first: their pending debounce timers would otherwise read an unexported line.
      for (const input of [...openInputs]) await input.close();
      for (const gpio of opened) gpio.unexport();
      opened.clear();
      if (watchdog !== undefined) {
        // The magic close 'V' stops the watchdog on a clean shutdown instead of resetting the board.
        await watchdog.write('V');
        await watchdog.close();
        watchdog = undefined;
      }
    },
  };
}

async function loadOnoffGpio(): Promise<typeof Gpio> {
  try {
    return await loadGpio();
  } catch (cause) {
    throw errors.CB_GPIO_UNAVAILABLE((cause as Error).message, { cause });
  }
}
