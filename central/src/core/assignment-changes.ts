import type { Assignment } from '@citybay/sim';

/** A day's cost in seconds: what the allocator's `objectiveS()` sums, read back from its assignments. */
export function objectiveOf(assignments: readonly Assignment[]): number {
  let sum = 0;
  for (const a of assignments) sum += a.cost.totalS;
  return sum;
}

// What a driver and an edge see of an assignment; route text and cost follow from these.
function placementOf(a: Assignment | undefined): string {
  if (!a?.placed) return 'unplaced';
  return `${a.lotId}/${a.zoneId ?? ''}/${a.kind ?? ''}/${a.arrivalWindow.fromMs}`;
}

/** How many appointments got another lot, zone, bay kind or arrival slot (or lost or gained a bay). */
export function changedAssignmentCount(before: readonly Assignment[], after: readonly Assignment[]): number {
  const previous = new Map(before.map((a) => [a.appointmentId, a]));
  let changed = 0;
  for (const a of after) {
    if (placementOf(previous.get(a.appointmentId)) !== placementOf(a)) changed += 1;
    previous.delete(a.appointmentId);
  }
  return changed + previous.size;
}
