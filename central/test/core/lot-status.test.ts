import { AreaStatus } from '@citybay/proto';
import { describe, expect, it } from 'vitest';
import { siteStatus } from '../../src/core/lot-status.js';
import type { SiteDefinition } from '../../src/core/site-definition.js';
import type { ZoneState } from '../../src/store/store.js';

const NOW = 1_795_000_000_000;
const site: SiteDefinition = {
  id: 's',
  name: 'S',
  location: [0, 0],
  entrances: [],
  lots: [
    {
      id: 'A',
      name: 'A',
      geometry: { type: 'Point', coordinates: [0, 0] },
      capacity: { standard: 100 },
      zones: [{ id: 'z1' }, { id: 'z2' }],
    },
    { id: 'G', name: 'G', geometry: { type: 'Point', coordinates: [0, 0] }, capacity: { standard: 50 }, zones: [] },
  ],
};
const zone = (lotId: string, zoneId: string, free: number, occupied: number, windowEndMs = NOW - 1000): ZoneState => ({
  siteId: 's',
  lotId,
  zoneId,
  kinds: { standard: { free, occupied, unknown: 0 } },
  free,
  occupied,
  unknown: 0,
  windowEndMs,
  edgeId: 'e',
  seq: 1,
});
const rules = { staleAfterMs: 600_000, almostFullPct: 90 };

describe('siteStatus', () => {
  it('sums zones, subtracts active reservations and grades the status', () => {
    const status = siteStatus(
      site,
      [zone('A', 'z1', 3, 47), zone('A', 'z2', 4, 46), zone('G', '', 20, 30)],
      { reservations: [{ reservationId: 'r', lotId: 'A', kind: 1, validFromMs: NOW - 1, validUntilMs: NOW + 1 }] },
      NOW,
      rules,
    );
    const [a, g] = status.lots;
    expect(a).toMatchObject({ free: 7, occupied: 93, reserved: 1, vacant: 6, occupancyPct: 93, status: 'almostFull' });
    expect(g).toMatchObject({ vacant: 20, status: 'spacesAvailable' });
    expect(status).toMatchObject({ capacity: 150, vacant: 26, status: 'spacesAvailable' });
  });

  it('publishes a closed lot with 0 vacant, a lot without free bays as full, and stale counts as unknown', () => {
    const status = siteStatus(
      site,
      [zone('A', 'z1', 0, 50), zone('A', 'z2', 0, 50), zone('G', '', 20, 30, NOW - 700_000)],
      { lotOverrides: [{ lotId: 'G', status: AreaStatus.AREA_STATUS_CLOSED }] },
      NOW,
      rules,
    );
    expect(status.lots[0]).toMatchObject({ status: 'full', vacant: 0 });
    expect(status.lots[1]).toMatchObject({ status: 'closed', vacant: 0 });
    const stale = siteStatus(site, [zone('G', '', 20, 30, NOW - 700_000)], {}, NOW, rules);
    expect(stale.lots[1]?.status).toBe('unknown');
    expect(stale.lots[0]?.status).toBe('unknown');
  });
});
