/** Exponential back-off with full jitter: the n-th retry waits a uniform time in [0, min(max, initial·2ⁿ)]. */
export class Backoff {
  private failures = 0;

  constructor(
    private readonly initialMs: number,
    private readonly maxMs: number,
    /** Uniform in [0, 1). Default `Math.random` (this is the I/O shell). */
    private readonly random: () => number = Math.random,
  ) {}

  get consecutiveFailures(): number {
    return this.failures;
  }

  /** Delay before the next attempt, in ms, after one more failure. */
  nextDelayMs(minimumMs = 0): number {
    const ceiling = Math.min(this.maxMs, this.initialMs * 2 ** Math.min(this.failures, 30));
    this.failures++;
    // Never below a tenth of the ceiling: thousands of edges back from an outage must not retry at once,
    // nor may one edge spin.
    return Math.max(minimumMs, ceiling * (0.1 + 0.9 * this.random()));
  }

  reset(): void {
    this.failures = 0;
  }
}
