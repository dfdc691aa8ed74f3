/** Median and 95th percentile of some real latencies (ms), and how many. */
export interface LatencySummary {
  count: number;
  medianMs: number;
  p95Ms: number;
}

function summary(samples: readonly number[]): LatencySummary {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) =>
    sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
  return { count: sorted.length, medianMs: at(0.5), p95Ms: at(0.95) };
}

/**
 * The loop's real latencies, measured where the twin stands: from a bay the twin sets on an emulated controller to the
 * next write an edge makes to a sign showing that lot (the edge's poll, debounce, plan and sign write), and from an
 * appointment posted to central to its reservation held by an edge (allocation, the edge's next sync, the
 * directives it brings back). In simulated time each is `speed` times as long.
 */
export class LoopLatency {
  private readonly pendingSinceMs = new Map<string, number>();
  private readonly postedAtMs = new Map<string, number>();
  private readonly signSamples: number[] = [];
  private readonly directiveSamples: number[] = [];

  /** The twin changed a bay of `lotId` at real `atMs`. */
  bayChanged(lotId: string, atMs: number): void {
    if (!this.pendingSinceMs.has(lotId)) this.pendingSinceMs.set(lotId, atMs);
  }

  /** An edge wrote a sign whose lines show `lotIds`, at real `atMs`. */
  signWritten(lotIds: readonly string[], atMs: number): void {
    for (const lotId of lotIds) {
      const since = this.pendingSinceMs.get(lotId);
      if (since === undefined || since > atMs) continue;
      this.signSamples.push(atMs - since);
      this.pendingSinceMs.delete(lotId);
    }
  }

  appointmentPosted(appointmentId: string, atMs: number): void {
    if (!this.postedAtMs.has(appointmentId)) this.postedAtMs.set(appointmentId, atMs);
  }

  /** The reservation of `appointmentId` was first seen held by an edge at real `atMs`. */
  reservationHeld(appointmentId: string, atMs: number): void {
    const posted = this.postedAtMs.get(appointmentId);
    if (posted === undefined) return;
    this.directiveSamples.push(Math.max(0, atMs - posted));
    this.postedAtMs.delete(appointmentId);
  }

  summary(): { sensorToSign: LatencySummary; directiveRoundTrip: LatencySummary } {
    return { sensorToSign: summary(this.signSamples), directiveRoundTrip: summary(this.directiveSamples) };
  }
}
