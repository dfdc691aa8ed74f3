import type { SignMessage } from '@citybay/firmware-bridge';
import {
  type Contradiction,
  findContradictions,
  type GuidanceArea,
  type GuidanceSituation,
  type LineReason,
  lineDriverFollows,
  type PlannedFace,
  PublicCounts,
} from '@citybay/guidance';

/** An emulated sign as the twin reads it: its id and, per line, the bays the line counts. */
export interface CheckedSign {
  signId: string;
  areas?: readonly GuidanceArea[];
}

/**
 * Why a line read off a sign shows what it shows, as far as a driver can tell: a red FULL is the lot known full, an
 * amber FULL (what a register sign shows as its fail-safe) or text is "unknown", a number is a count.
 */
function reasonOf(line: SignMessage['lines'][number]): LineReason {
  if (typeof line.value === 'number') return 'count';
  if (line.value === 'FULL') return line.colour === 'red' ? 'full' : 'fallback';
  if (line.value === 'CLOSED') return 'closed';
  return 'fallback';
}

/** Faces read off the emulated signs, in the guidance policy's terms (lines without a known area are left out). */
export function facesReadOff(
  signs: readonly CheckedSign[],
  messages: ReadonlyArray<SignMessage | null>,
): PlannedFace[] {
  return signs.map((sign, s) => {
    const lines = (messages[s]?.lines ?? []).filter((_, i) => sign.areas?.[i] !== undefined);
    return {
      signId: sign.signId,
      lines: lines.map((line) => ({ ...line })),
      areas: lines.map((_, i) => sign.areas![i]),
      reasons: lines.map(reasonOf),
      isFallback: false,
    };
  });
}

/**
 * The lot a compliant driver passing an emulated sign heads for: the lot of the line they follow (the guidance
 * policy's `lineDriverFollows`, the rule the simulator's own drivers read faces by), or undefined (blank, all FULL).
 */
export function lotDriverTakes(sign: CheckedSign, message: SignMessage | null): string | undefined {
  if (message === null) return undefined;
  const line = lineDriverFollows(message.lines);
  return line < 0 ? undefined : sign.areas?.[line]?.lotId;
}

/** A line showing FULL over free bays: where (sign and line) and, in words, what. */
export interface FullOverFree {
  key: string;
  text: string;
}

/**
 * Lines of the faces that show a red FULL (the lot known full) while the bays behind them, as the simulation has them,
 * have at least `reopenAtFree` free bays for the public (reservations in force withheld by the guidance policy's own
 * count): the "FULL over free bays".
 */
export function fullOverFreeBays(
  faces: readonly PlannedFace[],
  truth: GuidanceSituation,
  reopenAtFree: number,
): FullOverFree[] {
  const counts = new PublicCounts(truth);
  const found: FullOverFree[] = [];
  for (const face of faces) {
    face.lines.forEach((line, i) => {
      const area = face.areas[i];
      if (area === undefined || face.reasons[i] !== 'full') return;
      const { publicFree } = counts.area(area);
      if (publicFree >= reopenAtFree) {
        found.push({ key: `${face.signId}#${i}`, text: `${face.signId} "${line.label} FULL" with ${publicFree} free` });
      }
    });
  }
  return found;
}

/** What the sign check knows besides the faces: the truth behind them, and how late a sign may be. */
export interface SignTruth {
  situation: GuidanceSituation;
  /** The edges' hysteresis: free public bays at which a FULL line shows a count again. */
  reopenAtFree: number;
  /** When the sample is taken (real ms). */
  atMs: number;
  /**
   * How long a sign may lag the bays (real ms): the measured sensor-to-sign latency. A FULL over free bays counts as
   * contradictory once it has lasted longer than this (the edge has had time to see the bays); shorter ones are
   * counted apart, as latency. Default 0.
   */
  graceMs?: number;
}

/**
 * Samples what the emulated signs show together and counts the contradictory samples, as a driver passing them would
 * see it: a sign says FULL while its bays have had at least the hysteresis of free public bays for longer than the
 * sign's latency (given the truth), or one sign says FULL over bays another shows free (issue 16: 22 of 44 samples of
 * a 30× morning did) for longer than that latency. An edge rewrites its signs one after another over Modbus, and the
 * twin reads them one after another, so a sample can catch one sign rewritten and the next not yet: a disagreement
 * shorter than the latency is the signs being updated (counted apart), as a FULL over free bays is.
 */
export class SignConsistency {
  samples = 0;
  contradictory = 0;
  /** The last contradiction seen, in words. */
  last: string | undefined;
  /**
   * Samples in which at least one sign showed a lot FULL (a red FULL, the lot known full), per lot: the check's
   * exposure, since a sample with no FULL anywhere cannot be contradictory by FULL over free bays.
   */
  readonly fullSamplesByLot = new Map<string, number>();
  /** Samples in which any sign showed any lot FULL. */
  samplesWithFull = 0;
  /** Samples in which a sign showed FULL over free public bays for longer than the grace (counted as contradictory). */
  fullOverFree = 0;
  /** Samples in which a sign showed FULL over free public bays only within the grace: the latency, not counted. */
  fullOverFreeWithinGrace = 0;
  /** Samples in which signs disagreed (FULL over bays another shows free) only within the grace: not counted. */
  disagreeingWithinGrace = 0;
  /** Since when (real ms) each sign line has been seen showing FULL over free bays. */
  private readonly overFreeSinceMs = new Map<string, number>();
  /** Since when (real ms) each pair of lines (FULL on one, free on the other) has been seen disagreeing. */
  private readonly disagreeingSinceMs = new Map<string, number>();

  /** One sample: the faces read off together and, when known, the truth behind them. */
  sample(faces: readonly PlannedFace[], truth?: SignTruth): void {
    this.samples++;
    this.countFull(faces);
    const atMs = truth?.atMs ?? 0;
    const graceMs = truth?.graceMs ?? 0;
    const disagreements = findContradictions(faces);
    const pairKey = (c: Contradiction) => `${c.full.signId}#${c.full.line}|${c.free.signId}#${c.free.line}`;
    const lastingDisagreement =
      truth === undefined
        ? disagreements[0]
        : firstLasting(this.disagreeingSinceMs, disagreements, pairKey, atMs, graceMs);
    const overFree = truth === undefined ? [] : fullOverFreeBays(faces, truth.situation, truth.reopenAtFree);
    const lastingOverFree = firstLasting(this.overFreeSinceMs, overFree, (f) => f.key, atMs, graceMs);
    if (lastingOverFree !== undefined) {
      this.fullOverFree++;
      this.contradictory++;
      this.last = lastingOverFree.text;
      return;
    }
    if (overFree.length > 0) this.fullOverFreeWithinGrace++;
    if (disagreements.length === 0) return;
    if (lastingDisagreement === undefined) {
      this.disagreeingWithinGrace++;
      return;
    }
    this.contradictory++;
    const { full, free } = lastingDisagreement;
    const text = (place: { signId: string; line: number }) => {
      const line = faces.find((f) => f.signId === place.signId)?.lines[place.line];
      const value = typeof line?.value === 'object' ? line.value.text : String(line?.value);
      return `${place.signId} "${line?.label} ${value}"`;
    };
    this.last = `${text(full)} while ${text(free)}`;
  }

  private countFull(faces: readonly PlannedFace[]): void {
    const lots = new Set<string>();
    for (const face of faces)
      face.reasons.forEach((reason, i) => {
        const lotId = face.areas[i]?.lotId;
        if (reason === 'full' && lotId !== undefined) lots.add(lotId);
      });
    if (lots.size > 0) this.samplesWithFull++;
    for (const lotId of lots) this.fullSamplesByLot.set(lotId, (this.fullSamplesByLot.get(lotId) ?? 0) + 1);
  }
}

/**
 * Of what a sample found (each known by `key`), the first seen for longer than `graceMs` at `atMs`, after noting since
 * when each has been seen in `sinceMs` and forgetting what the sample no longer shows (its clock starts over).
 */
function firstLasting<T>(
  sinceMs: Map<string, number>,
  found: readonly T[],
  key: (item: T) => string,
  atMs: number,
  graceMs: number,
): T | undefined {
  const seen = new Set(found.map(key));
  for (const k of sinceMs.keys()) if (!seen.has(k)) sinceMs.delete(k);
  for (const item of found) if (!sinceMs.has(key(item))) sinceMs.set(key(item), atMs);
  return found.find((item) => atMs - sinceMs.get(key(item))! > graceMs);
}
