import type { SampleSite } from '@citybay/proto/testing';
import type { SiteDefinition } from '../src/core/site-definition.js';

/** The site definition central needs before it takes a sample site's summaries: its lots, each with zones A–D. */
export function definitionFor(site: SampleSite): SiteDefinition {
  const lots = [...new Set(site.bayLot)];
  return {
    id: site.siteId,
    name: site.siteId,
    location: [-1.55, 53.8],
    entrances: [],
    lots: lots.map((id) => ({
      id,
      name: id,
      geometry: { type: 'Point', coordinates: [-1.55, 53.8] },
      capacity: { standard: site.bayLot.filter((l) => l === id).length },
      zones: ['A', 'B', 'C', 'D'].map((z) => ({ id: z })),
    })),
  };
}
