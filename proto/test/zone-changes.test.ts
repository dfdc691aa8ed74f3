import { isCitybayError } from '@citybay/common';
import { describe, expect, it } from 'vitest';
import { SampleSite } from '../src/testing/index.js';
import { decodeSyncRequest, encodeSyncRequest } from '../src/wire-codec.js';
import { BayKind } from '../src/wire-types.js';
import { decodeZoneChanges, encodeZoneChanges, resolveZoneChanges } from '../src/zone-changes.js';

describe('zone changes', () => {
  const snapshotZones = [
    { lotId: 'P1', zoneId: 'A' },
    { lotId: 'P1', zoneId: 'B' },
    { lotId: 'P2', zoneId: '' },
  ];

  it('round-trips groups of five and resolves indices against the snapshot order', () => {
    const changes = [
      { zoneIndex: 2, kind: BayKind.BAY_KIND_EV, free: 3, occupied: 9, unknown: 1 },
      { zoneIndex: 0, kind: BayKind.BAY_KIND_STANDARD, free: 40, occupied: 160, unknown: 0 },
    ];
    const values = encodeZoneChanges(changes);
    expect(values).toHaveLength(10);
    expect(decodeZoneChanges(values)).toEqual(changes);
    expect(resolveZoneChanges(values, snapshotZones)).toEqual([
      { lotId: 'P2', zoneId: '', kind: BayKind.BAY_KIND_EV, free: 3, occupied: 9, unknown: 1 },
      { lotId: 'P1', zoneId: 'A', kind: BayKind.BAY_KIND_STANDARD, free: 40, occupied: 160, unknown: 0 },
    ]);
  });

  it('names the change whose zone index the snapshot does not have', () => {
    const values = encodeZoneChanges([
      { zoneIndex: 1, kind: BayKind.BAY_KIND_STANDARD, free: 1, occupied: 1, unknown: 0 },
      { zoneIndex: 7, kind: BayKind.BAY_KIND_STANDARD, free: 1, occupied: 1, unknown: 0 },
    ]);
    try {
      resolveZoneChanges(values, snapshotZones, 'summaries[3].zoneChanges');
      expect.unreachable();
    } catch (err) {
      expect(isCitybayError(err, 'CB_WIRE_INVALID')).toBe(true);
      expect((err as { path: string }).path).toBe('summaries[3].zoneChanges[5]');
    }
  });

  it('keeps the counts of a sample site consistent from snapshot through changes', () => {
    const site = new SampleSite({ bayCount: 300, seed: 5 });
    const request = decodeSyncRequest(encodeSyncRequest(site.syncRequest(1, 4)));
    const zones = request.summaries![0]!.zones!;
    const live = new Map(zones.flatMap((z) => z.kinds!.map((k) => [`${z.lotId}/${z.zoneId}/${k.kind}`, k.free])));
    for (const summary of request.summaries!.slice(1)) {
      for (const change of resolveZoneChanges(summary.zoneChanges!, zones)) {
        live.set(`${change.lotId}/${change.zoneId}/${change.kind}`, change.free);
      }
    }
    const final = site.zoneCounts(site.states);
    for (const zone of final) {
      for (const kind of zone.kinds!) expect(live.get(`${zone.lotId}/${zone.zoneId}/${kind.kind}`)).toBe(kind.free);
    }
  });
});
