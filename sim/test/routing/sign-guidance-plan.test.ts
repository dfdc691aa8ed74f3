import { describe, expect, it } from 'vitest';
import { SeededRandom } from '@citybay/common';
import { planSignGuidance, SignGuidanceTable, type GuidanceLotState } from '../../src/routing/sign-guidance-plan.js';
import { createRouter } from '../../src/routing/shortest-paths.js';
import { gridNetwork } from './grid-network.js';

// 5×5 grid, y grows north. P1 gate on the east side, P2 on the west side, P3 in the north-east corner.
const network = gridNetwork(5);
const lots: GuidanceLotState[] = [
  { lotId: 'P1', entryEdgeId: 'n3_2-n4_2', freeBaysByKind: { standard: 40 }, gateServiceVehPerMin: 6 },
  { lotId: 'P2', entryEdgeId: 'n1_2-n0_2', freeBaysByKind: { standard: 25 }, gateServiceVehPerMin: 6 },
  { lotId: 'P3', entryEdgeId: 'n4_3-n4_4', freeBaysByKind: { standard: 0 }, gateServiceVehPerMin: 6 },
];

describe('planSignGuidance', () => {
  it('shows free lots by drive time with the first turn of the shortest path, full lots last', () => {
    const [plan] = planSignGuidance(network, [{ signId: 'S1', edgeId: 'n2_0-n2_1' }], lots);
    expect(plan?.lines.map((l) => l.lotId)).toEqual(['P1', 'P2', 'P3']);
    expect(plan?.recommendedLotId).toBe('P1');
    const byLot = new Map(plan?.lines.map((l) => [l.lotId, l]));
    expect(byLot.get('P3')?.isFull).toBe(true);
    const router = createRouter(network);
    for (const line of plan?.lines ?? []) {
      const entry = lots.find((l) => l.lotId === line.lotId)?.entryEdgeId ?? '';
      const path = router.shortestPath('n2_0-n2_1', entry);
      expect(line.driveS).toBeCloseTo(path?.costS ?? Number.NaN, 9);
      // The arrow's edge starts a shortest path too (the grid has ties, so compare costs, not edges).
      const rest = router.shortestPath(line.nextEdgeId ?? '', entry);
      expect(10 + (rest?.costS ?? Number.NaN)).toBeCloseTo(line.driveS, 9);
      expect([...router.successors(router.edgeIndex('n2_0-n2_1'))].map((i) => router.edgeId(i))).toContain(
        line.nextEdgeId,
      );
    }
  });

  it('points straight on, left, right or "here" from the junction geometry', () => {
    const plans = planSignGuidance(
      network,
      [
        { signId: 'east-bound', edgeId: 'n2_2-n3_2' },
        { signId: 'at-gate', edgeId: 'n3_2-n4_2' },
        { signId: 'north-bound', edgeId: 'n4_1-n4_2' },
      ],
      lots.slice(0, 1),
    );
    expect(plans.map((p) => p.lines[0]?.arrow)).toEqual(['straight', 'here', 'straight']);
    const [south] = planSignGuidance(network, [{ signId: 'south-bound', edgeId: 'n3_3-n3_2' }], lots.slice(0, 1));
    // Heading south (−y) and turning to +x is a left turn.
    expect(south?.lines[0]).toMatchObject({ arrow: 'left', nextEdgeId: 'n3_2-n4_2' });
  });

  it('splits traffic by gate queue before a lot fills', () => {
    const queued = lots.map((l) => (l.lotId === 'P1' ? { ...l, gateQueueVeh: 30 } : l));
    const [plan] = planSignGuidance(network, [{ signId: 'S1', edgeId: 'n2_0-n2_1' }], queued);
    expect(plan?.recommendedLotId).toBe('P2');
    expect(plan?.lines[0]?.gateWaitS).toBe(0);
    expect(plan?.lines[1]).toMatchObject({ lotId: 'P1', gateWaitS: 300 });
  });

  it('following the arrows from sign to sign drives the shortest path to a lot with free bays', () => {
    const router = createRouter(network);
    // A sign on every edge: the strictest check of consistency between successive signs.
    const signs = network.edges.map((e) => ({ signId: `sign-${e.id}`, edgeId: e.id, maxLots: 1 }));
    const plans = new Map(planSignGuidance(network, signs, lots).map((p) => [p.edgeId, p]));
    for (const start of ['n0_0-n1_0', 'n4_4-n3_4', 'n2_2-n2_3']) {
      const edges = [start];
      let lotId: string | undefined;
      for (let step = 0; step < 50; step++) {
        const line = plans.get(edges.at(-1) ?? '')?.lines[0];
        expect(line?.isFull).toBe(false);
        lotId = line?.lotId;
        if (line?.arrow === 'here') break;
        edges.push(line?.nextEdgeId ?? '');
      }
      const lot = lots.find((l) => l.lotId === lotId);
      expect(lot?.freeBaysByKind.standard).toBeGreaterThan(0);
      expect(edges.at(-1)).toBe(lot?.entryEdgeId);
      const drivenS = edges.reduce((sum, id) => sum + (router.freeFlowCostS[router.edgeIndex(id)] ?? Number.NaN), 0);
      expect(drivenS).toBeCloseTo(router.shortestPath(start, lot?.entryEdgeId ?? '')?.costS ?? Number.NaN, 9);
      edges.slice(1).forEach((id, k) => {
        expect([...router.successors(router.edgeIndex(edges[k] ?? ''))].map((i) => router.edgeId(i))).toContain(id);
      });
    }
  });

  it('leaves closed lots off and rejects an unknown sign edge', () => {
    const closed = lots.map((l) => (l.lotId === 'P1' ? { ...l, isOpen: false } : l));
    const [plan] = planSignGuidance(network, [{ signId: 'S1', edgeId: 'n2_0-n2_1', maxLots: 5 }], closed, {
      showFull: false,
    });
    expect(plan?.lines.map((l) => l.lotId)).toEqual(['P2']);
    expect(() => planSignGuidance(network, [{ signId: 'S9', edgeId: 'nowhere' }], lots)).toThrow(/S9/);
  });
});

describe('SignGuidanceTable', () => {
  it('plans, for any lot state, the faces the one-off plan gives', () => {
    const router = createRouter(network);
    const signs = network.edges.filter((_, i) => i % 3 === 0).map((e) => ({ signId: `sign-${e.id}`, edgeId: e.id }));
    const table = new SignGuidanceTable(router, signs, lots, undefined, network);
    const random = new SeededRandom(7);
    for (let trial = 0; trial < 200; trial++) {
      // Small counts and queues so that ties, full lots and closed lots all occur.
      const states = lots.map((lot) => ({
        ...lot,
        freeBaysByKind: { standard: random.int(0, 3) },
        gateQueueVeh: random.int(0, 3),
        isOpen: random.next() > 0.2,
      }));
      const plans = table.plan(states);
      expect(plans).toEqual(planSignGuidance(router, signs, states, {}, network));
    }
  });

  it('rejects an unknown sign edge when built', () => {
    expect(() => new SignGuidanceTable(createRouter(network), [{ signId: 'S9', edgeId: 'nowhere' }], lots)).toThrow(
      /S9/,
    );
  });
});
