import { SeededRandom } from '@citybay/common';
import { describe, expect, it } from 'vitest';
import type { RoadNetwork } from '../../src/model/index.js';
import { createRouter } from '../../src/routing/shortest-paths.js';
import { gridNetwork } from './grid-network.js';

// Bellman-Ford on the edge graph: slow but obviously right.
function referenceCosts(network: RoadNetwork, cost: number[], from: number): number[] {
  const index = new Map(network.edges.map((e, i) => [e.id, i]));
  const dist = network.edges.map(() => Number.POSITIVE_INFINITY);
  dist[from] = cost[from] ?? 0;
  for (let round = 0; round < network.edges.length; round++) {
    let changed = false;
    for (const c of network.connections) {
      const a = index.get(c.fromEdgeId) ?? -1;
      const b = index.get(c.toEdgeId) ?? -1;
      const candidate = (dist[a] ?? Number.POSITIVE_INFINITY) + (cost[b] ?? 0);
      if (candidate < (dist[b] ?? Number.POSITIVE_INFINITY)) {
        dist[b] = candidate;
        changed = true;
      }
    }
    if (!changed) break;
  }
  return dist;
}

describe('createRouter', () => {
  it('finds the free-flow shortest path and counts both end edges', () => {
    const router = createRouter(gridNetwork(3));
    const path = router.shortestPath('n0_0-n1_0', 'n2_1-n2_2');
    expect(path?.edgeIds[0]).toBe('n0_0-n1_0');
    expect(path?.edgeIds.at(-1)).toBe('n2_1-n2_2');
    expect(path?.edgeIds).toHaveLength(4);
    expect(path?.costS).toBeCloseTo(40);
  });

  it('respects turn bans given by the connections', () => {
    const network = gridNetwork(3);
    // Ban the left turn from the bottom street into the middle avenue; the car must go round.
    network.connections = network.connections.filter(
      (c) => !(c.fromEdgeId === 'n0_0-n1_0' && c.toEdgeId === 'n1_0-n1_1'),
    );
    const router = createRouter(network);
    const path = router.shortestPath('n0_0-n1_0', 'n1_0-n1_1');
    expect(path?.edgeIds).not.toEqual(['n0_0-n1_0', 'n1_0-n1_1']);
    expect(path?.costS).toBeGreaterThan(20);
  });

  it('returns undefined when the target cannot be reached', () => {
    const network = gridNetwork(2);
    network.connections = network.connections.filter((c) => c.toEdgeId !== 'n0_0-n1_0');
    const router = createRouter(network);
    expect(router.shortestPath('n1_1-n0_1', 'n0_0-n1_0')).toBeUndefined();
    expect(router.treeTo('n0_0-n1_0').pathFrom('n1_1-n0_1')).toBeUndefined();
  });

  it('derives connections from the topology when the network lists none', () => {
    const withList = createRouter(gridNetwork(4, true));
    const without = createRouter(gridNetwork(4, false));
    expect(without.shortestPath('n0_0-n1_0', 'n3_2-n3_3')?.costS).toBe(
      withList.shortestPath('n0_0-n1_0', 'n3_2-n3_3')?.costS,
    );
  });

  it('agrees with Bellman-Ford for random edge costs, one-to-all and all-to-one', () => {
    const network = gridNetwork(6);
    const router = createRouter(network);
    const random = new SeededRandom(7);
    for (let trial = 0; trial < 5; trial++) {
      const cost = network.edges.map(() => 1 + random.next() * 50);
      const costs = Float64Array.from(cost);
      const source = random.int(0, network.edges.length);
      const reference = referenceCosts(network, cost, source);
      const sourceId = router.edgeId(source);
      const from = router.treeFrom(sourceId, costs);
      reference.forEach((d, i) => {
        expect(from.costS[i]).toBeCloseTo(d, 9);
      });
      for (let target = 0; target < network.edges.length; target += 7) {
        const targetId = router.edgeId(target);
        const to = router.treeTo(targetId, costs);
        expect(to.costS[source]).toBeCloseTo(reference[target] ?? Number.NaN, 9);
        const path = router.shortestPath(sourceId, targetId, costs);
        expect(path?.costS).toBeCloseTo(reference[target] ?? Number.NaN, 9);
        // The path is a real route: consecutive edges are connected and its cost adds up.
        const walked = to.pathFrom(sourceId);
        expect(walked?.edgeIds[0]).toBe(sourceId);
        expect(walked?.edgeIds.at(-1)).toBe(targetId);
        const sum = (walked?.edgeIds ?? []).reduce((s, id) => s + (cost[router.edgeIndex(id)] ?? 0), 0);
        expect(sum).toBeCloseTo(walked?.costS ?? Number.NaN, 9);
      }
    }
  });

  it('rejects a cost array of the wrong length and unknown edges', () => {
    const router = createRouter(gridNetwork(2));
    expect(() => router.treeTo('n0_0-n1_0', new Float64Array(1))).toThrow(RangeError);
    expect(() => router.shortestPath('nope', 'n0_0-n1_0')).toThrow(/unknown edge "nope"/);
  });

  it("settles a lazy tree as far as asked, with the full tree's values bit for bit (equal-cost ties included)", () => {
    // A uniform grid has many equal-cost routes: the lazy search must break every tie as the full one does.
    const network = gridNetwork(6);
    const router = createRouter(network);
    const random = new SeededRandom(7);
    for (const target of [0, 17, network.edges.length - 1]) {
      const full = router.treeTo(network.edges[target]!.id);
      const lazy = router.lazyTreeTo(target);
      // Ask in a random order, so the search pauses and resumes at many depths, then everything again.
      const order = Array.from({ length: network.edges.length }, (_, i) => i);
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(random.next() * (i + 1));
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
      for (const edge of [...order, ...order]) {
        expect(Object.is(lazy.costS(edge), full.costS[edge])).toBe(true);
        expect(lazy.nextEdge(edge)).toBe(full.nextEdge[edge]);
      }
    }
    expect(() => router.lazyTreeTo(network.edges.length)).toThrow(RangeError);
  });
});
