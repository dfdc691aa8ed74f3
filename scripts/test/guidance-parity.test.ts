import { FUZZ_RUNS, FUZZ_TIMEOUT_MS } from '@citybay/common/testing';
import {
  activeDirectives,
  buildSiteLayout,
  type GuidanceMemory,
  planSignMessages,
  type SiteFile,
  SiteState,
} from '@citybay/edge';
import type { DeviceReading } from '@citybay/firmware-bridge';
import { AreaStatus, BayKind, type Directives } from '@citybay/proto';
import {
  BAY_KINDS,
  DEFAULT_TRAFFIC_PARAMS,
  LinkGraph,
  LotState,
  type RoadNetwork,
  SignBoard,
  type SignSpec,
  type SimLot,
} from '@citybay/sim';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

// Issue 16: the edge and the simulator run one guidance policy. The same situations — bays taken per lot and kind,
// reservations in force, a lot closed for an hour — go through the edge's path (site file, sensor readings, central's
// directives, planSignMessages) and the simulator's (lots, pre-assigned cars on their way, opening hours, SignBoard),
// step after step so the hysteresis is exercised, and the faces must be identical.
const GUIDANCE = { fullAtFree: 0, reopenAtFree: 3, maxUnknownPct: 25 };
const SIGNS = [
  {
    id: 'S',
    lines: [
      { lot: 'P1', arrow: 'left' as const },
      { lot: 'P2', label: 'P-2', arrow: 'right' as const },
    ],
  },
  { id: 'T', lines: [{ lot: 'P2', arrow: 'ahead' as const }] },
];
/** P2 is closed 10:00–11:00 (sim: opening hours; edge: an operator's CLOSED). */
const P2_CLOSED_MIN = [600, 660];

const site: SiteFile = {
  site: { id: 'parity' },
  edge: { id: 'edge-parity' },
  configVersion: 'v1',
  buses: [
    {
      id: 'bus1',
      transport: 'tcp',
      host: '127.0.0.1',
      port: 1502,
      devices: [
        { id: 'ctrl-1', profile: 'bit-per-bay-64', unitId: 1 },
        { id: 'ctrl-2', profile: 'bit-per-bay-64', unitId: 2 },
      ],
    },
  ],
  lots: [
    { id: 'P1', zones: [{ id: 'Z', bays: [{ prefix: 'A', count: 16, device: 'ctrl-1', deviceBay: 0 }] }] },
    {
      id: 'P2',
      zones: [
        {
          id: 'Z',
          bays: [
            { prefix: 'B', count: 8, device: 'ctrl-2', deviceBay: 0 },
            { prefix: 'F', count: 4, kind: 'family', device: 'ctrl-2', deviceBay: 8 },
          ],
        },
      ],
    },
  ],
  signs: SIGNS.map((sign) => ({
    id: sign.id,
    location: 'approach',
    driver: { type: 'virtual' as const, lines: 2 },
    lines: sign.lines,
  })),
  central: { url: 'http://127.0.0.1:1', secret: `cbk_${'A'.repeat(43)}` },
  outbox: { path: 'outbox.db' },
};

const network: RoadNetwork = {
  nodes: [
    { id: 'a', xM: 0, yM: 0 },
    { id: 'b', xM: 200, yM: 0 },
    { id: 'c', xM: 200, yM: 100 },
    { id: 'd', xM: 200, yM: -100 },
  ],
  edges: [
    { id: 'in', fromNodeId: 'a', toNodeId: 'b', lengthM: 200, speedMps: 10, laneCount: 1, priority: 1 },
    { id: 'g1', fromNodeId: 'b', toNodeId: 'c', lengthM: 100, speedMps: 5, laneCount: 1, priority: 1 },
    { id: 'g2', fromNodeId: 'b', toNodeId: 'd', lengthM: 100, speedMps: 5, laneCount: 1, priority: 1 },
  ],
  connections: [
    { fromEdgeId: 'in', toEdgeId: 'g1' },
    { fromEdgeId: 'in', toEdgeId: 'g2' },
  ],
};

function simLot(id: string, entryEdgeId: string, capacityByKind: SimLot['lot']['zones'][number]['capacityByKind']) {
  const openingHours =
    id === 'P2'
      ? [
          { fromMin: 0, toMin: P2_CLOSED_MIN[0]! },
          { fromMin: P2_CLOSED_MIN[1]!, toMin: 1440 },
        ]
      : [];
  return {
    lot: {
      id,
      name: id,
      entryEdgeId,
      zones: [{ id: 'Z', capacityByKind }],
      gateServiceVehPerMin: 6,
      openingHours,
      capacityWindows: [],
      walkTimeSByEntrance: {},
      reserveByKind: {},
    },
    role: 'hospital' as const,
    isOpenToHospital: true,
  };
}

/** One moment: bays taken per lot and kind, reservations in force per lot (standard bays), and the time. */
interface Step {
  minute: number;
  p1Taken: number;
  p2StandardTaken: number;
  p2FamilyTaken: number;
  p1Held: number;
  p2Held: number;
}

function bayReading(deviceId: string, atMs: number, isTaken: (bay: number) => boolean): DeviceReading {
  return {
    deviceId,
    unitId: 1,
    atMs,
    health: 'ok',
    bays: Array.from({ length: 64 }, (_, bay) => ({ bay, state: isTaken(bay) ? 'occupied' : 'free' })),
    counters: {},
    status: {},
    points: { bays: { value: null, lastGoodMs: atMs, isStale: false } },
  };
}

function edgePath(): (step: Step) => unknown[] {
  const state = new SiteState({ layout: buildSiteLayout(site), debounceMs: 0, deviceStaleMs: 3_600_000 });
  const memory: GuidanceMemory = new Set();
  return (step) => {
    const nowMs = step.minute * 60_000;
    state.applyReading(
      bayReading('ctrl-1', nowMs, (bay) => bay < step.p1Taken),
      nowMs,
    );
    state.applyReading(
      bayReading('ctrl-2', nowMs, (bay) => (bay < 8 ? bay < step.p2StandardTaken : bay - 8 < step.p2FamilyTaken)),
      nowMs,
    );
    const reservation = (lotId: string, i: number) => ({
      reservationId: `${lotId}-${i}`,
      lotId,
      kind: BayKind.BAY_KIND_STANDARD,
      validFromMs: 0,
      validUntilMs: nowMs + 1,
    });
    const directives: Directives = {
      siteId: 'parity',
      version: 1,
      reservations: [
        ...Array.from({ length: step.p1Held }, (_, i) => reservation('P1', i)),
        ...Array.from({ length: step.p2Held }, (_, i) => reservation('P2', i)),
      ],
      lotOverrides: [
        {
          lotId: 'P2',
          status: AreaStatus.AREA_STATUS_CLOSED,
          validFromMs: P2_CLOSED_MIN[0]! * 60_000,
          validUntilMs: P2_CLOSED_MIN[1]! * 60_000,
        },
      ],
    };
    return planSignMessages({
      state,
      directives: activeDirectives(directives, nowMs),
      signs: site.signs!,
      guidance: GUIDANCE,
      memory,
      closedByDefault: new Set(),
    }).map((planned) => planned.message.lines);
  };
}

function simPath(): (step: Step) => unknown[] {
  const lots: SimLot[] = [simLot('P1', 'g1', { standard: 16 }), simLot('P2', 'g2', { standard: 8, family: 4 })];
  const graph = new LinkGraph(network, DEFAULT_TRAFFIC_PARAMS);
  const lotState = new LotState(lots, (edgeId) => graph.router.edgeIndex(edgeId));
  const signs: SignSpec[] = SIGNS.map((sign) => ({
    id: sign.id,
    edgeId: 'in',
    lines: sign.lines.map((line) => ({
      lotId: line.lot,
      arrow: line.arrow,
      ...('label' in line ? { label: line.label } : {}),
    })),
  }));
  const board = new SignBoard(graph, network, lotState, signs, 1, GUIDANCE);
  const kind = (name: (typeof BAY_KINDS)[number]) => BAY_KINDS.indexOf(name);
  const set = (array: Int32Array, index: number, value: number) => {
    array[index] = value;
  };
  return (step) => {
    set(lotState.occupied, 0 * BAY_KINDS.length + kind('standard'), step.p1Taken);
    set(lotState.occupied, 1 * BAY_KINDS.length + kind('standard'), step.p2StandardTaken);
    set(lotState.occupied, 1 * BAY_KINDS.length + kind('family'), step.p2FamilyTaken);
    // The bays held now, as windows around this minute (how a plan's withheld bays reach the board).
    const held = (lotId: string, count: number) =>
      Array.from({ length: count }, () => ({
        lotId,
        kind: 'standard' as const,
        fromS: step.minute * 60,
        untilS: step.minute * 60 + 1,
      }));
    board.setWithheldBays([...held('P1', step.p1Held), ...held('P2', step.p2Held)]);
    board.maybeRefresh(step.minute * 60, new Int32Array(lots.length));
    return board.faces().map((face) => face.lines);
  };
}

function compare(steps: readonly Step[]): unknown[][] {
  const edge = edgePath();
  const sim = simPath();
  const shown: unknown[][] = [];
  for (const step of steps) {
    const edgeFaces = edge(step);
    expect(sim(step), `at minute ${step.minute}`).toEqual(edgeFaces);
    shown.push(edgeFaces);
  }
  return shown;
}

describe('guidance parity: the edge and the simulator show the same faces', () => {
  it('through FULL, hysteresis, reservations and a closed lot', () => {
    const at = (minute: number, p1Taken: number, p2StandardTaken: number, p1Held = 0, p2Held = 0): Step => ({
      minute,
      p1Taken,
      p2StandardTaken,
      p2FamilyTaken: 4,
      p1Held,
      p2Held,
    });
    const shown = compare([
      at(540, 10, 2),
      at(545, 16, 2),
      at(550, 14, 2), // 2 free: still FULL (reopens at 3)
      at(555, 13, 2), // 3 free: a count again
      at(560, 13, 2, 3), // 3 free, 3 held: FULL
      at(605, 10, 8, 0, 2), // P2 closed
      at(665, 10, 6, 0, 2), // P2 open, 2 free, 2 held: FULL
    ]);
    expect(shown.map((faces) => (faces as Array<Array<{ value: unknown }>>).map((l) => l.map((x) => x.value)))).toEqual(
      [
        [[6, 6], [6]],
        [['FULL', 6], [6]],
        [['FULL', 6], [6]],
        [[3, 6], [6]],
        [['FULL', 6], [6]],
        [[6, 'CLOSED'], ['CLOSED']],
        [[6, 'FULL'], ['FULL']],
      ],
    );
  });

  it(
    'for any sequence of situations',
    () => {
      const stepArb = fc.record({
        p1Taken: fc.integer({ min: 0, max: 16 }),
        p2StandardTaken: fc.integer({ min: 0, max: 8 }),
        p2FamilyTaken: fc.integer({ min: 0, max: 4 }),
        p1Held: fc.integer({ min: 0, max: 6 }),
        p2Held: fc.integer({ min: 0, max: 6 }),
        gapMin: fc.integer({ min: 1, max: 40 }),
      });
      fc.assert(
        fc.property(fc.array(stepArb, { minLength: 1, maxLength: 12 }), (raw) => {
          let minute = 540;
          compare(raw.map(({ gapMin, ...step }) => ({ ...step, minute: (minute += gapMin) })));
        }),
        { numRuns: Math.max(20, Math.floor(FUZZ_RUNS / 10)) },
      );
    },
    FUZZ_TIMEOUT_MS,
  );
});
