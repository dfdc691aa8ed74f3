import { describe, expect, it } from 'vitest';
import { sumoTrips } from '../../src/demand/sumo-trips.js';
import type { RoadNetwork } from '../../src/model/index.js';
import { createRouter, MINOR_LINK_PENALTY_S } from '../../src/routing/shortest-paths.js';
import { WarningList } from '../../src/scenario/run-warning.js';
import { parseSumoRoutes } from '../../src/sumo/sumo-routes.js';

// Two ways from `in` to `out` over edges of the same length and speed: via `a` the junction is crossed slowly (a
// tight turn, 10 s), via `b` quickly (1 s). Edge costs alone tie; with the crossings counted `a` is 9 s longer.
const network: RoadNetwork = {
  nodes: [
    { id: 'n0', xM: 0, yM: 0 },
    { id: 'n1', xM: 100, yM: 0 },
    { id: 'n2', xM: 200, yM: 50 },
    { id: 'n3', xM: 200, yM: -50 },
    { id: 'n4', xM: 300, yM: 0 },
    { id: 'n5', xM: 400, yM: 0 },
  ],
  edges: [
    { id: 'in', fromNodeId: 'n0', toNodeId: 'n1', lengthM: 100, speedMps: 10, laneCount: 1, priority: 1 },
    { id: 'a', fromNodeId: 'n1', toNodeId: 'n2', lengthM: 100, speedMps: 10, laneCount: 1, priority: 1 },
    { id: 'b', fromNodeId: 'n1', toNodeId: 'n3', lengthM: 100, speedMps: 10, laneCount: 1, priority: 1 },
    { id: 'a2', fromNodeId: 'n2', toNodeId: 'n4', lengthM: 100, speedMps: 10, laneCount: 1, priority: 1 },
    { id: 'b2', fromNodeId: 'n3', toNodeId: 'n4', lengthM: 100, speedMps: 10, laneCount: 1, priority: 1 },
    { id: 'out', fromNodeId: 'n4', toNodeId: 'n5', lengthM: 100, speedMps: 10, laneCount: 1, priority: 1 },
  ],
  connections: [
    { fromEdgeId: 'in', toEdgeId: 'a', viaLengthM: 20, viaSpeedMps: 2 },
    { fromEdgeId: 'in', toEdgeId: 'b', viaLengthM: 10, viaSpeedMps: 10 },
    { fromEdgeId: 'a', toEdgeId: 'a2', viaLengthM: 10, viaSpeedMps: 10 },
    { fromEdgeId: 'b', toEdgeId: 'b2', viaLengthM: 10, viaSpeedMps: 10 },
    { fromEdgeId: 'a2', toEdgeId: 'out', viaLengthM: 10, viaSpeedMps: 10 },
    { fromEdgeId: 'b2', toEdgeId: 'out', viaLengthM: 10, viaSpeedMps: 10 },
  ],
};

function routeChanged(edges: string, net: RoadNetwork = network): boolean {
  const warnings = new WarningList();
  const text = `<routes><vehicle id="v" depart="0"><route edges="${edges}"/></vehicle></routes>`;
  sumoTrips([parseSumoRoutes(text, 'r.rou.xml')], {
    router: createRouter(net),
    lots: [],
    timeZeroS: 0,
    startS: 0,
    endS: 3600,
    seed: 1,
    warnings,
  });
  return warnings.list().some((w) => w.code === 'W_SUMO_ROUTE_CHANGED');
}

describe('a SUMO route compared with the shortest path', () => {
  it('counts the junction crossings: a route that ties on edges but crosses slower is not the shortest', () => {
    expect(routeChanged('in b b2 out')).toBe(false);
    expect(routeChanged('in a a2 out')).toBe(true);
  });

  it('reports a route that ties with the one citybay drives: the car drives that one', () => {
    const tied = {
      ...network,
      connections: network.connections.map((c) => (c.toEdgeId === 'a' ? { ...c, viaLengthM: 10, viaSpeedMps: 10 } : c)),
    };
    expect(routeChanged('in a a2 out', tied)).not.toBe(routeChanged('in b b2 out', tied));
  });

  it("costs a minor link's crossing duarouter's 1.5 s more, so a way over minor links that ties otherwise is not driven", () => {
    const minorB = {
      ...network,
      connections: network.connections.map((c) =>
        c.toEdgeId === 'a'
          ? { ...c, viaLengthM: 10, viaSpeedMps: 10 }
          : c.toEdgeId === 'b'
            ? { ...c, minorCrossings: 1 }
            : c,
      ),
    };
    expect(routeChanged('in a a2 out', minorB)).toBe(false);
    expect(routeChanged('in b b2 out', minorB)).toBe(true);
    expect(createRouter(minorB).shortestPath('in', 'out')).toMatchObject({ edgeIds: ['in', 'a', 'a2', 'out'] });
    expect(createRouter(minorB).arcCostS(1, 2)).toBe(Number.POSITIVE_INFINITY);
    expect(createRouter(minorB).arcCostS(0, 2)).toBeCloseTo(1 + MINOR_LINK_PENALTY_S, 9);
  });
});
