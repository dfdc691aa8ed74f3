import { describe, expect, it } from 'vitest';
import { clearNetworkTables, networkTables } from '../../src/traffic/network-tables.js';
import { DEFAULT_TRAFFIC_PARAMS } from '../../src/traffic/traffic-params.js';
import { runTrafficSimulation, type TrafficSimulationInput } from '../../src/traffic/traffic-simulation.js';
import type { Trip } from '../../src/traffic/trip.js';
import { corridorLot, corridorNetwork } from '../fixtures/corridor.js';

const START_S = 8 * 3600;

function trips(): Trip[] {
  return Array.from({ length: 300 }, (_, i) =>
    i % 3 === 0
      ? {
          id: `t${i}`,
          purpose: 'through' as const,
          departS: START_S + i * 4,
          originEdgeId: 'a0',
          destinationEdgeId: 'exit',
        }
      : {
          id: `p${i}`,
          purpose: 'park' as const,
          departS: START_S + i * 4,
          originEdgeId: 'a1',
          lotId: 'P',
          stayS: 3600,
        },
  );
}

function input(network = corridorNetwork(5, 200)): TrafficSimulationInput {
  return {
    network,
    lots: [{ lot: corridorLot(120, 6), role: 'hospital', isOpenToHospital: true }],
    trips: trips(),
    startS: START_S,
    endS: START_S + 2 * 3600,
  };
}

describe('network tables', () => {
  it('are built once per network and parameters, and again when either changes', () => {
    const network = corridorNetwork(5, 200);
    const first = networkTables(network, DEFAULT_TRAFFIC_PARAMS);
    expect(networkTables(network, DEFAULT_TRAFFIC_PARAMS).graph).toBe(first.graph);
    expect(networkTables(network, { ...DEFAULT_TRAFFIC_PARAMS, jamSpacingM: 8 }).graph).not.toBe(first.graph);
    network.edges[0]!.laneCount = 1;
    const narrowed = networkTables(network, DEFAULT_TRAFFIC_PARAMS);
    expect(narrowed.graph).not.toBe(first.graph);
    expect(narrowed.layout.laneBase[1]).toBe(1);
    network.nodes.push({ id: 'far', xM: 0, yM: 500 });
    network.edges.push({
      id: 'x',
      fromNodeId: 'end',
      toNodeId: 'far',
      lengthM: 90,
      speedMps: 10,
      laneCount: 1,
      priority: 1,
    });
    network.connections.push({ fromEdgeId: 'exit', toEdgeId: 'x' });
    expect(networkTables(network, DEFAULT_TRAFFIC_PARAMS).graph.edgeCount).toBe(network.edges.length);
  });

  it('serve a copy of a network (a pool task) the tables of the original, and none after a change', () => {
    const network = corridorNetwork(5, 200);
    const first = networkTables(network, DEFAULT_TRAFFIC_PARAMS);
    expect(networkTables(structuredClone(network), DEFAULT_TRAFFIC_PARAMS).graph).toBe(first.graph);
    const changed = structuredClone(network);
    changed.edges[2]!.speedMps = 9;
    expect(networkTables(changed, DEFAULT_TRAFFIC_PARAMS).graph).not.toBe(first.graph);
    clearNetworkTables();
    expect(networkTables(network, DEFAULT_TRAFFIC_PARAMS).graph).not.toBe(first.graph);
  });

  it('keep the latest four parameter sets of a network', () => {
    const network = corridorNetwork(5, 200);
    const spacing = (jamSpacingM: number) => networkTables(network, { ...DEFAULT_TRAFFIC_PARAMS, jamSpacingM });
    const first = spacing(7);
    for (const jamSpacingM of [8, 9, 10]) spacing(jamSpacingM);
    expect(spacing(7).graph).toBe(first.graph);
    spacing(11);
    spacing(12);
    expect(spacing(7).graph).not.toBe(first.graph);
  });

  it('answer whether a link has a route to a destination as the tree does, asked again from the kept pairs', () => {
    const { graph } = networkTables(corridorNetwork(5, 200), DEFAULT_TRAFFIC_PARAMS);
    const E = graph.edgeCount;
    let unreachable = 0;
    for (let round = 0; round < 2; round++) {
      for (let dest = 0; dest < E; dest++) {
        const slot = graph.treeSlotFor(dest);
        for (let e = 0; e < E; e++) {
          const isFinite = Number.isFinite(graph.costToS(slot, e));
          expect(graph.hasRoute(slot, e)).toBe(isFinite);
          if (!isFinite) unreachable++;
        }
      }
    }
    // The corridor is one-way: the links behind a destination have no route to it.
    expect(unreachable).toBeGreaterThan(0);
  });

  it('give every run on a network the results of a run on a fresh copy of it', () => {
    const shared = input();
    clearNetworkTables();
    const fresh = runTrafficSimulation(input());
    clearNetworkTables();
    // Two runs on one network object: the second reuses the route trees and best lanes the first settled.
    runTrafficSimulation(shared);
    const reused = runTrafficSimulation(shared);
    expect(reused.doneS).toEqual(fresh.doneS);
    expect(reused.enteredS).toEqual(fresh.enteredS);
    expect(reused.queues.linkMaxQueueM).toEqual(fresh.queues.linkMaxQueueM);
    expect(reused.vehicleSteps).toBe(fresh.vehicleSteps);
    expect(Number.isNaN(fresh.doneS[299]!)).toBe(false);
  });
});
