import { SeededRandom } from '@citybay/common';
import type { Appointment, BayKind, ParkingLot } from '../model/index.js';
import type { AllocationDay } from './allocation-types.js';

export interface SyntheticDayOptions {
  /** Default 2000. */
  appointmentCount?: number;
  /** Multiplies every lot's bays (1 ≈ 1,500 bays over 6 lots). Default 1. */
  capacityScale?: number;
  /** Multiplies every gate's service rate. Default 1. */
  gateScale?: number;
  /** Origin zones of the trips. Default 8. */
  originCount?: number;
  /** Local midnight of the day, ms since the epoch. Default 2026-03-02T00:00:00Z. */
  dayStartMs?: number;
}

const ENTRANCES = ['main', 'east', 'children'] as const;

interface LotTemplate {
  id: string;
  name: string;
  bays: Partial<Record<BayKind, number>>;
  gateVehPerMin: number;
  walkS: [number, number, number];
  openingHours?: Array<[number, number]>;
  windows?: Array<{ kind: BayKind; capacityBays: number; fromMin: number; toMin: number }>;
}

// Modelled on the hospital approach in ARCHITECTURE.md: two hospital lots, a shared shopping-centre lot
// that keeps most bays for shoppers after noon, a staff lot holding bays until 09:30, a park-and-walk
// lot with opening hours and a small lot by the east entrance.
const LOTS: LotTemplate[] = [
  {
    id: 'P1',
    name: 'Hospital main',
    bays: { standard: 300, accessible: 30, family: 30, ev: 16 },
    gateVehPerMin: 2.6,
    walkS: [90, 300, 200],
  },
  {
    id: 'P2',
    name: 'Hospital south',
    bays: { standard: 230, accessible: 16, family: 20, ev: 12 },
    gateVehPerMin: 2.2,
    walkS: [240, 420, 120],
  },
  {
    id: 'P3',
    name: 'Binjiang shared lot',
    bays: { standard: 300, accessible: 10, family: 10 },
    gateVehPerMin: 3,
    walkS: [480, 360, 540],
    windows: [{ kind: 'standard', capacityBays: 110, fromMin: 12 * 60, toMin: 24 * 60 }],
  },
  {
    id: 'P4',
    name: 'Staff deck',
    bays: { standard: 200, accessible: 6, ev: 20 },
    gateVehPerMin: 2,
    walkS: [420, 600, 300],
    windows: [{ kind: 'standard', capacityBays: 60, fromMin: 0, toMin: 9 * 60 + 30 }],
  },
  {
    id: 'P5',
    name: 'Park and walk',
    bays: { standard: 180, accessible: 4 },
    gateVehPerMin: 2,
    walkS: [780, 900, 840],
    openingHours: [[7 * 60, 19 * 60]],
  },
  {
    id: 'P6',
    name: 'East court',
    bays: { standard: 90, accessible: 8, family: 6, ev: 6 },
    gateVehPerMin: 1.2,
    walkS: [420, 60, 480],
    openingHours: [[6 * 60 + 30, 20 * 60]],
  },
];

/** A deterministic day of appointments and lots of realistic size, for benchmarks, tests and demos. */
export function syntheticDay(seed: number, options: SyntheticDayOptions = {}): AllocationDay {
  const random = new SeededRandom(seed);
  const count = options.appointmentCount ?? 2000;
  const capacityScale = options.capacityScale ?? 1;
  const gateScale = options.gateScale ?? 1;
  const dayStartMs = options.dayStartMs ?? Date.UTC(2026, 2, 2);
  const scale = (bays: number): number => Math.max(1, Math.round(bays * capacityScale));
  const lots: ParkingLot[] = LOTS.map((t) => ({
    id: t.id,
    name: t.name,
    entryEdgeId: `${t.id.toLowerCase()}-entry`,
    zones: [
      {
        id: 'A',
        capacityByKind: Object.fromEntries(
          Object.entries(t.bays).map(([k, v]) => [k, scale(Math.ceil((v ?? 0) * 0.6))]),
        ),
      },
      {
        id: 'B',
        capacityByKind: Object.fromEntries(
          Object.entries(t.bays).map(([k, v]) => [k, scale(Math.floor((v ?? 0) * 0.4))]),
        ),
      },
    ],
    gateServiceVehPerMin: t.gateVehPerMin * gateScale,
    openingHours: (t.openingHours ?? []).map(([fromMin, toMin]) => ({ fromMin, toMin })),
    capacityWindows: (t.windows ?? []).map((w) => ({ ...w, capacityBays: scale(w.capacityBays) })),
    walkTimeSByEntrance: { main: t.walkS[0], east: t.walkS[1], children: t.walkS[2] },
    reserveByKind: {
      standard: scale(Math.round((t.bays.standard ?? 0) * 0.04)),
      accessible: (t.bays.accessible ?? 0) > 8 ? 2 : 0,
    },
  }));
  const originCount = options.originCount ?? 8;
  const driveTimeSByOrigin: Record<string, Record<string, number>> = {};
  for (let z = 0; z < originCount; z++) {
    const row: Record<string, number> = {};
    for (const lot of LOTS) row[lot.id] = 300 + random.int(0, 1200);
    driveTimeSByOrigin[`zone-${z}`] = row;
  }
  const appointments: Appointment[] = [];
  for (let i = 0; i < count; i++) {
    // Two thirds of the day's appointments fall in the morning peak, as in the hospital's clinics.
    const startMin = random.next() < 0.66 ? 8 * 60 + random.int(0, 12) * 15 : 7 * 60 + random.int(0, 40) * 15;
    const durationMin = [30, 45, 60, 90, 120, 180][Math.min(5, Math.floor(random.next() ** 1.6 * 6))] ?? 60;
    const r = random.next();
    const needs =
      r < 0.06
        ? { requiredKind: 'accessible' as const, preferredKinds: [] }
        : r < 0.18
          ? { preferredKinds: ['family' as const] }
          : r < 0.24
            ? { preferredKinds: ['ev' as const] }
            : { preferredKinds: [] };
    appointments.push({
      id: `apt-${String(i).padStart(4, '0')}`,
      startMs: dayStartMs + startMin * 60_000,
      endMs: dayStartMs + (startMin + durationMin) * 60_000,
      status: 'booked',
      entranceId: ENTRANCES[random.int(0, ENTRANCES.length)] ?? 'main',
      needs,
      originZoneId: `zone-${random.int(0, originCount)}`,
    });
  }
  return {
    dayStartMs,
    appointments,
    lots,
    driveTimeSByOrigin,
    occupancy: [
      { lotId: 'P1', kind: 'standard', bays: scale(40), untilMin: 11 * 60 },
      { lotId: 'P3', kind: 'standard', bays: scale(60), fromMin: 10 * 60, untilMin: 16 * 60 },
    ],
  };
}
