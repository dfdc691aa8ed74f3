import { renameSync, writeFileSync } from 'node:fs';
import { type ClockFileContent, simulatedMs } from '@citybay/common';

const DAY_MS = 86_400_000;

/** The twin's simulated clock: the scenario's day put on the calendar, run at `speed`× from `fromS` to `toS`. */
export interface TwinClock {
  /** How far the scenario's day was moved onto the calendar (whole days, ms). */
  readonly shiftMs: number;
  /** Starts the clock at `fromS` now (and writes the clock file). */
  start(): void;
  /** Simulated time (s after the day's midnight). */
  simS(): number;
  /** Simulated time on the calendar (ms since the epoch): what central and the edges read from the clock file. */
  calendarMs(): number;
}

/**
 * The twin's clock, written to `path` for central and the edges (see `followClockFile`). The scenario's day goes on
 * the calendar by whole days, on the first day whose live window starts more than an hour from now, so every
 * reservation central books for it lies ahead of the wall clock (nothing is dropped as expired by wall-clock time)
 * while the appointments keep their clock times. Until `start()` the clock holds at `fromS`.
 */
export function twinClockFile(dayStartMs: number, fromS: number, toS: number, speed: number, path?: string): TwinClock {
  const wantedFromMs = Date.now() + 3_600_000;
  const shiftMs = Math.max(0, Math.ceil((wantedFromMs - (dayStartMs + fromS * 1000)) / DAY_MS)) * DAY_MS;
  const dayMs = dayStartMs + shiftMs;
  let content: ClockFileContent = {
    anchorRealMs: Date.now(),
    anchorSimMs: dayMs + fromS * 1000,
    speed: 0,
    untilSimMs: dayMs + toS * 1000,
  };
  const write = () => {
    if (path === undefined) return;
    // Whole or not at all: the readers poll the file.
    writeFileSync(`${path}.tmp`, JSON.stringify(content));
    renameSync(`${path}.tmp`, path);
  };
  write();
  return {
    shiftMs,
    start() {
      content = { ...content, anchorRealMs: Date.now(), speed };
      write();
    },
    calendarMs: () => simulatedMs(content, Date.now()),
    simS: () => (simulatedMs(content, Date.now()) - dayMs) / 1000,
  };
}
