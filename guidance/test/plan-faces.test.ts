import { describe, expect, it } from 'vitest';
import {
  findContradictions,
  type GuidanceSign,
  type GuidanceSituation,
  planFaces,
  planFallbackFaces,
} from '../src/index.js';

const settings = { fullAtFree: 0, reopenAtFree: 3, maxUnknownPct: 25 };
const PUBLIC = ['standard', 'family'];

// The hospital garage H of issue 16: zones B1 and B2, an approach sign showing the whole garage and the entrance
// sign showing B2.
const approach: GuidanceSign = {
  id: 'G-west',
  fallback: { text: '--' },
  lines: [{ lotId: 'H', kinds: PUBLIC, label: 'H', arrow: 'left' }],
};
const entrance: GuidanceSign = {
  id: 'entrance',
  fallback: { text: '--' },
  lines: [
    { lotId: 'H', zoneId: 'B1', kinds: PUBLIC, label: 'B1', arrow: 'down' },
    { lotId: 'H', zoneId: 'B2', kinds: PUBLIC, label: 'B2', arrow: 'ahead' },
  ],
};

function garage(b1Free: number, b2Free: number, reservations: GuidanceSituation['reservations']): GuidanceSituation {
  return {
    zones: [
      { lotId: 'H', zoneId: 'B1', byKind: { standard: { free: b1Free, occupied: 300 - b1Free, unknown: 0 } } },
      { lotId: 'H', zoneId: 'B2', byKind: { standard: { free: b2Free, occupied: 300 - b2Free, unknown: 0 } } },
    ],
    reservations,
  };
}

const values = (situation: GuidanceSituation, memory = new Set<string>()) =>
  planFaces([approach, entrance], situation, settings, memory).map((face) => face.lines.map((line) => line.value));

describe('planFaces', () => {
  it("withholds a zone's reservations only from that zone's free bays (the garage FULL while B2 had 152 free)", () => {
    // 90 reservations for B1, which has 5 free bays, and 85 for B2: B1's surplus cannot be honoured anywhere and hides
    // nothing; before, the garage line subtracted all 175 from 157 and showed FULL.
    const reservations = [
      ...Array.from({ length: 90 }, () => ({ lotId: 'H', zoneId: 'B1', kind: 'standard' })),
      ...Array.from({ length: 85 }, () => ({ lotId: 'H', zoneId: 'B2', kind: 'standard' })),
    ];
    expect(values(garage(5, 152, reservations))).toEqual([[67], ['FULL', 67]]);
  });

  it('places lot-wide reservations once, so the lot line is the sum of its zone lines', () => {
    const reservations = Array.from({ length: 7 }, () => ({ lotId: 'H', kind: 'standard' }));
    expect(values(garage(5, 4, reservations))).toEqual([[2], ['FULL', 2]]);
    // A named bay holds itself while free, and nothing once taken.
    const named = [{ lotId: 'H', kind: 'standard', bay: { zoneId: 'B2', isFree: true } }];
    expect(values(garage(5, 4, named))).toEqual([[8], [5, 3]]);
    expect(values(garage(5, 4, [{ ...named[0]!, bay: { zoneId: 'B2', isFree: false } }]))).toEqual([[9], [5, 4]]);
    // A reservation of a kind the line does not count holds none of its bays.
    expect(values(garage(5, 4, [{ lotId: 'H', kind: 'accessible' }]))).toEqual([[9], [5, 4]]);
  });

  it('keeps FULL until reopenAtFree (hysteresis per area)', () => {
    const memory = new Set<string>();
    expect(values(garage(0, 0, []), memory)).toEqual([['FULL'], ['FULL', 'FULL']]);
    expect(values(garage(0, 2, []), memory)).toEqual([['FULL'], ['FULL', 'FULL']]);
    expect(values(garage(3, 1, []), memory)).toEqual([[4], [3, 'FULL']]);
    expect(values(garage(0, 0, []), memory)).toEqual([['FULL'], ['FULL', 'FULL']]);
    expect(values(garage(1, 1, []), memory)).toEqual([['FULL'], ['FULL', 'FULL']]);
  });

  it('never keeps a line FULL by its memory while a line over bays within it shows free bays', () => {
    const memory = new Set<string>();
    const message = [{ label: '', arrow: 'none' as const, value: { text: 'EVENT' }, colour: 'amber' as const }];
    const during = { ...garage(0, 0, []), overrideOf: (id: string) => (id === 'entrance' ? message : undefined) };
    planFaces([approach, entrance], during, settings, memory);
    // The entrance sign's lines were not shown while the message was on, so B2 has no FULL memory: it shows 2 when
    // the message ends, and the garage line (2 free, below reopenAtFree) reopens with it instead of saying FULL.
    expect(values(garage(0, 2, []), memory)).toEqual([[2], ['FULL', 2]]);
  });

  it('shows CLOSED and FULL from an operator, and the fail-safe when too much is unknown', () => {
    const situation: GuidanceSituation = {
      ...garage(10, 10, []),
      statusOf: (lotId, zoneId) => (zoneId === 'B1' ? 'full' : undefined),
    };
    expect(values(situation)).toEqual([[20], ['FULL', 10]]);
    expect(values({ ...situation, closedByDefault: new Set(['H']), statusOf: undefined })).toEqual([
      ['CLOSED'],
      ['CLOSED', 'CLOSED'],
    ]);
    const blind = garage(10, 10, []);
    blind.zones[0]!.byKind.standard!.unknown = 300;
    const faces = planFaces([approach, entrance], blind, settings, new Set());
    expect(faces.map((f) => f.lines.map((l) => l.value))).toEqual([[{ text: '--' }], [{ text: '--' }, 10]]);
    expect(faces.map((f) => f.isFallback)).toEqual([true, true]);
    expect(faces[1]!.lines[0]).toMatchObject({ colour: 'amber' });
  });

  it('replaces a whole sign with an operator message while it is in force', () => {
    const faces = planFaces(
      [approach, entrance],
      {
        ...garage(10, 10, []),
        overrideOf: (id) =>
          id === 'entrance' ? [{ label: '', arrow: 'none', value: { text: 'EVENT' }, colour: 'amber' }] : undefined,
      },
      settings,
      new Set(),
    );
    expect(faces[1]).toMatchObject({ lines: [{ value: { text: 'EVENT' } }], reasons: ['override'] });
  });

  it('ranks the lines of a ranked sign by drive time plus gate wait, full lots last', () => {
    const sign: GuidanceSign = {
      id: 'S',
      fallback: 'FULL',
      ranked: { maxLines: 2 },
      lines: ['P1', 'P2', 'P3'].map((lotId, i) => ({
        lotId,
        kinds: ['standard'],
        label: lotId,
        arrow: 'ahead',
        driveS: 60 * (i + 1),
      })),
    };
    const zones = ['P1', 'P2', 'P3'].map((lotId) => ({
      lotId,
      zoneId: '',
      byKind: { standard: { free: lotId === 'P1' ? 0 : 10, occupied: 10, unknown: 0 } },
    }));
    const plan = (queueVeh: number) =>
      planFaces(
        [sign],
        { zones, reservations: [], gateQueues: new Map([['P2', { queueVeh, serviceVehPerMin: 6 }]]) },
        settings,
        new Set(),
      )[0]!;
    expect(plan(0).lines.map((l) => [l.label, l.value])).toEqual([
      ['P2', 10],
      ['P3', 10],
    ]);
    // 12 cars at a 6/min gate: two minutes' wait puts P2 behind P3.
    expect(plan(12).lines.map((l) => [l.label, l.value])).toEqual([
      ['P3', 10],
      ['P2', 10],
    ]);
  });

  it('puts every line on its fail-safe when the planner cannot run', () => {
    expect(planFallbackFaces([approach]).map((f) => f.lines)).toEqual([
      [{ label: 'H', arrow: 'left', value: { text: '--' }, colour: 'amber' }],
    ]);
  });

  it('finds a FULL line over bays another line shows free', () => {
    const faces = planFaces([approach, entrance], garage(0, 5, []), settings, new Set());
    expect(findContradictions(faces)).toEqual([]);
    const forged = faces.map((f) => ({ ...f, lines: [...f.lines] }));
    forged[0]!.lines[0] = { ...forged[0]!.lines[0]!, value: 'FULL' };
    forged[0]!.reasons = ['full'];
    expect(findContradictions(forged)).toEqual([
      { full: { signId: 'G-west', line: 0 }, free: { signId: 'entrance', line: 1 } },
    ]);
  });
});
