import type { RoadNetwork } from '../../src/model/index.js';

/** A `size`×`size` grid of junctions with two-way streets, 100 m per block at 10 m/s. */
export function gridNetwork(size: number, withConnections = true): RoadNetwork {
  const nodes: RoadNetwork['nodes'] = [];
  const edges: RoadNetwork['edges'] = [];
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) nodes.push({ id: `n${x}_${y}`, xM: x * 100, yM: y * 100 });
  const add = (a: string, b: string): void => {
    edges.push({ id: `${a}-${b}`, fromNodeId: a, toNodeId: b, lengthM: 100, speedMps: 10, laneCount: 1, priority: 1 });
  };
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) {
      if (x + 1 < size) {
        add(`n${x}_${y}`, `n${x + 1}_${y}`);
        add(`n${x + 1}_${y}`, `n${x}_${y}`);
      }
      if (y + 1 < size) {
        add(`n${x}_${y}`, `n${x}_${y + 1}`);
        add(`n${x}_${y + 1}`, `n${x}_${y}`);
      }
    }
  const connections: RoadNetwork['connections'] = [];
  if (withConnections)
    for (const a of edges)
      for (const b of edges)
        if (a.toNodeId === b.fromNodeId && b.toNodeId !== a.fromNodeId)
          connections.push({ fromEdgeId: a.id, toEdgeId: b.id });
  return { nodes, edges, connections };
}
