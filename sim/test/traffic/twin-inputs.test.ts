import { describe, expect, it } from 'vitest';
import {
  runTrafficSimulation,
  TrafficSimulation,
  type TrafficSimulationInput,
} from '../../src/traffic/traffic-simulation.js';
import type { Trip } from '../../src/traffic/trip.js';
import { corridorLot, corridorWithSecondLot } from '../fixtures/corridor.js';

const START_S = 8 * 3600;

/** A corridor with a second lot past the first, and a sign before both. */
function twoLotInput(trips: Trip[]): TrafficSimulationInput {
  const network = corridorWithSecondLot();
  return {
    network,
    lots: [
      { lot: corridorLot(30, 30), role: 'hospital', isOpenToHospital: true },
      { lot: corridorLot(100, 30, 'Q', 'gate2'), role: 'shared', isOpenToHospital: true },
    ],
    trips,
    signs: [{ id: 'S', edgeId: 'a1' }],
    isGuidanceOn: true,
    startS: START_S,
    endS: START_S + 3600,
  };
}

const parkTrips = (n: number, extra: Partial<Trip> = {}): Trip[] =>
  Array.from({ length: n }, (_, i) => ({
    id: `p${i}`,
    purpose: 'park' as const,
    departS: START_S + i * 5,
    originEdgeId: 'a0',
    lotId: 'P',
    stayS: 4 * 3600,
    followsSigns: true,
    ...extra,
  }));

describe('TrafficSimulation inputs a twin gives between steps', () => {
  it('stepWithOwnSigns in any chunks is the batch run with its own sign policy', () => {
    const batch = runTrafficSimulation(twoLotInput(parkTrips(80)));
    const stepped = new TrafficSimulation(twoLotInput(parkTrips(80)));
    for (let t = START_S + 97; !stepped.isDone; t += 97) stepped.stepWithOwnSigns(t);
    const output = stepped.output();
    // The sign policy matters here: the first lot fills and the signs send the rest on.
    expect(batch.lotParkedTotal[1]).toBeGreaterThan(0);
    expect(Array.from(output.doneS)).toEqual(Array.from(batch.doneS));
    expect(Array.from(output.lotIndex)).toEqual(Array.from(batch.lotIndex));
  });

  it('assignTrip sends a driver still to set off to a lot, pre-assigned drivers past the signs', () => {
    const simulation = new TrafficSimulation(twoLotInput(parkTrips(3)));
    simulation.showOnSign('S', 'P');
    // p0 is pre-assigned to Q: the sign showing P does not change that; p1 goes to Q unassigned and follows the sign.
    simulation.assignTrip('p0', 'Q', true);
    simulation.assignTrip('p1', 'Q', false);
    simulation.step(START_S + 1);
    expect(() => simulation.assignTrip('p0', 'P', true)).toThrow(/not a park trip still to set off/);
    expect(() => simulation.assignTrip('nobody', 'P', true)).toThrow(/unknown trip/);
    simulation.step(START_S + 600);
    const { lotIndex } = simulation.output();
    expect(Array.from(lotIndex)).toEqual([1, 0, 0]);
  });
});
