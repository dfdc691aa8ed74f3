import { AreaStatus, BayKind, type Directives } from '@citybay/proto';
import { describe, expect, it } from 'vitest';
import { activeDirectives } from '../../src/core/active-directives.js';

const HOUR_MS = 3_600_000;
const T0 = 1_800_000_000_000;

const directives: Directives = {
  siteId: 's',
  version: 3,
  reservations: [
    {
      reservationId: 'r',
      lotId: 'H',
      zoneId: '',
      kind: BayKind.BAY_KIND_STANDARD,
      validFromMs: T0 + 24 * HOUR_MS,
      validUntilMs: T0 + 25 * HOUR_MS,
    },
  ],
  lotOverrides: [
    { lotId: 'H', zoneId: '', status: AreaStatus.AREA_STATUS_CLOSED, validFromMs: T0, validUntilMs: T0 + HOUR_MS },
  ],
};

describe('activeDirectives', () => {
  it('judges reservations on their own calendar (the demo’s simulated day) and overrides on the wall clock', () => {
    const wall = activeDirectives(directives, T0 + 60_000);
    expect(wall.reservations).toEqual([]);
    expect(wall.areaStatus('H', undefined)).toBe(AreaStatus.AREA_STATUS_CLOSED);
    const demo = activeDirectives(directives, T0 + 60_000, T0 + 24.5 * HOUR_MS);
    expect(demo.reservations.map((r) => r.reservationId)).toEqual(['r']);
    expect(demo.areaStatus('H', undefined)).toBe(AreaStatus.AREA_STATUS_CLOSED);
    expect(activeDirectives(directives, T0 + 2 * HOUR_MS, T0 + 26 * HOUR_MS).reservations).toEqual([]);
  });
});
