/**
 * One timer for the next deadline of something that moves (the next device to go stale): armed at
 * an absolute clock time, re-armed when the deadline changes, never more than one pending.
 */
export class DeadlineTimer {
  private timer: NodeJS.Timeout | undefined;
  private armedAtMs: number | null = null;

  constructor(
    private readonly onDeadline: () => void,
    private readonly nowMs: () => number,
  ) {}

  /** Calls `onDeadline` at `atMs` (clock time), replacing any other deadline; null disarms. */
  arm(atMs: number | null): void {
    if (atMs === this.armedAtMs) return;
    this.stop();
    if (atMs === null) return;
    this.armedAtMs = atMs;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.armedAtMs = null;
        this.onDeadline();
      },
      Math.max(0, atMs - this.nowMs()),
    );
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.armedAtMs = null;
  }
}
