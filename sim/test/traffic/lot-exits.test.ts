import { describe, expect, it } from 'vitest';
import { DEFAULT_TRAFFIC_PARAMS } from '../../src/traffic/traffic-params.js';
import { runTrafficSimulation } from '../../src/traffic/traffic-simulation.js';
import type { Trip } from '../../src/traffic/trip.js';
import { corridorLot, corridorNetwork } from '../fixtures/corridor.js';

const START_S = 8 * 3600;
const FREE = (50 / 3.6) * DEFAULT_TRAFFIC_PARAMS.freeFlowSpeedFactor;

/** The corridor with its lot's exit opening onto `exit`, which leads to `x2` through a signal red for 30 minutes. */
function network() {
  const net = corridorNetwork(5, 200);
  net.nodes.push({ id: 'far', xM: 1400, yM: 0 });
  net.edges.push({
    id: 'x2',
    fromNodeId: 'end',
    toNodeId: 'far',
    lengthM: 200,
    speedMps: 50 / 3.6,
    laneCount: 2,
    priority: 2,
  });
  net.connections.push(
    { fromEdgeId: 'exit', toEdgeId: 'x2', fromLane: 0, toLane: 0, tlId: 'X', tlLinkIndex: 0 },
    { fromEdgeId: 'exit', toEdgeId: 'x2', fromLane: 1, toLane: 1, tlId: 'X', tlLinkIndex: 0 },
  );
  net.signals = [
    {
      id: 'X',
      type: 'static',
      offsetS: START_S,
      phases: [
        { durationS: 1800, state: 'r' },
        { durationS: 3600, state: 'G' },
      ],
    },
  ];
  return net;
}

const parkers = (stayS: number): Trip[] =>
  Array.from({ length: 10 }, (_, i) => ({
    id: `p${i}`,
    purpose: 'park',
    departS: START_S + i * 5,
    originEdgeId: 'a0',
    lotId: 'P',
    stayS,
    returnDestinationEdgeId: 'x2',
  }));

describe('lot exits', () => {
  const lot = { ...corridorLot(50, 30), exitEdgeId: 'exit' };

  it('drives a parked car out of the exit onto the network after its stay, and home', () => {
    const output = runTrafficSimulation({
      network: network(),
      lots: [{ lot, role: 'hospital', isOpenToHospital: true }],
      trips: parkers(300),
      startS: START_S,
      endS: START_S + 3600,
    });
    for (let i = 0; i < 10; i++) {
      const gateS = output.doneS[i]! - DEFAULT_TRAFFIC_PARAMS.lotEntryDelayS;
      expect(output.leftLotS[i]).toBeCloseTo(gateS + 300, 5);
      // Home is past the red signal: it waits on the exit edge until 08:30, then drives on.
      expect(output.returnDoneS[i]).toBeGreaterThan(START_S + 1800);
      expect(output.returnDistanceM[i]).toBe(400);
    }
  });

  it('keeps leaving cars in their bays while the exit edge has no room', () => {
    const jam: Trip[] = Array.from({ length: 150 }, (_, i) => ({
      id: `t${i}`,
      purpose: 'through',
      departS: START_S + 100 + i * 2,
      originEdgeId: 'a0',
      destinationEdgeId: 'x2',
    }));
    const output = runTrafficSimulation({
      network: network(),
      lots: [{ lot, role: 'hospital', isOpenToHospital: true }],
      trips: [...parkers(300), ...jam],
      startS: START_S,
      endS: START_S + 3600,
    });
    for (let i = 0; i < 10; i++) {
      // The exit edge is full of cars held by the red signal until 08:30; a car leaves only once there is room.
      expect(output.leftLotS[i]).toBeGreaterThan(START_S + 1800);
      expect(output.returnDoneS[i]! - output.leftLotS[i]!).toBeGreaterThanOrEqual(400 / FREE - 1);
    }
    expect(output.lotMaxOccupied[0]).toBe(10);
  });

  it('refuses a way home the lot’s exit cannot reach by car', () => {
    const trips = parkers(300).map((trip) => ({ ...trip, returnDestinationEdgeId: 'a0' }));
    expect(() =>
      runTrafficSimulation({
        network: network(),
        lots: [{ lot, role: 'hospital', isOpenToHospital: true }],
        trips,
        startS: START_S,
        endS: START_S + 600,
      }),
    ).toThrow(/no car route home from the lot's exit edge "exit" to edge "a0"/);
  });
});
