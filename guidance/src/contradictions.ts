import type { PlannedFace } from './guidance-types.js';
import { isWithin } from './plan-faces.js';

/** Where a line is: a sign and the line's index on it (top first). */
export interface LinePlace {
  signId: string;
  line: number;
}

/** A line saying FULL while another line over bays within the same area shows free bays. */
export interface Contradiction {
  full: LinePlace;
  free: LinePlace;
}

/**
 * The contradictions among faces shown at one instant: a line shows FULL (from counts or an operator; a fail-safe
 * FULL says "unknown", not full) while a line over bays within its area (same lot, zone within, kinds a subset)
 * shows a count of one or more. A driver who reads the FULL turns away from free bays: the policy must never
 * produce one, and the closed-loop benchmark counts those seen on the emulated signs.
 */
export function findContradictions(faces: readonly PlannedFace[]): Contradiction[] {
  const fulls: Array<LinePlace & { face: PlannedFace }> = [];
  const frees: Array<LinePlace & { face: PlannedFace }> = [];
  for (const face of faces) {
    face.lines.forEach((line, i) => {
      const reason = face.reasons[i];
      if (line.value === 'FULL' && (reason === 'full' || reason === 'full-by-status')) {
        fulls.push({ signId: face.signId, line: i, face });
      } else if (typeof line.value === 'number' && line.value > 0) {
        frees.push({ signId: face.signId, line: i, face });
      }
    });
  }
  const found: Contradiction[] = [];
  for (const full of fulls) {
    const outer = full.face.areas[full.line];
    if (!outer) continue;
    for (const free of frees) {
      const inner = free.face.areas[free.line];
      if (inner && isWithin(inner, outer)) {
        found.push({ full: { signId: full.signId, line: full.line }, free: { signId: free.signId, line: free.line } });
      }
    }
  }
  return found;
}
