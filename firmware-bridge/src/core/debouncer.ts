/**
 * Debounce of one digital input: a new level counts only once it has held for `debounceMs`.
 * Pure: the caller feeds raw levels with their times and asks when to check again.
 */
import type { InputEvent } from '../gpio/digital-io.js';

export class Debouncer {
  private stable: 0 | 1;
  private candidate: { level: 0 | 1; sinceMs: number } | undefined;
  readonly counts = { rising: 0, falling: 0 };

  constructor(
    readonly line: number,
    initial: 0 | 1,
    readonly debounceMs: number,
  ) {
    this.stable = initial;
  }

  get level(): 0 | 1 {
    return this.stable;
  }

  /** Records a raw level; returns the time at which `settle` should be called, if any. */
  raw(level: 0 | 1, atMs: number): number | undefined {
    if (level === this.stable) {
      this.candidate = undefined;
      return undefined;
    }
    if (this.candidate === undefined || this.candidate.level !== level) this.candidate = { level, sinceMs: atMs };
    return this.candidate.sinceMs + this.debounceMs;
  }

  /** When the pending level change may be committed, or `undefined` when none is pending. */
  get pendingDueMs(): number | undefined {
    return this.candidate === undefined ? undefined : this.candidate.sinceMs + this.debounceMs;
  }

  /**
   * Commits the candidate level if it has held long enough and still equals `currentRaw`. When
   * called too early (timers and the clock may round differently) the candidate stays pending:
   * call again at `pendingDueMs`.
   */
  settle(currentRaw: 0 | 1, nowMs: number): InputEvent | undefined {
    const candidate = this.candidate;
    if (candidate === undefined || candidate.level !== currentRaw || nowMs - candidate.sinceMs < this.debounceMs) {
      if (candidate !== undefined && candidate.level !== currentRaw) this.candidate = undefined;
      return undefined;
    }
    this.candidate = undefined;
    this.stable = candidate.level;
    const edge = candidate.level === 1 ? 'rising' : 'falling';
    this.counts[edge] += 1;
    return { line: this.line, value: candidate.level, edge, atMs: candidate.sinceMs };
  }
}
