/** Median and 95th percentile of some real latencies (ms), and how many. */
export interface LatencySummary {
  count: number;
  medianMs: number;
  p95Ms: number;
}

/** The face latency's bookkeeping besides its samples: changes never shown as such, and those still waiting. */
export interface FaceLatencySummary extends LatencySummary {
  /** Faces a sign had to show that a newer one replaced before any write showed them. */
  superseded: number;
  /** Faces still waiting for a write showing them when the summary was taken. */
  pending: number;
}

function summary(samples: readonly number[]): LatencySummary {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) =>
    sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
  return { count: sorted.length, medianMs: at(0.5), p95Ms: at(0.95) };
}

/** A face a sign had to show from `sinceMs` (real), by {@link faceKeyOf}. */
interface DueFace {
  face: string;
  sinceMs: number;
}

/**
 * The loop's real latencies, measured where the twin stands. In simulated time each is `speed` times as long.
 * - Due face → sign (what a driver experiences): from the moment what a sign must show changes (the guidance policy
 *   over the bays the twin set and the reservations in force: a count, FULL or CLOSED) to the first write that shows
 *   that face. A face replaced before any write showed it is counted as superseded, not sampled; a write that shows
 *   nothing new (the edge's periodic refresh) ends nothing.
 * - Bay set → next write of a sign showing the lot (the earlier measure, kept for comparison): any write ends it,
 *   so a bay change that alters no face waits for the sign's next refresh.
 * - Appointment posted to central → its reservation held by an edge (allocation, the edge's next sync, the
 *   directives it brings back).
 */
export class LoopLatency {
  private readonly pendingSinceMs = new Map<string, number>();
  private readonly postedAtMs = new Map<string, number>();
  private readonly signSamples: number[] = [];
  private readonly directiveSamples: number[] = [];
  private readonly faceSamples: number[] = [];
  /** Per sign: faces it had to show and no write has shown yet, oldest first. */
  private readonly dueFaces = new Map<string, DueFace[]>();
  /** Per sign: the face of its last write. */
  private readonly writtenFace = new Map<string, string>();
  private superseded = 0;

  /** The twin changed a bay of `lotId` at real `atMs`. */
  bayChanged(lotId: string, atMs: number): void {
    if (!this.pendingSinceMs.has(lotId)) this.pendingSinceMs.set(lotId, atMs);
  }

  /**
   * An edge wrote a sign whose lines show `lotIds`, at real `atMs`, with `face` ({@link faceKeyOf}; omitted: only the
   * bay-set measure counts the write).
   */
  signWritten(signId: string, lotIds: readonly string[], atMs: number, face?: string): void {
    for (const lotId of lotIds) {
      const since = this.pendingSinceMs.get(lotId);
      if (since === undefined || since > atMs) continue;
      this.signSamples.push(atMs - since);
      this.pendingSinceMs.delete(lotId);
    }
    if (face === undefined) return;
    this.writtenFace.set(signId, face);
    const due = this.dueFaces.get(signId) ?? [];
    // The newest due face this write shows: faces before it were replaced before the sign caught up with them.
    let shown = -1;
    for (let i = due.length - 1; i >= 0; i--) {
      if (due[i]!.face === face && due[i]!.sinceMs <= atMs) {
        shown = i;
        break;
      }
    }
    if (shown < 0) return;
    this.faceSamples.push(atMs - due[shown]!.sinceMs);
    this.superseded += shown;
    due.splice(0, shown + 1);
  }

  /** What sign `signId` must show changed to `face` ({@link faceKeyOf}) at real `atMs`. */
  faceDue(signId: string, face: string, atMs: number): void {
    const due = this.dueFaces.get(signId) ?? [];
    this.dueFaces.set(signId, due);
    if (due.at(-1)?.face === face) return;
    if (this.writtenFace.get(signId) === face) {
      // The sign shows it already: nothing to wait for, and whatever was due in between never will be shown.
      this.superseded += due.length;
      due.length = 0;
      return;
    }
    due.push({ face, sinceMs: atMs });
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

  summary(): { dueFaceToSign: FaceLatencySummary; sensorToSign: LatencySummary; directiveRoundTrip: LatencySummary } {
    let pending = 0;
    for (const due of this.dueFaces.values()) pending += due.length;
    return {
      dueFaceToSign: { ...summary(this.faceSamples), superseded: this.superseded, pending },
      sensorToSign: summary(this.signSamples),
      directiveRoundTrip: summary(this.directiveSamples),
    };
  }
}

/** A face as a driver reads it, line by line (value and colour; labels and arrows are fixed), as one key. */
export function faceKeyOf(
  lines: ReadonlyArray<{ value: number | string | { text: string }; colour: string }> | undefined,
): string {
  if (lines === undefined) return '';
  return lines
    .map((line) => `${typeof line.value === 'object' ? `"${line.value.text}"` : String(line.value)}/${line.colour}`)
    .join('|');
}
