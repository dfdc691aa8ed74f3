import { allocate } from '../allocation/allocate.js';
import type { LiveOccupancy } from '../allocation/allocation-types.js';
import type { Appointment, BayKind, ParkingLot, RoadNetwork } from '../model/index.js';

export interface PreAssignmentInput {
  dayStartMs: number;
  /** The appointments whose patients come by car and park, each with its trip's origin edge. */
  carAppointments: ReadonlyArray<{ appointment: Appointment; originEdgeId: string }>;
  /** Lots open to hospital traffic under the policy. */
  lots: ParkingLot[];
  network: RoadNetwork;
  /** Bays taken at the start, per lot and kind (held all day). */
  initialOccupancy: Readonly<Record<string, Partial<Record<BayKind, number>>>>;
  /** Mean minutes a car reaches the lot before the appointment. */
  arrivalLeadMin: number;
  /** Mean minutes a car stays after the appointment ends. */
  exitBufferMin: number;
}

/**
 * The "pre-assigned bays" policy: runs the bay allocator (`allocate`) on the day's car appointments with the
 * network's drive times and returns appointment id → assigned lot id (unplaced appointments are absent).
 */
export function preAssignLots(input: PreAssignmentInput): Map<string, string> {
  const originEdgeByZone: Record<string, string> = {};
  const appointments = input.carAppointments.map(({ appointment, originEdgeId }) => {
    originEdgeByZone[originEdgeId] = originEdgeId;
    return { ...appointment, originZoneId: originEdgeId };
  });
  const occupancy: LiveOccupancy[] = [];
  for (const lot of input.lots) {
    for (const [kind, bays] of Object.entries(input.initialOccupancy[lot.id] ?? {})) {
      if (bays !== undefined && bays > 0) occupancy.push({ lotId: lot.id, kind: kind as BayKind, bays });
    }
  }
  const plan = allocate(
    {
      dayStartMs: input.dayStartMs,
      appointments,
      lots: input.lots,
      network: input.network,
      originEdgeByZone,
      occupancy,
    },
    {
      arrivalLeadMin: Math.max(0, Math.round(input.arrivalLeadMin)),
      exitBufferMin: Math.max(0, Math.round(input.exitBufferMin)),
      includeRoutes: false,
      // The proof-of-optimality search only pays off for the allocator's own users; the simulation needs the plan.
      exactSearchNodes: 0,
    },
  );
  const assigned = new Map<string, string>();
  for (const assignment of plan.assignments) {
    if (assignment.placed && assignment.lotId !== undefined) assigned.set(assignment.appointmentId, assignment.lotId);
  }
  return assigned;
}
