import type { BayKind, SignSpec } from '@citybay/sim';
import type { TwinLayout } from '../district/twin-layout.js';

/**
 * The district's guidance signs as the edges show them (fixed lines, each over its lot and kinds), placed where the
 * scenario puts signs of the same id; signs the scenario does not place (lot entrances) are left out. The twin's own
 * sign policy and the offline comparison plan these faces, so both run the signs the field has.
 */
export function fieldSignsOf(layout: TwinLayout): (scenarioSigns: readonly SignSpec[]) => SignSpec[] {
  return (scenarioSigns) => {
    const edgeOf = new Map(scenarioSigns.map((sign) => [sign.id, sign.edgeId]));
    return layout.signs.flatMap((sign) => {
      const edgeId = edgeOf.get(sign.signId);
      if (edgeId === undefined || sign.areas === undefined) return [];
      const lines = sign.areas.map((area, i) => ({
        lotId: area.lotId,
        label: sign.labels[i] ?? area.lotId,
        kinds: area.kinds as BayKind[],
      }));
      return [{ id: sign.signId, edgeId, lines }];
    });
  };
}
