import type { TwinMap } from '@citybay/sim';
import type { TwinLayout } from '../district/twin-layout.js';

/**
 * The map for the dashboard (`PUT /v1/dashboard/map`): the scenario's geometry, the layout's lots at their entry
 * links and signs where the scenario puts them (an entrance sign the scenario does not place: at its first line's lot).
 */
export function dashboardMapOf(map: TwinMap, layout: TwinLayout) {
  const entryOf = new Map(map.lots.map((lot) => [lot.lotId, lot.entryEdgeId]));
  const signEdgeOf = new Map(map.signs.map((sign) => [sign.signId, sign.edgeId]));
  return {
    nodes: map.nodes,
    links: map.links,
    lots: layout.lots.flatMap((lot) => {
      const edgeId = entryOf.get(lot.lotId);
      return edgeId === undefined ? [] : [{ siteId: lot.siteId, lotId: lot.lotId, edgeId }];
    }),
    signs: layout.signs.flatMap((sign) => {
      const edgeId = signEdgeOf.get(sign.signId) ?? (sign.lotId === undefined ? undefined : entryOf.get(sign.lotId));
      return edgeId === undefined ? [] : [{ siteId: sign.siteId, signId: sign.signId, edgeId }];
    }),
  };
}
