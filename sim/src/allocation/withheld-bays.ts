import type { Assignment } from './allocation-types.js';

/** How long after its arrival window closes a late car still finds its bay withheld from the public (min). */
export const LATE_ARRIVAL_GRACE_MIN = 15;

/**
 * Until when the field withholds an assignment's bay from the public (ms since the epoch): from the start of its
 * arrival window to the window's end plus `LATE_ARRIVAL_GRACE_MIN`, never past the bay's hold, and at least a minute.
 * By then its car has parked, and the bay it took counts as occupied, or is not coming. Withheld to the end of the
 * stay, a parked car's bay counted twice, taken and withheld (7 Dec 2026, closed-loop bench: after the last arrival
 * windows the approach signs showed the hospital garage FULL with 191 of its 400 bays free). Central's reservations
 * to the edges and the simulator's signs both withhold by this rule.
 */
export function withheldUntilMs(assignment: Pick<Assignment, 'arrivalWindow'> & { holdUntilMs?: number }): number {
  const { fromMs, toMs } = assignment.arrivalWindow;
  const lateMs = toMs + LATE_ARRIVAL_GRACE_MIN * 60_000;
  return Math.max(fromMs + 60_000, Math.min(assignment.holdUntilMs ?? lateMs, lateMs));
}

/** A bay an assignment has the field withhold from the public, from `fromMs` to `untilMs` (ms since the epoch). */
export interface WithheldWindow {
  lotId: string;
  kind: NonNullable<Assignment['kind']>;
  fromMs: number;
  untilMs: number;
}

/**
 * The bay an assignment withholds and when: one for each bay or park-and-ride place (outcomes that hold a bay), from
 * the start of its arrival window to `withheldUntilMs`; none for a drop-off or the wait-list.
 */
export function withheldWindowOf(
  assignment: Pick<Assignment, 'outcome' | 'lotId' | 'kind' | 'arrivalWindow'> & { holdUntilMs?: number },
): WithheldWindow | undefined {
  const { outcome, lotId, kind } = assignment;
  if ((outcome !== 'bay' && outcome !== 'park-and-ride') || lotId === undefined || kind === undefined) return undefined;
  return { lotId, kind, fromMs: assignment.arrivalWindow.fromMs, untilMs: withheldUntilMs(assignment) };
}
