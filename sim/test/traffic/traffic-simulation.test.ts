import { isCitybayError } from '@citybay/common';
import { describe, expect, it } from 'vitest';
import { computeKpis } from '../../src/report/kpis.js';
import { laneStorageVeh } from '../../src/traffic/lane-storage.js';
import { runTrafficSimulation, type TrafficSimulationInput } from '../../src/traffic/traffic-simulation.js';
import { DEFAULT_TRAFFIC_PARAMS } from '../../src/traffic/traffic-params.js';
import type { Trip } from '../../src/traffic/trip.js';
import { corridorLot, corridorNetwork, corridorWithSecondLot } from '../fixtures/corridor.js';

const START_S = 8 * 3600;
const APPROACH = [['gate', 'a4', 'a3', 'a2', 'a1', 'a0']];

function parkTrips(n: number, headwayS: number, extra: Partial<Trip> = {}): Trip[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `p${i}`,
    purpose: 'park' as const,
    departS: START_S + i * headwayS,
    originEdgeId: 'a0',
    lotId: 'P',
    stayS: 4 * 3600,
    ...extra,
  }));
}

function run(input: Partial<TrafficSimulationInput> & Pick<TrafficSimulationInput, 'trips' | 'lots'>) {
  const network = corridorNetwork(5, 200);
  const output = runTrafficSimulation({
    network,
    startS: START_S,
    endS: START_S + 2 * 3600,
    approachBranches: APPROACH,
    ...input,
  });
  return {
    output,
    report: computeKpis(
      output,
      network.edges.map((edge) => edge.id),
    ),
  };
}

describe('runTrafficSimulation', () => {
  it('drives a free-flowing car at the links’ free-flow time', () => {
    const { output } = run({
      trips: [{ id: 't', purpose: 'through', departS: START_S, originEdgeId: 'a0', destinationEdgeId: 'exit' }],
      lots: [{ lot: corridorLot(10, 6), role: 'hospital', isOpenToHospital: true }],
    });
    const freeFlowS = (5 * 200 + 200) / ((50 / 3.6) * DEFAULT_TRAFFIC_PARAMS.freeFlowSpeedFactor);
    expect(output.doneS[0]! - START_S).toBeCloseTo(freeFlowS, 0);
    expect(output.distanceM[0]).toBe(1200);
  });

  it('serves a gate at its rate and parks no more than the capacity', () => {
    const { report } = run({
      trips: parkTrips(100, 2),
      lots: [{ lot: corridorLot(60, 6), role: 'hospital', isOpenToHospital: true }],
    });
    expect(report.lots[0]).toMatchObject({ capacityBays: 60, maxOccupiedBays: 60, parkedCars: 60 });
    expect(report.kpis.vehiclesNotServed).toBe(40);
    // 60 cars through a 6 veh/min gate take 10 minutes: the last parks about 600 s after the first.
    expect(report.kpis.timeToParkP95S).toBeGreaterThan(500);
  });

  it('spills a lot queue back as a one-lane queue over upstream links; through traffic passes it in the other lane', () => {
    const trips: Trip[] = [
      ...parkTrips(200, 3),
      { id: 'through', purpose: 'through', departS: START_S + 900, originEdgeId: 'a0', destinationEdgeId: 'exit' },
    ];
    const { report, output } = run({
      trips,
      lots: [{ lot: corridorLot(50, 6), role: 'hospital', isOpenToHospital: true }],
    });
    const queued = new Map(report.links.map((link) => [link.edgeId, link.maxQueueM]));
    // The queue creeps at the gate's 6 cars/min, each car taking s = 7.5 / (1 − 0.1 · 1 s / (1 − 0.5 / 2)) = 8.65 m
    // (queue-creep.ts). A lane holds every car whose front is on it, as SUMO stands them: 1 + floor(99 m / s) = 12 on the
    // 100 m driveway, 12 s − (s − 5) = 100.2 m to the last car's rear; the blocked movement fills one lane of each 2-lane
    // 200 m link: 1 + floor(199 / s) = 23 cars, 195.4 m.
    const creepM = 7.5 / (1 - 0.1 / (1 - 0.25));
    expect(laneStorageVeh(100, creepM)).toBe(12);
    expect(laneStorageVeh(200, creepM)).toBe(23);
    expect(queued.get('gate')).toBeCloseTo(12 * creepM - (creepM - 5), 1);
    for (const edge of ['a4', 'a3', 'a2']) expect(queued.get(edge)).toBeCloseTo(23 * creepM - (creepM - 5), 1);
    expect(report.kpis.approachQueueMaxM).toBeGreaterThan(800);
    const freeFlowS = 1200 / ((50 / 3.6) * DEFAULT_TRAFFIC_PARAMS.freeFlowSpeedFactor);
    expect(output.doneS[200]! - (START_S + 900)).toBeLessThan(freeFlowS + 30);
  });

  it('blocks everything behind a queue on one-lane roads', () => {
    const network = corridorNetwork(5, 200);
    for (const edge of network.edges) edge.laneCount = 1;
    const trips: Trip[] = [
      ...parkTrips(120, 3),
      { id: 'through', purpose: 'through', departS: START_S + 600, originEdgeId: 'a0', destinationEdgeId: 'exit' },
    ];
    const output = runTrafficSimulation({
      network,
      lots: [{ lot: corridorLot(50, 6), role: 'hospital', isOpenToHospital: true }],
      trips,
      startS: START_S,
      endS: START_S + 3600,
    });
    expect(Number.isNaN(output.doneS[120]!)).toBe(true);
  });

  it('sends searching drivers who see the lot full to the next lot they know', () => {
    const network = corridorWithSecondLot();
    const lots = [
      { lot: corridorLot(20, 30), role: 'hospital' as const, isOpenToHospital: true },
      { lot: corridorLot(100, 30, 'Q', 'gate2'), role: 'shared' as const, isOpenToHospital: true },
    ];
    const searchers = parkTrips(60, 5, { searchesWhenFull: true, knowsSharedLots: true });
    const output = runTrafficSimulation({ network, lots, trips: searchers, startS: START_S, endS: START_S + 3600 });
    const report = computeKpis(
      output,
      network.edges.map((edge) => edge.id),
    );
    expect(report.lots.map((lot) => lot.parkedCars)).toEqual([20, 40]);
    expect(report.kpis.cruisingVehKm).toBeGreaterThan(0);
    const unaware = parkTrips(60, 5, { searchesWhenFull: true, knowsSharedLots: false });
    const stuck = runTrafficSimulation({ network, lots, trips: unaware, startS: START_S, endS: START_S + 3600 });
    expect(Array.from(stuck.lotParkedTotal)).toEqual([20, 0]);
  });

  it('is deterministic and rejects unknown edges and unreachable trips', () => {
    const lots = [{ lot: corridorLot(50, 6), role: 'hospital' as const, isOpenToHospital: true }];
    const a = run({ trips: parkTrips(120, 4), lots });
    const b = run({ trips: parkTrips(120, 4), lots });
    expect(a.report).toEqual(b.report);
    expect(Array.from(a.output.doneS)).toEqual(Array.from(b.output.doneS));
    expect(() => run({ trips: parkTrips(1, 1, { originEdgeId: 'nope' }), lots })).toThrow(/unknown edge "nope"/);
    try {
      run({
        trips: [{ id: 'x', purpose: 'through', departS: START_S, originEdgeId: 'exit', destinationEdgeId: 'a0' }],
        lots,
      });
      expect.unreachable();
    } catch (err) {
      expect(isCitybayError(err, 'CB_SIM_UNROUTABLE')).toBe(true);
    }
  });
});

describe('runTrafficSimulation trip order', () => {
  // Mixed purposes and departures (no two alike), listed out of departure order: the model numbers cars by departure
  // internally.
  const lots = [{ lot: corridorLot(40, 6), role: 'hospital' as const, isOpenToHospital: true }];
  const trips: Trip[] = [
    ...parkTrips(60, 3),
    ...Array.from({ length: 60 }, (_, i) => ({
      id: `t${i}`,
      purpose: 'through' as const,
      departS: START_S + 0.25 + ((i * 37) % 60) * 3.1,
      originEdgeId: 'a0',
      destinationEdgeId: 'exit',
    })),
  ];

  it('reports every trip in input order, whatever order the input lists them in', () => {
    const forward = run({ trips, lots }).output;
    const order = trips.map((_, i) => i).sort((a, b) => ((a * 7919) % trips.length) - ((b * 7919) % trips.length));
    const shuffled = run({ trips: order.map((i) => trips[i]!), lots }).output;
    for (const [k, i] of order.entries()) {
      expect(shuffled.departS[k]).toBe(forward.departS[i]);
      expect(shuffled.purpose[k]).toBe(forward.purpose[i]);
      expect(shuffled.distanceM[k]).toBe(forward.distanceM[i]);
      expect(shuffled.doneS[k]).toBe(forward.doneS[i]);
      expect(shuffled.lotIndex[k]).toBe(forward.lotIndex[i]);
    }
    expect(Array.from(shuffled.lotParkedTotal)).toEqual(Array.from(forward.lotParkedTotal));
    expect(Number.isNaN(forward.doneS[59]!)).toBe(true); // the lot holds 40: late park trips never park
    expect(forward.departS[0]).toBe(START_S);
    expect(forward.lotIndex[0]).toBe(0);
    expect(forward.lotIndex[60]).toBe(-1);
  });

  it('names the first bad trip of the input, not the first to depart', () => {
    const bad = [
      ...parkTrips(3, 10, { departS: START_S + 100 }),
      {
        id: 'late-bad',
        purpose: 'through' as const,
        departS: START_S + 50,
        originEdgeId: 'nope',
        destinationEdgeId: 'exit',
      },
      {
        id: 'early-bad',
        purpose: 'through' as const,
        departS: START_S,
        originEdgeId: 'nope2',
        destinationEdgeId: 'exit',
      },
    ];
    expect(() => run({ trips: bad, lots })).toThrow(/trips\[3\] \("late-bad"\)\.originEdgeId/);
  });
});

describe('runTrafficSimulation with guidance signs', () => {
  function twoLots() {
    const network = corridorWithSecondLot();
    const lots = [
      { lot: corridorLot(30, 30), role: 'hospital' as const, isOpenToHospital: true },
      { lot: corridorLot(100, 30, 'Q', 'gate2'), role: 'shared' as const, isOpenToHospital: true },
    ];
    return { network, lots };
  }

  it('sends compliant drivers to the next lot once the first shows FULL', () => {
    const { network, lots } = twoLots();
    const trips = parkTrips(80, 5, { followsSigns: true });
    const run = (isGuidanceOn: boolean) =>
      runTrafficSimulation({
        network,
        lots,
        trips,
        signs: [{ id: 'S', edgeId: 'a1' }],
        isGuidanceOn,
        startS: START_S,
        endS: START_S + 3600,
        approachBranches: APPROACH,
      });
    const dark = run(false);
    const lit = run(true);
    expect(Array.from(dark.lotParkedTotal)).toEqual([30, 0]);
    // Signs show what the bay sensors say (the edge's rule): they switch to the second lot when the first shows FULL,
    // so only the cars already past the sign when it switched (a 200 m link's worth) still queue at the first lot.
    expect(lit.lotParkedTotal[0]).toBe(30);
    expect(lit.lotParkedTotal[1]).toBeGreaterThanOrEqual(40);
    expect(80 - lit.lotParkedTotal[0]! - lit.lotParkedTotal[1]!).toBeLessThanOrEqual(10);
    expect(
      computeKpis(
        lit,
        network.edges.map((e) => e.id),
      ).kpis.approachQueueMaxM,
    ).toBeLessThan(
      computeKpis(
        dark,
        network.edges.map((e) => e.id),
      ).kpis.approachQueueMaxM,
    );
  });

  it('leaves pre-assigned drivers and non-compliant drivers on their lot', () => {
    const { network, lots } = twoLots();
    const trips = [
      ...parkTrips(40, 5, { followsSigns: true, isPreAssigned: true }),
      ...parkTrips(10, 5, { followsSigns: false }),
    ].map((trip, i) => ({ ...trip, id: `c${i}` }));
    const output = runTrafficSimulation({
      network,
      lots,
      trips,
      signs: [{ id: 'S', edgeId: 'a1' }],
      isGuidanceOn: true,
      startS: START_S,
      endS: START_S + 3600,
    });
    expect(output.lotParkedTotal[1]).toBe(0);
  });
});
