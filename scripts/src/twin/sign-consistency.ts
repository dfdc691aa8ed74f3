import type { SignMessage } from '@citybay/firmware-bridge';
import { findContradictions, type GuidanceArea, type LineReason, type PlannedFace } from '@citybay/guidance';

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
 * Samples what the emulated signs show together and counts the samples in which one sign says FULL over bays another
 * shows free (issue 16: 22 of 44 samples of a 30× morning did), as a driver passing them would see it.
 */
export class SignConsistency {
  samples = 0;
  contradictory = 0;
  /** The last contradiction seen, in words. */
  last: string | undefined;

  sample(faces: readonly PlannedFace[]): void {
    this.samples++;
    const found = findContradictions(faces);
    if (found.length === 0) return;
    this.contradictory++;
    const { full, free } = found[0]!;
    const text = (place: { signId: string; line: number }) => {
      const line = faces.find((f) => f.signId === place.signId)?.lines[place.line];
      const value = typeof line?.value === 'object' ? line.value.text : String(line?.value);
      return `${place.signId} "${line?.label} ${value}"`;
    };
    this.last = `${text(full)} while ${text(free)}`;
  }
}
