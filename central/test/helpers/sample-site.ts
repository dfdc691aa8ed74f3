import { SampleSite } from '@citybay/proto/testing';
import type { SiteDefinition } from '../../src/core/site-definition.js';

/** A site definition matching `SampleSite` (lots P1.., zones A–D) so its summaries are accepted. */
export function siteDefinitionFor(sample: SampleSite, name = 'Children’s Hospital North'): SiteDefinition {
  const lots = [...new Set(sample.bayLot)];
  return {
    id: sample.siteId,
    name,
    location: [-1.55, 53.8],
    configVersion: 'site-v12',
    entrances: [{ id: 'main', name: 'Main entrance', location: [-1.5501, 53.8001] }],
    lots: lots.map((lotId, i) => {
      const capacity = { standard: 0, accessible: 0, family: 0, ev: 0, staff: 0 };
      sample.bayLot.forEach((lot, bay) => {
        if (lot !== lotId) return;
        const kind = sample.bayKind[bay];
        const name = kind === 2 ? 'accessible' : kind === 3 ? 'family' : kind === 4 ? 'ev' : 'standard';
        capacity[name] += 1;
      });
      return {
        id: lotId,
        name: `Car park ${lotId}`,
        geometry: { type: 'Point' as const, coordinates: [-1.55 + i * 0.001, 53.8] as [number, number] },
        capacity,
        zones: ['A', 'B', 'C', 'D'].map((id) => ({ id })),
        walkTimeSByEntrance: { main: 120 + 60 * i },
      };
    }),
  };
}

export function sampleSite(bayCount = 500, seed = 1, edgeId = 'edge-01', siteId = 'hospital-north'): SampleSite {
  return new SampleSite({ bayCount, seed, edgeId, siteId });
}
