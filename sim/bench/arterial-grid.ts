// The city bench's grid (bench/traffic-city.ts), also the network the SUMO export's turn-lane test checks.
import type { RoadEdge, RoadNetwork } from '../src/model/index.js';
import { defaultConnections } from '../src/network/network-file.js';

/**
 * A `side`×`side` grid of junctions `linkM` apart with two-way links: rows and columns `isArterial` picks are
 * 2-lane 60 km/h arterials (priority 3), the rest 1-lane 40 km/h streets (priority 1).
 */
export function arterialGrid(side: number, linkM: number, isArterial: (line: number) => boolean): RoadNetwork {
  const nodes = [];
  for (let y = 0; y < side; y++)
    for (let x = 0; x < side; x++) nodes.push({ id: `n${x}_${y}`, xM: x * linkM, yM: y * linkM });
  const edges: RoadEdge[] = [];
  const add = (ax: number, ay: number, bx: number, by: number, isMajor: boolean) =>
    edges.push({
      id: `e${ax}_${ay}-${bx}_${by}`,
      fromNodeId: `n${ax}_${ay}`,
      toNodeId: `n${bx}_${by}`,
      lengthM: linkM,
      speedMps: isMajor ? 60 / 3.6 : 40 / 3.6,
      laneCount: isMajor ? 2 : 1,
      priority: isMajor ? 3 : 1,
    });
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      if (x + 1 < side) {
        add(x, y, x + 1, y, isArterial(y));
        add(x + 1, y, x, y, isArterial(y));
      }
      if (y + 1 < side) {
        add(x, y, x, y + 1, isArterial(x));
        add(x, y + 1, x, y, isArterial(x));
      }
    }
  }
  return { nodes, edges, connections: defaultConnections(edges) };
}
