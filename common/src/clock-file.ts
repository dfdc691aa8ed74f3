import { readFileSync, statSync } from 'node:fs';
import type { Clock } from './clock.js';

/**
 * A simulated clock as a file holds it: at real time `anchorRealMs` it read `anchorSimMs`, and it runs `speed` times
 * as fast as the wall clock, stopping at `untilSimMs` when given. The demo's twin writes it; central and the edges
 * read it, so a day simulated at 30× is one calendar for all of them (reservations start and expire on it).
 */
export interface ClockFileContent {
  anchorRealMs: number;
  anchorSimMs: number;
  /** Simulated ms per real ms; 0 holds the clock at `anchorSimMs`. */
  speed: number;
  untilSimMs?: number;
}

/** The time a clock file's content gives at real time `realMs`. Pure. */
export function simulatedMs(content: ClockFileContent, realMs: number): number {
  const ms = content.anchorSimMs + (realMs - content.anchorRealMs) * content.speed;
  return content.untilSimMs === undefined ? ms : Math.min(ms, content.untilSimMs);
}

function readContent(path: string): ClockFileContent | undefined {
  let parsed: Partial<ClockFileContent>;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<ClockFileContent>;
  } catch {
    return undefined;
  }
  const { anchorRealMs, anchorSimMs, speed, untilSimMs } = parsed;
  if (![anchorRealMs, anchorSimMs, speed].every((n) => typeof n === 'number' && Number.isFinite(n))) return undefined;
  if ((speed as number) < 0 || (untilSimMs !== undefined && typeof untilSimMs !== 'number')) return undefined;
  return parsed as ClockFileContent;
}

/** A {@link Clock} following a clock file, re-read when it changes; `close()` stops watching. */
export interface FileClock extends Clock {
  /** True once the file has been read (before, and whenever it is missing or unreadable, the wall clock is used). */
  readonly isSimulated: boolean;
  close(): void;
}

/** What identifies one version of the file: a change of any of these means it was written again. */
function versionOf(path: string): string {
  try {
    const stat = statSync(path, { bigint: true });
    return `${stat.ino}:${stat.size}:${stat.mtimeNs}:${stat.ctimeNs}`;
  } catch {
    return 'missing';
  }
}

/**
 * Follows the clock file at `path` (polled every `pollMs`, default 200): its simulated time while the file is there
 * and valid, the wall clock otherwise.
 */
export function followClockFile(path: string, pollMs = 200): FileClock {
  // The version is read before the content, both now: a write between the two is seen as a change at the next
  // poll. (fs.watchFile took its first look later, on the thread pool, and a write before that look was never seen.)
  let version = versionOf(path);
  let content = readContent(path);
  const timer = setInterval(() => {
    const now = versionOf(path);
    if (now === version) return;
    version = now;
    content = readContent(path);
  }, pollMs);
  timer.unref();
  return {
    nowMs: () => (content === undefined ? Date.now() : simulatedMs(content, Date.now())),
    get isSimulated() {
      return content !== undefined;
    },
    close: () => clearInterval(timer),
  };
}
