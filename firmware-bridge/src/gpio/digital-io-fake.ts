/**
 * A `DigitalIO` with no hardware: tests and containers (where `Gpio.accessible` is false) drive
 * input levels with `setLevel` and read outputs and watchdog kicks back.
 */
import { type Clock, systemClock } from '@citybay/common';
import { createDebouncedInput } from './debounced-input.js';
import type { DigitalInput, DigitalIO, DigitalOutput } from './digital-io.js';

export interface FakeDigitalIO extends DigitalIO {
  /** Sets the electrical level of an input line (before active-low inversion and debounce). */
  setLevel(line: number, level: 0 | 1): void;
  /** Electrical level of an output line. */
  outputLevel(line: number): 0 | 1 | undefined;
  readonly watchdogKicks: number;
}

export function createFakeDigitalIO(options: { clock?: Clock } = {}): FakeDigitalIO {
  const clock = options.clock ?? systemClock;
  const rawLevels = new Map<number, 0 | 1>();
  const inputs = new Map<number, { input: DigitalInput; feed: (electrical: 0 | 1) => void }>();
  const outputs = new Map<number, 0 | 1>();
  let kicks = 0;

  return {
    backend: 'fake',
    async openInput({ line, debounceMs = 20, isActiveLow = false }): Promise<DigitalInput> {
      if (inputs.has(line) || outputs.has(line)) throw new RangeError(`GPIO line ${line} is already open`);
      const toLogical = (level: 0 | 1): 0 | 1 => (isActiveLow ? ((1 - level) as 0 | 1) : level);
      // An input nobody has driven yet idles inactive (pulled up when active-low).
      if (!rawLevels.has(line)) rawLevels.set(line, isActiveLow ? 1 : 0);
      const { input, onRawLevel } = createDebouncedInput({
        line,
        initialLevel: toLogical(rawLevels.get(line)!),
        debounceMs,
        clock,
        readLevel: () => toLogical(rawLevels.get(line) ?? 0),
        release: () => inputs.delete(line),
      });
      inputs.set(line, { input, feed: (electrical) => onRawLevel(toLogical(electrical)) });
      return input;
    },
    async openOutput({ line, initial = 0, isActiveLow = false }): Promise<DigitalOutput> {
      if (inputs.has(line) || outputs.has(line)) throw new RangeError(`GPIO line ${line} is already open`);
      const toElectrical = (value: 0 | 1): 0 | 1 => (isActiveLow ? ((1 - value) as 0 | 1) : value);
      outputs.set(line, toElectrical(initial));
      return {
        line,
        write: async (value) => {
          outputs.set(line, toElectrical(value));
        },
        read: async () => toElectrical(outputs.get(line) ?? 0),
        close: async () => {
          outputs.delete(line);
        },
      };
    },
    async kickWatchdog() {
      kicks += 1;
    },
    async close() {
      for (const { input } of [...inputs.values()]) await input.close();
      outputs.clear();
    },
    setLevel(line, level) {
      rawLevels.set(line, level);
      inputs.get(line)?.feed(level);
    },
    outputLevel: (line) => outputs.get(line),
    get watchdogKicks() {
      return kicks;
    },
  };
}
