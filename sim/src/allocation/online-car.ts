import type { Appointment } from '../model/index.js';
import { describeRoute } from '../routing/route-text.js';
import type { CarOption, CompiledDay } from './allocation-instance.js';
import { ALLOCATABLE_KINDS, type AllocationDay, type Assignment } from './allocation-types.js';

export type CarStatus = 'planned' | 'en-route' | 'parked' | 'released';

/** One appointment's car as the online allocator tracks it through the day. */
export interface Car {
  appointment: Appointment;
  arrival: number;
  depart: number;
  options: CarOption[];
  choice: number;
  status: CarStatus;
  /** Cost the car was promised when it set off (en-route cars never get worse than this). */
  promisedCostS: number;
  zone: number;
  /** Slots whose bay load this car currently holds: `[heldFrom, heldTo)`; gate counted when `holdsGate`. */
  heldFrom: number;
  heldTo: number;
  holdsGate: boolean;
}

/** The car's current assignment as the allocator's users see it (lot, zone, kind, window, cost, route). */
export function describeCar(car: Car, day: AllocationDay, compiled: CompiledDay): Assignment {
  const inst = compiled.instance;
  const slotMs = inst.slotMin * 60_000;
  const fromMs = day.dayStartMs + car.arrival * slotMs;
  const option = car.options[car.choice];
  const base = {
    appointmentId: car.appointment.id,
    arrivalWindow: { fromMs, toMs: fromMs + slotMs },
    holdUntilMs: day.dayStartMs + car.heldTo * slotMs,
  };
  if (option === undefined || car.status === 'released') {
    const penalty = car.status === 'released' ? 0 : inst.unplacedPenaltyS;
    return {
      ...base,
      placed: false,
      cost: {
        driveS: 0,
        walkS: 0,
        walkWeight: 0,
        weightedWalkS: 0,
        fallbackPenaltyS: 0,
        unplacedPenaltyS: penalty,
        totalS: penalty,
      },
    };
  }
  const lot = day.lots[option.lot];
  const kind = ALLOCATABLE_KINDS[option.kind] ?? 'standard';
  const assignment: Assignment = {
    ...base,
    placed: true,
    lotId: lot?.id ?? '',
    lotName: lot?.name ?? '',
    zoneId: lot?.zones[car.zone]?.id ?? '',
    kind,
    cost: {
      driveS: option.driveS,
      walkS: option.walkS,
      walkWeight: option.walkWeight,
      weightedWalkS: option.walkS * option.walkWeight,
      fallbackPenaltyS: option.fallbackS,
      unplacedPenaltyS: 0,
      totalS: option.costS,
    },
  };
  const wanted = car.appointment.needs.requiredKind ?? car.appointment.needs.preferredKinds[0];
  if (wanted !== undefined && wanted !== kind) assignment.fallbackFrom = wanted;
  const originEdge = compiled.originEdgeOf(car.appointment);
  if (compiled.options.includeRoutes && day.network !== undefined && originEdge !== undefined && lot !== undefined) {
    const path = compiled.treeFor(option.lot, car.arrival * inst.slotMin)?.pathFrom(originEdge);
    if (path !== undefined)
      assignment.route = {
        edgeIds: path.edgeIds,
        driveS: path.costS,
        text: describeRoute(day.network, path.edgeIds, `${lot.name} (${lot.id})`),
      };
  }
  return assignment;
}
