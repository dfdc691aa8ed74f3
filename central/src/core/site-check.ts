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
 * so nothing of it is stored. Zone "" (the whole lot) is always allowed.
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
      if (zoneId !== '' && !zones.has(zoneId)) {
        throw errors.CB_SYNC_UNKNOWN_AREA(
          `SyncRequest: ${path}.zoneId: lot ${lotId} of site ${siteId} has no zone "${zoneId}" (known: ${[...zones].join(', ') || 'none'})`,
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
