import { errors } from '../errors.js';
import { type Appointment, BAY_KINDS } from '../model/index.js';
import { ALLOCATABLE_KINDS, type AllocationDay } from './allocation-types.js';

function fail(path: string, message: string): never {
  throw errors.CB_ALLOCATION_INVALID(`allocation day: ${path}: ${message}`, { path });
}

/** Checks one appointment (times, entrance, kinds), throwing `CB_ALLOCATION_INVALID` at `path`. */
export function validateAppointment(a: Appointment, path: string, entrances: Set<string>): void {
  if (!Number.isFinite(a.startMs)) fail(`${path}.startMs`, `appointment "${a.id}" has no start`);
  if (!(a.endMs > a.startMs)) fail(`${path}.endMs`, `appointment "${a.id}" ends before it starts`);
  if (!entrances.has(a.entranceId)) {
    fail(
      `${path}.entranceId`,
      `appointment "${a.id}": no lot has a walking time to entrance "${a.entranceId}" (known: ${[...entrances].join(', ')})`,
    );
  }
  // Indexed, no arrays spread: called for each of a day's appointments, in cold code.
  if (a.needs.requiredKind !== undefined) checkKind(a, path, a.needs.requiredKind);
  for (let k = 0; k < a.needs.preferredKinds.length; k++) checkKind(a, path, a.needs.preferredKinds[k] as string);
}

function checkKind(a: Appointment, path: string, kind: string): void {
  if (!(ALLOCATABLE_KINDS as readonly string[]).includes(kind)) {
    fail(
      `${path}.needs`,
      `appointment "${a.id}": bay kind "${kind}" cannot be allocated (allocatable: ${ALLOCATABLE_KINDS.join(', ')})`,
    );
  }
}

/** Hospital entrances some lot has a walking time to. */
export function lotEntrances(day: AllocationDay): Set<string> {
  return new Set(day.lots.flatMap((lot) => Object.keys(lot.walkTimeSByEntrance)));
}

/**
 * Checks a day's lots, appointments, occupancy, gate passages and network, throwing `CB_ALLOCATION_INVALID` at
 * the bad field.
 */
export function validateDay(day: AllocationDay): void {
  const lotIds = new Set<string>();
  const entrances = new Set<string>();
  day.lots.forEach((lot, l) => {
    if (lotIds.has(lot.id)) fail(`lots[${l}].id`, `duplicate lot id "${lot.id}"`);
    lotIds.add(lot.id);
    const bays = lot.zones.reduce(
      (s, z) => s + Object.values(z.capacityByKind).reduce((a: number, b) => a + (b ?? 0), 0),
      0,
    );
    if (!(bays > 0)) fail(`lots[${l}].zones`, `lot "${lot.id}" has no capacity (expected at least one bay)`);
    if (!(lot.gateServiceVehPerMin > 0))
      fail(`lots[${l}].gateServiceVehPerMin`, `expected a positive rate, got ${lot.gateServiceVehPerMin}`);
    for (const entrance of Object.keys(lot.walkTimeSByEntrance)) entrances.add(entrance);
  });
  if (!Number.isFinite(day.dayStartMs)) fail('dayStartMs', 'expected ms since the epoch');
  const ids = new Set<string>();
  day.appointments.forEach((a, i) => {
    if (ids.has(a.id)) fail(`appointments[${i}].id`, `duplicate appointment id "${a.id}"`);
    ids.add(a.id);
    validateAppointment(a, `appointments[${i}]`, entrances);
  });
  (day.occupancy ?? []).forEach((o, i) => {
    if (!lotIds.has(o.lotId)) fail(`occupancy[${i}].lotId`, `unknown lot "${o.lotId}"`);
    const zones = day.lots.find((lot) => lot.id === o.lotId)?.zones ?? [];
    if (o.zoneId !== undefined && !zones.some((z) => z.id === o.zoneId)) {
      fail(
        `occupancy[${i}].zoneId`,
        `lot "${o.lotId}" has no zone "${o.zoneId}" (known: ${zones.map((z) => z.id).join(', ')})`,
      );
    }
    // A NaN or negative count would silently zero or raise the lot's capacity in every slot it covers.
    if (!(BAY_KINDS as readonly string[]).includes(o.kind))
      fail(`occupancy[${i}].kind`, `unknown bay kind "${o.kind}" (known: ${BAY_KINDS.join(', ')})`);
    if (!(Number.isInteger(o.bays) && o.bays >= 0))
      fail(`occupancy[${i}].bays`, `expected a whole number of bays ≥ 0, got ${o.bays}`);
    const fromMin = o.fromMin ?? 0;
    if (!(Number.isFinite(fromMin) && fromMin >= 0))
      fail(`occupancy[${i}].fromMin`, `expected minutes ≥ 0 after the day's midnight, got ${o.fromMin}`);
    if (o.untilMin !== undefined && !(o.untilMin > fromMin))
      fail(`occupancy[${i}].untilMin`, `expected minutes after fromMin (${fromMin}), got ${o.untilMin}`);
  });
  (day.gatePassages ?? []).forEach((p, i) => {
    if (!lotIds.has(p.lotId))
      fail(`gatePassages[${i}].lotId`, `unknown lot "${p.lotId}" (known: ${[...lotIds].join(', ')})`);
    if (!(Number.isFinite(p.atMin) && p.atMin >= 0))
      fail(`gatePassages[${i}].atMin`, `expected minutes ≥ 0 after the day's midnight, got ${p.atMin}`);
    if (!(Number.isInteger(p.cars) && p.cars >= 0))
      fail(`gatePassages[${i}].cars`, `expected a whole number of cars ≥ 0, got ${p.cars}`);
  });
  if (day.network !== undefined) {
    const edgeIds = new Set(day.network.edges.map((e) => e.id));
    day.lots.forEach((lot, l) => {
      if (!edgeIds.has(lot.entryEdgeId))
        fail(`lots[${l}].entryEdgeId`, `edge "${lot.entryEdgeId}" is not in the network`);
    });
    for (const [zone, edge] of Object.entries(day.originEdgeByZone ?? {})) {
      if (!edgeIds.has(edge)) fail(`originEdgeByZone.${zone}`, `edge "${edge}" is not in the network`);
    }
  }
}
