import type { RoadNetwork } from '../model/index.js';
import { networkTables } from '../traffic/network-tables.js';
import { DEFAULT_TRAFFIC_PARAMS, type TrafficParams } from '../traffic/traffic-params.js';
import { attr } from './xml-text.js';

/**
 * The link model's own lane links as netconvert `<connection>`s, one per (lane, next edge, lane reached): the lanes a
 * SUMO net built from them has are the ones the model drives (`LaneLayout`: a SUMO net's lane-level connections, or
 * for a built-in network its default turn lanes). Edge-level connections are not enough: netconvert treats an edge
 * with any lane-level connection (a lot's gate, see `sumo-lot-layout.ts`) as fully given and drops its edge-level
 * ones, so every car through a gate edge had no valid route in SUMO (the city bench, 7 Dec 2026).
 */
export function laneConnectionLines(network: RoadNetwork, params: Partial<TrafficParams> = {}): string[] {
  const { layout } = networkTables(network, { ...DEFAULT_TRAFFIC_PARAMS, ...params });
  const lines: string[] = [];
  for (let lane = 0; lane < layout.laneCount; lane++) {
    const from = network.edges[layout.laneEdge[lane]!]!;
    const fromLane = lane - layout.laneBase[layout.laneEdge[lane]!]!;
    for (let k = layout.linkBase[lane]!; k < layout.linkBase[lane + 1]!; k++) {
      const to = network.edges[layout.linkTo[k]!]!;
      const mask = layout.linkToMask[k]!;
      for (let toLane = 0; toLane < 31; toLane++) {
        if ((mask & (1 << toLane)) === 0) continue;
        lines.push(
          `  <connection from="${attr(from.id)}" to="${attr(to.id)}" fromLane="${fromLane}" toLane="${toLane}"/>`,
        );
      }
    }
  }
  return lines;
}
