import { isCitybayError } from '@citybay/common';
import { describe, expect, it } from 'vitest';
import { lotCapacityOfKind, parseLotsFile } from '../../src/scenario/lots-file.js';

const GOOD = `
lots:
  - id: hospital
    name: Hospital garage
    entryEdgeId: e_gate
    gateServiceVehPerMin: 6.5
    zones:
      - { id: A, capacityByKind: { standard: 300, accessible: 20 } }
      - { id: B, capacityByKind: { standard: 80, family: 10 } }
    walkTimeSByEntrance: { main: 60, outpatient: 120 }
    reserveByKind: { accessible: 4 }
    capacityWindows:
      - { kind: standard, capacityBays: 250, from: "06:00", to: "09:00" }
  - id: school
    entryEdgeId: e_school
    gateServiceVehPerMin: 4
    capacityByKind: { standard: 546 }
    openingHours: ["07:00-12:00", "13:00-17:30"]
`;

function expectLotsError(text: string, path: string): void {
  try {
    parseLotsFile(text, 'lots.yaml');
  } catch (err) {
    expect(isCitybayError(err, 'CB_LOTS_INVALID')).toBe(true);
    expect((err as { path?: string }).path).toBe(path);
    expect((err as Error).message).toContain('lots.yaml');
    return;
  }
  throw new Error('expected CB_LOTS_INVALID');
}

describe('parseLotsFile', () => {
  it('parses zones, windows, opening hours and the one-zone shorthand', () => {
    const lots = parseLotsFile(GOOD, 'lots.yaml');
    expect(lots.map((lot) => lot.id)).toEqual(['hospital', 'school']);
    const [hospital, school] = lots;
    expect(hospital?.zones).toHaveLength(2);
    expect(lotCapacityOfKind(hospital!, 'standard')).toBe(380);
    expect(hospital?.capacityWindows).toEqual([{ kind: 'standard', capacityBays: 250, fromMin: 360, toMin: 540 }]);
    expect(hospital?.reserveByKind).toEqual({ accessible: 4 });
    expect(school?.name).toBe('school');
    expect(school?.zones).toEqual([{ id: 'main', capacityByKind: { standard: 546 } }]);
    expect(school?.openingHours).toEqual([
      { fromMin: 420, toMin: 720 },
      { fromMin: 780, toMin: 1050 },
    ]);
    expect(school?.walkTimeSByEntrance).toEqual({});
  });

  it('reads JSON as well', () => {
    const lots = parseLotsFile(
      JSON.stringify({ lots: [{ id: 'p', entryEdgeId: 'e', gateServiceVehPerMin: 1, capacityByKind: { ev: 3 } }] }),
      'lots.json',
    );
    expect(lotCapacityOfKind(lots[0]!, 'ev')).toBe(3);
  });

  it('names the field of an unknown bay kind', () => {
    expectLotsError(GOOD.replace('family: 10', 'golf: 10'), 'lots[0].zones[1].capacityByKind.golf');
  });

  it('rejects a lot without capacity', () => {
    expectLotsError('lots:\n  - { id: p, entryEdgeId: e, gateServiceVehPerMin: 2 }\n', 'lots[0].capacityByKind');
    expectLotsError(
      'lots:\n  - { id: p, entryEdgeId: e, gateServiceVehPerMin: 2, capacityByKind: { standard: 0 } }\n',
      'lots[0].capacityByKind',
    );
  });

  it('rejects a missing entry edge, a zero gate rate, bad windows and duplicates', () => {
    expectLotsError(
      'lots:\n  - { id: p, gateServiceVehPerMin: 2, capacityByKind: { standard: 1 } }\n',
      'lots[0].entryEdgeId',
    );
    expectLotsError(GOOD.replace('gateServiceVehPerMin: 4', 'gateServiceVehPerMin: 0'), 'lots[1].gateServiceVehPerMin');
    expectLotsError(GOOD.replace('"13:00-17:30"', '"17:30-13:00"'), 'lots[1].openingHours[1]');
    expectLotsError(GOOD.replace('id: school', 'id: hospital'), 'lots[1].id');
    expectLotsError('lots: []\n', 'lots');
    expectLotsError('lots: [', '(root)');
  });
});
