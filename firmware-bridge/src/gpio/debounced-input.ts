/**
 * What every `DigitalIO` backend's input shares: the debounce timer, the edge listeners and the counts.
 * A backend feeds raw levels in and says how to read the line and how to release it.
 */
import type { Clock } from '@citybay/common';
import { Debouncer } from '../core/debouncer.js';
import type { DigitalInput, InputEvent } from './digital-io.js';

export interface DebouncedInputOptions {
  line: number;
  /** Logical level of the line when it is opened. */
  initialLevel: 0 | 1;
  debounceMs: number;
  clock: Clock;
  /** The line's current logical level, read when a pending change is due. */
  readLevel: () => 0 | 1;
  /** Releases what the backend holds for the line; called once by `close`. */
  release: () => void;
}

export interface DebouncedInput {
  input: DigitalInput;
  /** Feed every raw logical level the backend sees. */
  onRawLevel(level: 0 | 1): void;
}

export function createDebouncedInput(options: DebouncedInputOptions): DebouncedInput {
  const { clock } = options;
  const debouncer = new Debouncer(options.line, options.initialLevel, options.debounceMs);
  const listeners = new Set<(event: InputEvent) => void>();
  let timer: NodeJS.Timeout | undefined;
  const arm = (dueMs: number) => {
    clearTimeout(timer);
    timer = setTimeout(
      () => {
        timer = undefined;
        const event = debouncer.settle(options.readLevel(), clock.nowMs());
        if (event !== undefined) for (const listener of listeners) listener(event);
        // Timers and the clock may round differently: a change checked too early stays pending.
        const again = debouncer.pendingDueMs;
        if (event === undefined && again !== undefined) arm(again);
      },
      Math.max(1, dueMs - clock.nowMs()),
    );
  };
  return {
    onRawLevel(level) {
      const dueMs = debouncer.raw(level, clock.nowMs());
      if (dueMs === undefined) clearTimeout(timer);
      else arm(dueMs);
    },
    input: {
      line: options.line,
      read: async () => debouncer.level,
      onEdge(listener) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
      edgeCounts: () => ({ ...debouncer.counts }),
      close: async () => {
        clearTimeout(timer);
        listeners.clear();
        options.release();
      },
    },
  };
}
