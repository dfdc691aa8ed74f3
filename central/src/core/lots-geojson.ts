import type { LotStatus, SiteStatus } from './lot-status.js';
import type { SiteDefinition } from './site-definition.js';

export interface LotFeature {
  type: 'Feature';
  id: string;
  geometry: SiteDefinition['lots'][number]['geometry'];
  properties: Omit<LotStatus, 'zones' | 'kinds' | 'override' | 'originMs' | 'siteId' | 'lotId'> & {
    siteId: string;
    siteName: string;
    lotId: string;
    originTime: string | null;
  };
}

export interface LotFeatureCollection {
  type: 'FeatureCollection';
  features: LotFeature[];
}

/** Lots as GeoJSON features (RFC 7946, WGS 84) with their live counts, for maps. */
export function lotsGeoJson(
  sites: ReadonlyArray<{ definition: SiteDefinition; status: SiteStatus }>,
): LotFeatureCollection {
  const features: LotFeature[] = [];
  for (const { definition, status } of sites) {
    for (const lot of definition.lots) {
      const s = status.lots.find((l) => l.lotId === lot.id);
      if (!s) continue;
      features.push({
        type: 'Feature',
        id: `${definition.id}/${lot.id}`,
        geometry: lot.geometry,
        properties: {
          siteId: definition.id,
          siteName: definition.name,
          lotId: lot.id,
          name: lot.name,
          capacity: s.capacity,
          capacityByKind: s.capacityByKind,
          free: s.free,
          occupied: s.occupied,
          unknown: s.unknown,
          vacant: s.vacant,
          reserved: s.reserved,
          occupancyPct: s.occupancyPct,
          status: s.status,
          originTime: s.originMs === null ? null : new Date(s.originMs).toISOString(),
        },
      });
    }
  }
  return { type: 'FeatureCollection', features };
}
