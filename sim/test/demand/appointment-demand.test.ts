import { describe, expect, it } from 'vitest';
import { buildAppointmentTrips, spreadAppointments } from '../../src/demand/appointment-demand.js';
import { backgroundTrips } from '../../src/demand/background-flows.js';
import { generateAppointments } from '../../src/demand/generated-appointments.js';

const DAY_MS = Date.parse('2026-03-02T00:00:00Z');
const appointments = generateAppointments(
  {
    visitsPerDay: 2000,
    hourlyWeights: [0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    durationMin: { mean: 30, sd: 0 },
    entranceWeights: { main: 1 },
    accessibleShare: 0.1,
    familyShare: 0,
    evShare: 0,
  },
  DAY_MS,
  1,
);

describe('appointment demand', () => {
  it('generates appointments inside the weighted hours, sorted, deterministic for a seed', () => {
    expect(appointments).toHaveLength(2000);
    const hours = appointments.map((a) => (a.startMs - DAY_MS) / 3_600_000);
    expect(Math.min(...hours)).toBeGreaterThanOrEqual(7);
    expect(Math.max(...hours)).toBeLessThan(10);
    expect(hours).toEqual([...hours].sort((a, b) => a - b));
    expect(appointments.filter((a) => a.needs.requiredKind === 'accessible').length).toBeGreaterThan(150);
  });

  it('turns appointments into car trips with the configured shares and arrival before the appointment', () => {
    const demand = buildAppointmentTrips(
      appointments,
      {
        dayStartMs: DAY_MS,
        carShare: 0.5,
        noShowShare: 0.1,
        dropOffShare: 0.2,
        dropOffEdgeFor: () => 'drop',
        arrivalBeforeMin: { mean: 20, sd: 0 },
        extraStayMin: { mean: 30, sd: 0 },
        origins: [
          { edgeId: 'o1', share: 3 },
          { edgeId: 'o2', share: 1 },
        ],
        searchShare: 0,
        knowsSharedLotsShare: 0,
        signCompliance: 1,
      },
      2,
      () => ({ lotId: 'H', isPreAssigned: false }),
      () => 300,
    );
    expect(demand.noShows / 2000).toBeCloseTo(0.1, 1);
    expect(demand.notByCar / (2000 - demand.noShows)).toBeCloseTo(0.5, 1);
    expect(demand.dropOffs / (demand.parkTrips + demand.dropOffs)).toBeCloseTo(0.2, 1);
    const park = demand.trips.filter((t) => t.purpose === 'park');
    const first = park[0]!;
    const appointment = appointments.find((a) => a.id === first.id)!;
    expect(first.departS).toBeCloseTo((appointment.startMs - DAY_MS) / 1000 - 20 * 60 - 300, 6);
    expect(first.stayS).toBe((20 + 30 + 30) * 60);
    expect(park.filter((t) => t.originEdgeId === 'o1').length / park.length).toBeCloseTo(0.75, 1);
    expect(park.every((t) => t.followsSigns === true && t.searchesWhenFull === false)).toBe(true);
  });

  it('spreads appointment starts of a window over a wider one', () => {
    const spread = spreadAppointments(
      appointments,
      { fromMin: 420, toMin: 600, newFromMin: 390, newToMin: 690 },
      DAY_MS,
    );
    const minutes = spread.map((a) => (a.startMs - DAY_MS) / 60_000);
    expect(Math.min(...minutes)).toBeGreaterThanOrEqual(390);
    expect(Math.max(...minutes)).toBeGreaterThan(650);
    expect(spread[0]!.endMs - spread[0]!.startMs).toBe(appointments[0]!.endMs - appointments[0]!.startMs);
  });

  it('draws background flows as a Poisson process at the given rate', () => {
    const trips = backgroundTrips(
      [{ id: 'f', fromEdgeId: 'a', toEdgeId: 'b', vehPerHour: 600, fromS: 0, toS: 36_000 }],
      3,
    );
    expect(trips.length / 10).toBeGreaterThan(570);
    expect(trips.length / 10).toBeLessThan(630);
    expect(trips.every((t, i) => i === 0 || t.departS >= trips[i - 1]!.departS)).toBe(true);
  });
});
