import type { SyncRequest } from '@citybay/proto';
import { errors } from '../errors.js';
import type { SiteDefinition } from './site-definition.js';

/** Lot id → its zone ids, for fast membership checks on the ingest path. */
export type SiteIndex = ReadonlyMap<string, ReadonlySet<string>>;

export function indexSite(site: SiteDefinition): SiteIndex {
  return new Map(site.lots.map((lot) => [lot.id, new Set(lot.zones.map((z) => z.id))]));
}

/**
 * Rejects a batch that names a lot or zone the site does not have (`CB_SYNC_UNKNOWN_AREA`, with the path),
 * so nothing of it is stored. Zone "" (the whole lot) is allowed only for lots defined without zones.
 */
export function checkRequestAgainstSite(request: SyncRequest, siteId: string, index: SiteIndex): void {
  (request.summaries ?? []).forEach((summary, i) => {
    (summary.zones ?? []).forEach((zone, z) => {
      const path = `summaries[${i}].zones[${z}]`;
      const lotId = zone.lotId ?? '';
      const zones = index.get(lotId);
      if (!zones) {
        throw errors.CB_SYNC_UNKNOWN_AREA(
          `SyncRequest: ${path}.lotId: site ${siteId} has no lot "${lotId}" (known: ${[...index.keys()].join(', ')})`,
          { path: `${path}.lotId` },
        );
      }
      const zoneId = zone.zoneId ?? '';
      // Zone "" is the whole lot, which only a lot without zones (a gate-counted one) reports.
      if (zoneId === '' ? zones.size > 0 : !zones.has(zoneId)) {
        throw errors.CB_SYNC_UNKNOWN_AREA(
          zoneId === ''
            ? `SyncRequest: ${path}.zoneId: lot ${lotId} of site ${siteId} is counted by zone (${[...zones].join(', ')}), not as a whole`
            : `SyncRequest: ${path}.zoneId: lot ${lotId} of site ${siteId} has no zone "${zoneId}" (known: ${[...zones].join(', ') || 'none'})`,
          { path: `${path}.zoneId` },
        );
      }
    });
    (summary.gates ?? []).forEach((gate, g) => {
      const lotId = gate.lotId ?? '';
      if (!index.has(lotId)) {
        throw errors.CB_SYNC_UNKNOWN_AREA(
          `SyncRequest: summaries[${i}].gates[${g}].lotId: site ${siteId} has no lot "${lotId}"`,
          {
            path: `summaries[${i}].gates[${g}].lotId`,
          },
        );
      }
    });
  });
}
