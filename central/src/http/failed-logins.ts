import type { Clock } from '@citybay/common';
import { LruMap } from './lru-map.js';

/** Length of the window failed logins are counted in (ms). */
export const FAILED_LOGIN_WINDOW_MS = 60_000;

/**
 * Failed logins (a bad API key, unknown edge or wrong secret) per client address, counted in fixed one-minute
 * windows. An address over its budget is refused without a credential lookup until its window ends, so guessing
 * costs the store nothing. Bounded: at most `maxAddresses` addresses, the least recently failing forgotten first.
 */
export class FailedLogins {
  private readonly windows: LruMap<{ startMs: number; count: number }>;

  constructor(
    private readonly maxPerWindow: number,
    private readonly clock: Clock,
    maxAddresses = 10_000,
  ) {
    this.windows = new LruMap(maxAddresses);
  }

  private current(address: string): { startMs: number; count: number } | undefined {
    const window = this.windows.get(address);
    if (window && this.clock.nowMs() - window.startMs < FAILED_LOGIN_WINDOW_MS) return window;
    return undefined;
  }

  /** Whether `address` has used up its failed logins of this window. */
  isOver(address: string): boolean {
    return (this.current(address)?.count ?? 0) >= this.maxPerWindow;
  }

  /** Counts one failed login of `address`. */
  recordFailure(address: string): void {
    const window = this.current(address) ?? { startMs: this.clock.nowMs(), count: 0 };
    window.count += 1;
    this.windows.set(address, window);
  }

  /** Seconds until `address` may try again (0 when it may now). */
  retryAfterS(address: string): number {
    const window = this.current(address);
    if (!window || window.count < this.maxPerWindow) return 0;
    return Math.ceil((window.startMs + FAILED_LOGIN_WINDOW_MS - this.clock.nowMs()) / 1000);
  }

  /** Addresses held. */
  get size(): number {
    return this.windows.size;
  }
}
